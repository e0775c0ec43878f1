import CZlib
public import DecoyCore

/// A Parquet file writer (format version 1): every column OPTIONAL, PLAIN encoding — or, for
/// string chunks whose values repeat, a dictionary page and RLE_DICTIONARY indices — definition
/// levels as RLE runs, one data page per column chunk, row groups of ``rowGroupRows`` rows cut at
/// fixed global row numbers (so files do not depend on batch size), GZIP or no compression, and
/// logical types for strings, dates, timestamps (µs, UTC) and decimals (INT64, precision 18).
public final class ParquetWriter: BatchWriter {
  public enum Codec: Int32, Sendable { case uncompressed = 0, gzip = 2 }

  struct Chunk {
    var offset: Int64
    var compressed: Int64
    var uncompressed: Int64
    var values: Int64
    var dictionaryOffset: Int64?
  }

  private let sink: any ByteSink
  public let codec: Codec
  public let rowGroupRows: Int
  private var offset: Int64 = 0
  private var types: [ValueType] = []
  private var names: [String] = []
  private var values: [[UInt8]] = []
  private var defs: [[UInt8]] = []
  private var bools: [[Bool]] = []
  private var groupRows = 0
  private var totalRows: Int64 = 0
  private var groups: [(rows: Int64, chunks: [Chunk])] = []

  public init(sink: any ByteSink, codec: Codec = .gzip, rowGroupRows: Int = 131_072) {
    self.sink = sink
    self.codec = codec
    self.rowGroupRows = max(1, rowGroupRows)
  }

  private func emit(_ b: [UInt8]) throws(DecoyError) {
    try sink.write(b)
    offset += Int64(b.count)
  }

  public func begin(_ layout: TableLayout) throws(DecoyError) {
    types = layout.types
    names = layout.columns
    values = types.map { _ in [] }
    defs = types.map { _ in [] }
    bools = types.map { _ in [] }
    try emit(Array("PAR1".utf8))
  }

  @inline(__always)
  static func le32(_ v: UInt32, _ a: inout [UInt8]) { for k in 0..<4 { a.append(UInt8((v >> (8 * UInt32(k))) & 0xff)) } }
  @inline(__always)
  static func le64(_ v: UInt64, _ a: inout [UInt8]) { for k in 0..<8 { a.append(UInt8((v >> (8 * UInt64(k))) & 0xff)) } }

  public func write(_ layout: TableLayout, columns: [ColumnBuffer], rows: Range<UInt64>) throws(DecoyError) {
    var k = 0
    let n = rows.count
    while k < n {
      let take = min(n - k, rowGroupRows - groupRows)
      for (ci, c) in columns.enumerated() {
        for r in k..<(k + take) {
          if c.isNull(r) {
            defs[ci].append(0)
            continue
          }
          defs[ci].append(1)
          switch c.type {
          case .string:
            let range = c.stringRange(r)
            ParquetWriter.le32(UInt32(range.count), &values[ci])
            values[ci].append(contentsOf: c.bytes[range])
          case .date: ParquetWriter.le32(UInt32(bitPattern: Int32(truncatingIfNeeded: c.ints[r])), &values[ci])
          case .timestamp: ParquetWriter.le64(UInt64(bitPattern: c.ints[r] &* 1_000_000), &values[ci])
          case .int, .decimal: ParquetWriter.le64(UInt64(bitPattern: c.ints[r]), &values[ci])
          case .double: ParquetWriter.le64(c.doubles[r].bitPattern, &values[ci])
          case .bool: bools[ci].append(c.ints[r] != 0)
          }
        }
      }
      groupRows += take
      k += take
      if groupRows == rowGroupRows { try flushGroup() }
    }
  }

  /// Definition levels (bit width 1) as RLE runs: ULEB128 (run length << 1), then the level byte.
  static func encodeLevels(_ levels: [UInt8], into out: inout [UInt8]) {
    var i = 0
    while i < levels.count {
      var j = i
      while j < levels.count && levels[j] == levels[i] { j += 1 }
      var run = UInt64(j - i) << 1
      while run >= 0x80 {
        out.append(UInt8(run & 0x7f) | 0x80)
        run >>= 7
      }
      out.append(UInt8(run))
      out.append(levels[i])
      i = j
    }
  }

  /// For a string chunk with few distinct values: the PLAIN-encoded dictionary (entries in order
  /// of first appearance) and each non-null value's index; nil when a dictionary would not pay.
  static func dictionary(_ plain: [UInt8]) -> (entries: [UInt8], count: Int, indices: [UInt32])? {
    var lookup: [ArraySlice<UInt8>: UInt32] = [:]
    var entries: [UInt8] = []
    var indices: [UInt32] = []
    var p = 0
    while p < plain.count {
      let n = Int(plain[p]) | Int(plain[p + 1]) << 8 | Int(plain[p + 2]) << 16 | Int(plain[p + 3]) << 24
      let value = plain[(p + 4)..<(p + 4 + n)]
      if let k = lookup[value] {
        indices.append(k)
      } else {
        let k = UInt32(lookup.count)
        lookup[value] = k
        entries.append(contentsOf: plain[p..<(p + 4 + n)])
        indices.append(k)
        if lookup.count > 65_536 { return nil }
      }
      p += 4 + n
    }
    // Worth it when values repeat: at most one distinct value in four.
    guard !indices.isEmpty, lookup.count * 4 <= indices.count else { return nil }
    return (entries, lookup.count, indices)
  }

  /// Dictionary indices as one bit-packed run of the RLE/bit-packed hybrid, after the bit width.
  static func encodeIndices(_ indices: [UInt32], distinct: Int, into out: inout [UInt8]) {
    var width = 0
    while (1 << width) < distinct { width += 1 }
    out.append(UInt8(width))
    if width == 0 {  // a single distinct value: one RLE run of index 0
      var run = UInt64(indices.count) << 1
      while run >= 0x80 {
        out.append(UInt8(run & 0x7f) | 0x80)
        run >>= 7
      }
      out.append(UInt8(run))
      return
    }
    let groups = (indices.count + 7) / 8
    var header = UInt64(groups) << 1 | 1
    while header >= 0x80 {
      out.append(UInt8(header & 0x7f) | 0x80)
      header >>= 7
    }
    out.append(UInt8(header))
    var acc: UInt64 = 0
    var bits = 0
    for g in 0..<(groups * 8) {
      acc |= UInt64(g < indices.count ? indices[g] : 0) << UInt64(bits)
      bits += width
      while bits >= 8 {
        out.append(UInt8(acc & 0xff))
        acc >>= 8
        bits -= 8
      }
    }
    if bits > 0 { out.append(UInt8(acc & 0xff)) }
  }

  private func writePage(type: Int32, header build: (inout ThriftCompactWriter) -> Void, page: [UInt8]) throws(DecoyError)
    -> (offset: Int64, compressed: Int64, uncompressed: Int64)
  {
    let body = codec == .gzip ? try ParquetWriter.gzip(page) : page
    var h = ThriftCompactWriter()
    h.i32(1, type)
    h.i32(2, Int32(page.count))
    h.i32(3, Int32(body.count))
    build(&h)
    h.endStruct()
    let start = offset
    try emit(h.bytes)
    try emit(body)
    return (start, Int64(h.bytes.count + body.count), Int64(h.bytes.count + page.count))
  }

  private func flushGroup() throws(DecoyError) {
    guard groupRows > 0 else { return }
    var chunks: [Chunk] = []
    for ci in types.indices {
      var levels: [UInt8] = []
      ParquetWriter.encodeLevels(defs[ci], into: &levels)
      var page: [UInt8] = []
      ParquetWriter.le32(UInt32(levels.count), &page)
      page.append(contentsOf: levels)
      var dictionaryPage: (offset: Int64, compressed: Int64, uncompressed: Int64)?
      var encoding: Int32 = 0  // PLAIN
      if case .bool = types[ci] {
        var byte: UInt8 = 0
        for (i, v) in bools[ci].enumerated() {
          if v { byte |= 1 << UInt8(i % 8) }
          if i % 8 == 7 {
            page.append(byte)
            byte = 0
          }
        }
        if bools[ci].count % 8 != 0 { page.append(byte) }
      } else if case .string = types[ci], let dict = ParquetWriter.dictionary(values[ci]) {
        let rows = Int32(dict.count)
        dictionaryPage = try writePage(type: 2, header: { h in
          h.beginStruct(7)  // DictionaryPageHeader
          h.i32(1, rows)
          h.i32(2, 0)  // PLAIN entries
          h.endStruct()
        }, page: dict.entries)
        ParquetWriter.encodeIndices(dict.indices, distinct: dict.count, into: &page)
        encoding = 8  // RLE_DICTIONARY
      } else {
        page.append(contentsOf: values[ci])
      }
      let rows = Int32(groupRows)
      let data = try writePage(type: 0, header: { h in
        h.beginStruct(5)  // DataPageHeader
        h.i32(1, rows)
        h.i32(2, encoding)
        h.i32(3, 3)  // RLE definition levels
        h.i32(4, 3)  // RLE repetition levels
        h.endStruct()
      }, page: page)
      chunks.append(Chunk(offset: data.offset, compressed: data.compressed + (dictionaryPage?.compressed ?? 0),
        uncompressed: data.uncompressed + (dictionaryPage?.uncompressed ?? 0), values: Int64(groupRows),
        dictionaryOffset: dictionaryPage?.offset))
      values[ci].removeAll(keepingCapacity: true)
      defs[ci].removeAll(keepingCapacity: true)
      bools[ci].removeAll(keepingCapacity: true)
    }
    groups.append((Int64(groupRows), chunks))
    totalRows += Int64(groupRows)
    groupRows = 0
  }

  static func gzip(_ input: [UInt8]) throws(DecoyError) -> [UInt8] {
    var stream = z_stream()
    guard deflateInit2_(&stream, 1, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
      throw .io(path: "parquet", reason: "zlib initialisation failed", hint: nil)
    }
    defer { deflateEnd(&stream) }
    var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 32)
    var src = input
    let produced: Int = src.withUnsafeMutableBufferPointer { inBuf in
      out.withUnsafeMutableBufferPointer { outBuf in
        stream.next_in = inBuf.baseAddress
        stream.avail_in = uInt(inBuf.count)
        stream.next_out = outBuf.baseAddress
        stream.avail_out = uInt(outBuf.count)
        let rc = deflate(&stream, Z_FINISH)
        return rc == Z_STREAM_END ? outBuf.count - Int(stream.avail_out) : -1
      }
    }
    guard produced >= 0 else { throw .io(path: "parquet", reason: "gzip compression failed", hint: nil) }
    return Array(out[0..<produced])
  }

  /// (physical type, converted type, logical type writer) of a value type.
  private func physical(_ t: ValueType) -> Int32 {
    switch t {
    case .bool: 0
    case .date: 1
    case .int, .decimal, .timestamp: 2
    case .double: 5
    case .string: 6
    }
  }

  public func finish(_ layout: TableLayout) throws(DecoyError) {
    try flushGroup()
    var m = ThriftCompactWriter()
    m.i32(1, 1)  // version
    m.listHeader(2, count: types.count + 1, element: .structure)
    m.beginListStruct()
    m.string(4, "schema")
    m.i32(5, Int32(types.count))
    m.endStruct()
    for (name, t) in zip(names, types) {
      m.beginListStruct()
      m.i32(1, physical(t))
      m.i32(3, 1)  // OPTIONAL
      m.string(4, name)
      switch t {
      case .string:
        m.i32(6, 0)  // UTF8
        m.beginStruct(10); m.beginStruct(1); m.endStruct(); m.endStruct()
      case .date:
        m.i32(6, 6)
        m.beginStruct(10); m.beginStruct(6); m.endStruct(); m.endStruct()
      case .timestamp:
        m.i32(6, 10)  // TIMESTAMP_MICROS
        m.beginStruct(10); m.beginStruct(8); m.bool(1, true); m.beginStruct(2); m.beginStruct(2); m.endStruct(); m.endStruct(); m.endStruct(); m.endStruct()
      case .decimal(let s):
        m.i32(6, 5)
        m.i32(7, Int32(s))
        m.i32(8, 18)
        m.beginStruct(10); m.beginStruct(5); m.i32(1, Int32(s)); m.i32(2, 18); m.endStruct(); m.endStruct()
      default: break
      }
      m.endStruct()
    }
    m.i64(3, totalRows)
    m.listHeader(4, count: groups.count, element: .structure)
    for g in groups {
      m.beginListStruct()
      m.listHeader(1, count: g.chunks.count, element: .structure)
      for (ci, c) in g.chunks.enumerated() {
        m.beginListStruct()
        m.i64(2, c.dictionaryOffset ?? c.offset)
        m.beginStruct(3)
        m.i32(1, physical(types[ci]))
        m.listHeader(2, count: c.dictionaryOffset == nil ? 2 : 3, element: .i32)
        m.listI32(0)
        m.listI32(3)
        if c.dictionaryOffset != nil { m.listI32(8) }
        m.listHeader(3, count: 1, element: .binary)
        m.listString(names[ci])
        m.i32(4, codec.rawValue)
        m.i64(5, c.values)
        m.i64(6, c.uncompressed)
        m.i64(7, c.compressed)
        m.i64(9, c.offset)
        if let d = c.dictionaryOffset { m.i64(11, d) }
        m.endStruct()
        m.endStruct()
      }
      m.i64(2, g.chunks.reduce(0) { $0 + $1.uncompressed })
      m.i64(3, g.rows)
      m.endStruct()
    }
    m.string(6, "decoy \(layout.name)")
    m.endStruct()
    var tail = m.bytes
    ParquetWriter.le32(UInt32(m.bytes.count), &tail)
    tail.append(contentsOf: "PAR1".utf8)
    try emit(tail)
  }

  public func commit() throws(DecoyError) { try sink.commit() }
  public func abort() { sink.abort() }
}
