public import DecoyCore
import DecoyIO

/// Output formats selectable with `--format`.
public enum OutputFormat: String, Sendable, CaseIterable {
  case csv, jsonl, json
  /// A SQL script for PostgreSQL.
  case sql
  /// A SQL script for SQLite.
  case sqliteSQL = "sqlite-sql"
  /// An Excel workbook: one sheet per table plus a data dictionary sheet.
  case xlsx
  /// A Word document: data dictionary and capped data tables.
  case docx
  /// Apache Parquet, one file per table (GZIP pages).
  case parquet
  /// One SQLite database file with every table.
  case sqlite
  /// Direct load into PostgreSQL with COPY (`--database-url` or DATABASE_URL).
  case postgres

  /// Whether all tables go into one file (a workbook or document) rather than one file per table.
  public var isWorkbook: Bool { self == .xlsx || self == .docx || self == .sqlite || self == .postgres }

  /// File extension.
  public var fileExtension: String {
    switch self {
    case .sql: "sql"
    case .sqliteSQL: "sqlite.sql"
    default: rawValue
    }
  }

  /// Parses a format name, suggesting the nearest one on a typo.
  public static func parse(_ s: String) throws(DecoyError) -> OutputFormat {
    guard let f = OutputFormat(rawValue: s.lowercased()) else {
      throw .usage("unknown format '\(s)'", hint: Suggestion.hint(for: s, in: allCases.map(\.rawValue)))
    }
    return f
  }

  /// The record encoder for this format.
  /// The record encoder of a byte-stream format; nil for formats that take typed batches
  /// (Parquet, and the single-file formats of ``isWorkbook``).
  public func encoder(delimiter: UInt8 = UInt8(ascii: ","), header: Bool = true, dropTables: Bool = false) -> (
    any RecordEncoder
  )? {
    switch self {
    case .csv: CSVEncoder(delimiter: delimiter, header: header)
    case .jsonl: JSONRecordEncoder(style: .lines)
    case .json: JSONRecordEncoder(style: .array)
    case .sql: SQLEncoder(dialect: .postgres, dropTables: dropTables)
    case .sqliteSQL: SQLEncoder(dialect: .sqlite, dropTables: dropTables)
    case .xlsx, .docx, .parquet, .sqlite, .postgres: nil
    }
  }
}
