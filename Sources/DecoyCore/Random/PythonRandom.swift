/// CPython's `random.Random` for integer seeds: MT19937 (Matsumoto–Nishimura) seeded by
/// `init_by_array` with the seed's 32-bit words, least significant first, and `randint` by
/// rejection on the top bits of one 32-bit output. Only what the claims-breach reference script
/// draws is here; the values match Python's for the same seed, draw for draw.
public struct PythonRandom {
  private var mt = [UInt32](repeating: 0, count: 624)
  private var index = 624
  /// Words `0..<twisted` of `mt` already hold the current generation.
  private var twisted = 624

  /// Seeds like `random.Random(seed)` for a non-negative integer below 2^64.
  public init(seed: UInt64) {
    let key: [UInt32] = seed >> 32 == 0 ? [UInt32(seed)] : [UInt32(truncatingIfNeeded: seed), UInt32(seed >> 32)]
    // Raw pointers: these loops run 2,500 times per seed, and array accesses through `self`
    // would each pay an exclusivity check.
    mt.withUnsafeMutableBufferPointer { mt in
      mt[0] = 19_650_218
      for i in 1..<624 { mt[i] = 1_812_433_253 &* (mt[i - 1] ^ (mt[i - 1] >> 30)) &+ UInt32(i) }
      var i = 1
      var j = 0
      for _ in 0..<max(624, key.count) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1_664_525)) &+ key[j] &+ UInt32(j)
        i += 1
        j += 1
        if i >= 624 {
          mt[0] = mt[623]
          i = 1
        }
        if j >= key.count { j = 0 }
      }
      for _ in 0..<623 {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
        i += 1
        if i >= 624 {
          mt[0] = mt[623]
          i = 1
        }
      }
      mt[0] = 0x8000_0000
    }
    index = 624
  }

  /// The next 32-bit output (`genrand_uint32`). The twist is done lazily: word i of the new state
  /// needs old words i, i + 1 and i + 397, so the first 227 outputs (far more than a patient's
  /// draws) are computed one at a time without twisting the whole state.
  public mutating func next32() -> UInt32 {
    if index >= 624 {
      twisted = 0
      index = 0
    }
    if index >= twisted {
      if index < 227 {
        let i = index
        let y = (mt[i] & 0x8000_0000) | (mt[i + 1] & 0x7fff_ffff)
        mt[i] = mt[i + 397] ^ (y >> 1) ^ ((y & 1) == 0 ? 0 : 0x9908_b0df)
        twisted = i + 1
      } else {
        twist(from: twisted)
      }
    }
    var y = mt[index]
    index += 1
    y ^= y >> 11
    y ^= (y << 7) & 0x9d2c_5680
    y ^= (y << 15) & 0xefc6_0000
    y ^= y >> 18
    return y
  }

  /// Twists words `from..<624` (the earlier ones are already new).
  private mutating func twist(from start: Int) {
    mt.withUnsafeMutableBufferPointer { mt in
      for i in start..<624 {
        let y = (mt[i] & 0x8000_0000) | (mt[i == 623 ? 0 : i + 1] & 0x7fff_ffff)
        let k = i + 397
        mt[i] = mt[k >= 624 ? k - 624 : k] ^ (y >> 1) ^ ((y & 1) == 0 ? 0 : 0x9908_b0df)
      }
    }
    twisted = 624
  }

  /// `randint(a, b)`: `a + randbelow(b - a + 1)` for spans below 2^32 — the top k bits of one
  /// output, k the span's bit length, redrawn while out of range.
  public mutating func randint(_ a: Int, _ b: Int) -> Int {
    let n = UInt32(b - a + 1)
    let k = 32 - n.leadingZeroBitCount
    while true {
      let r = next32() >> UInt32(32 - k)
      if r < n { return a + Int(r) }
    }
  }
}
