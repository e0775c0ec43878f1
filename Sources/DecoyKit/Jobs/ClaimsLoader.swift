public import DecoyCore
import DecoyIO
public import DecoyScenarios

/// Loads a clean enriched claims file into the `claims` table: a SQLite database file (default) or
/// PostgreSQL through COPY, in one transaction, creating the table from ``ClaimsDDL``. Every value
/// is checked against its column's length first, so a load either fits entirely or is refused
/// before anything is written.
public struct ClaimsLoader: Sendable {
  /// Where the table goes.
  public enum Target: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(url: String, dropTables: Bool)
  }

  public var csv: String
  public var target: Target
  public var ddl = ClaimsDDL.Variant.decoy
  public var table = "claims"

  public init(csv: String, target: Target) {
    self.csv = csv
    self.target = target
  }

  /// Rows loaded.
  public func run() throws(DecoyError) -> Int {
    let columns = ClaimsDDL.columns(ddl)
    let rows = try check(columns)
    switch target {
    case .sqlite(let path):
      let writer = try SQLiteWriter(path: path)
      do throws(DecoyError) {
        try writer.begin(table: table, columns: columns.map(\.name), create: ClaimsDDL.create(ddl, table: table))
        try stream(columns.count) { (bytes, fields) throws(DecoyError) in try writer.insert(bytes: bytes, fields: fields, columns: columns.count) }
        try writer.commit()
      } catch {
        writer.abort()
        throw error
      }
    case .postgres(let url, let drop):
      let writer = try PostgresWriter(url: url, dropTables: drop)
      do throws(DecoyError) {
        try writer.begin(table: table, columns: columns.map(\.name), create: ClaimsDDL.create(ddl, table: table))
        try stream(columns.count) { (bytes, fields) throws(DecoyError) in
          var text: [UInt8] = []
          text.reserveCapacity(bytes.count + fields.count * 2)
          for (i, f) in fields.enumerated() {
            if i % columns.count != 0 { text.append(9) }
            if let r = f {
              for b in bytes[r] {
                switch b {
                case 92: text.append(contentsOf: [92, 92])
                case 9: text.append(contentsOf: [92, UInt8(ascii: "t")])
                case 10: text.append(contentsOf: [92, UInt8(ascii: "n")])
                case 13: text.append(contentsOf: [92, UInt8(ascii: "r")])
                default: text.append(b)
                }
              }
            } else {
              text.append(contentsOf: [92, UInt8(ascii: "N")])
            }
            if i % columns.count == columns.count - 1 { text.append(10) }
          }
          try writer.send(text, table: table)
        }
        try writer.finishCopy(table)
        try writer.commit()
      } catch {
        writer.abort()
        throw error
      }
    }
    return rows
  }

  /// Checks the header and every value's length against the DDL; returns the row count.
  func check(_ columns: [ClaimsDDL.Column]) throws(DecoyError) -> Int {
    let r = try CSVReader(path: csv)
    guard try r.next() else { throw .input(file: csv, line: 1, column: nil, reason: "the file is empty", hint: nil) }
    let header = (0..<r.fields.count).map { r.string($0) }
    guard header == columns.map(\.name) else {
      throw .input(file: csv, line: 1, column: nil, reason: "the header does not match the claims table (\(columns.count) columns from billing_id to exp_date)",
        hint: header.contains("SSN_full") ? "load the clean output (without --compat pandas): the reference's float ZIP codes and CVVs do not fit the table" : nil)
    }
    var rows = 0
    while try r.next() {
      rows += 1
      guard r.fields.count == columns.count else {
        throw .input(file: csv, line: r.line, column: nil, reason: "\(r.fields.count) fields, but the claims table has \(columns.count)", hint: nil)
      }
      for (i, c) in columns.enumerated() {
        guard let max = c.maxLength else { continue }
        let n = String(decoding: r.bytes[r.fields[i]], as: UTF8.self).count
        if n > max {
          throw .input(file: csv, line: r.line, column: i + 1,
            reason: "a value of \(n) characters does not fit \(c.name) \(c.type) of the \(ddl.rawValue) DDL",
            hint: ddl == .reference && c.name == "cvv" ? "American Express CVVs have 4 digits; use the Decoy DDL (the default), whose cvv is VARCHAR(4)" : nil)
        }
      }
    }
    return rows
  }

  /// Reads the file again and hands batches of rows (bytes and field ranges, nil for empty) to `body`.
  func stream(_ width: Int, _ body: ([UInt8], [Range<Int>?]) throws(DecoyError) -> Void) throws(DecoyError) {
    let r = try CSVReader(path: csv)
    _ = try r.next()
    var bytes: [UInt8] = []
    var fields: [Range<Int>?] = []
    while try r.next() {
      for i in 0..<width {
        let f = r.fields[i]
        if f.isEmpty && !r.quoted[i] {
          fields.append(nil)
        } else {
          let start = bytes.count
          bytes.append(contentsOf: r.bytes[f])
          fields.append(start..<bytes.count)
        }
      }
      if fields.count >= width * 10_000 {
        try body(bytes, fields)
        bytes.removeAll(keepingCapacity: true)
        fields.removeAll(keepingCapacity: true)
      }
    }
    if !fields.isEmpty { try body(bytes, fields) }
  }
}
