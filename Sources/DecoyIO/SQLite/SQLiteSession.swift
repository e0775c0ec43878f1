public import DecoyCore
import Foundation
import GRDBSQLite

/// A ``SQLSession`` on an existing SQLite database file, straight on the SQLite C API (a session
/// keeps a transaction open between calls, which GRDB's queues do not allow). Foreign keys are
/// enforced.
public final class SQLiteSession: SQLSession {
  public let path: String
  public var dialect: SQLEncoder.Dialect { .sqlite }
  private var db: OpaquePointer?

  /// Opens `path`, which must exist unless `create`.
  public init(path: String, create: Bool = false) throws(DecoyError) {
    self.path = path
    guard create || FileManager.default.fileExists(atPath: path) else {
      throw .io(
        path: path, reason: "no such database file",
        hint: "run `decoy fraud seed` (or `decoy fraud init-db`) first, or check --database-url")
    }
    let flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0)
    if sqlite3_open_v2(path, &db, flags, nil) != SQLITE_OK {
      let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
      sqlite3_close(db)
      db = nil
      throw .io(path: path, reason: "cannot open the SQLite database: \(message)", hint: nil)
    }
    sqlite3_busy_timeout(db, 5_000)
    try execute("PRAGMA foreign_keys = ON")
    try execute("BEGIN")
  }

  deinit { close() }

  private func failure(_ sql: String) -> DecoyError {
    let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "the database is closed"
    return .io(path: path, reason: "SQLite: \(message)", hint: nil)
  }

  public func execute(_ sql: String) throws(DecoyError) {
    guard let db else { throw failure(sql) }
    var error: UnsafeMutablePointer<CChar>?
    if sqlite3_exec(db, sql, nil, nil, &error) != SQLITE_OK {
      let message = error.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(db))
      sqlite3_free(error)
      throw .io(path: path, reason: "SQLite: \(message)", hint: nil)
    }
  }

  public func queryText(_ sql: String) throws(DecoyError) -> [String] {
    guard let db else { throw failure(sql) }
    var statement: OpaquePointer?
    guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else { throw failure(sql) }
    defer { sqlite3_finalize(statement) }
    var rows: [String] = []
    while true {
      let rc = sqlite3_step(statement)
      if rc == SQLITE_DONE { return rows }
      guard rc == SQLITE_ROW else { throw failure(sql) }
      rows.append(sqlite3_column_text(statement, 0).map { String(cString: $0) } ?? "")
    }
  }

  public func checkpoint() throws(DecoyError) {
    try execute("COMMIT")
    try execute("BEGIN")
  }

  public func close() {
    guard let d = db else { return }
    if sqlite3_get_autocommit(d) == 0 { sqlite3_exec(d, "ROLLBACK", nil, nil, nil) }
    sqlite3_close(d)
    db = nil
  }
}
