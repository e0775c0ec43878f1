/// Platform-independent hashing used to derive stream keys.
///
/// Swift's `Hasher` is randomly seeded per process, so it can never be used for generated values.
/// These functions are fixed forever: changing them changes every generated value (see docs/determinism.md).
public enum StableHash {
  /// 64-bit FNV-1a over UTF-8 bytes, finalised with ``mix(_:)``.
  @inlinable
  public static func string(_ s: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in s.utf8 {
      h ^= UInt64(b)
      h &*= 0x100_0000_01b3
    }
    return mix(h)
  }

  /// 64-bit FNV-1a over bytes, finalised with ``mix(_:)`` (equal to ``string(_:)`` of the same UTF-8).
  @inlinable
  public static func bytes<C: Collection<UInt8>>(_ b: C) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for x in b {
      h ^= UInt64(x)
      h &*= 0x100_0000_01b3
    }
    return mix(h)
  }

  /// The SplitMix64 / Stafford "variant 13" finaliser: a bijective avalanche on 64 bits.
  @inlinable @inline(__always)
  public static func mix(_ x: UInt64) -> UInt64 {
    var z = x
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }

  /// Combines two 64-bit values into one key (order matters).
  @inlinable @inline(__always)
  public static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 {
    mix(a &+ 0x9e37_79b9_7f4a_7c15 &+ mix(b ^ 0xd1b5_4a32_d192_ed03))
  }
}
