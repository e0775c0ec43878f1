import ArgumentParser
import DecoyCore
import DecoyIO
import DecoyKit
import DecoyScenarios
import Dispatch
import Foundation

struct Generate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "generate",
    abstract: "Generate a built-in dataset or one described by a spec file.",
    discussion: "Built-in datasets (`decoy datasets` lists them with their tables):\n"
      + DatasetCatalog.lines.map { "  " + $0 }.joined(separator: "\n"))

  @Argument(help: "A built-in dataset name (see below) or a path to a .yaml/.json spec.") var spec: String
  @Option(help: "Seed (default: the spec's, else 42).") var seed: UInt64?
  @Option(help: "Rows for every table without a parent (overrides the spec).") var rows: UInt64?
  @Option(help: "Healthcare: number of patients (default 1000).") var patients: UInt64?
  @OptionGroup(title: "Healthcare (healthcare, claims-breach)") var hospital: HospitalOptions
  @OptionGroup(title: "Fraud (fraud)") var fraud: FraudOptions
  @Option(help: "Multiply the spec's row counts.") var scale: Double = 1
  @Option(
    help:
      "Output format: csv, jsonl, json, sql (PostgreSQL script), sqlite-sql, sqlite (database file), xlsx, docx, parquet or postgres (COPY into --database-url)."
  ) var format = "csv"
  @Option(
    name: .customLong("database-url"),
    help: "postgres://user:password@host:5432/db[?sslmode=require] (default: $DATABASE_URL).")
  var databaseURL: String?
  @Option(
    name: .customLong("docx-rows"), help: "DOCX: data rows shown per table (the document says how many were left out).")
  var docxRows: UInt64 = 1000
  @Option(help: "Parquet page compression: snappy, gzip or none.") var compression = "snappy"
  @Option(help: "Output directory (one file per table), or - for stdout.") var out = "decoy-out"
  @Option(help: "Generate slice i of N (e.g. 0/3); slices concatenate to the whole output.") var shard = "0/1"
  @Option(help: "Worker threads (default: one per core). Never changes values.") var threads: Int?
  @Option(name: .customLong("batch-size"), help: "Rows per batch. Never changes values.") var batchSize = 32_768
  @Option(
    help: ArgumentHelp(
      "Reference date YYYY-MM-DD for ages, expiry dates and the fraud simulation (default: the spec's, else \(GenerationContext.defaultToday))."
    )) var today: String?
  @Option(help: "Identifier safety: safe (default), format-valid, realistic, or per kind: ssn=format-valid,phone=safe.")
  var identifiers: String?
  @Option(help: "CSV delimiter (one character; \\t for tab).") var delimiter = ","
  @Flag(name: .customLong("no-header"), help: "Omit the CSV header row.") var noHeader = false
  @Flag(help: "JSON: one pretty-printed document with each child table's rows inside their parent rows.") var nested =
    false
  @Flag(name: .customLong("drop-tables"), help: "SQL formats: drop existing tables before creating them.")
  var dropTables = false
  @OptionGroup var log: LogOptions

  func run() throws {
    let reporter = log.reporter
    try runReporting(reporter) {
      let fmt = try OutputFormat.parse(format)
      let day = try parseDate(today, option: "--today")
      if self.spec == "claims-breach" {
        guard out != "-" else { throw DecoyError.usage("claims-breach writes two files", hint: "use --out DIR") }
        var job = ClaimsBreachJob(directory: out, seed: Int(seed ?? 42), today: day ?? HealthcareDataset.defaultToday)
        job.patients = patients ?? rows ?? 1000
        job.hospital = hospital.options
        job.engine = Engine.Options(threads: threads ?? Engine.defaultThreads, batchSize: batchSize)
        if let s = identifiers { job.enrich.identifiers = try IdentifierPolicy.parse(s) }
        let url = databaseURL ?? (format == "postgres" ? ProcessInfo.processInfo.environment["DATABASE_URL"] : nil)
        switch format {
        case "postgres":
          guard let url else {
            throw DecoyError.usage(
              "--format postgres needs a server",
              hint: "pass --database-url postgres://user@host:5432/db or set DATABASE_URL")
          }
          job.load = .postgres(url: url, dropTables: dropTables)
        case "csv", "sqlite": job.load = .sqlite(path: job.sqlitePath)
        default:
          throw DecoyError.usage(
            "claims-breach writes CSV files plus the claims table in SQLite (default) or PostgreSQL",
            hint: "use --format sqlite or --format postgres")
        }
        let start = Date()
        let s = try job.run()
        let table: String
        switch job.load {
        case .postgres(let u, _)?:
          table = "the claims table in " + ((try? PostgresWriter.Target.parse(u))?.display ?? "PostgreSQL")
        default: table = job.sqlitePath
        }
        reporter.info(
          "wrote \(job.exportPath), \(job.enrichedPath) and \(table): \(Reporter.group(UInt64(s.rows))) claims of \(Reporter.group(UInt64(s.patients))) patients in \(Reporter.duration(Date().timeIntervalSince(start))), seed \(job.enrich.seed), today \(job.enrich.today)"
        )
        reporter.info(s.qaLine)
        return
      }
      if patients != nil && !["healthcare", "claims-breach"].contains(self.spec) {
        throw DecoyError.usage("--patients applies to the healthcare dataset", hint: "use --rows for other datasets")
      }
      let fraudOptions = try fraud.options(asOfDefault: day)
      let spec = try SpecSource.load(
        self.spec, seed: seed, today: day, rows: patients ?? fraud.users ?? rows, hospital: hospital.options,
        fraud: self.spec == "fraud" ? fraudOptions : nil)
      let policy = try identifiers.map { s throws(DecoyError) in try IdentifierPolicy.parse(s) }
      let delim: UInt8
      switch delimiter {
      case "\\t", "tab": delim = 9
      default:
        guard delimiter.utf8.count == 1, let b = delimiter.utf8.first, b != 34, b != 10, b != 13 else {
          throw DecoyError.usage(
            "--delimiter must be one ASCII character other than a quote or newline",
            hint: "e.g. --delimiter ';' or --delimiter '\\t'")
        }
        delim = b
      }
      guard scale > 0, scale.isFinite else { throw DecoyError.usage("--scale must be positive", hint: nil) }
      if let t = threads, t < 1 { throw DecoyError.usage("--threads must be at least 1", hint: nil) }
      if batchSize < 1 { throw DecoyError.usage("--batch-size must be at least 1", hint: nil) }
      var job = GenerateJob(
        spec: spec, seed: seed, today: day, identifiers: policy, format: fmt,
        destination: out == "-" ? .stdout : .directory(out))
      job.shard = try Shard.parse(shard)
      job.rows = rows
      job.scale = scale
      job.engine = Engine.Options(threads: threads ?? Engine.defaultThreads, batchSize: batchSize)
      job.delimiter = delim
      job.header = !noHeader
      job.dropTables = dropTables
      job.docxRowCap = docxRows
      job.nested = nested
      job.parquetCodec = try ParquetWriter.Codec.parse(compression)
      job.databaseURL = databaseURL ?? ProcessInfo.processInfo.environment["DATABASE_URL"]
      if job.identifiers.usesRealistic {
        reporter.info(
          "realistic identifiers requested: values may belong to real people (recorded in the run summary)",
          warning: true)
      }
      let cancel = CancellationFlag()
      let signals = SignalTrap(cancel: cancel)
      defer { signals.release() }
      job.onStep = { reporter.step($0, rows: $1, seconds: $2) }
      let summary = try job.run(cancel: cancel) { done, total in reporter.progress(done: done, total: total) }
      reporter.finish()
      let rate = Double(summary.rows) / max(summary.seconds, 1e-9)
      for f in summary.files {
        reporter.info(
          "wrote \(f.path): \(Reporter.group(f.rows)) rows, \(Reporter.group(f.bytes)) bytes",
          fields: ["table": f.table, "path": f.path, "rows": f.rows, "bytes": f.bytes])
      }
      reporter.info(
        String(
          format: "done: %@ rows in %.2fs (%@ rows/s), seed %llu, today %@, identifiers %@",
          Reporter.group(summary.rows), summary.seconds, Reporter.group(UInt64(rate)), job.seed, job.today.description,
          job.identifiers.usesRealistic ? "includes realistic" : (job.identifiers.fallback.rawValue)),
        fields: [
          "rows": summary.rows, "seconds": summary.seconds, "seed": job.seed, "fingerprint": Fingerprint.current,
        ])
    }
  }
}

/// Turns SIGINT/SIGTERM into cancellation: the engine stops between batches, temporary files are
/// removed, and the process exits with 130. A second signal removes temp files and exits at once.
final class SignalTrap: @unchecked Sendable {
  private var sources: [any DispatchSourceSignal] = []

  init(cancel: CancellationFlag) {
    for sig in [SIGINT, SIGTERM] {
      signal(sig, SIG_IGN)
      let src = DispatchSource.makeSignalSource(signal: sig, queue: .global())
      src.setEventHandler {
        if cancel.isCancelled {
          TempFileRegistryAccess.removeAll()
          exit(130)
        }
        cancel.cancel()
      }
      src.resume()
      sources.append(src)
    }
  }

  func release() {
    for s in sources { s.cancel() }
    signal(SIGINT, SIG_DFL)
    signal(SIGTERM, SIG_DFL)
  }
}

/// The hospital dataset's options (specs/healthcare.md §2.1).
struct HospitalOptions: ParsableArguments {
  @Flag(name: .customLong("single-hospital"), help: "Every visit at one hospital.") var singleHospital = false
  @Option(name: .customLong("hospital-name"), help: "Name of the single hospital.") var hospitalName: String?
  @Option(name: .customLong("hospital-state"), help: "Locality mode: the hospital's state (implies --single-hospital).")
  var hospitalState: String?
  @Option(name: .customLong("hospital-zipcode"), help: "Locality mode: the hospital's ZIP (in that state).")
  var hospitalZipcode: String?
  @Option(name: .customLong("local-share"), help: "Locality mode: share of patients living in the state.")
  var localShare = 0.83
  @Option(name: .customLong("local-top-n"), help: "Locality mode: catchment size in ZIPs nearest the hospital.")
  var localTopN = 600
  @Option(
    name: .customLong("local-decay"), help: "Locality mode: catchment weight decay exp(-|zip - hospital zip| / decay).")
  var localDecay = 300.0
  @Option(
    name: .customLong("outstate-neighbor-share"),
    help: "Locality mode: out-of-state patients from neighbour states (NY only).")
  var outstateNeighborShare = 0.6
  @Option(
    name: .customLong("minor-same-day-rate"), help: "Base chance of a same-day stay for minor and chronic conditions.")
  var minorSameDayRate = 0.425

  var options: HospitalSimulator.Options {
    var o = HospitalSimulator.Options()
    o.singleHospital = singleHospital
    o.hospitalName = hospitalName
    o.hospitalState = hospitalState
    o.hospitalZip = hospitalZipcode
    o.localShare = localShare
    o.localTopN = localTopN
    o.localDecay = localDecay
    o.outstateNeighborShare = outstateNeighborShare
    o.minorSameDayRate = minorSameDayRate
    return o
  }
}

/// The fraud scenario's options (specs/fraud.md §4.8).
struct FraudOptions: ParsableArguments {
  @Option(name: [.customLong("users"), .customShort("u")], help: "Fraud: number of users (default 100).") var users:
    UInt64?
  @Option(name: [.customLong("fraud-rate"), .customShort("f")], help: "Fraud: share of fraud users.") var fraudRate =
    0.05
  @Option(
    name: .customLong("as-of"),
    help: ArgumentHelp(
      "Fraud: the simulation instant, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (default --today, else \(GenerationContext.defaultToday))."
    ))
  var asOf: String?
  @Option(name: .customLong("label-delay-mean-days"), help: "Fraud: mean label delay in days.") var labelDelayMeanDays =
    5.0
  @Option(name: .customLong("label-delay-sigma"), help: "Fraud: log-normal sigma of the label delay.")
  var labelDelaySigma = 0.8
  @Option(name: .customLong("label-maturity-days"), help: "Fraud: rows younger than this (days) are evaluation-only.")
  var labelMaturityDays = 60.0
  @Flag(
    name: .customLong("legacy"),
    help: "Fraud: the reference's legacy generator (one transaction per user, three typologies).") var legacy = false
  @Flag(
    name: .customLong("graph"), inversion: .prefixedNo, help: "Fraud: also write the device/IP/account graph tables.")
  var graph = true

  func options(asOfDefault: CivilDate?) throws -> FraudSimulator.Options {
    var o = FraudSimulator.Options()
    if let u = users { o.users = u }
    o.fraudRate = fraudRate
    o.labelDelayMeanDays = labelDelayMeanDays
    o.labelDelaySigma = labelDelaySigma
    o.labelMaturityDays = labelMaturityDays
    o.legacy = legacy
    o.graph = graph
    if let a = asOf {
      if let d = CivilDate(iso: String(a.prefix(10))), a.count == 10 {
        o.asOf = d.dayNumber * 86_400
      } else if a.count == 20, a.hasSuffix("Z"), let d = CivilDate(iso: String(a.prefix(10))) {
        let parts = a.dropFirst(11).dropLast().split(separator: ":").compactMap { Int64($0) }
        guard parts.count == 3, parts[0] < 24, parts[1] < 60, parts[2] < 60 else {
          throw DecoyError.usage("--as-of must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, got '\(a)'", hint: nil)
        }
        o.asOf = d.dayNumber * 86_400 + parts[0] * 3_600 + parts[1] * 60 + parts[2]
      } else {
        throw DecoyError.usage("--as-of must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, got '\(a)'", hint: nil)
      }
    } else if let d = asOfDefault {
      o.asOf = d.dayNumber * 86_400
    }
    return o
  }
}
