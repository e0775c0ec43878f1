import Foundation
import Testing

@testable import DecoyCore
@testable import DecoyIO
@testable import DecoyKit

/// SQL scripts loaded by the real database clients: the sqlite3 shell and psql against a
/// PostgreSQL server (started by .ci/run, URL in DECOY_TEST_POSTGRES_URL).
@Suite(.serialized) struct SQLLoadTests {
  static let postgresURL = ProcessInfo.processInfo.environment["DECOY_TEST_POSTGRES_URL"]

  func tempDir() -> String {
    let d = NSTemporaryDirectory() + "decoy-sql-\(UUID().uuidString)"
    try! FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
    return d
  }

  func generate(_ format: OutputFormat, into dir: String) throws {
    var job = GenerateJob(spec: try SpecSource.load("shop"), seed: 11, format: format, destination: .directory(dir))
    job.engine = Engine.Options(threads: 2, batchSize: 333)
    _ = try job.run()
  }

  @discardableResult
  func sh(_ args: [String], stdin: String? = nil) throws -> (status: Int32, out: String, err: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = args
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    if let stdin {
      let inp = Pipe()
      p.standardInput = inp
      try p.run()
      inp.fileHandleForWriting.write(Data(stdin.utf8))
      inp.fileHandleForWriting.closeFile()
    } else {
      try p.run()
    }
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
  }

  /// A new empty database on the test server: its URL and a function that drops it.
  func freshDatabase() throws -> (String, () -> Void) {
    let base = Self.postgresURL!
    let name = "decoy_\(UInt32.random(in: 0...UInt32.max))"
    let created = try sh(["psql", base, "-v", "ON_ERROR_STOP=1", "-c", "CREATE DATABASE \(name)"])
    #expect(created.status == 0, "\(created.err)")
    return (
      String(base[..<base.lastIndex(of: "/")!]) + "/\(name)",
      { _ = try? self.sh(["psql", base, "-c", "DROP DATABASE IF EXISTS \(name)"]) }
    )
  }

  /// The shop tables in the database hold exactly the CSV rows of the same seed.
  func expectPostgresMatchesCSV(_ url: String, _ dir: String) throws {
    let customers = try sh([
      "psql", url, "-At", "-F", ",", "-c",
      "SELECT customer_id, name, email, state, signup_date FROM customers ORDER BY customer_id",
    ])
    #expect(customers.out.split(separator: "\n").map(String.init) == (try csvLines(dir, "customers")))
    let orders = try sh([
      "psql", url, "-At", "-F", ",", "-c",
      "SELECT order_id, customer_id, customer_name, to_char(ordered_at, 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), total, status FROM orders",
    ])
    #expect(orders.out.split(separator: "\n").map(String.init).sorted() == (try csvLines(dir, "orders")).sorted())
  }

  /// CSV rows of the same seed (our CSV has no quoted fields for the shop dataset's customers).
  func csvLines(_ dir: String, _ table: String) throws -> [String] {
    let text = try String(contentsOfFile: dir + "/\(table).csv", encoding: .utf8)
    return Array(text.split(separator: "\n").dropFirst().map(String.init))
  }

  @Test func sqliteShellLoadsTheScriptWithTheSameValuesAsCSV() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try generate(.sqliteSQL, into: dir)
    try generate(.csv, into: dir)
    let db = dir + "/shop.db"
    for t in ["customers", "orders"] {
      let r = try sh(["sqlite3", "-bail", db, ".read \(dir)/\(t).sqlite.sql"])
      #expect(r.status == 0, "\(r.err)")
    }
    let customers = try sh([
      "sqlite3", "-list", "-separator", ",", db,
      "SELECT customer_id, name, email, state, signup_date FROM customers ORDER BY customer_id",
    ])
    #expect(customers.out.split(separator: "\n").map(String.init) == (try csvLines(dir, "customers")))
    let orders = try csvLines(dir, "orders")
    let count = try sh(["sqlite3", db, "SELECT count(*), printf('%.2f', sum(total)) FROM orders"])
    let csvSum = orders.map { Double($0.split(separator: ",")[4])! }.reduce(0, +)
    #expect(
      count.out.trimmingCharacters(in: .whitespacesAndNewlines) == "\(orders.count)|\(String(format: "%.2f", csvSum))")
    let fk = try sh(["sqlite3", db, "PRAGMA foreign_key_check"])
    #expect(fk.status == 0 && fk.out.isEmpty)
  }

  @Test func sqliteDatabaseFileHasKeysIndexesAndTheSameValuesAsCSV() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try generate(.sqlite, into: dir)
    try generate(.csv, into: dir)
    let db = dir + "/shop.sqlite"
    let customers = try sh([
      "sqlite3", "-list", "-separator", ",", db,
      "SELECT customer_id, name, email, state, signup_date FROM customers ORDER BY customer_id",
    ])
    #expect(customers.out.split(separator: "\n").map(String.init) == (try csvLines(dir, "customers")))
    let orders = try csvLines(dir, "orders")
    let stats = try sh(["sqlite3", db, "SELECT count(*), printf('%.2f', sum(total)) FROM orders"])
    let csvSum = orders.map { Double($0.split(separator: ",")[4])! }.reduce(0, +)
    #expect(
      stats.out.trimmingCharacters(in: .whitespacesAndNewlines) == "\(orders.count)|\(String(format: "%.2f", csvSum))")
    let checks = try sh([
      "sqlite3", db, "PRAGMA foreign_key_check", "PRAGMA integrity_check",
      "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'orders' AND sql IS NOT NULL",
      "SELECT pk FROM pragma_table_info('customers') WHERE name = 'customer_id'",
    ])
    #expect(checks.out == "ok\nidx_orders_customer_id\n1\n", "\(checks.out)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains("decoy-tmp") }.isEmpty)
  }

  @Test func abortedSQLiteWriterLeavesNoFile() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let w = try SQLiteWriter(path: dir + "/x.sqlite")
    try w.begin(TableLayout(name: "t", columns: ["a"], types: [.int], rows: 0..<1))
    w.abort()
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
  }

  @Test(.enabled(if: postgresURL != nil, "needs DECOY_TEST_POSTGRES_URL (set by .ci/run)"))
  func psqlLoadsTheScriptWithTheSameValuesAsCSV() throws {
    let (url, dropDatabase) = try freshDatabase()
    defer { dropDatabase() }
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try generate(.sql, into: dir)
    try generate(.csv, into: dir)

    // Children before parents: the foreign key fails, and the script's transaction leaves nothing behind.
    let failed = try sh(["psql", url, "-v", "ON_ERROR_STOP=1", "-q", "-f", dir + "/orders.sql"])
    #expect(failed.status != 0 && failed.err.contains("customers"), "\(failed.err)")
    let none = try sh(["psql", url, "-At", "-c", "SELECT count(*) FROM pg_tables WHERE tablename = 'orders'"])
    #expect(none.out.trimmingCharacters(in: .whitespacesAndNewlines) == "0")

    for t in ["customers", "orders"] {
      let r = try sh(["psql", url, "-v", "ON_ERROR_STOP=1", "-q", "-f", dir + "/\(t).sql"])
      #expect(r.status == 0, "\(r.err)")
    }
    try expectPostgresMatchesCSV(url, dir)
  }

  @Test(.enabled(if: postgresURL != nil, "needs DECOY_TEST_POSTGRES_URL (set by .ci/run)"))
  func copyLoadsIntoPostgresInOneTransaction() throws {
    let (url, dropDatabase) = try freshDatabase()
    defer { dropDatabase() }
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try generate(.csv, into: dir)

    var job = GenerateJob(spec: try SpecSource.load("shop"), seed: 11, format: .postgres, destination: .directory(dir))
    job.databaseURL = url
    job.engine = Engine.Options(threads: 2, batchSize: 333)
    _ = try job.run()
    try expectPostgresMatchesCSV(url, dir)

    // Again without --drop-tables: a clear error, and the transaction leaves the first load untouched.
    #expect {
      try job.run()
    } throws: { e in
      (e as? DecoyError)?.message.contains("already exists") == true
        && (e as? DecoyError)?.message.contains("--drop-tables") == true
    }
    let count = try sh(["psql", url, "-At", "-c", "SELECT count(*) FROM customers"])
    #expect(count.out.trimmingCharacters(in: .whitespacesAndNewlines) == "1000")
    // With --drop-tables and another seed: replaced.
    job.dropTables = true
    job.seed = 12
    _ = try job.run()
    let first = try sh(["psql", url, "-At", "-c", "SELECT name FROM customers WHERE customer_id = 1"])
    #expect(
      first.out.trimmingCharacters(in: .whitespacesAndNewlines)
        != (try csvLines(dir, "customers"))[0].split(separator: ",")[1])
  }

  @Test func unreachableServerFailsWithAClearError() throws {
    var job = GenerateJob(spec: try SpecSource.load("shop"), format: .postgres, destination: .directory(tempDir()))
    job.databaseURL = "postgres://postgres@127.0.0.1:1/none"
    #expect {
      try job.run()
    } throws: { e in
      (e as? DecoyError)?.message.contains("cannot connect to PostgreSQL") == true
    }
    job.databaseURL = "mysql://x@y/z"
    #expect(throws: DecoyError.self) { try job.run() }
  }
}
