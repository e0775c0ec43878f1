import Foundation

/// Builds the dictionary of one string column chunk while its values arrive: entries in order of
/// first appearance (so the encoding depends only on the values), an index per value, and an open
/// addressing hash table over the entries' bytes. It gives up — and stops costing anything — as
/// soon as the chunk has too many distinct values for a dictionary to pay.
struct ParquetStringDictionary {
  /// Most distinct values a dictionary may hold.
  static let maxEntries = 65_536
  /// PLAIN-encoded entries (4-byte length, bytes).
  private(set) var entries: [UInt8] = []
  private(set) var indices: [UInt32] = []
  private var starts: [Int] = []
  private var hashes: [UInt64] = []
  private var slots = [Int32](repeating: -1, count: 1024)
  private(set) var abandoned = false

  var count: Int { starts.count }

  mutating func reset() {
    entries.removeAll(keepingCapacity: true)
    indices.removeAll(keepingCapacity: true)
    starts.removeAll(keepingCapacity: true)
    hashes.removeAll(keepingCapacity: true)
    if slots.count > 1024 {
      slots = [Int32](repeating: -1, count: 1024)
    } else {
      slots.withUnsafeMutableBufferPointer { $0.update(repeating: -1) }
    }
    abandoned = false
  }

  /// Whether the finished chunk should use the dictionary: at most one distinct value in four.
  var pays: Bool { !abandoned && !indices.isEmpty && count * 4 <= indices.count }

  /// Adds one value.
  @inline(__always)
  mutating func add(_ p: UnsafePointer<UInt8>, _ n: Int) {
    if abandoned { return }
    let h = ParquetStringDictionary.hash(p, n)
    let mask = slots.count - 1
    var s = Int(truncatingIfNeeded: h) & mask
    while true {
      let k = Int(slots[s])
      if k < 0 { break }
      if hashes[k] == h, equal(k, p, n) {
        indices.append(UInt32(k))
        return
      }
      s = (s + 1) & mask
    }
    let k = starts.count
    // Early exit: after a few thousand values, more than half of them distinct means the chunk
    // will not reach one in four. Depends only on the value sequence, never on batch sizes.
    if k >= ParquetStringDictionary.maxEntries || (indices.count >= 4096 && k * 2 > indices.count) {
      abandoned = true
      entries = []
      indices = []
      return
    }
    slots[s] = Int32(k)
    starts.append(entries.count)
    hashes.append(h)
    withUnsafeBytes(of: UInt32(n).littleEndian) { entries.append(contentsOf: $0) }
    entries.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
    indices.append(UInt32(k))
    if starts.count * 2 > slots.count { grow() }
  }

  private func equal(_ k: Int, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    let s = starts[k]
    return entries.withUnsafeBufferPointer { e in
      let len = Int(e[s]) | Int(e[s + 1]) << 8 | Int(e[s + 2]) << 16 | Int(e[s + 3]) << 24
      return len == n && (n == 0 || memcmp(e.baseAddress! + s + 4, p, n) == 0)
    }
  }

  private mutating func grow() {
    slots = [Int32](repeating: -1, count: slots.count * 2)
    let mask = slots.count - 1
    for (k, h) in hashes.enumerated() {
      var s = Int(truncatingIfNeeded: h) & mask
      while slots[s] >= 0 { s = (s + 1) & mask }
      slots[s] = Int32(k)
    }
  }

  /// A 64-bit hash of a byte string, eight bytes at a time (only for bucketing; never output).
  @inline(__always)
  static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(n)
    var i = 0
    let raw = UnsafeRawPointer(p)
    while i + 8 <= n {
      h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xff51_afd7_ed55_8ccd
      h ^= h >> 32
      i += 8
    }
    var tail: UInt64 = 0
    var shift: UInt64 = 0
    while i < n {
      tail |= UInt64(p[i]) << shift
      shift += 8
      i += 1
    }
    h = (h ^ tail) &* 0xc4ce_b9fe_1a85_ec53
    return h ^ (h >> 29)
  }

  /// The indices as the RLE/bit-packed hybrid Parquet's RLE_DICTIONARY pages hold: the bit width,
  /// then one bit-packed run (or, for a single distinct value, one RLE run).
  func encodeIndices(into out: inout [UInt8]) {
    var width = 0
    while (1 << width) < count { width += 1 }
    out.append(UInt8(width))
    if width == 0 {
      ParquetStringDictionary.uleb(UInt64(indices.count) << 1, &out)
      return
    }
    let groups = (indices.count + 7) / 8
    ParquetStringDictionary.uleb(UInt64(groups) << 1 | 1, &out)
    var acc: UInt64 = 0
    var bits = 0
    indices.withUnsafeBufferPointer { ix in
      for g in 0..<(groups * 8) {
        acc |= UInt64(g < ix.count ? ix[g] : 0) << UInt64(bits)
        bits += width
        while bits >= 8 {
          out.append(UInt8(truncatingIfNeeded: acc))
          acc >>= 8
          bits -= 8
        }
      }
    }
    if bits > 0 { out.append(UInt8(truncatingIfNeeded: acc)) }
  }

  /// ULEB128.
  @inline(__always)
  static func uleb(_ value: UInt64, _ out: inout [UInt8]) {
    var v = value
    while v >= 0x80 {
      out.append(UInt8(truncatingIfNeeded: v) | 0x80)
      v >>= 7
    }
    out.append(UInt8(v))
  }
}
