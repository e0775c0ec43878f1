/// A counter-based random stream: every output is a pure function of the stream key, an index
/// (row or entity) and a draw number. There is no hidden state, so any row can be computed
/// directly, in any order, on any thread, in any shard.
///
/// A key is derived from (seed, table, column, purpose) with ``init(seed:path:)``; values are then
/// addressed by `(index, draw)`. Draws of one value that need several 64-bit words (rejection
/// sampling, Box–Muller) use *sub-draws*, kept apart from other draws by the upper 32 bits.
public struct RandomStream: Sendable, Hashable {
  /// The 64-bit key of this stream.
  public let key: UInt64

  /// A stream with an explicit key.
  @inlinable
  public init(key: UInt64) { self.key = key }

  /// A stream keyed by a seed and a path of names, e.g. `["people", "first_name", "value"]`.
  public init(seed: UInt64, path: [String]) {
    var k = StableHash.mix(seed ^ 0x6a09_e667_f3bc_c908)
    for part in path { k = StableHash.combine(k, StableHash.string(part)) }
    self.key = k
  }

  /// A sub-stream of this one, for a named purpose.
  public func derive(_ name: String) -> RandomStream {
    RandomStream(key: StableHash.combine(key, StableHash.string(name)))
  }

  /// A sub-stream of this one, for a numbered purpose.
  @inlinable
  public func derive(_ n: UInt64) -> RandomStream {
    RandomStream(key: StableHash.combine(key, n))
  }

  /// 64 uniformly distributed bits for `(index, draw, sub)`.
  @inlinable @inline(__always)
  public func bits(_ index: UInt64, _ draw: UInt32 = 0, sub: UInt32 = 0) -> UInt64 {
    let d = UInt64(draw) | (UInt64(sub) << 32)
    let a = StableHash.mix(key ^ (index &* 0x9e37_79b9_7f4a_7c15))
    return StableHash.mix(a &+ (d &* 0xd1b5_4a32_d192_ed03) &+ 0x8cb9_2ba7_2f3d_8dd7)
  }

  /// A uniform double in [0, 1) with 53 random bits.
  @inlinable @inline(__always)
  public func unit(_ index: UInt64, _ draw: UInt32 = 0, sub: UInt32 = 0) -> Double {
    Double(bits(index, draw, sub: sub) >> 11) * 0x1.0p-53
  }

  /// A uniform double in (0, 1): never zero, for logarithms.
  @inlinable @inline(__always)
  public func openUnit(_ index: UInt64, _ draw: UInt32 = 0, sub: UInt32 = 0) -> Double {
    (Double(bits(index, draw, sub: sub) >> 11) + 0.5) * 0x1.0p-53
  }

  /// A uniform integer in `0..<bound` with no modulo bias (Lemire's multiply-and-reject; rejected
  /// candidates move to the next sub-draw, so the result is still a pure function of the address).
  @inlinable @inline(__always)
  public func below(_ bound: UInt64, _ index: UInt64, _ draw: UInt32 = 0) -> UInt64 {
    precondition(bound > 0, "bound must be positive")
    var sub: UInt32 = 0
    var x = bits(index, draw, sub: sub)
    var m = x.multipliedFullWidth(by: bound)
    if m.low < bound {
      let threshold = (0 &- bound) % bound
      while m.low < threshold {
        sub &+= 1
        x = bits(index, draw, sub: sub)
        m = x.multipliedFullWidth(by: bound)
      }
    }
    return m.high
  }

  /// A uniform integer in the closed range, without bias.
  @inlinable @inline(__always)
  public func int(in range: ClosedRange<Int64>, _ index: UInt64, _ draw: UInt32 = 0) -> Int64 {
    let span = UInt64(bitPattern: range.upperBound &- range.lowerBound) &+ 1
    if span == 0 { return Int64(bitPattern: bits(index, draw)) }  // the full 64-bit range
    return range.lowerBound &+ Int64(bitPattern: below(span, index, draw))
  }

  /// True with probability `p`.
  @inlinable @inline(__always)
  public func chance(_ p: Double, _ index: UInt64, _ draw: UInt32 = 0) -> Bool {
    unit(index, draw) < p
  }
}
