import Testing

@testable import DecoyCore

@Suite struct ExactSelectionTests {
  static let sizes: [UInt64] = [1, 7, 1000, 1_000_000]
  static let shares: [Double] = [0, 0.005, 0.43, 1]

  /// round(p·n) with halves away from zero, computed in exact decimal arithmetic.
  func expected(_ n: UInt64, _ p: Double) -> UInt64 {
    let thousandths = UInt64((p * 1000).rounded())  // every p above has at most 3 decimals
    return (n * thousandths + 500) / 1000
  }

  @Test(arguments: sizes, shares) func picksExactlyRoundPN(n: UInt64, p: Double) {
    let sel = ExactSelection(n: n, p: p, stream: RandomStream(seed: 3, path: ["sel"]))
    #expect(sel.k == expected(n, p))
    var whole: UInt64 = 0
    for i in 0..<n where sel.contains(i) { whole += 1 }
    #expect(whole == sel.k)
    // Sharded: three slices decide independently and still add up to k.
    var sharded: UInt64 = 0
    for part in 0..<3 {
      for i in Shard(index: part, count: 3).slice(n) where sel.contains(i) { sharded += 1 }
    }
    #expect(sharded == sel.k)
  }

  @Test func permutationIsABijection() {
    for n: UInt64 in [1, 2, 5, 17, 1000, 4097] {
      let perm = KeyedPermutation(n: n, stream: RandomStream(seed: 1, path: ["p"]))
      var seen = [Bool](repeating: false, count: Int(n))
      for i in 0..<n {
        let j = perm.apply(i)
        #expect(j < n)
        #expect(!seen[Int(j)])
        seen[Int(j)] = true
      }
    }
  }

  @Test func differentSeedsChooseDifferentMembers() {
    let a = ExactSelection(n: 1000, p: 0.43, stream: RandomStream(seed: 1, path: ["x"]))
    let b = ExactSelection(n: 1000, p: 0.43, stream: RandomStream(seed: 2, path: ["x"]))
    let same = (0..<1000 as Range<UInt64>).filter { a.contains($0) == b.contains($0) }.count
    #expect(same < 700)
  }
}
