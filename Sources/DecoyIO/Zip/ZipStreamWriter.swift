import CZlib
public import DecoyCore

/// A single-pass ZIP writer over a ``ByteSink``: each entry is deflated (zlib, raw, level 1) as it
/// is written and followed by a data descriptor, so nothing needs to be known in advance and no
/// temporary file is used. Timestamps are fixed (1980-01-01) so archives are reproducible.
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

  public init(sink: any ByteSink, level: Int32 = 1) {
    self.sink = sink
    self.level = level
  }

  private func emit(_ bytes: [UInt8]) throws(DecoyError) {
    try sink.write(bytes)
    offset += UInt64(bytes.count)
  }

  private static func le16(_ v: UInt16, _ a: inout [UInt8]) { a.append(UInt8(v & 0xff)); a.append(UInt8(v >> 8)) }
  private static func le32(_ v: UInt32, _ a: inout [UInt8]) { for k in 0..<4 { a.append(UInt8((v >> (8 * UInt32(k))) & 0xff)) } }

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
    let rc = deflateInit2_(&stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
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
    ZipStreamWriter.le32(UInt32(truncatingIfNeeded: e.compressed), &d)
    ZipStreamWriter.le32(UInt32(truncatingIfNeeded: e.uncompressed), &d)
    try emit(d)
    if e.compressed > UInt64(UInt32.max) || e.uncompressed > UInt64(UInt32.max) {
      throw .io(path: String(decoding: e.name, as: UTF8.self), reason: "entry larger than 4 GiB (ZIP64 is not supported yet)", hint: "split the output into shards")
    }
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
      ZipStreamWriter.le32(0x0201_4b50, &c)
      ZipStreamWriter.le16(20, &c)
      ZipStreamWriter.le16(20, &c)
      ZipStreamWriter.le16(0x0808, &c)
      ZipStreamWriter.le16(8, &c)
      ZipStreamWriter.le16(0, &c)
      ZipStreamWriter.le16(0x21, &c)
      ZipStreamWriter.le32(e.crc, &c)
      ZipStreamWriter.le32(UInt32(truncatingIfNeeded: e.compressed), &c)
      ZipStreamWriter.le32(UInt32(truncatingIfNeeded: e.uncompressed), &c)
      ZipStreamWriter.le16(UInt16(e.name.count), &c)
      for _ in 0..<4 { ZipStreamWriter.le16(0, &c) }  // extra, comment, disk, internal attributes
      ZipStreamWriter.le32(0, &c)  // external attributes
      ZipStreamWriter.le32(UInt32(truncatingIfNeeded: e.offset), &c)
      c.append(contentsOf: e.name)
    }
    ZipStreamWriter.le32(0x0605_4b50, &c)
    ZipStreamWriter.le16(0, &c)
    ZipStreamWriter.le16(0, &c)
    ZipStreamWriter.le16(UInt16(entries.count), &c)
    ZipStreamWriter.le16(UInt16(entries.count), &c)
    ZipStreamWriter.le32(UInt32(c.count), &c)
    // The size above must not include the end record itself: recompute it.
    let cdSize = UInt32(c.count - 16)
    c.removeLast(4)
    ZipStreamWriter.le32(cdSize, &c)
    ZipStreamWriter.le32(UInt32(truncatingIfNeeded: start), &c)
    ZipStreamWriter.le16(0, &c)
    try emit(c)
  }
}
