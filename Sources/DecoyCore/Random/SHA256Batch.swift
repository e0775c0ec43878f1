import CDecoyKernels

/// Many short SHA-256 messages of the form `prefix + decimal(a) [+ "|" + decimal(b)]` in one call,
/// through the C kernel: two blocks at a time with the x86 SHA extensions where the processor has
/// them, portable C otherwise. Only the first 64 bits of each digest are returned (as
/// ``SHA256/prefix64(_:)`` gives them); tests compare both paths with ``SHA256``.
public enum SHA256Batch {
  /// Whether the SHA extensions are in use (set `DECOY_PORTABLE_SHA256` to force portable C).
  public static var accelerated: Bool { decoy_sha256_accelerated() != 0 }

  /// Tests: portable C only (true), or what the processor supports (false). Both give the same values.
  public static func forcePortable(_ on: Bool) { decoy_sha256_force_portable(on ? 1 : 0) }

  /// `out[i]` = the first 64 bits of SHA-256(prefix ‖ a[i] ‖ ("|" ‖ b[i])?), for `a.count` messages.
  public static func prefix64(prefix: [UInt8], a: UnsafeBufferPointer<Int64>, b: UnsafeBufferPointer<Int64>? = nil,
                              into out: UnsafeMutableBufferPointer<UInt64>) {
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
