public import DecoyCore

/// Reads a PostgreSQL table (`decoy fit --database-url URL --table NAME`) into a ``SampleTable``:
/// column names from the catalogue in table order, every value as the server's text form (so dates
/// and numbers keep their spelling), SQL NULL as a true null. Read-only: the transaction is
/// rolled back.
public enum PostgresSampleReader {
  public static func read(url: String, table: String) throws(DecoyError) -> SampleTable {
    let session = try PostgresWriter(url: url, createTables: false)
    defer { session.abort() }
    let literal = "'" + table.replacingOccurrences(of: "'", with: "''") + "'"
    let names = try session.queryText(
      "SELECT column_name::text FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = \(literal) ORDER BY ordinal_position"
    )
    let source = "\(session.display) table \(table)"
    guard !names.isEmpty else {
      let tables = try session.queryText(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1")
      throw .usage(
        "\(session.display) has no table '\(table)' in its current schema",
        hint: "its tables: " + (tables.isEmpty ? "none" : tables.prefix(20).joined(separator: ", ")))
    }
    guard names.count <= SampleReader.maxColumns else {
      throw .input(
        file: source, line: 1, column: nil, reason: "\(names.count) columns; at most \(SampleReader.maxColumns)",
        hint: "select the columns to learn into a view")
    }
    try SampleTable.checkHeader(names, source: source)
    let columns = names.map { SQLEncoder.quoteIdentifier($0) + "::text" }.joined(separator: ", ")
    let empty = SampleTable(source: source, name: table, columns: names)
    return try session.readRows("SELECT \(columns) FROM \(SQLEncoder.quoteIdentifier(table))", into: empty)
  }
}
