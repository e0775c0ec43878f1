/// Exact-k selection of the reference script (`_select_exact_mask`, specs/healthcare.md §4.2):
/// the `k = round(p·n)` keys with the smallest u-values, ties broken by position. Returns a bit
/// per key. Needs every key's u-value: the one whole-table step the spec allows (8 bytes per key).
public enum BreachSelection {
  /// Chooses `count` of the `u.count` positions with the smallest values.
  public static func smallest(_ u: [Double], count k: Int) -> [Bool] {
    let n = u.count
    if k <= 0 { return [Bool](repeating: false, count: n) }
    if k >= n { return [Bool](repeating: true, count: n) }
    var order = Array(0..<n)
    order.sort { u[$0] < u[$1] || (u[$0] == u[$1] && $0 < $1) }
    var chosen = [Bool](repeating: false, count: n)
    for i in order.prefix(k) { chosen[i] = true }
    return chosen
  }

  /// `_select_exact_mask(keys, seed, salt, p)`.
  public static func select(_ u: [Double], p: Double) -> [Bool] {
    smallest(u, count: BreachHash.exactCount(p, u.count))
  }
}
