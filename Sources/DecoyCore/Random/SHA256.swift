import CDecoyKernels

/// SHA-256 (FIPS 180-4) of one message, through the portable C compression function of the
/// kernels target (``SHA256Batch`` hashes many short messages at once). The claims-breach
/// enrichment reads only the first 64 bits of each digest, hence ``prefix64(_:)``.
public enum SHA256 {
  /// The digest of `message` (32 bytes).
  public static func digest(_ message: UnsafeRawBufferPointer) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: 32) { out, count in
      decoy_sha256_digest(message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count, out.baseAddress)
      count = 32
    }
  }

  /// The digest of a byte array.
  public static func digest(_ message: [UInt8]) -> [UInt8] { message.withUnsafeBytes { digest($0) } }

  /// The first 8 bytes of the digest as a big-endian integer (the first 16 hex digits).
  @inline(__always)
  public static func prefix64(_ message: UnsafeRawBufferPointer) -> UInt64 {
    decoy_sha256_prefix64(message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count)
  }
}
