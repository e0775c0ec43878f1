/// Exact-k selection of the reference script (`_select_exact_mask`, specs/healthcare.md §4.2):
/// the `k = round(p·n)` keys with the smallest u-values, ties broken by position. Returns a bit
/// per key. Needs every key's u-value: the one whole-table step the spec allows (8 bytes per key).
public enum BreachSelection {
  /// Chooses `count` of the `u.count` positions with the smallest values.
  public static func smallest(_ u: [Double], count k: Int) -> [Bool] {
    let n = u.count
    if k <= 0 { return [Bool](repeating: false, count: n) }
    if k >= n { return [Bool](repeating: true, count: n) }
    var chosen = [Bool](repeating: false, count: n)
    // u-values are multiples of 10^-12 below 1, so (u·10^12, position) packs into one integer
    // (40 + 24 bits) and a plain integer sort orders by u, then position.
    if n < 1 << 24, u.allSatisfy({ $0 >= 0 && $0 < 1 }) {
      var keys = (0..<n).map { UInt64((u[$0] * 1e12).rounded()) << 24 | UInt64($0) }
      keys.sort()
      for key in keys.prefix(k) { chosen[Int(key & 0xff_ffff)] = true }
      return chosen
    }
    var order = Array(0..<n)
    order.sort { u[$0] < u[$1] || (u[$0] == u[$1] && $0 < $1) }
    for i in order.prefix(k) { chosen[i] = true }
    return chosen
  }

  /// `_select_exact_mask(keys, seed, salt, p)`.
  public static func select(_ u: [Double], p: Double) -> [Bool] {
    smallest(u, count: BreachHash.exactCount(p, u.count))
  }
}
