public import DecoyCore

/// A ``SQLSession`` on a PostgreSQL database (through ``PostgresWriter``'s connection).
public final class PostgresSession: SQLSession {
  public var dialect: SQLEncoder.Dialect { .postgres }
  private let connection: PostgresWriter
  private var open = true

  public init(url: String) throws(DecoyError) {
    connection = try PostgresWriter(url: url, createTables: false)
  }

  deinit { close() }

  public func execute(_ sql: String) throws(DecoyError) { try connection.execute(sql) }

  public func queryText(_ sql: String) throws(DecoyError) -> [String] { try connection.queryText(sql) }

  public func checkpoint() throws(DecoyError) {
    try connection.execute("COMMIT")
    try connection.execute("BEGIN")
  }

  public func close() {
    guard open else { return }
    open = false
    connection.abort()
  }
}
