import CZlib
public import DecoyCore

/// A Parquet file writer (format version 1): every column OPTIONAL, PLAIN encoding — or, for
/// string chunks whose values repeat, a dictionary page and RLE_DICTIONARY indices — definition
/// levels as RLE runs, one data page per column chunk, row groups of ``rowGroupRows`` rows cut at
/// fixed global row numbers (so files do not depend on batch size), Snappy, GZIP or no compression, and
/// logical types for strings, dates, timestamps (µs, UTC) and decimals (INT64, precision 18).
public final class ParquetWriter: BatchWriter {
  /// Page compression (Parquet's CompressionCodec numbers).
  public enum Codec: Int32, Sendable, CaseIterable {
    case uncompressed = 0
    case snappy = 1
    case gzip = 2

    /// The name used on the command line.
    public var name: String {
      switch self {
      case .uncompressed: "none"
      case .snappy: "snappy"
      case .gzip: "gzip"
      }
    }

    /// Parses a `--compression` value.
    public static func parse(_ s: String) throws(DecoyError) -> Codec {
      guard let c = allCases.first(where: { $0.name == s.lowercased() }) else {
        throw .usage(
          "unknown Parquet compression '\(s)'", hint: "use one of: " + allCases.map(\.name).joined(separator: ", "))
      }
      return c
    }
  }

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
  private var chunks: [ParquetColumnChunk] = []
  private var page: [UInt8] = []
  private var compressed: [UInt8] = []
  private var snappy = SnappyCompressor()
  private var groupRows = 0
  private var totalRows: Int64 = 0
  private var groups: [(rows: Int64, chunks: [Chunk])] = []

  /// A writer with `codec` page compression and row groups of `rowGroupRows` rows.
  public init(sink: any ByteSink, codec: Codec = .snappy, rowGroupRows: Int = 131_072) {
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
    chunks = types.map { ParquetColumnChunk(type: $0) }
    try emit(Array("PAR1".utf8))
  }

  @inline(__always)
  static func le32(_ v: UInt32, _ a: inout [UInt8]) { withUnsafeBytes(of: v.littleEndian) { a.append(contentsOf: $0) } }

  public func write(_ layout: TableLayout, columns: [ColumnBuffer], rows: Range<UInt64>) throws(DecoyError) {
    var k = 0
    let n = rows.count
    while k < n {
      let take = min(n - k, rowGroupRows - groupRows)
      for ci in columns.indices { chunks[ci].append(columns[ci], k..<(k + take)) }
      groupRows += take
      k += take
      if groupRows == rowGroupRows { try flushGroup() }
    }
  }

  /// Compresses `page` and writes it after its header; returns where it went and its sizes.
  private func writePage(type: Int32, header build: (inout ThriftCompactWriter) -> Void) throws(DecoyError)
    -> (offset: Int64, compressed: Int64, uncompressed: Int64)
  {
    let body: [UInt8]
    switch codec {
    case .uncompressed: body = page
    case .snappy:
      page.withUnsafeBytes { snappy.compress($0, into: &compressed) }
      body = compressed
    case .gzip: body = try ParquetWriter.gzip(page)
    }
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
    var written: [Chunk] = []
    for ci in types.indices {
      var dictionaryPage: (offset: Int64, compressed: Int64, uncompressed: Int64)?
      let useDictionary = chunks[ci].usesDictionary
      if useDictionary {
        let entries = Int32(chunks[ci].dictionary.count)
        page.removeAll(keepingCapacity: true)
        page.append(contentsOf: chunks[ci].dictionary.entries)
        dictionaryPage = try writePage(type: 2) { h in
          h.beginStruct(7)  // DictionaryPageHeader
          h.i32(1, entries)
          h.i32(2, 0)  // PLAIN entries
          h.endStruct()
        }
      }
      chunks[ci].dataPage(into: &page)
      let rows = Int32(groupRows)
      let data = try writePage(type: 0) { h in
        h.beginStruct(5)  // DataPageHeader
        h.i32(1, rows)
        h.i32(2, useDictionary ? 8 : 0)  // RLE_DICTIONARY or PLAIN
        h.i32(3, 3)  // RLE definition levels
        h.i32(4, 3)  // RLE repetition levels
        h.endStruct()
      }
      written.append(
        Chunk(
          offset: data.offset, compressed: data.compressed + (dictionaryPage?.compressed ?? 0),
          uncompressed: data.uncompressed + (dictionaryPage?.uncompressed ?? 0), values: Int64(groupRows),
          dictionaryOffset: dictionaryPage?.offset))
      chunks[ci].reset()
    }
    groups.append((Int64(groupRows), written))
    totalRows += Int64(groupRows)
    groupRows = 0
  }

  static func gzip(_ input: [UInt8]) throws(DecoyError) -> [UInt8] {
    var stream = z_stream()
    guard
      deflateInit2_(&stream, 1, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        == Z_OK
    else {
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
        m.beginStruct(10)
        m.beginStruct(1)
        m.endStruct()
        m.endStruct()
      case .date:
        m.i32(6, 6)
        m.beginStruct(10)
        m.beginStruct(6)
        m.endStruct()
        m.endStruct()
      case .timestamp:
        m.i32(6, 10)  // TIMESTAMP_MICROS
        m.beginStruct(10)
        m.beginStruct(8)
        m.bool(1, true)
        m.beginStruct(2)
        m.beginStruct(2)
        m.endStruct()
        m.endStruct()
        m.endStruct()
        m.endStruct()
      case .decimal(let s):
        m.i32(6, 5)
        m.i32(7, Int32(s))
        m.i32(8, 18)
        m.beginStruct(10)
        m.beginStruct(5)
        m.i32(1, Int32(s))
        m.i32(2, 18)
        m.endStruct()
        m.endStruct()
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
