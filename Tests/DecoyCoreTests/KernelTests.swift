import DecoyTestSupport
import Testing

@testable import DecoyCore

/// The C kernels' fast paths against the plain ones (SHA256, PythonRandom), which
/// ReferencePrimitivesTests checks against Python's hashlib and random.
@Suite struct KernelTests {
  /// Keys that hit every padding case: short and 20-digit decimals, negatives, runs of consecutive
  /// keys, with and without the "|row" suffix, behind prefixes of 0–130 bytes (one, two and three
  /// blocks), batch sizes that fill groups of sixteen lanes, leave some over, or give one message.
  /// Levels the processor lacks run at the highest it has (and so repeat a lower level's check).
  @Test(arguments: [0, 1, 2]) func batchSHA256MatchesTheSwiftSHA256(level: Int) {
    let used = SHA256Batch.setLevel(level)
    defer { SHA256Batch.setLevel(2) }
    var rng = SplitMix64(seed: 7)
    let mixed: [Int64] =
      [0, 1, -1, 9, 10, Int64.max, Int64.min + 1, 123_456_789]
      + (0..<41).map { _ in Int64(bitPattern: rng.next()) >> Int64(rng.next() % 60) }
    // Runs of consecutive keys (each lane counts its key sixteen back up in place), across a sign,
    // new digits and Int64.max; long enough that lanes repeat in them.
    let runs: [Int64] =
      Array(-3...3) + Array(80...130) + Array(995...1_003) + Array((Int64.max - 40)...Int64.max) + [5]
      + Array(9_999_990...10_000_040)
    for keys in [mixed, runs] {
      let suffix: [Int64] = keys.indices.map { Int64($0 * 1_000_003) }
      for prefixLength in [0, 1, 16, 30, 47, 55, 56, 63, 64, 100, 130] {
        let prefix = (0..<prefixLength).map { UInt8(33 + ($0 * 7) % 90) }
        for b in [nil, suffix] {
          for count in [keys.count, keys.count - 1, 1] {
            let a = Array(keys.prefix(count))
            let got = SHA256Batch.prefix64(prefix: prefix, a: a, b: b.map { Array($0.prefix(count)) })
            let want = (0..<count).map { i -> UInt64 in
              var m = prefix + Array(String(a[i]).utf8)
              if let b { m += Array("|\(b[i])".utf8) }
              return m.withUnsafeBytes { SHA256.prefix64($0) }
            }
            #expect(got == want, "prefix \(prefixLength), suffix \(b != nil), count \(count), level \(used)")
          }
        }
      }
    }
  }

  @Test func vectorSeedingMatchesPythonRandom() {
    var rng = SplitMix64(seed: 11)
    let special: [UInt64] = [0, 1, 42, 0xffff_ffff, 0x1_0000_0000, UInt64(1) << 63 - 2, 6_771_506_938_514_173_933]
    // 7 + 33 seeds: full groups of sixteen and a partial one, one- and two-word keys.
    let seeds = special + (0..<33).map { _ in rng.next() >> (rng.next() % 2 == 0 ? 33 : 1) }
    for outputs in [1, 64, 227] {
      let got = PythonRandom.firstOutputs(seeds: seeds, outputs: outputs)
      #expect(got.count == seeds.count * outputs)
      for (k, s) in seeds.enumerated() {
        var r = PythonRandom(seed: s)
        let want = (0..<outputs).map { _ in r.next32() }
        #expect(Array(got[(k * outputs)..<((k + 1) * outputs)]) == want, "seed \(s), \(outputs) outputs")
      }
    }
  }

  @Test func precomputedOutputsDrawLikeTheGeneratorThenRunOut() {
    let seed: UInt64 = 6_771_506_938_514_173_933
    let outputs = PythonRandom.firstOutputs(seeds: [seed], outputs: 8)
    var live = PythonRandom(seed: seed)
    outputs.withUnsafeBufferPointer { buffer in
      var draws = PythonRandomOutputs(buffer)
      var consumed = 0
      // randint(0, 9) rejects 6 of 16 top-nibble values: at most 8 draws come out of 8 outputs.
      while let d = draws.randint(0, 9) {
        #expect(d == live.randint(0, 9))
        consumed += 1
      }
      #expect(consumed >= 1 && consumed <= 8)
      #expect(draws.randint(0, 9) == nil)
    }
  }
}
