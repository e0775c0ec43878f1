import CDecoyKernels
public import DecoyCore
import Foundation

/// An RFC 4180 CSV reader that is fast on the common file (no CRs, no line feeds inside quotes):
/// it reads a few MiB at a time, cut at the last line feed, and lists the offset of every comma and
/// line feed outside quotes with a SIMD scan. A record is then a line; in a line without quotes a
/// field is the text between two structurals and the whole line can be copied as is, and a line
/// with quotes is split by the rules of ``CSVReader``. At the first chunk with a CR, a line feed
/// inside quotes, or quotes the two rules read differently, it hands the rest of the file over to
/// ``CSVReader`` (``handedOver``), so callers see one stream of records either way. A final line
/// without a line feed gets one; a UTF-8 byte-order mark is skipped. Memory is the chunk and its
/// index, whatever the file size.
///
/// A reader can also read one block of a file (``restart(range:)``, ranges from ``CSVBlocks``) so
/// that blocks are read on several cores. A block does not hand over: where the whole-file reader
/// would, it stops and reports ``incomplete``, and the caller reads the file from the start instead.
public final class FastCSVReader {
  public let path: String
  private let fd: Int32
  private var buffer: UnsafeMutableBufferPointer<UInt8>
  private var index: UnsafeMutableBufferPointer<UInt32>
  /// The file offset of `buffer[0]`.
  private var bufferOffset = 0
  /// The file offset of the current chunk's first byte.
  private var chunkOffset = 0
  /// The unread tail of the buffer (a partial line), moved to the front before the next fill.
  private var tail = 0..<0
  private var eof = false
  private var first = true
  /// Records delivered so far; each was one line.
  private var records = 0
  private var parser = LineParser()
  /// Where the current chunk's unread records start.
  private var pending:
    (bytes: UnsafeBufferPointer<UInt8>, structurals: UnsafeBufferPointer<UInt32>, position: Int, lineStart: Int)?
  /// Where the full reader takes over (file offset of the first record not delivered), once known.
  private var handOverOffset: Int?
  private var fallback: CSVReader?
  /// The file offset where reading stops (the end of the block, or of the file).
  private var end = Int.max
  /// Reading one block (``restart(range:)``): no hand-over.
  private var blockMode = false
  /// Whether the rest of the file is read by ``CSVReader``.
  public var handedOver: Bool { handOverOffset != nil && !blockMode }
  /// Whether a block read stopped where the whole-file reader would have handed over: its records
  /// are then not to be trusted, since the block may start inside quotes.
  public var incomplete: Bool { blockMode && handOverOffset != nil }

  public init(path: String, chunkBytes: Int = 2 << 20) throws(DecoyError) {
    self.path = path
    fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
      throw .io(path: path, reason: "cannot open: \(String(cString: strerror(errno)))", hint: "check the path")
    }
    buffer = .allocate(capacity: chunkBytes + 1)
    index = .allocate(capacity: chunkBytes + 1 + 8)
  }

  /// Reads the records of `range` only (a block of whole lines from ``CSVBlocks``), numbering
  /// them from 1; the buffers are kept, so one reader serves many blocks.
  public func restart(range: Range<Int>) throws(DecoyError) {
    guard lseek(fd, off_t(range.lowerBound), SEEK_SET) >= 0 else {
      throw .io(path: path, reason: "seek failed: \(String(cString: strerror(errno)))", hint: nil)
    }
    (bufferOffset, chunkOffset, tail, eof, first, records) = (
      range.lowerBound, range.lowerBound, 0..<0, false, range.lowerBound == 0, 0
    )
    (pending, handOverOffset, fallback, end, blockMode) = (nil, nil, nil, range.upperBound, true)
  }

  /// The integers in fields `a` and `b` of every line of `range` (a block of whole lines from
  /// ``CSVBlocks``, after the header), taken straight from the bytes without splitting the lines
  /// into fields. Nil when a line needs the full reader (a CR, quotes other than around whole
  /// fields, a line feed inside quotes, a wrong field count, an id that is quoted or not an
  /// integer): read the block with ``restart(range:)`` then, which finds or reports what it is.
  public func integers(in range: Range<Int>, fields: Int, _ a: Int, _ b: Int) throws(DecoyError) -> (
    a: [Int64], b: [Int64]
  )? {
    let n = range.count
    guard range.lowerBound > 0, n > 0 else { return nil }
    if buffer.count < n + 1 {
      buffer.deallocate()
      buffer = .allocate(capacity: n + 1)
      index.deallocate()
      index = .allocate(capacity: n + 1 + 8)
    }
    var done = 0
    while done < n {
      let got = pread(fd, buffer.baseAddress! + done, n - done, off_t(range.lowerBound + done))
      if got < 0 {
        if errno == EINTR { continue }
        throw .io(path: path, reason: "read failed: \(String(cString: strerror(errno)))", hint: nil)
      }
      if got == 0 { return nil }  // the file is shorter than when it was split: the full reader says so
      done += got
    }
    // Every line has at least fields - 1 commas and a line feed.
    let capacity = n / fields + 1
    var lines = -1
    var second: [Int64] = []
    let first = [Int64](unsafeUninitializedCapacity: capacity) { outA, countA in
      second = [Int64](unsafeUninitializedCapacity: capacity) { outB, countB in
        lines = decoy_csv_block_ids(buffer.baseAddress, n, fields, a, b, outA.baseAddress, outB.baseAddress)
        countB = max(0, lines)
      }
      countA = max(0, lines)
    }
    return lines < 0 ? nil : (first, second)
  }

  /// The file offset of the first record not yet delivered; nil once ``CSVReader`` reads the file.
  public var nextRecordOffset: Int? {
    if handOverOffset != nil { return nil }
    if let pending { return chunkOffset + pending.lineStart }
    return bufferOffset + tail.lowerBound
  }

  deinit {
    close(fd)
    buffer.deallocate()
    index.deallocate()
  }

  /// One record, valid during the callback: fields indexed in the chunk (lines whose quotes are only
  /// whole-field quotes around text without quotes), or unescaped into a buffer (other lines with
  /// quotes, and every record after a hand-over).
  public struct Record {
    /// The record's line without its line feed when it is exactly what ``CSVField`` would write for
    /// its fields (no quotes, or quotes only around fields that need them): then it can be copied
    /// as is, and ``rawField(_:)`` cuts it.
    public let line: UnsafeBufferPointer<UInt8>?
    /// The line the record starts on (the header is line 1).
    public let number: Int
    /// How many fields the record has.
    public let count: Int
    fileprivate var bytes = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    fileprivate var structurals = UnsafeBufferPointer<UInt32>(start: nil, count: 0)
    fileprivate var base = 0
    fileprivate var start = 0
    /// Fields are in ``ranges`` of ``bytes`` (unescaped), not between structurals.
    fileprivate var split = false
    /// Fields between structurals may be wrapped in quotes (with no quote inside).
    fileprivate var quotes = false
    fileprivate var ranges = UnsafeBufferPointer<Range<Int>>(start: nil, count: 0)
    fileprivate var quotedFields = UnsafeBufferPointer<Bool>(start: nil, count: 0)

    /// Field `c`'s bytes, unescaped.
    @inline(__always)
    public func field(_ c: Int) -> UnsafeBufferPointer<UInt8> {
      if split { return UnsafeBufferPointer(rebasing: bytes[ranges[c]]) }
      let f = rawField(c)
      if quotes && f.count >= 2 && f[0] == 34 { return UnsafeBufferPointer(rebasing: f[1..<(f.count - 1)]) }
      return f
    }

    /// Field `c` as it is written in the line, quotes included (records with a ``line``).
    @inline(__always)
    public func rawField(_ c: Int) -> UnsafeBufferPointer<UInt8> {
      let a = c == 0 ? start : Int(structurals[base + c - 1]) + 1
      return UnsafeBufferPointer(rebasing: bytes[a..<Int(structurals[base + c] & 0x7fff_ffff)])
    }

    /// Whether field `c` was quoted.
    @inline(__always)
    public func quoted(_ c: Int) -> Bool {
      if split { return quotedFields[c] }
      return quotes && rawField(c).first == 34
    }
  }

  /// The header line's fields; nil for an empty file.
  public func header() throws(DecoyError) -> [String]? {
    var fields: [String]?
    try forEachRecord(columns: nil, limit: 1) { (r: Record) in
      fields = (0..<r.count).map { String(decoding: r.field($0), as: UTF8.self) }
      return true
    }
    return fields
  }

  /// Calls `body` with every remaining record, which must have `columns` fields (else a clear
  /// error naming the line), until it returns false.
  public func forEachRecord(columns: Int, _ body: (Record) throws(DecoyError) -> Bool) throws(DecoyError) {
    try forEachRecord(columns: columns, limit: .max, body)
  }

  /// The error for a record with the wrong number of fields.
  static func fieldCountError(path: String, line: Int, found: Int, expected: Int) -> DecoyError {
    .input(
      file: path, line: line, column: nil, reason: "\(found) fields, but the header has \(expected)",
      hint: "check quoting on this line")
  }

  private func forEachRecord(columns: Int?, limit: Int, _ body: (Record) throws(DecoyError) -> Bool) throws(DecoyError)
  {
    var done = 0
    var more = true
    // Class properties are copied into locals for the loop: each access to a stored property of a
    // class pays a dynamic exclusivity check.
    var records = self.records
    var parser = LineParser()
    swap(&parser, &self.parser)
    defer {
      self.records = records
      swap(&parser, &self.parser)
    }
    while done < limit && more {
      if let reader = fallback {
        guard try reader.next() else { return }
        done += 1
        if let cols = columns, reader.fields.count != cols {
          throw FastCSVReader.fieldCountError(path: path, line: reader.line, found: reader.fields.count, expected: cols)
        }
        more = try reader.bytes.withUnsafeBufferPointer { b throws(DecoyError) in
          try reader.fields.withUnsafeBufferPointer { f throws(DecoyError) in
            try reader.quoted.withUnsafeBufferPointer { q throws(DecoyError) in
              try body(
                Record(
                  line: nil, number: reader.line, count: f.count, bytes: b, split: true, ranges: f, quotedFields: q))
            }
          }
        }
        continue
      }
      if pending == nil {
        pending = try next().map { (bytes: $0.bytes, structurals: $0.structurals, position: 0, lineStart: 0) }
      }
      guard let (bytes, st, position, lineStart) = pending else {
        if let offset = handOverOffset, !blockMode {
          fallback = try CSVReader(path: path, offset: offset, line: records + 1)
          continue
        }
        return
      }
      var s = position
      var start = lineStart
      while s < st.count && done < limit && more {
        // Common case: columns − 1 commas, then an unflagged line feed.
        if let cols = columns, s + cols - 1 < st.count {
          let lf = Int(st[s + cols - 1])
          if lf & 0x8000_0000 == 0 && bytes[lf] == 10 {
            var ok = true
            for k in s..<(s + cols - 1) where bytes[Int(st[k])] == 10 {
              ok = false
              break
            }
            if ok {
              records += 1
              done += 1
              more = try body(
                Record(
                  line: UnsafeBufferPointer(rebasing: bytes[start..<lf]), number: records, count: cols, bytes: bytes,
                  structurals: st, base: s, start: start))
              start = lf + 1
              s += cols
              continue
            }
          }
        }
        // Find the line feed; split the line when it holds quotes.
        var k = s
        while bytes[Int(st[k] & 0x7fff_ffff)] != 10 { k += 1 }
        let lfEntry = st[k]
        let lf = Int(lfEntry & 0x7fff_ffff)
        let line = UnsafeBufferPointer(rebasing: bytes[start..<lf])
        let hasQuotes = lfEntry & 0x8000_0000 != 0
        // A line whose quotes only wrap whole fields (no quote inside) is read between the
        // structurals like a line without quotes (canonical: given whole as `line`); others
        // (nil) are split by CSVReader's rules.
        let canonical = hasQuotes ? FastCSVReader.wrappedFields(bytes, st, from: s, to: k, start: start) : true
        let quotedLine = canonical == nil
        if quotedLine && !parser.parse(line) {
          // The scan and CSVReader's rules read this line's quotes differently: CSVReader from here.
          handOverOffset = chunkOffset + start
          pending = nil
          break
        }
        records += 1
        done += 1
        let count = quotedLine ? parser.quoted.count : k - s + 1
        if let cols = columns, count != cols {
          throw FastCSVReader.fieldCountError(path: path, line: records, found: count, expected: cols)
        }
        if quotedLine {
          more = try parser.bytes.withUnsafeBufferPointer { p throws(DecoyError) in
            try parser.ranges.withUnsafeBufferPointer { r throws(DecoyError) in
              try parser.quoted.withUnsafeBufferPointer { q throws(DecoyError) in
                try body(
                  Record(line: nil, number: records, count: count, bytes: p, split: true, ranges: r, quotedFields: q))
              }
            }
          }
        } else {
          more = try body(
            Record(
              line: canonical == true ? line : nil, number: records, count: count, bytes: bytes, structurals: st,
              base: s, start: start, quotes: hasQuotes))
        }
        start = lf + 1
        s = k + 1
      }
      if handOverOffset == nil { pending = s < st.count ? (bytes, st, s, start) : nil }
    }
  }

  /// A line with quotes (fields between the structurals `st[from...to]`, the line starting at
  /// `start`) in which every field is either free of quotes or wrapped whole in quotes with none
  /// inside: whether it is canonical (every quoted field empty or holding a comma, which is when
  /// ``CSVField`` quotes). Nil for any other line (doubled quotes, a quote inside a field).
  @inline(__always)
  static func wrappedFields(
    _ bytes: UnsafeBufferPointer<UInt8>, _ st: UnsafeBufferPointer<UInt32>, from: Int, to: Int, start: Int
  ) -> Bool? {
    let p = bytes.baseAddress!
    let lineEnd = Int(st[to] & 0x7fff_ffff)
    // The next quote at or after `i`, or the line's end.
    func quote(_ i: Int) -> Int {
      guard i < lineEnd, let q = memchr(p + i, 34, lineEnd - i) else { return lineEnd }
      return UnsafeRawPointer(q) - UnsafeRawPointer(p)
    }
    var canonical = true
    var q = quote(start)
    var a = start
    for k in from...to {
      let b = Int(st[k] & 0x7fff_ffff)
      if q < b {
        // The field must be wrapped: quotes at a and b − 1 only.
        guard q == a, b - a >= 2, p[b - 1] == 34 else { return nil }
        let close = quote(a + 1)
        guard close == b - 1 else { return nil }
        if b - a > 2 && memchr(p + a + 1, 44, b - a - 2) == nil { canonical = false }
        q = quote(b)
      }
      a = b + 1
    }
    return canonical
  }

  /// The next chunk of whole lines, each ending in a line feed, and the offsets of its commas and
  /// line feeds in order; nil at the end of the file or at a hand-over.
  private func next() throws(DecoyError) -> (
    bytes: UnsafeBufferPointer<UInt8>, structurals: UnsafeBufferPointer<UInt32>
  )? {
    if handedOver { return nil }
    var filled = tail.count
    if filled > 0 {
      memmove(buffer.baseAddress!, buffer.baseAddress! + tail.lowerBound, filled)
    }
    bufferOffset += tail.lowerBound
    tail = 0..<0
    // Fill the buffer; grow it when one line is longer than the buffer.
    while true {
      while !eof && filled < buffer.count - 1 {
        let want = min(buffer.count - 1 - filled, end - (bufferOffset + filled))
        if want <= 0 {
          eof = true
          break
        }
        let n = read(fd, buffer.baseAddress! + filled, want)
        if n < 0 {
          if errno == EINTR { continue }
          throw .io(path: path, reason: "read failed: \(String(cString: strerror(errno)))", hint: nil)
        }
        if n == 0 { eof = true } else { filled += n }
      }
      if filled == 0 { return nil }
      let lf = decoy_last_index_of(buffer.baseAddress!, filled, 10)
      if lf >= 0 {
        return chunk(upTo: lf + 1, filled: filled)
      }
      if eof {
        buffer[filled] = 10  // the room kept for this
        return chunk(upTo: filled + 1, filled: filled)
      }
      let bigger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 2 * buffer.count)
      _ = bigger.initialize(fromContentsOf: buffer)
      buffer.deallocate()
      buffer = bigger
      index.deallocate()
      index = .allocate(capacity: bigger.count + 8)
    }
  }

  private func chunk(upTo end: Int, filled: Int) -> (
    bytes: UnsafeBufferPointer<UInt8>, structurals: UnsafeBufferPointer<UInt32>
  )? {
    var start = 0
    if first {
      first = false
      if end >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { start = 3 }
    }
    chunkOffset = bufferOffset + start
    let bytes = UnsafeBufferPointer(rebasing: buffer[start..<end])
    var special: Int32 = 0
    let count = decoy_csv_structurals(bytes.baseAddress, bytes.count, index.baseAddress, &special)
    if special != 0 {
      handOverOffset = chunkOffset
      return nil
    }
    tail = min(end, filled)..<filled
    return (bytes, UnsafeBufferPointer(rebasing: index[0..<count]))
  }
}

/// One line with quotes, split into unescaped fields (``FastCSVReader``'s slow path). Runs of
/// ordinary bytes are copied at once; the buffers are reused from line to line.
struct LineParser {
  /// The fields' unescaped bytes, back to back.
  var bytes: [UInt8] = []
  /// Each field's range in ``bytes``.
  var ranges: [Range<Int>] = []
  /// Whether each field was quoted.
  var quoted: [Bool] = []

  /// Splits one line by the rules of ``CSVReader`` (a quote opens only at a field's start; `""` is a
  /// quote inside quotes); false when the line ends inside quotes.
  mutating func parse(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
    ranges.removeAll(keepingCapacity: true)
    quoted.removeAll(keepingCapacity: true)
    if bytes.count < line.count { bytes = [UInt8](repeating: 0, count: max(line.count, 2 * bytes.count)) }
    var fieldStart = 0
    var n = 0
    var inQuotes = false
    var wasQuoted = false
    let end = line.count
    bytes.withUnsafeMutableBufferPointer { out in
      let o = out.baseAddress!
      var i = 0
      while true {
        // At a field's start.
        if i < end && line[i] == 34 {
          inQuotes = true
          wasQuoted = true
          i += 1
          while i < end {
            let b = line[i]
            i += 1
            if b == 34 {
              if i < end && line[i] == 34 {
                o[n] = 34
                n += 1
                i += 1
              } else {
                inQuotes = false
                break
              }
            } else {
              o[n] = b
              n += 1
            }
          }
        }
        // Unquoted bytes (or what follows a closing quote) up to the comma.
        while i < end && line[i] != 44 {
          o[n] = line[i]
          n += 1
          i += 1
        }
        ranges.append(fieldStart..<n)
        quoted.append(wasQuoted)
        if i >= end || inQuotes { break }
        i += 1  // the comma
        fieldStart = n
        wasQuoted = false
      }
    }
    return !inQuotes
  }
}
