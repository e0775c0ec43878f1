import CDecoyKernels

/// Many short SHA-256 messages of the form `prefix + decimal(a) [+ "|" + decimal(b)]` in one call,
/// through the C kernel: sixteen one-block messages at a time with AVX-512, two blocks at a time
/// with the x86 SHA extensions, portable C otherwise. Only the first 64 bits of each digest are
/// returned (as ``SHA256/prefix64(_:)`` gives them); tests compare every path with ``SHA256``.
public enum SHA256Batch {
  /// The implementation in use: 2 = AVX-512, 1 = the SHA extensions, 0 = portable C (set
  /// `DECOY_PORTABLE_SHA256` to force portable C).
  public static var level: Int { Int(decoy_sha256_accelerated()) }

  /// Tests: use at most implementation `level`, capped at what the processor supports; returns the
  /// level in use. Every level gives the same values.
  @discardableResult
  public static func setLevel(_ level: Int) -> Int { Int(decoy_sha256_set_level(Int32(level))) }

  /// `out[i]` = the first 64 bits of SHA-256(prefix ‖ a[i] ‖ ("|" ‖ b[i])?), for `a.count` messages.
  public static func prefix64(
    prefix: [UInt8], a: UnsafeBufferPointer<Int64>, b: UnsafeBufferPointer<Int64>? = nil,
    into out: UnsafeMutableBufferPointer<UInt64>
  ) {
    precondition(out.count >= a.count && (b == nil || b!.count >= a.count))
    prefix.withUnsafeBufferPointer { p in
      decoy_sha256_keyed_prefix64(p.baseAddress, p.count, a.baseAddress, b?.baseAddress, a.count, out.baseAddress)
    }
  }

  /// The same into a new array.
  public static func prefix64(prefix: [UInt8], a: [Int64], b: [Int64]? = nil) -> [UInt64] {
    [UInt64](unsafeUninitializedCapacity: a.count) { out, count in
      a.withUnsafeBufferPointer { a in
        if let b {
          b.withUnsafeBufferPointer { b in prefix64(prefix: prefix, a: a, b: b, into: out) }
        } else {
          prefix64(prefix: prefix, a: a, into: out)
        }
      }
      count = a.count
    }
  }
}
