public import DecoyCore

/// A connection for SQL that Decoy writes itself (the fraud feature store), on SQLite or
/// PostgreSQL. Statements run inside an open transaction; ``checkpoint()`` commits it and opens the
/// next, ``close()`` rolls back what is not committed.
public protocol SQLSession: AnyObject {
  var dialect: SQLEncoder.Dialect { get }
  /// Runs statements (no rows back).
  func execute(_ sql: String) throws(DecoyError)
  /// Runs a query whose rows have one text column.
  func queryText(_ sql: String) throws(DecoyError) -> [String]
  /// Commits the transaction and opens the next.
  func checkpoint() throws(DecoyError)
  /// Rolls back anything not committed and disconnects.
  func close()
}

extension SQLSession {
  /// The number a query that counts gives (its one row and column, read as text).
  public func count(_ sql: String) throws(DecoyError) -> Int {
    let text = try queryText("SELECT CAST((\(sql)) AS TEXT)").first ?? "0"
    guard let n = Int(text) else {
      throw .io(path: "database", reason: "unexpected count '\(text)' from: \(sql)", hint: nil)
    }
    return n
  }
}
