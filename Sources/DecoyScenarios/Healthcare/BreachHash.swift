import DecoyCore

/// The deterministic primitives of the reference enrichment script (specs/healthcare.md §4.2):
/// SHA-256 of `"<seed>|<salt>|<key>"`, its first 64 bits as an integer, and the uniform value
/// `(H mod 10^12) / 10^12`. Writes the message into a reused buffer: no allocation per call.
public struct BreachHash: Sendable {
  public let seed: Int
  private var message: [UInt8] = []

  public init(seed: Int) {
    self.seed = seed
    message.reserveCapacity(128)
  }

  /// H(key, seed, salt): the first 16 hex digits of the SHA-256 as an unsigned integer.
  public mutating func h<K: Collection>(_ key: K, _ salt: String) -> UInt64 where K.Element == UInt8 {
    message.removeAll(keepingCapacity: true)
    ValueFormatter.appendInt(Int64(seed), to: &message)
    message.append(UInt8(ascii: "|"))
    message.append(contentsOf: salt.utf8)
    message.append(UInt8(ascii: "|"))
    message.append(contentsOf: key)
    return message.withUnsafeBytes { SHA256.prefix64($0) }
  }

  /// H for many integer keys at once: `"<seed>|<salt>|<a[i]>"`, or `"…|<a[i]>|<b[i]>"` when `b` is
  /// given (the claims rows' keys when billing ids repeat), through the batch SHA-256 kernel.
  public func h(
    _ salt: String, keys a: UnsafeBufferPointer<Int64>, suffix b: UnsafeBufferPointer<Int64>?,
    into out: UnsafeMutableBufferPointer<UInt64>
  ) {
    var prefix: [UInt8] = []
    ValueFormatter.appendInt(Int64(seed), to: &prefix)
    prefix.append(UInt8(ascii: "|"))
    prefix.append(contentsOf: salt.utf8)
    prefix.append(UInt8(ascii: "|"))
    SHA256Batch.prefix64(prefix: prefix, a: a, b: b, into: out)
  }

  /// The modulus of `stable_u01`: u = (H mod 10^12) / 10^12.
  public static let unitModulus: UInt64 = 1_000_000_000_000

  /// `stable_u01`: exact in IEEE double (both operands are below 2^53).
  public mutating func u01<K: Collection>(_ key: K, _ salt: String) -> Double where K.Element == UInt8 {
    Double(h(key, salt) % 1_000_000_000_000) / 1e12
  }

  /// `stable_int(m)`: H mod m on the full 64-bit value.
  public mutating func int<K: Collection>(_ key: K, _ salt: String, _ m: UInt64) -> UInt64 where K.Element == UInt8 {
    h(key, salt) % m
  }

  /// `auto_rate`: lo + (hi − lo)·u with u = stable_u01("default", seed, salt).
  public mutating func autoRate(_ salt: String, lo: Double = 0.05, hi: Double = 0.25) -> Double {
    lo + (hi - lo) * u01("default".utf8, salt)
  }

  /// Python's `round(p·n)` (half to even on the double product) after clamping p to [0, 1].
  public static func exactCount(_ p: Double, _ n: Int) -> Int {
    Int((max(0, min(1, p)) * Double(n)).rounded(.toNearestOrEven))
  }
}
