public import DecoyCore
public import DecoyIO
import Foundation

/// One `decoy generate` run: plan, output checks, generation of every table, atomic commit.
public struct GenerateJob: Sendable {
  /// Where output goes.
  public enum Destination: Sendable, Equatable {
    /// One file per table in a directory.
    case directory(String)
    /// Standard output (single-table datasets only).
    case stdout
  }

  public var spec: DatasetSpec
  public var seed: UInt64
  public var today: CivilDate
  public var identifiers: IdentifierPolicy
  public var format: OutputFormat
  public var destination: Destination
  public var shard: Shard = .whole
  public var rows: UInt64?
  public var scale: Double = 1
  public var engine = Engine.Options()
  public var delimiter: UInt8 = UInt8(ascii: ",")
  public var header = true
  /// SQL formats: drop existing tables first.
  public var dropTables = false
  /// PostgreSQL: create the tables (false: load into tables that exist, e.g. after `decoy fraud init-db`).
  public var createTables = true
  /// DOCX: rows shown per table.
  public var docxRowCap: UInt64 = 1000
  /// PostgreSQL: the server to load into.
  public var databaseURL: String?
  /// JSON: one pretty-printed document with child tables nested in their parent rows.
  public var nested = false
  /// Where batches come from (default: the engine; benchmarks replay recorded ones).
  public var source: (any BatchSource)?
  /// SQLite: the database file (default `<dataset>.sqlite` in the output directory).
  public var sqlitePath: String?
  /// Parquet: page compression.
  public var parquetCodec: ParquetWriter.Codec = .snappy
  /// Called after each step of a run — each table, then the database commit — with what it was,
  /// the rows it wrote and its seconds (for `--verbose`).
  public var onStep: (@Sendable (_ step: String, _ rows: UInt64, _ seconds: Double) -> Void)?

  /// The reference date used when neither the command line nor the spec gives one: the project's
  /// (``GenerationContext/defaultToday``).
  public static let defaultToday = GenerationContext.defaultToday
  /// The seed used when none is given.
  public static let defaultSeed: UInt64 = 42

  public init(
    spec: DatasetSpec, seed: UInt64? = nil, today: CivilDate? = nil, identifiers: IdentifierPolicy? = nil,
    format: OutputFormat = .csv, destination: Destination
  ) {
    self.spec = spec
    self.seed = seed ?? spec.seed ?? GenerateJob.defaultSeed
    self.today = today ?? spec.today ?? GenerateJob.defaultToday
    self.identifiers = identifiers ?? spec.identifiers ?? IdentifierPolicy()
    self.format = format
    self.destination = destination
  }

  /// The resolved plan (row counts, shards).
  public func plan() throws(DecoyError) -> Plan {
    if let pin = spec.fingerprint, pin != Fingerprint.current {
      throw .fingerprintMismatch(expected: pin, actual: Fingerprint.current)
    }
    let ctx = GenerationContext(seed: seed, today: today, identifiers: identifiers)
    return try Plan(spec: spec, context: ctx, shard: shard, rowsOverride: rows, scale: scale)
  }

  /// Summary of a finished run.
  public struct Summary: Sendable {
    public var files: [(table: String, path: String, rows: UInt64, bytes: UInt64)]
    public var rows: UInt64
    public var seconds: Double
  }

  /// File path of a table's output (for workbook formats, the dataset's one file); `nil` for
  /// stdout. Built by ``OutputName/path(in:stem:suffix:what:)``, so neither a table's nor the
  /// dataset's name can lead outside the output directory.
  public func path(for table: String) throws(DecoyError) -> String? {
    guard case .directory(let d) = destination else { return nil }
    if format == .sqlite, let p = sqlitePath { return p }
    let oneFile = format.isWorkbook || nested
    return try OutputName.path(
      in: d, stem: oneFile ? spec.name : table, suffix: shardSuffix + "." + format.fileExtension,
      what: oneFile ? "the dataset name" : "the table name")
  }

  /// Path of the run manifest (`<dataset>.manifest.json`, per shard when sharded).
  public func manifestPath() throws(DecoyError) -> String? {
    guard case .directory(let d) = destination else { return nil }
    return try OutputName.path(in: d, stem: spec.name, suffix: shardSuffix + ".manifest.json", what: "the dataset name")
  }

  private var shardSuffix: String { shard.count > 1 ? ".part\(shard.index)of\(shard.count)" : "" }

  /// Runs the job. Output appears only if every table succeeds; otherwise nothing is left behind.
  public func run(
    cancel: CancellationFlag? = nil, progress: @escaping (_ done: UInt64, _ total: UInt64) -> Void = { _, _ in }
  )
    throws(DecoyError) -> Summary
  {
    let start = DispatchTime.now()
    // The manifest needs the engine fingerprint (a few milliseconds of provider output, most of a
    // short run's start-up): compute it beside the generation instead of after it.
    Thread.detachNewThread { _ = Fingerprint.current }
    let plan = try plan()
    let engine = Engine(plan: plan, options: engine)
    // Build every generator first: parameter and safety errors surface before any file exists.
    for t in plan.tables { _ = try engine.generators(for: t) }
    // …and so do unsafe file names, before the output directory is created.
    for t in plan.tables { _ = try path(for: t.spec.name) }
    _ = try manifestPath()
    let source: any BatchSource = self.source ?? engine

    if nested { return try runNested(plan: plan, source: source, start: start, cancel: cancel, progress: progress) }
    if format.isWorkbook {
      return try runWorkbook(plan: plan, source: source, start: start, cancel: cancel, progress: progress)
    }
    let encoder = format.encoder(delimiter: delimiter, header: header, dropTables: dropTables)
    let total = plan.rows
    var sinks: [(String, any ByteSink, String?)] = []
    switch destination {
    case .stdout:
      guard plan.tables.count == 1 else {
        throw .usage(
          "stdout can take one table, but '\(spec.name)' has \(plan.tables.count)",
          hint: "use --out DIR to write one file per table")
      }
      sinks = [(plan.tables[0].spec.name, StdoutSink(), nil)]
    case .directory(let dir):
      try GenerateJob.prepareDirectory(dir)
      for t in plan.tables {
        let p = try path(for: t.spec.name)!
        do {
          sinks.append((t.spec.name, try FileSink(path: p), p))
        } catch {
          for s in sinks { s.1.abort() }
          throw error
        }
      }
    }
    var done: UInt64 = 0
    var manifest: FileSink?
    // Parquet files take typed batches; the other per-table formats take encoded bytes.
    let writers: [ParquetWriter]? = encoder == nil ? sinks.map { ParquetWriter(sink: $0.1, codec: parquetCodec) } : nil
    do throws(DecoyError) {
      if case .directory = destination, let mp = try manifestPath() {
        manifest = try FileSink(path: mp)
      }
      for (i, t) in plan.tables.enumerated() {
        let base = done
        let route: Engine.Destination
        switch (encoder, writers) {
        case (let e?, _): route = .encoded(e, sinks[i].1)
        case (nil, let w?): route = .batches(w[i])
        // Not reachable: writers exist when the encoder is nil.
        case (nil, nil): throw .usage("format \(format.rawValue) has no writer", hint: nil)
        }
        let tableStart = Date()
        try source.run(t, to: route, cancel: cancel) { n in progress(base + n, total) }
        done += UInt64(t.rows.count)
        onStep?("table \(t.spec.name)", UInt64(t.rows.count), Date().timeIntervalSince(tableStart))
      }
      if cancel?.isCancelled == true { throw .cancelled }
      if let manifest {
        let listed = plan.tables.enumerated().compactMap { (i, t) in
          sinks[i].2.map { (t.spec.name, $0, UInt64(t.rows.count)) }
        }
        try manifest.write(Manifest.json(job: self, plan: plan, files: listed))
      }
      for s in sinks { try s.1.commit() }
      try manifest?.commit()
    } catch {
      for s in sinks { s.1.abort() }
      manifest?.abort()
      throw error
    }
    var files: [(String, String, UInt64, UInt64)] = []
    for (i, t) in plan.tables.enumerated() {
      if let p = sinks[i].2 {
        let size = (try? FileManager.default.attributesOfItem(atPath: p)[.size] as? NSNumber)?.uint64Value ?? 0
        files.append((t.spec.name, p, UInt64(t.rows.count), size))
      }
    }
    let secs = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    return Summary(files: files, rows: total, seconds: secs)
  }

  /// Workbook formats: every table (and the data dictionary) goes into one file.
  func runWorkbook(
    plan: Plan, source: any BatchSource, start: DispatchTime, cancel: CancellationFlag?,
    progress: @escaping (UInt64, UInt64) -> Void
  ) throws(DecoyError) -> Summary {
    let total = plan.rows
    var path: String?
    var manifest: FileSink?
    switch (destination, format) {
    case (_, .postgres): break
    case (.stdout, .sqlite): throw .usage("a SQLite database cannot be written to stdout", hint: "use --out DIR")
    case (.stdout, _): break
    case (.directory(let dir), _):
      try GenerateJob.prepareDirectory(dir)
      path = try self.path(for: spec.name)
    }
    let sink: any ByteSink =
      format == .sqlite || format == .postgres
      ? MemorySink() : try path.map { p throws(DecoyError) in try FileSink(path: p) } ?? StdoutSink()
    let dictionary = DataDictionary(spec: spec, identifiers: identifiers).entries.map {
      [$0.table, $0.column, $0.type, $0.description, $0.pii, $0.safetyLevel]
    }
    let writer: any BatchWriter
    if format == .postgres {
      guard let url = databaseURL else {
        throw .usage(
          "--format postgres needs a server",
          hint: "pass --database-url postgres://user@host:5432/db or set DATABASE_URL")
      }
      writer = try PostgresWriter(url: url, createTables: createTables, dropTables: dropTables)
    } else if format == .sqlite, let path {
      writer = try SQLiteWriter(path: path)
    } else if format == .docx {
      writer = try DOCXWriter(
        sink: sink, title: spec.name, subtitle: spec.description, dictionary: dictionary, rowCap: docxRowCap)
    } else {
      writer = XLSXWriter(sink: sink, dictionary: dictionary)
    }
    var done: UInt64 = 0
    do throws(DecoyError) {
      if format != .postgres, let mp = try manifestPath() { manifest = try FileSink(path: mp) }
      for t in plan.tables {
        let base = done
        let tableStart = Date()
        try source.run(t, to: .batches(writer), cancel: cancel) { n in progress(base + n, total) }
        done += UInt64(t.rows.count)
        onStep?("table \(t.spec.name)", UInt64(t.rows.count), Date().timeIntervalSince(tableStart))
      }
      if cancel?.isCancelled == true { throw .cancelled }
      try writeManifest(manifest, plan: plan, oneFile: path)
      let commitStart = Date()
      try writer.commit()
      onStep?("commit (keys and indexes)", 0, Date().timeIntervalSince(commitStart))
      try manifest?.commit()
    } catch {
      writer.abort()
      manifest?.abort()
      throw error
    }
    return oneFileSummary(plan, path: path, start: start)
  }

  /// `--nested` JSON: one document for the whole dataset.
  func runNested(
    plan: Plan, source: any BatchSource, start: DispatchTime, cancel: CancellationFlag?,
    progress: @escaping (UInt64, UInt64) -> Void
  ) throws(DecoyError) -> Summary {
    guard format == .json else {
      throw .usage("--nested applies to --format json, not \(format.rawValue)", hint: "use --format json --nested")
    }
    guard shard.count == 1 else {
      throw .usage(
        "--nested writes one JSON document, which cannot be split into shards",
        hint: "drop --shard, or use --format jsonl for sharded output")
    }
    var path: String?
    if case .directory(let dir) = destination {
      try GenerateJob.prepareDirectory(dir)
      path = try self.path(for: spec.name)
    }
    let sink: any ByteSink = try path.map { p throws(DecoyError) in try FileSink(path: p) } ?? StdoutSink()
    var manifest: FileSink?
    let total = plan.rows
    do throws(DecoyError) {
      if let mp = try manifestPath() { manifest = try FileSink(path: mp) }
      let export = NestedJSONExport(plan: plan, source: source, chunkRows: engine.batchSize)
      try export.run(into: NestedJSONWriter(sink: sink), cancel: cancel) { progress($0, total) }
      try writeManifest(manifest, plan: plan, oneFile: path)
      try sink.commit()
      try manifest?.commit()
    } catch {
      sink.abort()
      manifest?.abort()
      throw error
    }
    return oneFileSummary(plan, path: path, start: start)
  }

  /// Writes the manifest of a run whose tables all went into the file `oneFile` (nothing without one).
  func writeManifest(_ manifest: FileSink?, plan: Plan, oneFile path: String?) throws(DecoyError) {
    guard let manifest, let path else { return }
    try manifest.write(
      Manifest.json(job: self, plan: plan, files: plan.tables.map { ($0.spec.name, path, UInt64($0.rows.count)) }))
  }

  /// The summary of a run whose tables all went into one file (or to stdout or a server: no file).
  func oneFileSummary(_ plan: Plan, path: String?, start: DispatchTime) -> Summary {
    let size =
      path.flatMap { (try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? NSNumber)?.uint64Value } ?? 0
    let files = path.map { p in plan.tables.map { ($0.spec.name, p, UInt64($0.rows.count), size) } } ?? []
    let secs = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    return Summary(files: files, rows: plan.rows, seconds: secs)
  }

  /// Creates the output directory if needed and proves it writable before any generation starts.
  public static func prepareDirectory(_ dir: String) throws(DecoyError) {
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) {
      if !isDir.boolValue {
        throw .io(path: dir, reason: "exists and is not a directory", hint: "choose another --out")
      }
    } else {
      do {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
      } catch {
        throw .io(
          path: dir, reason: "cannot create the output directory",
          hint: "check the parent directory's permissions or choose another --out")
      }
    }
    let probe = (dir as NSString).appendingPathComponent(".decoy-write-test-\(getpid())")
    let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o600)
    if fd < 0 {
      throw .io(
        path: dir, reason: "the output directory is not writable", hint: "check its permissions or choose another --out"
      )
    }
    close(fd)
    unlink(probe)
  }
}
