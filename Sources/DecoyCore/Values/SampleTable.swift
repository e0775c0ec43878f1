import Foundation

/// A user's sample table as read, before detection: one text column per header field, in file
/// order. Values keep their spelling (CSV fields unescaped, JSON scalars as their text); a value
/// that was a true null in the source (SQL `NULL`, JSON `null`) is marked null, while null
/// *tokens* such as `NA` are left for detection. Memory is the text plus nine bytes per value.
public struct SampleTable: Sendable {
  /// The source's name for messages (a file path, or `table` of a database).
  public var source: String
  /// The table's name (the file's stem, or the database table).
  public var name: String
  /// Column names, in source order (unique and non-empty: readers check).
  public var columns: [String]
  /// One string buffer per column.
  public var values: [ColumnBuffer]
  /// The source line (or record number) of each row, for error positions.
  public var lines: [Int]

  public init(source: String, name: String, columns: [String]) {
    self.source = source
    self.name = name
    self.columns = columns
    values = columns.map { _ in ColumnBuffer(type: .string) }
    lines = []
  }

  /// Number of data rows.
  public var rowCount: Int { lines.count }

  /// The bytes of value `row` of column `column`.
  @inline(__always)
  public func bytes(_ column: Int, _ row: Int) -> ArraySlice<UInt8> {
    let c = values[column]
    return c.bytes[c.stringRange(row)]
  }

  /// Checks the header: every name non-empty and unique.
  public static func checkHeader(_ names: [String], source: String, line: Int = 1) throws(DecoyError) {
    if names.isEmpty {
      throw .input(
        file: source, line: line, column: nil, reason: "no header: the file is empty",
        hint: "the first line must name the columns")
    }
    for (i, n) in names.enumerated() where n.trimmingCharacters(in: .whitespaces).isEmpty {
      throw .input(
        file: source, line: line, column: i + 1, reason: "column \(i + 1) has an empty name",
        hint: "name every column in the header")
    }
    var seen: [String: Int] = [:]
    for (i, n) in names.enumerated() {
      if let j = seen[n] {
        throw .input(
          file: source, line: line, column: i + 1,
          reason: "columns \(j + 1) and \(i + 1) have the same name '\(n)'", hint: "give each column its own name")
      }
      seen[n] = i
    }
  }
}
