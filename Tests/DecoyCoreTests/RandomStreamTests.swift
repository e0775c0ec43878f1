import Foundation
import Testing

@testable import DecoyCore

@Suite struct RandomStreamTests {
  let s = RandomStream(seed: 1, path: ["t", "c", "value"])

  @Test func valuesArePureFunctionsOfTheAddress() {
    let again = RandomStream(seed: 1, path: ["t", "c", "value"])
    for i in 0..<1000 as Range<UInt64> { #expect(s.bits(i, 3) == again.bits(i, 3)) }
    let other = RandomStream(seed: 2, path: ["t", "c", "value"])
    let differing = (0..<1000 as Range<UInt64>).filter { s.bits($0) != other.bits($0) }.count
    #expect(differing == 1000)
    #expect(RandomStream(seed: 1, path: ["t", "d", "value"]).bits(0) != s.bits(0))
  }

  @Test func boundedIntegersAreUniform() {
    // Chi-square over 10 buckets, 100,000 draws: 9 degrees of freedom, 99.9 % quantile 27.9.
    var counts = [Int](repeating: 0, count: 10)
    for i in 0..<100_000 as Range<UInt64> { counts[Int(s.below(10, i))] += 1 }
    let chi = counts.reduce(0.0) { $0 + pow(Double($1) - 10_000, 2) / 10_000 }
    #expect(chi < 27.9)
  }

  @Test func boundedIntegersHaveNoModuloBias() {
    // With bound = 3·2^62, a plain `x % bound` would put half of all values in the lowest
    // third; unbiased draws put a third there.
    let bound: UInt64 = 3 << 62
    let low = (0..<60_000 as Range<UInt64>).filter { s.below(bound, $0) < bound / 3 }.count
    #expect(abs(Double(low) / 60_000 - 1.0 / 3) < 0.01)
  }

  @Test func intInClosedRangeCoversEnds() {
    var seen = Set<Int64>()
    for i in 0..<10_000 as Range<UInt64> {
      let v = s.int(in: -2...2, i)
      #expect((-2...2).contains(v))
      seen.insert(v)
    }
    #expect(seen.count == 5)
  }

  @Test func unitIsInHalfOpenInterval() {
    for i in 0..<100_000 as Range<UInt64> {
      let u = s.unit(i)
      #expect(u >= 0 && u < 1)
    }
  }
}
