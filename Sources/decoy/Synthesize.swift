import ArgumentParser
import DecoyCore
import DecoyKit
import DecoyLearn
import Foundation

struct SynthesizeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "synthesize",
    abstract: "Detect, fit, sample and evaluate in one step: model, rows and reports in one directory.")

  @Argument(help: "The sample: .csv, .tsv, .jsonl or a .sqlite database (with --table).") var sample: String?
  @OptionGroup var input: SampleOptions
  @Option(help: "Rows to draw (default: as many as the sample has).") var rows: UInt64?
  @Option(help: "cart (sequential CART) or gaussian-copula.") var synthesizer = "cart"
  @Option(help: "Seed of the fit and the sample.") var seed: UInt64 = 42
  @Option(help: "Share of rows held out of training for the privacy figures; 0 trains on every row.") var holdout =
    0.2
  @Option(
    help: "Output format: csv, jsonl, json, sql, sqlite-sql, sqlite, xlsx, docx, parquet or postgres (--database-url)."
  ) var format = "csv"
  @Option(
    name: .customLong("output-database-url"), help: "postgres://… for --format postgres (default: $DATABASE_URL).")
  var outputDatabaseURL: String?
  @Option(help: "Output directory: model.decoymodel, the rows, report.json and report.html.") var out =
    "decoy-out"
  @Option(help: "Identifier safety: safe (default), format-valid, realistic, or per kind: ssn=format-valid.")
  var identifiers: String?
  @Option(help: "Privacy tests: attacks (distances and attacks) or basic (distances only).") var privacy = "attacks"
  @Option(help: "Worker threads (default: one per core). Never changes values.") var threads: Int?
  @OptionGroup var log: LogOptions

  func run() throws {
    let reporter = log.reporter
    try runReporting(reporter) {
      let kind = try LearnArguments.synthesizer(synthesizer)
      let tests = try LearnArguments.privacy(privacy)
      if let t = threads, t < 1 { throw DecoyError.usage("--threads must be at least 1", hint: nil) }
      guard holdout >= 0 && holdout < 1 else {
        throw DecoyError.usage("--holdout must be at least 0 and below 1", hint: "for example --holdout 0.2")
      }
      let fmt = try OutputFormat.parse(format)
      var learner = Learner(synthesizer: kind, seed: seed)
      learner.holdout = holdout
      learner.detector = input.detector
      learner.options.threads = threads ?? ParallelMap.cores
      var job = SynthesizeJob(sample: try input.source(sample), rows: rows, directory: out, learner: learner)
      job.fit.table = input.table
      job.fit.spec = input.spec
      job.format = fmt
      job.identifiers = try identifiers.map { s throws(DecoyError) in try IdentifierPolicy.parse(s) }
      job.engine = Engine.Options(threads: threads ?? Engine.defaultThreads)
      job.databaseURL = outputDatabaseURL ?? ProcessInfo.processInfo.environment["DATABASE_URL"]
      job.privacy = tests
      let cancel = CancellationFlag()
      let signals = SignalTrap(cancel: cancel)
      defer { signals.release() }
      let summary = try job.run(cancel: cancel) { stage, done, total in
        reporter.progress(done: done, total: total, stage: stage.rawValue, unit: stage == .fit ? "columns" : "rows")
      }
      reporter.finish()
      FileHandle.standardOutput.write(Data(summary.evaluation.evaluation.summary().utf8))
      let m = summary.fit.fit.model.manifest
      let files = summary.sample.files.map(\.path).joined(separator: ", ")
      reporter.info(
        "fitted \(kind.rawValue) on \(Reporter.group(UInt64(m.rows))) rows (\(m.holdoutRows) held out), sampled \(Reporter.group(summary.sample.rows)) rows\(files.isEmpty ? "" : " → " + files); model \(summary.model), reports \(summary.json) and \(summary.html)"
      )
    }
  }
}
