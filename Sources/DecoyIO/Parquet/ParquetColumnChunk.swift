import DecoyCore

/// One column's part of the row group being built: PLAIN-encoded non-null values (booleans
/// bit-packed), definition levels as RLE runs built while values arrive, and for strings a
/// dictionary built alongside. Appending copies whole runs of non-null values at once; it never
/// allocates per value.
struct ParquetColumnChunk {
  let type: ValueType
  /// PLAIN values of the non-null rows.
  private(set) var plain: [UInt8] = []
  /// Finished definition-level runs (RLE, bit width 1).
  private var levels: [UInt8] = []
  private var runLevel: UInt8 = 1
  private var runLength = 0
  private var boolByte: UInt8 = 0
  private var boolCount = 0
  /// Dictionary of a string chunk.
  private(set) var dictionary = ParquetStringDictionary()
  /// Rows (null or not) in the chunk.
  private(set) var rows = 0

  init(type: ValueType) {
    self.type = type
  }

  mutating func reset() {
    plain.removeAll(keepingCapacity: true)
    levels.removeAll(keepingCapacity: true)
    runLevel = 1
    runLength = 0
    boolByte = 0
    boolCount = 0
    rows = 0
    dictionary.reset()
  }

  /// Appends values `range` of a batch column.
  mutating func append(_ c: ColumnBuffer, _ range: Range<Int>) {
    rows += range.count
    guard c.hasNulls else {
      level(1, range.count)
      values(c, range)
      return
    }
    var i = range.lowerBound
    while i < range.upperBound {
      let null = c.isNull(i)
      var j = i + 1
      while j < range.upperBound && c.isNull(j) == null { j += 1 }
      level(null ? 0 : 1, j - i)
      if !null { values(c, i..<j) }
      i = j
    }
  }

  @inline(__always)
  private mutating func level(_ l: UInt8, _ n: Int) {
    if l == runLevel {
      runLength += n
      return
    }
    closeRun()
    runLevel = l
    runLength = n
  }

  private mutating func closeRun() {
    guard runLength > 0 else { return }
    ParquetStringDictionary.uleb(UInt64(runLength) << 1, &levels)
    levels.append(runLevel)
    runLength = 0
  }

  /// Grows `plain` by `n` zero bytes and returns the offset where they start.
  @inline(__always)
  private mutating func extend(_ n: Int) -> Int {
    let at = plain.count
    if plain.capacity < at + n { plain.reserveCapacity(Swift.max(at + n, plain.capacity * 2)) }
    plain.append(contentsOf: repeatElement(0, count: n))
    return at
  }

  /// Appends the PLAIN encoding of non-null values `r`.
  private mutating func values(_ c: ColumnBuffer, _ r: Range<Int>) {
    let n = r.count
    switch type {
    case .string:
      let first = r.lowerBound == 0 ? 0 : c.ends[r.lowerBound - 1]
      let at = extend(4 * n + c.ends[r.upperBound - 1] - first)
      c.bytes.withUnsafeBufferPointer { b in
        c.ends.withUnsafeBufferPointer { e in
          plain.withUnsafeMutableBufferPointer { out in
            var o = out.baseAddress! + at
            var s = first
            for i in r {
              let len = e[i] - s
              UnsafeMutableRawPointer(o).storeBytes(of: UInt32(len).littleEndian, as: UInt32.self)
              if len > 0 { (o + 4).update(from: b.baseAddress! + s, count: len) }
              o += 4 + len
              s = e[i]
            }
          }
          var s = first
          for i in r {
            dictionary.add(b.baseAddress! + s, e[i] - s)
            s = e[i]
          }
        }
      }
    case .int, .decimal:
      let at = extend(8 * n)
      c.ints.withUnsafeBufferPointer { v in
        plain.withUnsafeMutableBufferPointer { out in
          let o = UnsafeMutableRawPointer(out.baseAddress! + at)
          for (k, i) in r.enumerated() { o.storeBytes(of: v[i].littleEndian, toByteOffset: 8 * k, as: Int64.self) }
        }
      }
    case .timestamp:  // seconds → microseconds
      let at = extend(8 * n)
      c.ints.withUnsafeBufferPointer { v in
        plain.withUnsafeMutableBufferPointer { out in
          let o = UnsafeMutableRawPointer(out.baseAddress! + at)
          for (k, i) in r.enumerated() {
            o.storeBytes(of: (v[i] &* 1_000_000).littleEndian, toByteOffset: 8 * k, as: Int64.self)
          }
        }
      }
    case .date:  // days since 1970-01-01 as INT32
      let at = extend(4 * n)
      c.ints.withUnsafeBufferPointer { v in
        plain.withUnsafeMutableBufferPointer { out in
          let o = UnsafeMutableRawPointer(out.baseAddress! + at)
          for (k, i) in r.enumerated() {
            o.storeBytes(of: Int32(truncatingIfNeeded: v[i]).littleEndian, toByteOffset: 4 * k, as: Int32.self)
          }
        }
      }
    case .double:
      let at = extend(8 * n)
      c.doubles.withUnsafeBufferPointer { v in
        plain.withUnsafeMutableBufferPointer { out in
          let o = UnsafeMutableRawPointer(out.baseAddress! + at)
          for (k, i) in r.enumerated() {
            o.storeBytes(of: v[i].bitPattern.littleEndian, toByteOffset: 8 * k, as: UInt64.self)
          }
        }
      }
    case .bool:  // bit-packed, least significant bit first
      for i in r {
        if c.ints[i] != 0 { boolByte |= 1 << UInt8(boolCount & 7) }
        boolCount += 1
        if boolCount & 7 == 0 {
          plain.append(boolByte)
          boolByte = 0
        }
      }
    }
  }

  /// Whether the chunk is written as dictionary + indices.
  var usesDictionary: Bool {
    if case .string = type { return dictionary.pays }
    return false
  }

  /// The data page body: definition levels (length-prefixed), then the values or the indices.
  mutating func dataPage(into page: inout [UInt8]) {
    closeRun()
    if case .bool = type, boolCount & 7 != 0 {
      plain.append(boolByte)
      boolByte = 0
      boolCount = 0
    }
    page.removeAll(keepingCapacity: true)
    withUnsafeBytes(of: UInt32(levels.count).littleEndian) { page.append(contentsOf: $0) }
    page.append(contentsOf: levels)
    if usesDictionary {
      dictionary.encodeIndices(into: &page)
    } else {
      page.append(contentsOf: plain)
    }
  }
}
