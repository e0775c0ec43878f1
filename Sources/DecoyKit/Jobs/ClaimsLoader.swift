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
        try stream(columns.count) { (bytes, fields) throws(DecoyError) in
          try writer.insert(bytes: bytes, fields: fields, columns: columns.count)
        }
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
          try writer.insert(bytes: bytes, fields: fields, columns: columns.count, table: table)
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
    let r = try FastCSVReader(path: csv)
    guard let header = try r.header() else {
      throw .input(file: csv, line: 1, column: nil, reason: "the file is empty", hint: nil)
    }
    guard header == columns.map(\.name) else {
      throw .input(
        file: csv, line: 1, column: nil,
        reason: "the header does not match the claims table (\(columns.count) columns from billing_id to exp_date)",
        hint: header.contains("SSN_full")
          ? "load the clean output (without --compat pandas): the reference's float ZIP codes and CVVs do not fit the table"
          : nil)
    }
    var rows = 0
    try r.forEachRecord(columns: columns.count) { (rec: FastCSVReader.Record) throws(DecoyError) in
      rows += 1
      for (i, c) in columns.enumerated() {
        // Characters never outnumber bytes: only a value longer in bytes than the limit needs counting.
        guard let max = c.maxLength, rec.field(i).count > max else { continue }
        let n = String(decoding: rec.field(i), as: UTF8.self).count
        if n > max {
          throw .input(
            file: csv, line: rec.number, column: i + 1,
            reason: "a value of \(n) characters does not fit \(c.name) \(c.type) of the \(ddl.rawValue) DDL",
            hint: ddl == .reference && c.name == "cvv"
              ? "American Express CVVs have 4 digits; use the Decoy DDL (the default), whose cvv is VARCHAR(4)" : nil)
        }
      }
      return true
    }
    return rows
  }

  /// Reads the file again and hands batches of rows (bytes and field ranges, nil for empty) to `body`.
  func stream(_ width: Int, _ body: ([UInt8], [Range<Int>?]) throws(DecoyError) -> Void) throws(DecoyError) {
    let r = try FastCSVReader(path: csv)
    _ = try r.header()
    var bytes: [UInt8] = []
    var fields: [Range<Int>?] = []
    try r.forEachRecord(columns: width) { (rec: FastCSVReader.Record) throws(DecoyError) in
      for i in 0..<width {
        let f = rec.field(i)
        if f.isEmpty && !rec.quoted(i) {
          fields.append(nil)
        } else {
          let start = bytes.count
          bytes.append(contentsOf: f)
          fields.append(start..<bytes.count)
        }
      }
      if fields.count >= width * 10_000 {
        try body(bytes, fields)
        bytes.removeAll(keepingCapacity: true)
        fields.removeAll(keepingCapacity: true)
      }
      return true
    }
    if !fields.isEmpty { try body(bytes, fields) }
  }
}
