public import DecoyCore
import Foundation
import GRDB

/// Reads a user's sample table into a ``SampleTable``: CSV (RFC 4180, quoted newlines, with the
/// fast reader), TSV, JSON Lines (flat objects of scalars) or a table of a SQLite database.
/// Every error says where (file, line, field and header name) and never shows a value.
public enum SampleReader {
  /// The formats a sample can come in.
  public enum Format: String, Sendable, CaseIterable {
    case csv, tsv, jsonl, sqlite

    /// The format a path's extension names, if any.
    public static func guess(_ path: String) -> Format? {
      switch (path as NSString).pathExtension.lowercased() {
      case "csv", "txt": .csv
      case "tsv", "tab": .tsv
      case "jsonl", "ndjson": .jsonl
      case "sqlite", "sqlite3", "db": .sqlite
      default: nil
      }
    }
  }

  /// Whether a sample argument is a PostgreSQL URL rather than a file.
  public static func isDatabaseURL(_ s: String) -> Bool {
    s.hasPrefix("postgres://") || s.hasPrefix("postgresql://")
  }

  /// A sample argument as messages may show it: a URL without its password.
  public static func display(_ s: String) -> String {
    guard isDatabaseURL(s), let scheme = s.range(of: "://"),
      let at = s.range(of: "@", range: scheme.upperBound..<s.endIndex)
    else { return s }
    let user = s[scheme.upperBound..<at.lowerBound]
    guard let colon = user.firstIndex(of: ":") else { return s }
    return String(s[..<colon]) + ":***" + String(s[at.lowerBound...])
  }

  /// More columns than this is refused before any row is read (a learn model is O(p²) in places).
  public static let maxColumns = 10_000

  /// Reads `path`. `table` names the table of a database (optional when it has exactly one).
  public static func read(_ path: String, format: Format? = nil, table: String? = nil) throws(DecoyError)
    -> SampleTable
  {
    if isDatabaseURL(path) {
      guard let table else {
        throw .usage("a PostgreSQL sample needs --table NAME", hint: "name the table to learn")
      }
      return try PostgresSampleReader.read(url: path, table: table)
    }
    guard let format = format ?? Format.guess(path) else {
      throw .usage(
        "cannot tell the format of \(path) from its name",
        hint: "name it .csv, .tsv, .jsonl or .sqlite, or pass --input-format csv|tsv|jsonl|sqlite")
    }
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else {
      throw .io(path: path, reason: "no such file", hint: "check the path")
    }
    if format != .sqlite && table != nil {
      throw .usage("--table applies to a database sample", hint: "drop --table for a \(format.rawValue) file")
    }
    let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    switch format {
    case .csv: return try readCSV(path, name: stem)
    case .tsv: return try readDelimited(path, name: stem, delimiter: 9)
    case .jsonl: return try JSONLinesReader.read(path, name: stem)
    case .sqlite: return try readSQLite(path, table: table)
    }
  }

  static func readCSV(_ path: String, name: String) throws(DecoyError) -> SampleTable {
    let reader = try FastCSVReader(path: path)
    guard let header = try reader.header() else {
      throw .input(
        file: path, line: 1, column: nil, reason: "no header: the file is empty",
        hint: "the first line must name the columns")
    }
    try checkHeaderBytes(header, path: path)
    try SampleTable.checkHeader(header, source: path)
    var table = SampleTable(source: path, name: name, columns: header)
    let cols = header.count
    try reader.forEachRecord(columns: cols) { r throws(DecoyError) in
      for c in 0..<cols {
        let f = r.field(c)
        try append(f, to: table.values[c], path: path, line: r.number, column: c, header: header)
      }
      table.lines.append(r.number)
      return true
    }
    return table
  }

  static func readDelimited(_ path: String, name: String, delimiter: UInt8) throws(DecoyError) -> SampleTable {
    let reader = try CSVReader(path: path)
    reader.delimiter = delimiter
    guard try reader.next() else {
      throw .input(
        file: path, line: 1, column: nil, reason: "no header: the file is empty",
        hint: "the first line must name the columns")
    }
    let header = (0..<reader.fields.count).map { reader.string($0) }
    try checkHeaderBytes(header, path: path)
    try SampleTable.checkHeader(header, source: path)
    var table = SampleTable(source: path, name: name, columns: header)
    while try reader.next() {
      guard reader.fields.count == header.count else {
        throw .input(
          file: path, line: reader.line, column: nil,
          reason: "\(reader.fields.count) fields, but the header has \(header.count)",
          hint: "check quoting on this line")
      }
      try reader.bytes.withUnsafeBufferPointer { b throws(DecoyError) in
        for c in 0..<header.count {
          try append(
            UnsafeBufferPointer(rebasing: b[reader.fields[c]]), to: table.values[c], path: path, line: reader.line,
            column: c, header: header)
        }
      }
      table.lines.append(reader.line)
    }
    return table
  }

  static func checkHeaderBytes(_ header: [String], path: String) throws(DecoyError) {
    if header.count > maxColumns {
      throw .input(
        file: path, line: 1, column: nil,
        reason: "the header has \(header.count) columns; at most \(maxColumns) can be learned",
        hint: "select the columns to learn into a smaller file")
    }
    for (i, h) in header.enumerated() where h.unicodeScalars.contains("\u{FFFD}") {
      throw .input(
        file: path, line: 1, column: i + 1, reason: "the header is not valid UTF-8",
        hint: "convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)")
    }
  }

  /// Appends one field after checking it is UTF-8.
  @inline(__always)
  static func append(
    _ f: UnsafeBufferPointer<UInt8>, to out: ColumnBuffer, path: String, line: Int, column: Int, header: [String]
  ) throws(DecoyError) {
    var ascii = true
    for b in f where b >= 0x80 {
      ascii = false
      break
    }
    if !ascii && String(validating: f, as: UTF8.self) == nil {
      throw .input(
        file: path, line: line, column: column + 1,
        reason: "field \(column + 1) ('\(header[column])') holds a byte that is not UTF-8",
        hint: "convert the file to UTF-8 first, e.g. iconv -f latin1 -t utf-8 (or windows-1252)")
    }
    out.bytes.append(contentsOf: f)
    out.endString()
  }

  static func readSQLite(_ path: String, table: String?) throws(DecoyError) -> SampleTable {
    do {
      var config = Configuration()
      config.readonly = true
      let queue = try DatabaseQueue(path: path, configuration: config)
      return try queue.read { db throws -> SampleTable in
        let names = try String.fetchAll(
          db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        let chosen: String
        if let table {
          guard names.contains(table) else {
            throw DecoyError.usage(
              "\(path) has no table '\(table)'",
              hint: "its tables: " + (names.isEmpty ? "none" : names.joined(separator: ", ")))
          }
          chosen = table
        } else {
          guard names.count == 1 else {
            throw DecoyError.usage(
              "\(path) has \(names.count) tables; say which to learn",
              hint: "pass --table NAME (one of: \(names.joined(separator: ", ")))")
          }
          chosen = names[0]
        }
        let quoted = "\"" + chosen.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        let statement = try db.makeStatement(sql: "SELECT * FROM \(quoted)")
        let header = statement.columnNames
        try SampleTable.checkHeader(header, source: "\(path) table \(chosen)")
        var out = SampleTable(source: "\(path) table \(chosen)", name: chosen, columns: header)
        let cursor = try Row.fetchCursor(statement)
        var record = 0
        var text: [UInt8] = []
        while let row = try cursor.next() {
          record += 1
          for c in 0..<header.count {
            let buffer = out.values[c]
            switch row[c] as DatabaseValue {
            case let v where v.isNull: buffer.appendNull()
            case let v:
              switch v.storage {
              case .int64(let i): ValueFormatter.appendInt(i, to: &buffer.bytes)
              case .double(let d):
                text.removeAll(keepingCapacity: true)
                ValueFormatter.appendDouble(d, to: &text)
                buffer.bytes.append(contentsOf: text)
              case .string(let s): buffer.bytes.append(contentsOf: s.utf8)
              case .blob:
                throw DecoyError.input(
                  file: out.source, line: record, column: c + 1,
                  reason: "column '\(header[c])' holds a blob; only numbers, text and dates can be learned",
                  hint: "leave binary columns out of the sample")
              case .null: break
              }
              buffer.endString()
            }
          }
          out.lines.append(record)
        }
        return out
      }
    } catch let e as DecoyError {
      throw e
    } catch {
      throw .io(path: path, reason: "cannot read the SQLite database", hint: "check that it is a SQLite 3 file")
    }
  }
}
