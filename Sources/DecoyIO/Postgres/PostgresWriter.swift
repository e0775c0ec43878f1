public import DecoyCore
import Dispatch
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// Loads tables straight into PostgreSQL with `COPY … FROM STDIN` (text format) through
/// postgres-nio, creating them unless told not to, all in one transaction: a failed load leaves
/// no half-created tables. Batches are sent as they come, so memory stays flat.
public final class PostgresWriter: BatchWriter, @unchecked Sendable {
  /// A parsed `postgres://user:password@host:port/database?sslmode=…` URL.
  public struct Target: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String?
    public var tls: Bool

    /// Parses a URL; errors say what is wrong.
    public static func parse(_ text: String) throws(DecoyError) -> Target {
      guard let c = URLComponents(string: text), ["postgres", "postgresql"].contains(c.scheme ?? ""), let host = c.host,
        !host.isEmpty
      else {
        throw .usage(
          "--database-url must look like postgres://user:password@host:5432/database",
          hint: "the URL given is not a postgres:// URL")
      }
      let mode = c.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
      guard ["disable", "prefer", "require", "verify-ca", "verify-full"].contains(mode) else {
        throw .usage("unknown sslmode '\(mode)' in --database-url", hint: "use disable, require or verify-full")
      }
      let db = c.path.hasPrefix("/") ? String(c.path.dropFirst()) : c.path
      return Target(
        host: host, port: c.port ?? 5432, user: c.user ?? "postgres", password: c.password,
        database: db.isEmpty ? nil : db, tls: mode != "disable" && mode != "prefer")
    }

    /// host:port/database, without credentials (for messages).
    public var display: String { "\(host):\(port)/\(database ?? user)" }
  }

  final class Box<T>: @unchecked Sendable {
    var value: T
    init(_ v: T) { value = v }
  }

  private let connection: PostgresConnection
  private let logger = Logger(label: "decoy.postgres")
  private let target: Target
  private let createTables: Bool
  private let dropTables: Bool
  private var copy:
    (
      continuation: AsyncStream<ByteBuffer>.Continuation, ack: DispatchSemaphore, failure: Box<(any Error)?>,
      done: DispatchSemaphore
    )?
  private var inTransaction = false
  /// Tables this writer created, whose keys are added after their rows are in (``commit()``).
  private var keysToAdd: [TableLayout] = []

  /// Connects (failing early with a clear error when the server cannot be reached) and opens a transaction.
  public init(url: String, createTables: Bool = true, dropTables: Bool = false) throws(DecoyError) {
    target = try Target.parse(url)
    self.createTables = createTables
    self.dropTables = dropTables
    let t = target
    let tls: PostgresConnection.Configuration.TLS
    if t.tls {
      do {
        tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
      } catch {
        throw .io(path: t.display, reason: "cannot set up TLS: \(error)", hint: nil)
      }
    } else {
      tls = .disable
    }
    let config = PostgresConnection.Configuration(
      host: t.host, port: t.port, username: t.user, password: t.password, database: t.database, tls: tls)
    let logger = self.logger
    do {
      connection = try PostgresWriter.block {
        try await PostgresConnection.connect(
          on: MultiThreadedEventLoopGroup.singleton.any(), configuration: config, id: 1, logger: logger
        ).get()
      }
    } catch {
      throw .io(
        path: t.display, reason: "cannot connect to PostgreSQL: \(PostgresWriter.describe(error))",
        hint: "check that the server is running and the URL (host, port, user, password, database) is right")
    }
    try execute("BEGIN")
    inTransaction = true
  }

  /// Runs async work from synchronous code and waits for it. The work runs on `BlockingExecutor`,
  /// so the caller may be a thread of the concurrency pool.
  static func block<T: Sendable>(_ op: @escaping @Sendable () async throws -> T) throws -> T {
    let result = Box<Result<T, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task(executorPreference: BlockingExecutor.shared) {
      do { result.value = .success(try await op()) } catch { result.value = .failure(error) }
      done.signal()
    }
    done.wait()
    return try result.value!.get()
  }

  static func describe(_ error: any Error) -> String {
    if let e = error as? PSQLError {
      if let m = e.serverInfo?[.message] { return m }
      return String(reflecting: e.code)
    }
    return String(describing: error)
  }

  /// Runs statements inside the writer's transaction.
  public func execute(_ sql: String) throws(DecoyError) {
    let connection = self.connection
    let logger = self.logger
    do {
      _ = try PostgresWriter.block { try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) }
    } catch {
      throw .io(
        path: target.display, reason: "PostgreSQL: \(PostgresWriter.describe(error))",
        hint: PostgresWriter.describe(error).contains("already exists")
          ? "pass --drop-tables to replace existing tables"
          : PostgresWriter.describe(error).contains("duplicate")
            ? "the table already holds rows with these keys (the same seed loaded twice?): pass --drop-tables to start over"
            : nil)
    }
  }

  /// Runs a query whose rows have one text column, inside the writer's transaction.
  public func queryText(_ sql: String) throws(DecoyError) -> [String] {
    let connection = self.connection
    let logger = self.logger
    do {
      return try PostgresWriter.block {
        try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect().map {
          try $0.decode(String.self)
        }
      }
    } catch {
      throw .io(path: target.display, reason: "PostgreSQL: \(PostgresWriter.describe(error))", hint: nil)
    }
  }

  /// Reads every row of `sql` (each column cast to text) into `table`'s column buffers, streaming
  /// rows as they arrive; SQL NULL becomes a true null.
  public func readRows(_ sql: String, into table: SampleTable) throws(DecoyError) -> SampleTable {
    let connection = self.connection
    let logger = self.logger
    do {
      return try PostgresWriter.block {
        var out = table
        var record = 0
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) {
          record += 1
          var c = 0
          for cell in row {
            let buffer = out.values[c]
            if let s = try cell.decode(String?.self) {
              buffer.bytes.append(contentsOf: s.utf8)
              buffer.endString()
            } else {
              buffer.appendNull()
            }
            c += 1
          }
          out.lines.append(record)
        }
        return out
      }
    } catch {
      throw .io(path: target.display, reason: "PostgreSQL: \(PostgresWriter.describe(error))", hint: nil)
    }
  }

  /// The connection's display form (no password), for messages.
  public var display: String { target.display }

  /// Starts loading a table. A table this writer creates gets its primary and foreign keys (and an
  /// index per foreign key) only at ``commit()``, in one set-based pass each: checking keys row by
  /// row during COPY made a 100,000-user fraud load four times slower.
  public func begin(_ layout: TableLayout) throws(DecoyError) {
    var bare = layout
    if createTables && layout.shard.index == 0 {
      keysToAdd.append(layout)
      (bare.primaryKey, bare.uniqueKeys, bare.foreignKeys) = (nil, [], [])
    }
    let header = String(
      decoding: SQLEncoder(dialect: .postgres).header(bare, keyColumns: layout.keyColumns), as: UTF8.self)
    try begin(
      table: layout.name, columns: layout.columns,
      create: header.replacingOccurrences(of: "-- generated by decoy\nBEGIN;\n", with: ""))
  }

  /// Creates `table` with the `create` statement (unless told not to; after dropping it with
  /// `dropTables`) and starts a COPY into `columns`. Rows then go in with ``send(_:)`` as COPY text,
  /// and ``finishCopy(_:)`` ends the COPY.
  public func begin(table: String, columns: [String], create: String) throws(DecoyError) {
    if dropTables { try execute("DROP TABLE IF EXISTS \(SQLEncoder.quoteIdentifier(table)) CASCADE") }
    if createTables { try execute(create) }
    let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream()
    let ack = DispatchSemaphore(value: 0)
    let done = DispatchSemaphore(value: 0)
    let failure = Box<(any Error)?>(nil)
    let connection = self.connection
    let logger = self.logger
    // postgres-nio quotes the names itself; spec names are plain identifiers (validated), so they
    // cannot break out of the quotes.
    Task(executorPreference: BlockingExecutor.shared) {
      do {
        try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
          for await chunk in stream {
            try await writer.write(chunk)
            ack.signal()
          }
        }
      } catch {
        failure.value = error
      }
      ack.signal()
      done.signal()
    }
    copy = (continuation, ack, failure, done)
  }

  /// Sends COPY text (whole lines) into the table being loaded; waits until the server took it.
  public func send(_ bytes: [UInt8], table: String) throws(DecoyError) {
    guard let copy else { return }
    if let e = copy.failure.value { throw copyError(table, e) }
    copy.continuation.yield(ByteBuffer(bytes: bytes))
    copy.ack.wait()  // back-pressure: one batch in flight
    if let e = copy.failure.value { throw copyError(table, e) }
  }

  /// Ends the COPY into `table`.
  public func finishCopy(_ table: String) throws(DecoyError) {
    guard let c = copy else { return }
    c.continuation.finish()
    c.done.wait()
    copy = nil
    if let e = c.failure.value { throw copyError(table, e) }
  }

  /// COPY text format: tab-separated, `\N` for null, backslash escapes.
  static func appendCopyText(_ c: ColumnBuffer, _ k: Int, to out: inout [UInt8]) {
    if c.isNull(k) {
      out.append(contentsOf: "\\N".utf8)
      return
    }
    switch c.type {
    case .string: appendEscaped(c.bytes[c.stringRange(k)], to: &out)
    case .timestamp:
      ValueFormatter.append(c, k, to: &out)
      out.removeLast()  // the Z: TIMESTAMP columns hold UTC
    case .double where !c.doubles[k].isFinite: out.append(contentsOf: "\\N".utf8)
    default: ValueFormatter.append(c, k, to: &out)
    }
  }

  /// Text with COPY's backslash escapes for backslash, tab, LF and CR.
  static func appendEscaped(_ text: ArraySlice<UInt8>, to out: inout [UInt8]) {
    for b in text {
      switch b {
      case 92:
        out.append(92)
        out.append(92)
      case 9:
        out.append(92)
        out.append(UInt8(ascii: "t"))
      case 10:
        out.append(92)
        out.append(UInt8(ascii: "n"))
      case 13:
        out.append(92)
        out.append(UInt8(ascii: "r"))
      default: out.append(b)
      }
    }
  }

  /// Sends rows of text fields (``SQLiteWriter/insert(bytes:fields:columns:)``'s form) as COPY text:
  /// `fields` holds `columns` ranges per row into `bytes`; nil is NULL.
  public func insert(bytes: [UInt8], fields: [Range<Int>?], columns: Int, table: String) throws(DecoyError) {
    var text: [UInt8] = []
    text.reserveCapacity(bytes.count + fields.count * 2)
    for (i, f) in fields.enumerated() {
      if i % columns != 0 { text.append(9) }
      if let r = f { PostgresWriter.appendEscaped(bytes[r], to: &text) } else { text.append(contentsOf: "\\N".utf8) }
      if i % columns == columns - 1 { text.append(10) }
    }
    try send(text, table: table)
  }

  /// The COPY text of a batch: one line per row.
  static func appendCopyRows(_ columns: [ColumnBuffer], count: Int, to bytes: inout [UInt8]) {
    bytes.reserveCapacity(bytes.count + count * columns.count * 12)
    for k in 0..<count {
      for (ci, c) in columns.enumerated() {
        if ci > 0 { bytes.append(9) }
        PostgresWriter.appendCopyText(c, k, to: &bytes)
      }
      bytes.append(10)
    }
  }

  public func write(_ layout: TableLayout, columns: [ColumnBuffer], rows: Range<UInt64>) throws(DecoyError) {
    guard copy != nil else { return }
    var bytes: [UInt8] = []
    PostgresWriter.appendCopyRows(columns, count: rows.count, to: &bytes)
    try send(bytes, table: layout.name)
  }

  private func copyError(_ table: String, _ e: any Error) -> DecoyError {
    let message = PostgresWriter.describe(e)
    return .io(
      path: target.display, reason: "COPY into \(table) failed: \(message)",
      hint: message.contains("duplicate key")
        ? "the table already holds rows with these keys (the same seed loaded twice?): pass --drop-tables to start over"
        : nil)
  }

  public func finish(_ layout: TableLayout) throws(DecoyError) { try finishCopy(layout.name) }

  public func commit() throws(DecoyError) {
    for layout in keysToAdd {
      if let pk = layout.primaryKey {
        try execute(
          "ALTER TABLE \(SQLEncoder.quoteIdentifier(layout.name)) ADD PRIMARY KEY (\(SQLEncoder.quoteIdentifier(pk)))")
      }
      for u in layout.uniqueKeys {
        try execute(
          "ALTER TABLE \(SQLEncoder.quoteIdentifier(layout.name)) ADD UNIQUE (\(SQLEncoder.quoteIdentifier(u)))")
      }
    }
    for layout in keysToAdd {
      let t = SQLEncoder.quoteIdentifier(layout.name)
      for fk in layout.foreignKeys {
        let c = SQLEncoder.quoteIdentifier(fk.column)
        try execute(
          "ALTER TABLE \(t) ADD FOREIGN KEY (\(c)) REFERENCES \(SQLEncoder.quoteIdentifier(fk.table)) (\(SQLEncoder.quoteIdentifier(fk.targetColumn)))"
        )
        guard layout.foreignKeysToIndex.contains(fk) else { continue }
        try execute("CREATE INDEX \(SQLEncoder.quoteIdentifier("idx_\(layout.name)_\(fk.column)")) ON \(t) (\(c))")
      }
    }
    keysToAdd = []
    try execute("COMMIT")
    inTransaction = false
    close()
  }

  public func abort() {
    if let c = copy {
      c.continuation.finish()
      c.done.wait()
      copy = nil
    }
    if inTransaction { try? execute("ROLLBACK") }
    inTransaction = false
    close()
  }

  private func close() {
    let connection = self.connection
    _ = try? PostgresWriter.block { try await connection.close() }
  }
}
