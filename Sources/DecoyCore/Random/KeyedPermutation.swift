/// A keyed pseudo-random permutation of `0..<n`, evaluable at any single index in O(1) expected time.
///
/// A balanced Feistel network permutes the smallest even-bit-width power-of-two domain that holds
/// `n`; values that land outside `0..<n` are walked through the network again (cycle walking), which
/// keeps the map a bijection on `0..<n`. Because the domain is at most 4·n, the expected number of
/// walks is below 4.
public struct KeyedPermutation: Sendable {
  public let n: UInt64
  let halfBits: UInt64
  let halfMask: UInt64
  let roundKeys: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

  public init(n: UInt64, stream: RandomStream) {
    precondition(n >= 1, "a permutation needs a non-empty domain")
    self.n = n
    var bits: UInt64 = 2
    while bits < 64 && (UInt64(1) << bits) < n { bits += 2 }
    halfBits = bits / 2
    halfMask = (UInt64(1) << halfBits) - 1
    roundKeys = (
      stream.bits(0), stream.bits(1), stream.bits(2), stream.bits(3), stream.bits(4), stream.bits(5)
    )
  }

  @inline(__always)
  private func round(_ x: UInt64, _ key: UInt64) -> UInt64 {
    StableHash.mix(x ^ key) & halfMask
  }

  @inline(__always)
  private func feistel(_ x: UInt64) -> UInt64 {
    var l = x >> halfBits
    var r = x & halfMask
    (l, r) = (r, l ^ round(r, roundKeys.0))
    (l, r) = (r, l ^ round(r, roundKeys.1))
    (l, r) = (r, l ^ round(r, roundKeys.2))
    (l, r) = (r, l ^ round(r, roundKeys.3))
    (l, r) = (r, l ^ round(r, roundKeys.4))
    (l, r) = (r, l ^ round(r, roundKeys.5))
    return (l << halfBits) | r
  }

  /// The image of `i` (which must be in `0..<n`).
  public func apply(_ i: UInt64) -> UInt64 {
    precondition(i < n, "index outside the permutation domain")
    var x = feistel(i)
    while x >= n { x = feistel(x) }
    return x
  }
}

/// Exact-k selection: of `n` rows or entities, exactly `round(p·n)` are chosen, and whether row `i`
/// is chosen can be decided from `i` alone — so the count stays exact under sharding and batching.
public struct ExactSelection: Sendable {
  /// Population size.
  public let n: UInt64
  /// Number of chosen members: `round(p·n)`, halves rounded away from zero.
  public let k: UInt64
  let permutation: KeyedPermutation?

  /// Chooses `round(p·n)` of `n` with a permutation keyed by `stream`.
  public init(n: UInt64, p: Double, stream: RandomStream) {
    precondition(p >= 0 && p <= 1, "p must be in [0, 1]")
    self.init(n: n, k: ExactSelection.count(n: n, p: p), stream: stream)
  }

  /// Chooses exactly `k` of `n`.
  public init(n: UInt64, k: UInt64, stream: RandomStream) {
    precondition(k <= n, "cannot choose more than n")
    self.n = n
    self.k = k
    permutation = n == 0 ? nil : KeyedPermutation(n: n, stream: stream)
  }

  /// `round(p·n)`, computed so that products such as 0.005 × 1000 are not thrown off by binary
  /// representation error (the product is rounded to 9 decimals first).
  public static func count(n: UInt64, p: Double) -> UInt64 {
    let exact = (Double(n) * p * 1e9).rounded() / 1e9
    return UInt64(exact.rounded(.toNearestOrAwayFromZero))
  }

  /// Whether member `i` is chosen.
  @inlinable
  public func contains(_ i: UInt64) -> Bool {
    if k == 0 { return false }
    if k == n { return true }
    return rank(i) < k
  }

  /// The member's position in the keyed order (chosen ⇔ rank < k).
  public func rank(_ i: UInt64) -> UInt64 { permutation!.apply(i) }
}
