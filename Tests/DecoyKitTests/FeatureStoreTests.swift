import Foundation
import Testing

@testable import DecoyCore
@testable import DecoyIO
@testable import DecoyKit
@testable import DecoyScenarios

/// The fraud feature store (specs/fraud.md §4.7, §7 property 20) on real databases: every feature
/// equals a brute-force recomputation in Swift from the records' text (no SQL shared with the
/// store), for batch sizes 1, 7 and 1000 and after an incremental load; a row's features ignore
/// every later row; SQLite and PostgreSQL give the same values; the DDL executed is the DDL shipped.
@Suite(.serialized) struct FeatureStoreTests {
  static let postgresURL = SQLLoadTests.postgresURL

  enum Target {
    case sqlite(String)
    case postgres(String)

    func session() throws -> any SQLSession {
      switch self {
      case .sqlite(let p): try SQLiteSession(path: p)
      case .postgres(let u): try PostgresSession(url: u)
      }
    }
  }

  static func tempDir() throws -> String {
    let dir = NSTemporaryDirectory() + "decoy-features-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }

  /// A SQLite database seeded with `users`, open for `body`.
  static func withSeededSQLite(users: UInt64, _ body: (any SQLSession) throws -> Void) throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try seed(.sqlite(dir + "/f.db"), users: users)
    let s = try SQLiteSession(path: dir + "/f.db")
    defer { s.close() }
    try body(s)
  }

  /// Seeds the fraud tables as `decoy fraud seed` does.
  static func seed(_ target: Target, users: UInt64, rate: Double = 0.1, seed: UInt64 = 42) throws {
    var o = FraudSimulator.Options()
    o.fraudRate = rate
    let spec = try SpecSource.load("fraud", seed: seed, rows: users, fraud: o)
    var job: GenerateJob
    switch target {
    case .sqlite(let path):
      job = GenerateJob(
        spec: spec, seed: seed, format: .sqlite, destination: .directory((path as NSString).deletingLastPathComponent))
      job.sqlitePath = path
    case .postgres(let url):
      let s = try PostgresSession(url: url)
      try FraudSchema.create(spec: spec, session: s, dropTables: true)
      s.close()
      job = GenerateJob(spec: spec, seed: seed, format: .postgres, destination: .directory("."))
      job.databaseURL = url
      job.createTables = false
    }
    _ = try job.run()
  }

  /// A database of its own on the CI server, so other suites' fraud tables are not touched.
  static func ownPostgresDatabase() throws -> String? {
    guard let url = postgresURL, let slash = url.lastIndex(of: "/") else { return nil }
    let s = try PostgresSession(url: url)
    defer { s.close() }
    try s.execute("COMMIT")
    if try s.queryText("SELECT datname::text FROM pg_database WHERE datname = 'decoy_features'").isEmpty {
      try s.execute("CREATE DATABASE decoy_features")
    }
    try s.execute("BEGIN")
    return String(url[..<slash]) + "/decoy_features"
  }

  struct Record {
    var id: String
    var user: String
    var t: Int64
    var amount: Int64
    var balance: Int64
    var off: Bool
    var conn24: Int
    var merchant: Int
  }

  struct Features: Equatable {
    var velocity24: Int
    var ratio30: Double
    var z: Double
    var velocity7: Int
    var maxAmount30: Double
    var offHours7: Int
    var connections24: Int
    var merchant: Int
  }

  /// Seconds since the epoch of ISO text (`2025-07-09T18:16:39Z`) or PostgreSQL's (`2025-07-09 18:16:39`).
  static func seconds(_ s: String) -> Int64 {
    let day = CivilDate(iso: String(s.prefix(10)))!.dayNumber
    let p = s.dropFirst(11).prefix(8).split(separator: ":").map { Int64($0)! }
    return day * 86_400 + p[0] * 3_600 + p[1] * 60 + p[2]
  }

  /// Cents of decimal text ("17477", "15623.67", "17477.00").
  static func cents(_ s: String) -> Int64 {
    let parts = s.split(separator: ".", omittingEmptySubsequences: false)
    let whole = Int64(parts[0])!
    let frac = parts.count > 1 ? Int64((parts[1] + "00").prefix(2))! : 0
    return whole * 100 + (s.hasPrefix("-") ? -frac : frac)
  }

  static func records(_ s: any SQLSession) throws -> [Record] {
    let pg = s.dialect == .postgres
    let text = { (c: String) in pg ? "\(c)::text" : "CAST(\(c) AS TEXT)" }
    let off = pg ? "CASE WHEN is_off_hours_txn THEN '1' ELSE '0' END" : text("is_off_hours_txn")
    let sql =
      "SELECT "
      + [
        "record_id", "user_id", text("transaction_timestamp"), text("amount"), text("available_balance"), off,
        text("bank_connections_count_24h"), text("merchant_risk_score"),
      ].joined(separator: " || '|' || ") + " FROM generated_records"
    return try s.queryText(sql).map { line in
      let f = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
      return Record(
        id: f[0], user: f[1], t: seconds(f[2]), amount: cents(f[3]), balance: cents(f[4]), off: f[5] == "1",
        conn24: Int(f[6])!, merchant: Int(f[7])!)
    }
  }

  /// The features as stored, by record id (floats printed exactly).
  static func stored(_ s: any SQLSession) throws -> [String: Features] {
    let pg = s.dialect == .postgres
    // PostgreSQL prints the shortest text that reads back exactly; SQLite needs 17 digits ('!' lifts its cap of 16).
    let exact = { (c: String) in pg ? "\(c)::text" : "printf('%!.17g', \(c))" }
    let sql =
      "SELECT record_id || '|' || velocity_24h || '|' || \(exact("amount_to_avg_ratio_30d")) || '|' || \(exact("balance_volatility_z_score"))"
      + " || '|' || \(pg ? "experimental_signals::text" : "experimental_signals") FROM feature_snapshots"
    var out: [String: Features] = [:]
    for line in try s.queryText(sql) {
      let f = line.split(separator: "|", maxSplits: 4).map(String.init)
      let json = try #require(try JSONSerialization.jsonObject(with: Data(f[4].utf8)) as? [String: Any])
      #expect(
        Set(json.keys) == [
          "velocity_7d", "max_amount_30d", "off_hours_count_7d", "bank_connections_24h", "merchant_risk_score",
        ])
      out[f[0]] = Features(
        velocity24: Int(f[1])!, ratio30: Double(f[2])!, z: Double(f[3])!,
        velocity7: (json["velocity_7d"] as! NSNumber).intValue,
        maxAmount30: (json["max_amount_30d"] as! NSNumber).doubleValue,
        offHours7: (json["off_hours_count_7d"] as! NSNumber).intValue,
        connections24: (json["bank_connections_24h"] as! NSNumber).intValue,
        merchant: (json["merchant_risk_score"] as! NSNumber).intValue)
    }
    return out
  }

  /// §4.7 by brute force: for each record, every record of its user at most 24 h / 7 d / 30 d
  /// before it (inclusive), the record itself included; nothing later.
  static func bruteForce(_ records: [Record]) -> [String: Features] {
    var out: [String: Features] = [:]
    for (_, rows) in Dictionary(grouping: records, by: \.user) {
      for r in rows {
        let w24 = rows.filter { $0.t <= r.t && $0.t >= r.t - 86_400 }
        let w7 = rows.filter { $0.t <= r.t && $0.t >= r.t - 7 * 86_400 }
        let w30 = rows.filter { $0.t <= r.t && $0.t >= r.t - 30 * 86_400 }
        let n = Int64(w30.count)
        let sa = w30.reduce(0) { $0 + $1.amount }
        let sb = w30.reduce(0) { $0 + $1.balance }
        let qb = w30.reduce(0) { $0 + $1.balance * $1.balance }
        let spread = n * qb - sb * sb
        let z =
          n < 2 || spread <= 0
          ? 0.0 : Double(n * r.balance - sb) / (Double(n) * Double(spread) / Double(n - 1)).squareRoot()
        out[r.id] = Features(
          velocity24: w24.count, ratio30: sa > 0 ? Double(n * r.amount) / Double(sa) : 1.0, z: z,
          velocity7: w7.count, maxAmount30: Double(w30.map(\.amount).max()!) / 100.0, offHours7: w7.filter(\.off).count,
          connections24: r.conn24, merchant: r.merchant)
      }
    }
    return out
  }

  static func expectClose(_ got: [String: Features], _ want: [String: Features], _ context: String) {
    #expect(got.count == want.count, "\(context): \(got.count) snapshots for \(want.count) records")
    var bad = 0
    for (id, w) in want {
      guard let g = got[id] else {
        bad += 1
        continue
      }
      func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 * max(1, abs(b)) }
      if g.velocity24 != w.velocity24 || g.velocity7 != w.velocity7 || g.offHours7 != w.offHours7
        || g.connections24 != w.connections24
        || g.merchant != w.merchant || g.maxAmount30 != w.maxAmount30 || !close(g.ratio30, w.ratio30)
        || !close(g.z, w.z)
      {
        if bad < 3 { Issue.record("\(context): \(id) stored \(g), recomputed \(w)") }
        bad += 1
      }
    }
    #expect(bad == 0, "\(context): \(bad) records differ")
  }

  @Test func everyFeatureEqualsABruteForceRecomputationForEveryBatchSize() throws {
    try Self.withSeededSQLite(users: 400) { s in
      let records = try Self.records(s)
      let want = Self.bruteForce(records)
      #expect(
        want.values.contains { $0.velocity24 > 1 } && want.values.contains { $0.z != 0 },
        "the windows hold more than one row")
      let store = FeatureStore(session: s)
      try store.prepare()
      for batch in [1, 7, 1000] {
        try s.execute("DELETE FROM feature_snapshots")
        try s.checkpoint()
        let summary = try store.materialize(batchSize: batch)
        #expect(summary.users == 400 && summary.records == records.count)
        #expect(batch > 1 || summary.batches == 400, "batch size 1: one user per batch")
        #expect(try store.pending() == 0)
        Self.expectClose(try Self.stored(s), want, "batch size \(batch)")
      }

      // Incremental: records appended to 25 existing users (3 h and 2 days after their last one);
      // only those users are recomputed, over their full history.
      try s.execute(
        """
        INSERT INTO generated_records SELECT id + 1000000, record_id || 'x', user_id, full_name, email, phone,
          strftime('%Y-%m-%dT%H:%M:%SZ', transaction_timestamp, '+3 hours'), is_off_hours_txn, available_balance + 12.5,
          balance_to_transaction_ratio, avg_available_balance_30d, balance_volatility_z_score, bank_connections_count_24h,
          bank_connections_count_7d, bank_connections_avg_30d, amount * 3, amount_to_avg_ratio, merchant_risk_score, is_returned,
          email_changed_at, phone_changed_at, is_fraudulent, fraud_type, created_at
        FROM generated_records g WHERE user_id IN (SELECT DISTINCT user_id FROM generated_records ORDER BY user_id LIMIT 25)
          AND transaction_timestamp = (SELECT max(transaction_timestamp) FROM generated_records h WHERE h.user_id = g.user_id);
        INSERT INTO generated_records SELECT id + 2000000, record_id || 'y', user_id, full_name, email, phone,
          strftime('%Y-%m-%dT%H:%M:%SZ', transaction_timestamp, '+2 days'), 1, 0.5, balance_to_transaction_ratio,
          avg_available_balance_30d, balance_volatility_z_score, bank_connections_count_24h, bank_connections_count_7d,
          bank_connections_avg_30d, 0.01, amount_to_avg_ratio, merchant_risk_score, is_returned, email_changed_at, phone_changed_at,
          is_fraudulent, fraud_type, created_at
        FROM generated_records WHERE record_id LIKE '%x'
        """)
      try s.checkpoint()
      let before = try Self.stored(s)
      let summary = try store.materialize(batchSize: 7)
      let pendingAfter = try store.pending()
      #expect(summary.users == 25 && pendingAfter == 0)
      let appended = try Self.records(s)
      #expect(appended.count == records.count + 50)
      let after = try Self.stored(s)
      Self.expectClose(after, Self.bruteForce(appended), "incremental")
      let touched = Set(appended.filter { $0.id.hasSuffix("x") }.map(\.user))
      #expect(
        records.filter { !touched.contains($0.user) }.allSatisfy { after[$0.id] == before[$0.id] },
        "other users' snapshots are kept")
    }
  }

  /// Changing every user's last record (and recomputing) leaves every earlier row's features as they were.
  @Test func noFeatureUsesALaterRow() throws {
    try Self.withSeededSQLite(users: 150) { s in
      let store = FeatureStore(session: s)
      _ = try store.materialize()
      let before = try Self.stored(s)
      let last =
        "SELECT record_id FROM generated_records g WHERE transaction_timestamp = (SELECT max(transaction_timestamp) FROM generated_records h WHERE h.user_id = g.user_id)"
      let lastIDs = Set(try s.queryText(last))
      try s.execute(
        "UPDATE generated_records SET amount = amount * 7 + 1, available_balance = 99999, is_off_hours_txn = 1 - is_off_hours_txn WHERE record_id IN (\(last))"
      )
      try s.execute("DELETE FROM feature_snapshots WHERE record_id IN (\(last))")
      try s.checkpoint()
      #expect(try store.materialize().users == 150)
      let after = try Self.stored(s)
      #expect(before.filter { !lastIDs.contains($0.key) }.allSatisfy { after[$0.key] == $0.value })
      #expect(lastIDs.contains { after[$0] != before[$0] }, "the changed rows' own features change")
    }
  }

  @Test(.enabled(if: postgresURL != nil, "needs DECOY_TEST_POSTGRES_URL (set by .ci/run)"))
  func postgresAndSQLiteGiveTheSameFeaturesAndTheShippedDDL() throws {
    let url = try #require(try Self.ownPostgresDatabase())
    let dir = try Self.tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var results: [[String: Features]] = []
    for target in [Target.sqlite(dir + "/f.db"), .postgres(url)] {
      try Self.seed(target, users: 300, seed: 7)
      let s = try target.session()
      defer { s.close() }
      _ = try FeatureStore(session: s).materialize(batchSize: 500)
      let got = try Self.stored(s)
      Self.expectClose(got, Self.bruteForce(try Self.records(s)), "\(s.dialect)")
      results.append(got)
    }
    let differing = results[0].filter { results[1][$0.key] != $0.value }
    #expect(
      results[0].count == results[1].count && differing.isEmpty,
      "SQLite and PostgreSQL agree exactly; differ on \(differing.prefix(3))")

    // Catalog: the foreign key cascades, record_id is uniquely indexed, the signals have a GIN index.
    let pg = try PostgresSession(url: url)
    defer { pg.close() }
    #expect(
      try pg.queryText(
        "SELECT confdeltype::text FROM pg_constraint WHERE conrelid = 'feature_snapshots'::regclass AND contype = 'f'")
        == ["c"])
    let indexes = try pg.queryText(
      "SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE tablename = 'feature_snapshots' ORDER BY indexname")
    #expect(indexes.contains { $0.hasPrefix("ix_feature_snapshots_record_id CREATE UNIQUE INDEX") })
    #expect(
      indexes.contains {
        $0.hasPrefix("ix_feature_snapshots_signals") && $0.contains("USING gin (experimental_signals)")
      })
    #expect(indexes.contains { $0.hasPrefix("ix_feature_snapshots_user_id") })
    let five = "SELECT record_id FROM generated_records ORDER BY record_id LIMIT 5"
    try pg.execute("DELETE FROM evaluation_metadata WHERE record_id IN (\(five))")
    try pg.execute("DELETE FROM generated_records WHERE record_id IN (\(five))")
    #expect(
      try pg.queryText("SELECT count(*)::text FROM feature_snapshots") == [String(results[1].count - 5)],
      "deleting records cascades")
    let sqlite = try SQLiteSession(path: dir + "/f.db")
    defer { sqlite.close() }
    #expect(
      try sqlite.queryText("SELECT \"table\" || ' ' || on_delete FROM pragma_foreign_key_list('feature_snapshots')")
        == ["generated_records CASCADE"])
  }

  @Test func badBatchSizesAreClearErrors() throws {
    let dir = try Self.tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Self.seed(.sqlite(dir + "/f.db"), users: 20)
    let s = try SQLiteSession(path: dir + "/f.db")
    defer { s.close() }
    #expect(throws: DecoyError.usage("--batch-size must be at least 1", hint: nil)) {
      try FeatureStore(session: s).materialize(batchSize: 0)
    }
    #expect(throws: DecoyError.usage("--max-batches must be at least 1", hint: nil)) {
      try FeatureStore(session: s).materialize(maxBatches: 0)
    }
    #expect(throws: DecoyError.self) { try SQLiteSession(path: dir + "/missing.db") }
  }
}
