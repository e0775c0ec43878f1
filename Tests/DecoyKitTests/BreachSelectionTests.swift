import DecoyScenarios
import DecoyTestSupport
import Testing

/// The linear-time exact-k selection against a full sort by (unit, position).
@Suite struct BreachSelectionTests {
  @Test(arguments: [1, 2, 1_000, 70_000]) func smallestMatchesSortingByUnitThenPosition(n: Int) {
    var rng = SplitMix64(seed: UInt64(n))
    // Small ranges force many ties; the full range spreads over all histogram buckets.
    for range in [UInt64(3), 1 << 20, 1_000_000_000_000] {
      let u = (0..<n).map { _ in rng.next() % range }
      let order = (0..<n).sorted { u[$0] < u[$1] || (u[$0] == u[$1] && $0 < $1) }
      for k in Set([0, 1, n / 3, n / 2, n - 1, n]) {
        var want = [Bool](repeating: false, count: n)
        for i in order.prefix(k) { want[i] = true }
        #expect(BreachSelection.smallest(units: u, count: k) == want, "n \(n), range \(range), k \(k)")
      }
    }
  }
}
