import ArgumentParser
import DecoyCore
import DecoyIO
import DecoyKit
import DecoyScenarios
import Foundation

/// `decoy fraud seed | init-db | stats | materialize`: the reference project's commands
/// (specs/fraud.md §4.8) over Decoy's fraud scenario and feature store. The database is a SQLite
/// file (`sqlite:///path.db`, the default) or PostgreSQL.
struct FraudCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fraud",
    abstract: "Seed and inspect a fraud database (transactions, typologies, delayed labels, metadata, graph).",
    subcommands: [Seed.self, InitDB.self, Stats.self, Materialize.self, TrainingSetCommand.self])

  /// Where the tables live.
  enum Database {
    case sqlite(String)
    case postgres(String)

    static func parse(_ url: String?) throws -> Database {
      let u = url ?? ProcessInfo.processInfo.environment["DATABASE_URL"] ?? "sqlite:///decoy-fraud.db"
      if u.hasPrefix("sqlite:///") { return .sqlite(String(u.dropFirst("sqlite:///".count))) }
      if u.hasPrefix("postgres://") || u.hasPrefix("postgresql://") { return .postgres(u) }
      throw DecoyError.usage(
        "--database-url must be sqlite:///path/file.db or postgres://user@host:5432/db", hint: "got '\(u)'")
    }
  }

  struct Seed: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "seed", abstract: "Generate users and their transactions into the database.")
    @Option(name: [.customLong("users"), .customShort("u")], help: "Users.") var users: UInt64 = 100
    @Option(name: [.customLong("fraud-rate"), .customShort("f")], help: "Share of fraud users, 0–1.") var fraudRate =
      0.05
    @Option(name: [.customLong("seed"), .customShort("s")], help: "Seed (0 is a seed like any other).") var seed:
      UInt64 = 42
    @Option(name: [.customLong("batch-size"), .customShort("b")], help: "Rows per batch (never changes values).")
    var batchSize = 500
    @Option(
      name: .customLong("database-url"),
      help: "sqlite:///path/file.db or postgres://… (default: $DATABASE_URL, else sqlite:///decoy-fraud.db).")
    var databaseURL: String?
    @Flag(
      name: .customLong("drop-tables"), help: "Drop Decoy's fraud tables first (PostgreSQL; a SQLite file is replaced)."
    ) var dropTables = false
    @Option(
      name: .customLong("as-of"),
      help: ArgumentHelp("The simulation date YYYY-MM-DD (default \(GenerationContext.defaultToday)).")) var asOf:
      String?
    @Flag(
      name: .customLong("legacy"),
      help:
        "The reference's legacy generator: one transaction per user, liquidity crunch, link burst and takeover only.")
    var legacy = false
    @Flag(
      name: .customLong("graph"), inversion: .prefixedNo,
      help: "Also write the device/IP/account graph (graph_nodes, graph_edges).")
    var graph = true
    @OptionGroup var log: LogOptions

    func run() throws {
      let reporter = log.reporter
      try runReporting(reporter) {
        guard batchSize >= 1 else { throw DecoyError.usage("--batch-size must be at least 1", hint: nil) }
        var o = FraudSimulator.Options()
        o.users = users
        o.fraudRate = fraudRate
        o.legacy = legacy
        o.graph = graph
        if let d = try parseDate(asOf, option: "--as-of") { o.asOf = d.dayNumber * 86_400 }
        let db = try Database.parse(databaseURL)
        var job: GenerateJob
        switch db {
        case .sqlite(let path):
          let spec = try SpecSource.load("fraud", seed: seed, rows: users, fraud: o)
          let dir = (path as NSString).deletingLastPathComponent
          job = GenerateJob(spec: spec, seed: seed, format: .sqlite, destination: .directory(dir.isEmpty ? "." : dir))
          job.sqlitePath = path
        case .postgres(let url):
          // New or empty tables (e.g. from init-db) are made again by the writer, which adds the keys
          // after the COPY; tables with rows are appended to, like the reference's create_all, with
          // `id` numbering continued after the rows there.
          let session = try FraudCommand.session(db, reporter: reporter)
          let records = try FraudSchema.recordCount(session: session)
          let fresh = dropTables || records ?? 0 == 0
          if !fresh { o.idOffset = Int64(try session.count("SELECT COALESCE(max(id), 0) FROM generated_records")) }
          let spec = try SpecSource.load("fraud", seed: seed, rows: users, fraud: o)
          if fresh { try FraudSchema.drop(spec: spec, session: session) }
          try session.checkpoint()
          session.close()
          job = GenerateJob(spec: spec, seed: seed, format: .postgres, destination: .directory("."))
          job.databaseURL = url
          job.createTables = fresh
        }
        job.engine = Engine.Options(threads: Engine.defaultThreads, batchSize: batchSize)
        job.onStep = { reporter.step($0, rows: $1, seconds: $2) }
        let s = try job.run { done, total in reporter.progress(done: done, total: total) }
        reporter.finish()
        let stats = try FraudCommand.stats(db, full: false)
        reporter.info("Successfully generated \(stats.total) transaction records")
        reporter.info("Train-eligible: \(stats.trainEligible)")
        reporter.info("Evaluation-only: \(stats.evaluationOnly)")
        let asOfDay = CivilDate(dayNumber: o.asOf.quotientAndRemainder(dividingBy: 86_400).quotient)
        reporter.info(
          "seeding complete: \(Reporter.group(s.rows)) rows in all tables in \(Reporter.duration(s.seconds)), seed \(seed), as of \(asOfDay)",
          fields: ["rows": s.rows, "seconds": s.seconds, "seed": seed, "as_of": asOfDay.description])
      }
    }
  }

  struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "stats", abstract: "Print record- and user-level fraud figures and the train/evaluation split.")
    @Option(
      name: .customLong("database-url"),
      help: "sqlite:///path/file.db or postgres://… (default: $DATABASE_URL, else sqlite:///decoy-fraud.db).")
    var databaseURL: String?
    @OptionGroup var log: LogOptions

    func run() throws {
      try runReporting(log.reporter) {
        for line in try FraudCommand.stats(try Database.parse(databaseURL)).lines { print(line) }
      }
    }
  }

  struct InitDB: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "init-db",
      abstract: "Create the fraud tables (records, metadata, users, graph, feature_snapshots) where missing.")
    @Option(
      name: .customLong("database-url"),
      help: "sqlite:///path/file.db or postgres://… (default: $DATABASE_URL, else sqlite:///decoy-fraud.db).")
    var databaseURL: String?
    @Flag(name: .customLong("drop-tables"), help: "Drop Decoy's fraud tables first (only those).") var dropTables =
      false
    @OptionGroup var log: LogOptions

    func run() throws {
      let reporter = log.reporter
      try runReporting(reporter) {
        let db = try Database.parse(databaseURL)
        let session = try FraudCommand.session(db, create: true, reporter: reporter)
        defer { session.close() }
        let spec = try SpecSource.load("fraud", seed: 42, rows: 100, fraud: FraudSimulator.Options())
        let tables = try FraudSchema.create(spec: spec, session: session, dropTables: dropTables)
        reporter.info("tables ready: \(tables.joined(separator: ", "))")
        reporter.info("Database initialized successfully")
      }
    }
  }

  struct Materialize: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "materialize",
      abstract:
        "Compute feature_snapshots (24 h / 7 d / 30 d windows) in the database for every user with new records.",
      discussion:
        "Set-based window SQL over each affected user's full history, in batches of whole users; the batch size never changes a value."
    )
    @Option(
      name: .customLong("database-url"),
      help: "sqlite:///path/file.db or postgres://… (default: $DATABASE_URL, else sqlite:///decoy-fraud.db).")
    var databaseURL: String?
    @Option(name: [.customLong("batch-size"), .customShort("b")], help: "Records per transaction, in whole users.")
    var batchSize = 10_000
    @Option(name: .customLong("max-batches"), help: "Stop after this many batches (the rest stays pending).")
    var maxBatches: Int?
    @OptionGroup var log: LogOptions

    func run() throws {
      let reporter = log.reporter
      try runReporting(reporter) {
        let session = try FraudCommand.session(try Database.parse(databaseURL), reporter: reporter)
        defer { session.close() }
        let start = DispatchTime.now()
        let store = FeatureStore(session: session)
        let s = try store.materialize(batchSize: batchSize, maxBatches: maxBatches) { done, total in
          reporter.progress(done: UInt64(done), total: UInt64(total))
        }
        reporter.finish()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let pending = try store.pending()
        reporter.info(
          "Materialized \(Reporter.group(UInt64(s.records))) feature snapshots for \(Reporter.group(UInt64(s.users))) users in \(s.batches) batch\(s.batches == 1 ? "" : "es")"
        )
        reporter.info("Pending: \(pending)")
        reporter.info(
          String(
            format: "materialize complete in %.2fs (%.0f records/s)", seconds, Double(s.records) / max(seconds, 1e-9)))
      }
    }
  }

  struct TrainingSetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "training-set",
      abstract: "Build the training_set table: features, the label as known at a cut-off, and the train/test split.",
      discussion: """
        train: rows at or before cutoff − maturity, none after the user's fraud event (labels final by the cut-off); test: rows after the cut-off, labelled with the ground truth. Run `decoy fraud materialize` first.
        """)
    @Option(
      name: .customLong("database-url"),
      help: "sqlite:///path/file.db or postgres://… (default: $DATABASE_URL, else sqlite:///decoy-fraud.db).")
    var databaseURL: String?
    @Option(name: .customLong("cutoff"), help: "The cut-off date YYYY-MM-DD (00:00 UTC).") var cutoff: String
    @Option(name: .customLong("maturity-days"), help: "Days a label needs to mature (60 is the longest delay).")
    var maturityDays = 60.0
    @Option(
      name: [.customLong("out"), .customShort("o")],
      help: "Also write the training set to this file (.csv, .jsonl, .json or .parquet).") var out: String?
    @Option(
      name: .customLong("format"),
      help: "The --out file's format: csv, jsonl, json or parquet (default: from its extension).") var format: String?
    @OptionGroup var log: LogOptions

    func run() throws {
      let reporter = log.reporter
      try runReporting(reporter) {
        guard let day = CivilDate(iso: cutoff) else {
          throw DecoyError.usage("--cutoff must be YYYY-MM-DD, got '\(cutoff)'", hint: nil)
        }
        let session = try FraudCommand.session(try Database.parse(databaseURL), reporter: reporter)
        defer { session.close() }
        // The file's format is checked before any work.
        guard out != nil || format == nil else { throw DecoyError.usage("--format needs --out FILE", hint: nil) }
        let fileFormat = try out.map { (path: String) throws(DecoyError) in
          try TrainingSetExport.format(named: format, for: path)
        }
        let s = try TrainingSet(session: session).build(cutoff: day.dayNumber * 86_400, maturityDays: maturityDays)
        reporter.info(
          "Training set: \(s.train) train rows (\(s.trainFraud) fraud), \(s.test) test rows (\(s.testFraud) fraud)")
        if let out, let fileFormat {
          let rows = try TrainingSetExport(session: session).write(to: out, format: fileFormat)
          reporter.info("wrote \(out): \(Reporter.group(rows)) rows (\(fileFormat.rawValue))")
        }
      }
    }
  }

  /// A session on the database; with `--verbose`, one that reports each statement and its time.
  static func session(_ db: Database, create: Bool = false, reporter: Reporter) throws(DecoyError) -> any SQLSession {
    let session: any SQLSession
    switch db {
    case .sqlite(let path): session = try SQLiteSession(path: path, create: create)
    case .postgres(let url): session = try PostgresSession(url: url)
    }
    return reporter.verbose ? LoggedSession(session, reporter: reporter) : session
  }

  static func stats(_ db: Database, full: Bool = true) throws -> FraudStats {
    switch db {
    case .sqlite(let path):
      return try FraudStats.read(full: full) { (sql: String) throws(DecoyError) in
        try SQLiteWriter.queryText(path: path, sql)
      }
    case .postgres(let url):
      let w = try PostgresWriter(url: url, createTables: false)
      defer { w.abort() }  // read-only: roll the transaction back
      return try FraudStats.read(full: full) { (sql: String) throws(DecoyError) in try w.queryText(sql) }
    }
  }
}
