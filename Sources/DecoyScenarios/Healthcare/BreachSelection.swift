/// Exact-k selection of the reference script (`_select_exact_mask`, specs/healthcare.md §4.2):
/// the `k = round(p·n)` keys with the smallest u-values, ties broken by position. Works on the
/// integer units `H mod 10^12` (u = units / 10^12 exactly, so both orders agree). Needs every key's
/// value: the one whole-table step the spec allows (8 bytes per key).
public enum BreachSelection {
  /// Chooses `count` of the positions with the smallest units, in linear time: a histogram of the
  /// top 12 of the 40 bits finds the bucket holding the k-th value; only that bucket is sorted. (A
  /// 32 KiB histogram stays in cache; for 200,000 keys the bucket holds about 50.)
  public static func smallest(units u: [UInt64], count k: Int) -> [Bool] {
    let n = u.count
    if k <= 0 { return [Bool](repeating: false, count: n) }
    if k >= n { return [Bool](repeating: true, count: n) }
    let shift: UInt64 = 28  // units < 10^12 < 2^40
    let top = 1 << 12
    var histogram = [Int](repeating: 0, count: top + 1)
    for x in u { histogram[Int(min(x >> shift, UInt64(top)))] += 1 }
    var bucket = 0
    var below = 0
    while below + histogram[bucket] < k {
      below += histogram[bucket]
      bucket += 1
    }
    var chosen = [Bool](repeating: false, count: n)
    var ties: [(UInt64, Int)] = []
    for i in 0..<n {
      let b = Int(min(u[i] >> shift, UInt64(top)))
      if b < bucket {
        chosen[i] = true
      } else if b == bucket {
        ties.append((u[i], i))
      }
    }
    ties.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
    for (_, i) in ties.prefix(k - below) { chosen[i] = true }
    return chosen
  }

  /// `_select_exact_mask(keys, seed, salt, p)`.
  public static func select(units u: [UInt64], p: Double) -> [Bool] {
    smallest(units: u, count: BreachHash.exactCount(p, u.count))
  }
}
