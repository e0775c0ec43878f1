import DecoyCore
import DecoyIO
import DecoyTestSupport
import Foundation
import Testing

/// `decoy fraud seed | stats` run as a user would, against a SQLite file and the CI PostgreSQL server;
/// the figures are checked with the sqlite3 shell and psql.
extension CLITests {
  @Test func fraudSeedAndStatsOnSQLite() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let url = "sqlite:///\(dir)/fraud.db"
    let seed = try decoy([
      "fraud", "seed", "--users", "1500", "--fraud-rate", "0.1", "--seed", "0", "--database-url", url,
    ])
    #expect(seed.status == 0, "\(seed.stderr)")
    let shell = Process()
    shell.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    shell.arguments = [
      "sqlite3", "\(dir)/fraud.db",
      "SELECT count(*), count(DISTINCT user_id), sum(is_fraudulent) FROM generated_records; SELECT sum(is_train_eligible) FROM evaluation_metadata;",
    ]
    let pipe = Pipe()
    shell.standardOutput = pipe
    try shell.run()
    let figures = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(
      separator: "\n"
    ).map(String.init)
    shell.waitUntilExit()
    let first = figures[0].split(separator: "|").map(String.init)
    // The summary goes to stderr (stdout is for data), with the seed and the simulation date.
    #expect(seed.stdout.isEmpty && seed.stderr.contains("Successfully generated \(first[0]) transaction records"))
    #expect(seed.stderr.contains("Train-eligible: \(figures[1])"))
    #expect(seed.stderr.contains("seed 0, as of 2025-10-14"), "\(seed.stderr)")
    let stats = try decoy(["fraud", "stats", "--database-url", url])
    #expect(stats.status == 0, "\(stats.stderr)")
    #expect(stats.stdout.contains("Total records: \(first[0])") && stats.stdout.contains("Unique users: 1500"))
    #expect(stats.stdout.contains("Fraudulent records: \(first[2])") && stats.stdout.contains("Fraud rate (users): "))
    // Bad input: a rate that gives no fraud user, an unknown URL scheme, a missing database.
    #expect(try decoy(["fraud", "seed", "--users", "5", "--fraud-rate", "0.01", "--database-url", url]).status == 2)
    #expect(try decoy(["fraud", "stats", "--database-url", "mysql://x"]).status == 2)
    #expect(try decoy(["fraud", "stats", "--database-url", "sqlite:///\(dir)/missing.db"]).status == 4)
  }

  /// init-db, seed, materialize in turn; a second materialize has nothing to do; bad input exits 2 or 4.
  @Test func fraudInitDBSeedAndMaterializeOnSQLite() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let url = "sqlite:///\(dir)/fraud.db"
    let initDB = try decoy(["fraud", "init-db", "--database-url", url])
    #expect(initDB.status == 0 && initDB.stderr.contains("Database initialized successfully"), "\(initDB.stderr)")
    #expect(try decoy(["fraud", "seed", "--users", "300", "--database-url", url, "--quiet"]).status == 0)
    let first = try decoy(["fraud", "materialize", "--database-url", url, "--batch-size", "250"])
    #expect(first.status == 0, "\(first.stderr)")
    let stats = try decoy(["fraud", "stats", "--database-url", url])
    let total = try #require(
      stats.stdout.split(separator: "\n").first { $0.hasPrefix("Total records: ") }?.split(separator: " ").last)
    #expect(
      first.stderr.contains(
        "Materialized \(Int(total)!.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))) feature snapshots for 300 users"
      ), "\(first.stderr)")
    #expect(first.stderr.contains("Pending: 0"))
    let again = try decoy(["fraud", "materialize", "--database-url", url])
    #expect(again.stderr.contains("Materialized 0 feature snapshots for 0 users"))
    // The training set at a cut-off 45 days before the as-of date, checked row by row against
    // the records and metadata (train: matured and not after the event; test: after the cut-off).
    let cutoff = CivilDate(year: 2025, month: 8, day: 30).dayNumber * 86_400
    let built = try decoy(["fraud", "training-set", "--database-url", url, "--cutoff", "2025-08-30"])
    #expect(built.status == 0 && built.stderr.hasPrefix("Training set: "), "\(built.stdout)\(built.stderr)")
    let path = String(url.dropFirst("sqlite:///".count))
    let rows = try SQLiteWriter.queryText(
      path: path,
      """
      SELECT r.record_id || '|' || strftime('%s', r.transaction_timestamp) || '|' || m.is_fraud_truth || '|' ||
        COALESCE(strftime('%s', m.fraud_event_at), '') || '|' || COALESCE(strftime('%s', m.fraud_confirmed_at), '') || '|' ||
        COALESCE(t.split, '') || '|' || COALESCE(t.label, '') || '|' || COALESCE(t.label_known_at_cutoff, '')
      FROM generated_records r JOIN evaluation_metadata m ON m.record_id = r.record_id
      LEFT JOIN training_set t ON t.record_id = r.record_id
      """)
    var splits: [String: Int] = [:]
    for row in rows {
      let p = row.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
      let ts = Int64(p[1])!
      let truth = p[2] == "1"
      let event = Int64(p[3])
      let confirmed = Int64(p[4])
      let known = truth && confirmed.map { $0 <= cutoff } == true
      let expected =
        ts > cutoff ? "test" : ts <= cutoff - 60 * 86_400 && (event.map { ts <= $0 } ?? true) ? "train" : ""
      #expect(p[5] == expected, "\(row)")
      if expected == "train" {
        #expect(p[6] == (known ? "1" : "0") && (!truth || known), "\(row): a train label must be final")
      }
      if expected == "test" { #expect(p[6] == (truth ? "1" : "0") && p[7] == (known ? "1" : "0"), "\(row)") }
      splits[expected, default: 0] += 1
    }
    #expect(
      splits["train", default: 0] > 0 && splits["test", default: 0] > 0 && splits["", default: 0] > 0, "\(splits)")
    // The export: the table's rows in (user, time) order as CSV, and the same values as Parquet
    // read by pyarrow.
    let exported = try decoy([
      "fraud", "training-set", "--database-url", url, "--cutoff", "2025-08-30", "--out", "\(dir)/ts.csv", "--quiet",
    ])
    #expect(exported.status == 0, "\(exported.stderr)")
    let table = try SQLiteWriter.queryText(
      path: path,
      "SELECT record_id || ',' || split || ',' || label FROM training_set ORDER BY user_id, transaction_timestamp")
    let csv = try CSVReaderForTests(path: "\(dir)/ts.csv").rows
    #expect(csv.map { "\($0["record_id"]!),\($0["split"]!),\($0["label"]!)" } == table)
    #expect(csv.count == splits["train", default: 0] + splits["test", default: 0])
    #expect(csv.allSatisfy { Double($0["amount"]!)! > 0 && Int($0["velocity_7d"]!)! >= Int($0["velocity_24h"]!)! })
    if TestPython.path != nil {
      #expect(
        try decoy([
          "fraud", "training-set", "--database-url", url, "--cutoff", "2025-08-30", "--out", "\(dir)/ts.parquet",
          "--quiet",
        ]).status == 0)
      let (status, out) = try TestPython.run(
        """
        import sys, pyarrow.parquet as pq, pyarrow.csv as pc
        p = pq.read_table(sys.argv[1]); c = pc.read_csv(sys.argv[2])
        assert p.num_rows == c.num_rows, (p.num_rows, c.num_rows)
        for name in c.column_names:
            a, b = p.column(name).to_pylist(), c.column(name).to_pylist()
            if name == "transaction_timestamp":
                a = [x.strftime("%Y-%m-%dT%H:%M:%S") for x in a]; b = [x.strftime("%Y-%m-%dT%H:%M:%S") for x in b]
            a = [float(x) if hasattr(x, "as_tuple") else x for x in a]  # Decimal → float
            assert a == b, name
        print("ok", p.num_rows)
        """, ["\(dir)/ts.parquet", "\(dir)/ts.csv"])
      #expect(status == 0 && out.hasPrefix("ok \(csv.count)"), "\(out)")
    }
    let badName = try decoy([
      "fraud", "training-set", "--database-url", url, "--cutoff", "2025-08-30", "--out", "\(dir)/ts.xlsx",
    ])
    #expect(
      badName.status == 2 && badName.stderr.contains(".parquet")
        && !FileManager.default.fileExists(atPath: "\(dir)/ts.xlsx"))
    #expect(try decoy(["fraud", "training-set", "--database-url", url, "--cutoff", "30/08/2025"]).status == 2)
    #expect(try decoy(["fraud", "materialize", "--database-url", url, "--batch-size", "0"]).status == 2)
    #expect(try decoy(["fraud", "materialize", "--database-url", "sqlite:///\(dir)/missing.db"]).status == 4)
  }

  /// `seed --legacy --no-graph -v`: the reference's legacy counts (G1–G2: 1 user → 1 record,
  /// 10 → 10), no graph tables, per-table timings and SQL on stderr; the records keep the
  /// reference's keys (`id` primary key, `record_id` unique).
  @Test func fraudLegacySeedWithoutGraphVerboseOnSQLite() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    for users in [1, 10] {
      let url = "sqlite:///\(dir)/legacy\(users).db"
      let seed = try decoy([
        "fraud", "seed", "--legacy", "--no-graph", "--users", "\(users)", "--database-url", url, "-v",
      ])
      #expect(seed.status == 0, "\(seed.stderr)")
      #expect(seed.stderr.contains("Successfully generated \(users) transaction records"), "\(seed.stderr)")
      #expect(seed.stderr.contains("debug: table generated_records: \(users) rows in "), "\(seed.stderr)")
      let path = "\(dir)/legacy\(users).db"
      #expect(
        try SQLiteWriter.queryText(path: path, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
          == ["evaluation_metadata", "generated_records", "users"])
      #expect(
        try SQLiteWriter.queryText(path: path, "SELECT CAST(count(*) AS TEXT) FROM evaluation_metadata") == ["\(users)"]
      )
    }
    let path = "\(dir)/legacy10.db"
    let keys = try SQLiteWriter.queryText(
      path: path,
      """
      SELECT (SELECT name FROM pragma_table_info('generated_records') WHERE pk = 1) || '|' ||
        (SELECT group_concat(i.name) FROM pragma_index_list('generated_records') i JOIN pragma_index_info(i.name) c
         WHERE i."unique" = 1 AND c.name = 'record_id')
      """)
    #expect(keys == ["id|ux_generated_records_record_id"], "\(keys)")
    let materialize = try decoy(["fraud", "materialize", "--database-url", "sqlite:///\(path)", "--verbose"])
    #expect(
      materialize.status == 0 && materialize.stderr.contains("debug: sql ")
        && materialize.stderr.contains("INSERT INTO feature_snapshots"),
      "\(materialize.stderr)")
    let quiet = try decoy(["fraud", "stats", "--database-url", "sqlite:///\(path)", "--verbose", "--quiet"])
    #expect(quiet.status == 0 && quiet.stderr.isEmpty, "--quiet wins over --verbose")
  }

  @Test(.enabled(if: SQLLoadTests.postgresURL != nil, "needs DECOY_TEST_POSTGRES_URL (set by .ci/run)"))
  func fraudSeedAndStatsOnPostgres() throws {
    let url = SQLLoadTests.postgresURL!
    let seed = try decoy(["fraud", "seed", "--users", "800", "--database-url", url, "--drop-tables", "--quiet"])
    #expect(seed.status == 0, "\(seed.stderr)")
    let stats = try decoy(["fraud", "stats", "--database-url", url])
    #expect(stats.status == 0 && stats.stdout.contains("Unique users: 800"), "\(stats.stdout)\(stats.stderr)")
    // The reference's keys, added after the COPY: `id` primary key, `record_id` unique, the
    // metadata's foreign key to it.
    let constraints = try SQLLoadTests().sh([
      "psql", url, "-At", "-c",
      """
      SELECT conname FROM pg_constraint WHERE conrelid IN ('generated_records'::regclass, 'evaluation_metadata'::regclass) ORDER BY conname
      """,
    ])
    #expect(
      constraints.out.split(separator: "\n") == [
        "evaluation_metadata_pkey", "evaluation_metadata_record_id_fkey", "evaluation_metadata_record_id_key",
        "generated_records_pkey", "generated_records_record_id_key", "generated_records_user_id_fkey",
      ], "\(constraints.out)")
    // Text keys, and only they, compare bytewise (COLLATE "C"), at both ends of every foreign key
    // (a column with the database's default collation takes the key's in a join).
    let collated = try SQLLoadTests().sh([
      "psql", url, "-At", "-c",
      """
      SELECT table_name || '.' || column_name FROM information_schema.columns
      WHERE table_name IN ('users', 'generated_records', 'evaluation_metadata') AND collation_name = 'C'
      ORDER BY 1
      """,
    ])
    #expect(
      collated.out.split(separator: "\n") == [
        "evaluation_metadata.record_id", "generated_records.record_id", "generated_records.user_id",
        "users.user_id",
      ], "\(collated.out)")
    // Materialize and the training set give the same figures as on SQLite for the same seed.
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let lite = "sqlite:///\(dir)/fraud.db"
    #expect(try decoy(["fraud", "seed", "--users", "800", "--database-url", lite, "--quiet"]).status == 0)
    var lines: [String] = []
    for db in [url, lite] {
      let m = try decoy(["fraud", "materialize", "--database-url", db, "--batch-size", "1000"])
      #expect(m.status == 0, "\(m.stderr)")
      let file = "\(dir)/\(db == url ? "pg" : "lite").csv"
      let t = try decoy(["fraud", "training-set", "--database-url", db, "--cutoff", "2025-08-30", "--out", file])
      #expect(t.status == 0 && t.stderr.hasPrefix("Training set: "), "\(t.stdout)\(t.stderr)")
      // The figures, not the timings.
      let figures = (m.stderr + t.stderr).split(separator: "\n").filter {
        $0.hasPrefix("Materialized") || $0.hasPrefix("Pending") || $0.hasPrefix("Training set")
      }
      lines.append(figures.joined(separator: "\n"))
    }
    #expect(lines[0] == lines[1], "PostgreSQL and SQLite differ:\n\(lines[0])\n\(lines[1])")
    // Every value of the exported training set is the same, to the last digit.
    let exports = try ["pg", "lite"].map { try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\($0).csv")) }
    #expect(exports[0] == exports[1] && exports[0].count > 10_000, "the PostgreSQL and SQLite exports differ")
    let again = try decoy(["fraud", "seed", "--users", "800", "--database-url", url, "--quiet"])
    #expect(
      again.status != 0 && again.stderr.contains("--drop-tables"), "a second seed without --drop-tables is refused")
    // Another seed appends, numbering on from the rows there.
    let append = try decoy([
      "fraud", "seed", "--users", "50", "--seed", "9", "--no-graph", "--database-url", url, "--quiet",
    ])
    #expect(append.status == 0, "\(append.stderr)")
    let ids = try SQLLoadTests().sh([
      "psql", url, "-At", "-c",
      "SELECT count(*) = max(id) AND min(id) = 1, (SELECT count(*) = max(id) FROM evaluation_metadata), count(DISTINCT user_id) FROM generated_records",
    ])
    #expect(ids.out.trimmingCharacters(in: .whitespacesAndNewlines) == "t|t|850", "\(ids.out)")
  }
}
