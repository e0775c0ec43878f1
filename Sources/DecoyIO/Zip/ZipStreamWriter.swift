import CZlib
public import DecoyCore

/// A single-pass ZIP writer over a ``ByteSink``: each entry is deflated (zlib, raw, level 1) as it
/// is written and followed by a data descriptor, so nothing needs to be known in advance and no
/// temporary file is used. Timestamps are fixed (1980-01-01) so archives are reproducible.
///
/// Archives past the classic limits switch to ZIP64 where needed, as Go's archive/zip does for
/// streamed entries: an entry over 4 GiB gets a data descriptor with 8-byte sizes, and the central
/// directory gets ZIP64 extra fields for sizes and offsets past 4 GiB, plus the ZIP64 end records
/// when the directory itself lies past 4 GiB or holds more than 65,535 entries.
public final class ZipStreamWriter {
  struct Entry {
    var name: [UInt8]
    var offset: UInt64
    var crc: UInt32 = 0
    var compressed: UInt64 = 0
    var uncompressed: UInt64 = 0
  }

  private let sink: any ByteSink
  private var offset: UInt64 = 0
  private var entries: [Entry] = []
  private var stream = z_stream()
  private var open = false
  private var out = [UInt8](repeating: 0, count: 1 << 18)
  private let level: Int32
  /// Largest value a classic 4-byte field holds; lowered by tests to exercise ZIP64 on small archives.
  let limit32: UInt64
  /// Largest entry count of the classic end record; lowered by tests.
  let limit16: Int

  public convenience init(sink: any ByteSink, level: Int32 = 1) {
    self.init(sink: sink, level: level, limit32: UInt64(UInt32.max), limit16: Int(UInt16.max))
  }

  init(sink: any ByteSink, level: Int32, limit32: UInt64, limit16: Int) {
    self.sink = sink
    self.level = level
    self.limit32 = limit32
    self.limit16 = limit16
  }

  private func emit(_ bytes: [UInt8]) throws(DecoyError) {
    try sink.write(bytes)
    offset += UInt64(bytes.count)
  }

  private static func le16(_ v: UInt16, _ a: inout [UInt8]) {
    a.append(UInt8(v & 0xff))
    a.append(UInt8(v >> 8))
  }
  private static func le32(_ v: UInt32, _ a: inout [UInt8]) {
    for k in 0..<4 { a.append(UInt8((v >> (8 * UInt32(k))) & 0xff)) }
  }
  private static func le64(_ v: UInt64, _ a: inout [UInt8]) {
    for k in 0..<8 { a.append(UInt8((v >> (8 * UInt64(k))) & 0xff)) }
  }

  /// Starts a new entry (closing the previous one).
  public func begin(_ name: String) throws(DecoyError) {
    if open { try end() }
    let n = Array(name.utf8)
    entries.append(Entry(name: n, offset: offset))
    var h: [UInt8] = []
    ZipStreamWriter.le32(0x0403_4b50, &h)
    ZipStreamWriter.le16(20, &h)  // version needed
    ZipStreamWriter.le16(0x0808, &h)  // data descriptor + UTF-8 names
    ZipStreamWriter.le16(8, &h)  // deflate
    ZipStreamWriter.le16(0, &h)  // time 00:00
    ZipStreamWriter.le16(0x21, &h)  // date 1980-01-01
    for _ in 0..<3 { ZipStreamWriter.le32(0, &h) }  // crc, sizes: in the descriptor
    ZipStreamWriter.le16(UInt16(n.count), &h)
    ZipStreamWriter.le16(0, &h)
    h.append(contentsOf: n)
    try emit(h)
    stream = z_stream()
    let rc = deflateInit2_(
      &stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    guard rc == Z_OK else { throw .io(path: name, reason: "zlib deflateInit failed (\(rc))", hint: nil) }
    open = true
  }

  /// Appends uncompressed bytes to the current entry.
  public func write(_ bytes: [UInt8]) throws(DecoyError) {
    guard !bytes.isEmpty else { return }
    var e = entries[entries.count - 1]
    e.crc = bytes.withUnsafeBufferPointer { UInt32(crc32(uLong(e.crc), $0.baseAddress, uInt($0.count))) }
    e.uncompressed += UInt64(bytes.count)
    entries[entries.count - 1] = e
    try deflate(bytes, flush: Z_NO_FLUSH)
  }

  private func deflate(_ bytes: [UInt8], flush: Int32) throws(DecoyError) {
    var input = bytes
    var failure: Int32?
    var produced: [[UInt8]] = []
    input.withUnsafeMutableBufferPointer { inBuf in
      stream.next_in = inBuf.baseAddress
      stream.avail_in = uInt(inBuf.count)
      repeat {
        let n = out.withUnsafeMutableBufferPointer { outBuf -> Int in
          stream.next_out = outBuf.baseAddress
          stream.avail_out = uInt(outBuf.count)
          let rc = CZlib.deflate(&stream, flush)
          if rc == Z_STREAM_ERROR { failure = rc }
          return outBuf.count - Int(stream.avail_out)
        }
        if n > 0 { produced.append(Array(out[0..<n])) }
      } while stream.avail_out == 0 && failure == nil
    }
    if let failure { throw .io(path: "zip", reason: "zlib deflate failed (\(failure))", hint: nil) }
    for p in produced {
      try emit(p)
      entries[entries.count - 1].compressed += UInt64(p.count)
    }
  }

  /// Finishes the current entry.
  public func end() throws(DecoyError) {
    guard open else { return }
    try deflate([], flush: Z_FINISH)
    deflateEnd(&stream)
    open = false
    let e = entries[entries.count - 1]
    var d: [UInt8] = []
    ZipStreamWriter.le32(0x0807_4b50, &d)
    ZipStreamWriter.le32(e.crc, &d)
    if e.compressed > limit32 || e.uncompressed > limit32 {
      ZipStreamWriter.le64(e.compressed, &d)
      ZipStreamWriter.le64(e.uncompressed, &d)
    } else {
      ZipStreamWriter.le32(UInt32(truncatingIfNeeded: e.compressed), &d)
      ZipStreamWriter.le32(UInt32(truncatingIfNeeded: e.uncompressed), &d)
    }
    try emit(d)
  }

  /// Writes a whole small entry (an XML part) at once.
  public func entry(_ name: String, _ text: String) throws(DecoyError) {
    try begin(name)
    try write(Array(text.utf8))
    try end()
  }

  /// Writes the central directory; the archive is complete afterwards.
  public func finish() throws(DecoyError) {
    try end()
    let start = offset
    var c: [UInt8] = []
    for e in entries {
      // ZIP64 extra field: the 8-byte values of exactly the fields marked 0xFFFFFFFF, in this order.
      var extra: [UInt8] = []
      if e.uncompressed > limit32 { ZipStreamWriter.le64(e.uncompressed, &extra) }
      if e.compressed > limit32 { ZipStreamWriter.le64(e.compressed, &extra) }
      if e.offset > limit32 { ZipStreamWriter.le64(e.offset, &extra) }
      if !extra.isEmpty {
        var header: [UInt8] = []
        ZipStreamWriter.le16(0x0001, &header)
        ZipStreamWriter.le16(UInt16(extra.count), &header)
        extra = header + extra
      }
      let version: UInt16 = extra.isEmpty ? 20 : 45
      ZipStreamWriter.le32(0x0201_4b50, &c)
      ZipStreamWriter.le16(version, &c)
      ZipStreamWriter.le16(version, &c)
      ZipStreamWriter.le16(0x0808, &c)
      ZipStreamWriter.le16(8, &c)
      ZipStreamWriter.le16(0, &c)
      ZipStreamWriter.le16(0x21, &c)
      ZipStreamWriter.le32(e.crc, &c)
      ZipStreamWriter.le32(e.compressed > limit32 ? UInt32.max : UInt32(e.compressed), &c)
      ZipStreamWriter.le32(e.uncompressed > limit32 ? UInt32.max : UInt32(e.uncompressed), &c)
      ZipStreamWriter.le16(UInt16(e.name.count), &c)
      ZipStreamWriter.le16(UInt16(extra.count), &c)
      for _ in 0..<3 { ZipStreamWriter.le16(0, &c) }  // comment, disk, internal attributes
      ZipStreamWriter.le32(0, &c)  // external attributes
      ZipStreamWriter.le32(e.offset > limit32 ? UInt32.max : UInt32(e.offset), &c)
      c.append(contentsOf: e.name)
      c.append(contentsOf: extra)
    }
    let size = UInt64(c.count)
    let needs64 = entries.count > limit16 || size > limit32 || start > limit32
    if needs64 {
      let record = start + size
      ZipStreamWriter.le32(0x0606_4b50, &c)  // ZIP64 end of central directory record
      ZipStreamWriter.le64(44, &c)  // size of the rest of the record
      ZipStreamWriter.le16(45, &c)
      ZipStreamWriter.le16(45, &c)
      ZipStreamWriter.le32(0, &c)
      ZipStreamWriter.le32(0, &c)
      ZipStreamWriter.le64(UInt64(entries.count), &c)
      ZipStreamWriter.le64(UInt64(entries.count), &c)
      ZipStreamWriter.le64(size, &c)
      ZipStreamWriter.le64(start, &c)
      ZipStreamWriter.le32(0x0706_4b50, &c)  // ZIP64 end of central directory locator
      ZipStreamWriter.le32(0, &c)
      ZipStreamWriter.le64(record, &c)
      ZipStreamWriter.le32(1, &c)
    }
    ZipStreamWriter.le32(0x0605_4b50, &c)
    ZipStreamWriter.le16(0, &c)
    ZipStreamWriter.le16(0, &c)
    let count16 = entries.count > limit16 ? UInt16.max : UInt16(entries.count)
    ZipStreamWriter.le16(count16, &c)
    ZipStreamWriter.le16(count16, &c)
    ZipStreamWriter.le32(size > limit32 ? UInt32.max : UInt32(size), &c)
    ZipStreamWriter.le32(start > limit32 ? UInt32.max : UInt32(start), &c)
    ZipStreamWriter.le16(0, &c)
    try emit(c)
  }
}
