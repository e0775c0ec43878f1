import ArgumentParser
import DecoyCore
import DecoyIO
import DecoyKit
import DecoyLearn
import Foundation

/// Options shared by the commands that read a sample.
struct SampleOptions: ParsableArguments {
  @Option(name: .customLong("table"), help: "The table to learn, for a database sample.") var table: String?
  @Option(
    name: .customLong("database-url"),
    help: "Learn a PostgreSQL table (postgres://user@host/db, with --table) instead of a file.")
  var databaseURL: String?
  @Option(help: "A learn spec (YAML) from `decoy detect`, edited: its kinds replace detection.") var spec: String?
  @Flag(help: "Read values that do not parse in their column's type as nulls (instead of an error).") var coerce = false
  @Flag(help: "Accept a date layout that parses 99 % of a column's values (default: all).") var lenient = false

  /// The sample to read: the positional argument or --database-url (exactly one).
  func source(_ sample: String?) throws(DecoyError) -> String {
    switch (sample, databaseURL) {
    case (let s?, nil): return s
    case (nil, let u?):
      guard SampleReader.isDatabaseURL(u) else {
        throw .usage("--database-url must start with postgres://", hint: "for example postgres://user@localhost/db")
      }
      return u
    case (nil, nil): throw .usage("no sample given", hint: "pass a file, or --database-url URL --table NAME")
    case (_?, _?): throw .usage("give a sample file or --database-url, not both", hint: nil)
    }
  }

  var detector: Detector {
    var d = Detector()
    d.coerce = coerce
    d.dateShare = lenient ? 0.99 : 1
    return d
  }
}

/// Option values shared by the learned-synthesis commands.
enum LearnArguments {
  static func synthesizer(_ s: String) throws(DecoyError) -> SynthesizerKind {
    guard let kind = SynthesizerKind(rawValue: s) else {
      throw .usage(
        "unknown synthesizer '\(s)'", hint: Suggestion.hint(for: s, in: SynthesizerKind.allCases.map(\.rawValue)))
    }
    return kind
  }

  static func privacy(_ s: String) throws(DecoyError) -> PrivacyTests {
    guard let tests = PrivacyTests(rawValue: s) else {
      throw .usage(
        "unknown privacy tests '\(s)'", hint: Suggestion.hint(for: s, in: PrivacyTests.allCases.map(\.rawValue)))
    }
    return tests
  }
}

struct DetectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "detect",
    abstract: "Detect a sample's columns: kind, evidence and routing per column (never a value), and a learn spec.")

  @Argument(help: "The sample: .csv, .tsv, .jsonl or a .sqlite database (with --table).") var sample: String?
  @OptionGroup var input: SampleOptions
  @Option(
    name: .customLong("write-spec"), help: "Where to write the learn spec (default: SAMPLE's name + .learn.yaml).")
  var writeSpec: String?
  @Flag(name: .customLong("no-spec"), help: "Print the detection only.") var noSpec = false
  @OptionGroup var log: LogOptions

  func run() throws {
    let reporter = log.reporter
    try runReporting(reporter) {
      let sample = try input.source(sample)
      let table = try SampleReader.read(sample, table: input.table)
      var learner = Learner()
      if let spec = input.spec { try FitJob.apply(spec: spec, to: &learner, table: table) }
      let profiles = try input.detector.detect(table, declared: learner.declared)
      let width = min(32, profiles.map(\.name.count).max() ?? 4)
      var text = "\(table.rowCount) rows, \(profiles.count) columns\n"
      for p in profiles {
        text +=
          "  " + p.name.padding(toLength: max(width, p.name.count), withPad: " ", startingAt: 0) + "  "
          + p.summaryLine + "\n"
        for w in p.warnings { text += "      warning: \(w)\n" }
      }
      FileHandle.standardOutput.write(Data(text.utf8))
      if !noSpec {
        let path =
          writeSpec
          ?? (SampleReader.isDatabaseURL(sample)
            ? table.name + ".learn.yaml" : (sample as NSString).deletingPathExtension + ".learn.yaml")
        try FileSink.writeWhole(Array(LearnSpec.render(profiles, table: table.name).utf8), to: path)
        reporter.info("wrote the learn spec \(path): edit kinds there and pass it with --spec")
      }
    }
  }
}

struct FitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fit", abstract: "Learn a model of a sample table (identifiers and keys are never learned).")

  @Argument(help: "The sample: .csv, .tsv, .jsonl or a .sqlite database (with --table).") var sample: String?
  @OptionGroup var input: SampleOptions
  @Option(help: "cart (sequential CART) or gaussian-copula.") var synthesizer = "cart"
  @Option(help: "Seed of the fit. The same data, options and seed give the same model file.") var seed: UInt64 = 42
  @Option(help: "Share of rows held out of training, for `decoy evaluate --holdout`.") var holdout = 0.0
  @Option(help: "Threads for fitting (never changes the model; default: one per core).") var threads: Int?
  @Option(name: .customLong("min-leaf"), help: "CART: minimum leaf size (default 20, fewer for small samples).")
  var minLeaf: Int?
  @Flag(
    name: .customLong("no-smoothing"),
    help: "CART: replay leaf donor values instead of drawing between neighbouring ones.") var noSmoothing =
    false
  @Option(help: "The model file to write.") var out: String
  @Option(
    name: .customLong("split-out"),
    help:
      "Write the training and holdout rows as DIR/training.csv and DIR/holdout.csv (to score another tool on the same split)."
  ) var splitOut: String?
  @OptionGroup var log: LogOptions

  func run() throws {
    let reporter = log.reporter
    try runReporting(reporter) {
      let kind = try LearnArguments.synthesizer(synthesizer)
      if let t = threads, t < 1 { throw DecoyError.usage("--threads must be at least 1", hint: nil) }
      if let m = minLeaf, m < 1 { throw DecoyError.usage("--min-leaf must be at least 1", hint: nil) }
      var learner = Learner(synthesizer: kind, seed: seed)
      learner.holdout = holdout
      learner.detector = input.detector
      learner.options.threads = threads ?? ParallelMap.cores
      learner.options.minLeaf = minLeaf
      learner.options.smoothing = !noSmoothing
      var job = FitJob(sample: try input.source(sample), out: out, learner: learner)
      job.table = input.table
      job.spec = input.spec
      job.splitOut = splitOut
      let summary = try job.run { step, done, total in
        reporter.progress(
          done: UInt64(done), total: UInt64(max(total, 1)), stage: step,
          unit: step == "correlation" ? "steps" : "columns")
      }
      reporter.finish()
      let m = summary.fit.model.manifest
      let learned = m.profiles.filter { $0.routing == .learned }.count
      let routed = m.profiles.filter { $0.routing == .provider }.count
      let keys = m.profiles.filter { $0.routing == .key }.count
      for w in m.warnings { reporter.info("warning: \(w)", warning: true) }
      reporter.info(
        "fitted \(kind.rawValue) on \(Reporter.group(UInt64(m.rows))) rows (\(m.holdoutRows) held out): \(learned) columns learned, \(routed) identifiers routed to providers, \(keys) keys regenerated; wrote \(out) (\(Reporter.group(UInt64(summary.bytes.count))) bytes) in \(Reporter.duration(summary.seconds))"
      )
    }
  }
}

struct SampleCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sample", abstract: "Draw rows from a model file through any writer.")

  @Argument(help: "A model file from `decoy fit`.") var model: String
  @Option(help: "Rows to draw.") var rows: UInt64 = 1000
  @Option(help: "Seed of the sample.") var seed: UInt64 = 42
  @Option(
    help: "Output format: csv, jsonl, json, sql, sqlite-sql, sqlite, xlsx, docx, parquet or postgres (--database-url)."
  ) var format = "csv"
  @Option(name: .customLong("database-url"), help: "postgres://… for --format postgres (default: $DATABASE_URL).")
  var databaseURL: String?
  @Option(help: "Output directory, or - for stdout.") var out = "decoy-out"
  @Option(help: "Generate slice i of N (e.g. 0/3); slices concatenate to the whole output.") var shard = "0/1"
  @Option(help: "Worker threads (default: one per core). Never changes values.") var threads: Int?
  @Option(name: .customLong("batch-size"), help: "Rows per batch. Never changes values.") var batchSize = 32_768
  @Option(help: "Identifier safety: safe (default), format-valid, realistic, or per kind: ssn=format-valid.")
  var identifiers: String?
  @OptionGroup var log: LogOptions

  func run() throws {
    let reporter = log.reporter
    try runReporting(reporter) {
      let fmt = try OutputFormat.parse(format)
      let loaded = try ModelFile.read(model).model
      let policy = try identifiers.map { s throws(DecoyError) in try IdentifierPolicy.parse(s) }
      if let t = threads, t < 1 { throw DecoyError.usage("--threads must be at least 1", hint: nil) }
      var job = try SampleJob.generateJob(
        model: loaded, rows: rows, seed: seed, format: fmt, destination: out == "-" ? .stdout : .directory(out),
        identifiers: policy)
      job.shard = try Shard.parse(shard)
      job.engine = Engine.Options(threads: threads ?? Engine.defaultThreads, batchSize: batchSize)
      job.databaseURL = databaseURL ?? ProcessInfo.processInfo.environment["DATABASE_URL"]
      if job.identifiers.usesRealistic {
        reporter.info("realistic identifiers requested: values may belong to real people", warning: true)
      }
      let cancel = CancellationFlag()
      let signals = SignalTrap(cancel: cancel)
      defer { signals.release() }
      let summary = try job.run(cancel: cancel) { done, total in reporter.progress(done: done, total: total) }
      reporter.finish()
      let files = summary.files.map(\.path).joined(separator: ", ")
      reporter.info(
        "sampled \(Reporter.group(summary.rows)) rows from \(loaded.manifest.synthesizer.rawValue) in \(Reporter.duration(summary.seconds))\(files.isEmpty ? "" : " → " + files)"
      )
    }
  }
}

struct InspectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect", abstract: "Describe a model file: synthesizer, options, columns, routing, warnings.")

  @Argument(help: "A model file from `decoy fit`.") var model: String
  @Option(help: "text or json (the manifest; categories and bounds hidden unless --show-values).")
  var format =
    "text"
  @Flag(name: .customLong("show-values"), help: "Also show learned categories and protected bounds (data values).")
  var showValues = false
  @OptionGroup var log: LogOptions

  func run() throws {
    let reporter = log.reporter
    try runReporting(reporter) {
      let (loaded, bytes) = try ModelFile.read(model)
      var m = loaded.manifest
      if !showValues {
        for i in m.encodings.indices {
          if m.encodings[i].categories != nil {
            m.encodings[i].categories = m.encodings[i].categories!.indices.map { "category \($0 + 1)" }
          }
          m.encodings[i].lower = nil
          m.encodings[i].upper = nil
        }
        for i in m.profiles.indices where m.profiles[i].constant != nil { m.profiles[i].constant = "(hidden)" }
      }
      let hash = ModelFile.hex(SHA256.digest(bytes))
      if format == "json" {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted]
        var data = (try? e.encode(m)) ?? Data()
        data.append(10)
        FileHandle.standardOutput.write(data)
        return
      }
      guard format == "text" else { throw DecoyError.usage("--format must be text or json", hint: nil) }
      var text = "model \(model)\n  sha256 \(hash)\n  format \(m.version), engine \(m.engine)\n"
      text += "  synthesizer \(m.synthesizer.rawValue), seed \(m.seed)\n"
      text += "  table \(m.table): \(m.rows) training rows, \(m.holdoutRows) held out, data sha256 \(m.dataHash)\n"
      text += "  \(m.variables.count) variables\n  columns:\n"
      for p in m.profiles {
        text += "    \(p.name): \(p.summaryLine)\n"
        if showValues, let e = m.encodings.first(where: { $0.name == p.name }) {
          if let lo = e.lower, let hi = e.upper { text += "      protected bounds \(lo) … \(hi)\n" }
          if let c = e.categories { text += "      categories: \(c.map { $0 ?? "(null)" }.joined(separator: ", "))\n" }
        }
      }
      for w in m.warnings { text += "  warning: \(w)\n" }
      FileHandle.standardOutput.write(Data(text.utf8))
    }
  }
}

struct EvaluateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "evaluate",
    abstract: "Score a synthetic table against the real one: SDMetrics quality and diagnostic, distance privacy.")

  @Option(help: "The real (training) table.") var real: String
  @Option(help: "The synthetic table.") var synthetic: String
  @Option(help: "Real rows not used for training (enables overfitting and membership figures).") var holdout: String?
  @Option(
    help:
      "A model file: its kinds are used for the columns; with a model fitted with --holdout on --real, its split is recomputed (training vs holdout rows)."
  ) var model: String?
  @Option(help: "A learn spec: its kinds are used for the columns.") var spec: String?
  @Option(help: "SDV/SDMetrics metadata JSON (sdtypes per column), instead of detection.") var metadata: String?
  @Option(help: "Write the full report as JSON here (stable keys, docs/learned-synthesis.md).") var json: String?
  @Option(help: "Write a self-contained HTML report with charts here.") var html: String?
  @Option(
    help:
      "Privacy tests: attacks (distances plus singling-out, linkability and inference attacks) or basic (distances only)."
  )
  var privacy = "attacks"
  @Option(help: "Seed of the random baseline and subsamples.") var seed: UInt64 = 0
  @Option(help: "Threads (never changes figures).") var threads: Int?
  @OptionGroup var log: LogOptions

  func run() throws {
    let reporter = log.reporter
    try runReporting(reporter) {
      let tests = try LearnArguments.privacy(privacy)
      if let t = threads, t < 1 { throw DecoyError.usage("--threads must be at least 1", hint: nil) }
      var job = EvaluateJob(real: real, synthetic: synthetic)
      job.holdout = holdout
      job.model = model
      job.spec = spec
      job.metadata = metadata
      job.json = json
      job.html = html
      job.seed = seed
      job.threads = threads ?? ParallelMap.cores
      job.privacy = tests
      let summary = try job.run()
      FileHandle.standardOutput.write(Data(summary.evaluation.summary().utf8))
      reporter.info(
        "evaluated \(Reporter.group(UInt64(summary.syntheticRows))) synthetic rows against \(Reporter.group(UInt64(summary.realRows))) real rows in \(Reporter.duration(summary.seconds))"
      )
    }
  }
}
