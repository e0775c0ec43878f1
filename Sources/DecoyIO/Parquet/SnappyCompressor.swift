/// A Snappy compressor (the raw block format Parquet's SNAPPY codec uses: a varint of the
/// uncompressed length, then literal and copy elements). Written from the format description
/// (google/snappy `format_description.txt`): greedy matching over a 16 K-entry hash of 4-byte
/// sequences, one 64 KiB block at a time so every copy offset fits two bytes.
///
/// Output is a pure function of the input (no randomness, no state between calls), so compressed
/// files stay byte-identical run to run.
struct SnappyCompressor {
  private static let blockSize = 1 << 16
  private static let tableBits = 14
  private var table = [UInt16](repeating: 0, count: 1 << SnappyCompressor.tableBits)

  /// The largest output `n` input bytes can produce.
  static func maxCompressedLength(_ n: Int) -> Int { 32 + n + n / 6 }

  /// Compresses `input` into `out`, replacing its contents.
  mutating func compress(_ input: UnsafeRawBufferPointer, into out: inout [UInt8]) {
    let bound = SnappyCompressor.maxCompressedLength(input.count)
    // Grow within the capacity earlier calls left (removeLast keeps it): no allocation per page.
    if out.count < bound { out.append(contentsOf: repeatElement(0, count: bound - out.count)) }
    let produced = out.withUnsafeMutableBufferPointer { o -> Int in
      table.withUnsafeMutableBufferPointer { t -> Int in
        var op = o.baseAddress!
        var n = UInt64(input.count)
        while n >= 0x80 {
          op.pointee = UInt8(truncatingIfNeeded: n) | 0x80
          op += 1
          n >>= 7
        }
        op.pointee = UInt8(n)
        op += 1
        guard let base = input.baseAddress else { return op - o.baseAddress! }
        var start = 0
        while start < input.count {
          let end = min(input.count, start + SnappyCompressor.blockSize)
          op = SnappyCompressor.block(base.assumingMemoryBound(to: UInt8.self), start, end, op, t)
          start = end
        }
        return op - o.baseAddress!
      }
    }
    out.removeLast(out.count - produced)
  }

  @inline(__always)
  private static func load32(_ p: UnsafePointer<UInt8>, _ i: Int) -> UInt32 {
    UnsafeRawPointer(p + i).loadUnaligned(as: UInt32.self)
  }

  @inline(__always)
  private static func hash(_ v: UInt32) -> Int { Int((v &* 0x1e35_a7bd) >> UInt32(32 - tableBits)) }

  /// Compresses `src[start..<end]`; copies only refer back within the block.
  private static func block(
    _ src: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ out: UnsafeMutablePointer<UInt8>,
    _ table: UnsafeMutableBufferPointer<UInt16>
  ) -> UnsafeMutablePointer<UInt8> {
    var op = out
    var emitFrom = start
    // A match needs 4 bytes at the candidate and at ip; stop probing 15 bytes early (as the
    // reference does) so the tail is one literal.
    if end - start >= 15 {
      table.update(repeating: 0)
      let limit = end - 4
      var ip = start + 1
      var misses = 32
      while ip <= limit {
        let v = load32(src, ip)
        let h = hash(v)
        let candidate = start + Int(table[h])
        table[h] = UInt16(truncatingIfNeeded: ip - start)
        if candidate < ip, load32(src, candidate) == v {
          op = literal(src + emitFrom, ip - emitFrom, op)
          let length = 4 + matchLength(src, candidate + 4, ip + 4, end)
          op = copy(offset: ip - candidate, length: length, op)
          ip += length
          emitFrom = ip
          misses = 32
          if ip - 1 <= limit { table[hash(load32(src, ip - 1))] = UInt16(truncatingIfNeeded: ip - 1 - start) }
        } else {
          // Skip faster through data that does not compress.
          ip += misses >> 5
          misses += 1
        }
      }
    }
    return literal(src + emitFrom, end - emitFrom, op)
  }

  /// How many bytes from `a` equal those from `b` (a < b), up to `end`; eight at a time.
  @inline(__always)
  private static func matchLength(_ src: UnsafePointer<UInt8>, _ a: Int, _ b: Int, _ end: Int) -> Int {
    var n = 0
    while b + n + 8 <= end {
      let x =
        UnsafeRawPointer(src + a + n).loadUnaligned(as: UInt64.self)
        ^ UnsafeRawPointer(src + b + n).loadUnaligned(as: UInt64.self)
      if x != 0 { return n + x.littleEndian.trailingZeroBitCount >> 3 }
      n += 8
    }
    while b + n < end, src[a + n] == src[b + n] { n += 1 }
    return n
  }

  @inline(__always)
  private static func literal(_ p: UnsafePointer<UInt8>, _ n: Int, _ out: UnsafeMutablePointer<UInt8>)
    -> UnsafeMutablePointer<UInt8>
  {
    guard n > 0 else { return out }
    var op = out
    let m = n - 1
    if m < 60 {
      op.pointee = UInt8(m << 2)
      op += 1
    } else {
      var bytes = 1
      while bytes < 4 && m >> (8 * bytes) != 0 { bytes += 1 }
      op.pointee = UInt8((59 + bytes) << 2)
      op += 1
      for k in 0..<bytes {
        op.pointee = UInt8(truncatingIfNeeded: m >> (8 * k))
        op += 1
      }
    }
    op.update(from: p, count: n)
    return op + n
  }

  @inline(__always)
  private static func copy(offset: Int, length: Int, _ out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>
  {
    var op = out
    var left = length
    // Two-byte-offset copies carry at most 64 bytes; keep the remainder at 4 or more so it can
    // still be a copy.
    while left >= 68 {
      op = copy2(offset, 64, op)
      left -= 64
    }
    if left > 64 {
      op = copy2(offset, 60, op)
      left -= 60
    }
    if left < 12 && offset < 2048 {
      op[0] = UInt8(1 | ((left - 4) << 2) | ((offset >> 8) << 5))
      op[1] = UInt8(truncatingIfNeeded: offset)
      return op + 2
    }
    return copy2(offset, left, op)
  }

  @inline(__always)
  private static func copy2(_ offset: Int, _ length: Int, _ op: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<
    UInt8
  > {
    op[0] = UInt8(2 | ((length - 1) << 2))
    op[1] = UInt8(truncatingIfNeeded: offset)
    op[2] = UInt8(truncatingIfNeeded: offset >> 8)
    return op + 3
  }
}
