public import DecoyCore
import Foundation

/// A streaming RFC 4180 reader over a file: reads 1 MiB at a time, splits records byte by byte,
/// unescapes quoted fields into one reusable buffer, and knows the line each record starts on, so
/// errors can name file, line and column. Accepts `\n`, `\r\n` and lone `\r` line ends and an
/// optional UTF-8 byte-order mark. Memory does not grow with the file.
public final class CSVReader {
  public let path: String
  private let fd: Int32
  private var chunk = [UInt8](repeating: 0, count: 1 << 20)
  private var chunkCount = 0
  private var pos = 0
  private var eof = false
  private var physicalLine = 1
  /// Unescaped bytes of the current record's fields.
  public private(set) var bytes: [UInt8] = []
  /// Each field's range in ``bytes``.
  public private(set) var fields: [Range<Int>] = []
  /// Whether each field was quoted (an empty quoted field is an empty string, not a missing value).
  public private(set) var quoted: [Bool] = []
  /// The line the current record starts on (1-based; the header is line 1).
  public private(set) var line = 0
  /// Records read so far, the header included.
  public private(set) var records = 0
  /// The field separator (a comma; a tab for TSV).
  public var delimiter: UInt8 = 44

  public init(path: String) throws(DecoyError) {
    self.path = path
    fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
      throw .io(path: path, reason: "cannot open: \(String(cString: strerror(errno)))", hint: "check the path")
    }
  }

  /// Starts at byte `offset`, the start of line `line` (``FastCSVReader`` hands over mid-file).
  public convenience init(path: String, offset: Int, line: Int) throws(DecoyError) {
    try self.init(path: path)
    if lseek(fd, off_t(offset), SEEK_SET) < 0 {
      throw .io(path: path, reason: "seek failed: \(String(cString: strerror(errno)))", hint: nil)
    }
    physicalLine = line
    records = line - 1  // past the first record: no byte-order mark to skip
  }

  deinit { close(fd) }

  @inline(__always)
  private func fill() throws(DecoyError) -> Bool {
    if pos < chunkCount { return true }
    if eof { return false }
    let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    if n < 0 { throw .io(path: path, reason: "read failed: \(String(cString: strerror(errno)))", hint: nil) }
    if n == 0 {
      eof = true
      return false
    }
    chunkCount = n
    pos = 0
    return true
  }

  /// The next byte, or nil at the end of the file.
  @inline(__always)
  private func byte() throws(DecoyError) -> UInt8? {
    guard try fill() else { return nil }
    defer { pos += 1 }
    return chunk[pos]
  }

  @inline(__always)
  private func peek() throws(DecoyError) -> UInt8? {
    guard try fill() else { return nil }
    return chunk[pos]
  }

  /// Appends the bytes from the read position up to the next byte that needs a decision (quote,
  /// line end and, outside quotes, comma or CR) within the current chunk; returns how many.
  @inline(__always)
  private func scanRun(quoted: Bool) -> Int {
    let start = pos
    guard start < chunkCount else { return 0 }
    let end = chunkCount
    let delimiter = delimiter
    let stop = chunk.withUnsafeBufferPointer { c -> Int in
      var i = start
      if quoted {
        while i < end, c[i] != 34, c[i] != 10 { i += 1 }
      } else {
        while i < end {
          let b = c[i]
          if b == delimiter || b == 10 || b == 13 || b == 34 { break }
          i += 1
        }
      }
      if i > start { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: c[start..<i])) }
      return i
    }
    pos = stop
    return stop - start
  }

  /// Reads the next record; false at the end of the file. A blank line is a record with one empty field.
  public func next() throws(DecoyError) -> Bool {
    bytes.removeAll(keepingCapacity: true)
    fields.removeAll(keepingCapacity: true)
    quoted.removeAll(keepingCapacity: true)
    guard let first = try peek() else { return false }
    if records == 0 && first == 0xEF {  // UTF-8 byte-order mark
      for expected: UInt8 in [0xEF, 0xBB, 0xBF] where try peek() == expected { pos += 1 }
    }
    line = physicalLine
    records += 1
    var start = 0
    var inQuotes = false
    var wasQuoted = false
    var atFieldStart = true
    while true {
      // Copy the run of ordinary bytes up to the next special one in one go.
      if scanRun(quoted: inQuotes) > 0 && !inQuotes { atFieldStart = false }
      guard let b = try byte() else {
        if inQuotes {
          throw .input(
            file: path, line: line, column: fields.count + 1,
            reason: "a quoted field is not closed before the end of the file (the last line looks truncated)",
            hint: "check that the file was copied completely")
        }
        break
      }
      if inQuotes {
        if b == 34 {
          if try peek() == 34 {
            pos += 1
            bytes.append(34)
          } else {
            inQuotes = false
          }
        } else {
          if b == 10 { physicalLine += 1 }
          bytes.append(b)
        }
        continue
      }
      switch b {
      case 34 where atFieldStart:
        inQuotes = true
        wasQuoted = true
        atFieldStart = false
      case delimiter:
        fields.append(start..<bytes.count)
        quoted.append(wasQuoted)
        start = bytes.count
        wasQuoted = false
        atFieldStart = true
      case 10, 13:
        if b == 13, try peek() == 10 { pos += 1 }
        physicalLine += 1
        fields.append(start..<bytes.count)
        quoted.append(wasQuoted)
        return true
      default:
        bytes.append(b)
        atFieldStart = false
      }
    }
    fields.append(start..<bytes.count)
    quoted.append(wasQuoted)
    return true
  }

  /// Field `i` of the current record as text.
  public func string(_ i: Int) -> String { String(decoding: bytes[fields[i]], as: UTF8.self) }
}
