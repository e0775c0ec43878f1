public import DecoyCore
import DecoyIO
public import DecoyLearn
import Foundation

/// `decoy synthesize`: the seed app's whole flow in one step: detect and fit a sample, sample new
/// rows through any writer, and score them, into one directory:
/// `model.decoymodel`, the rows (`NAME.csv`, …), `report.json` and `report.html`.
public struct SynthesizeJob: Sendable {
  public var fit: FitJob
  /// Rows to draw; nil: as many as the sample has.
  public var rows: UInt64?
  /// Seed of the sample (the fit's seed is in `fit.learner`).
  public var seed: UInt64
  public var format: OutputFormat
  public var directory: String
  public var identifiers: IdentifierPolicy?
  public var engine = Engine.Options()
  public var databaseURL: String?
  public var privacy = PrivacyTests.attacks

  public init(sample: String, rows: UInt64?, directory: String, learner: Learner) {
    fit = FitJob(sample: sample, out: directory + "/model.decoymodel", learner: learner)
    self.rows = rows
    seed = learner.seed
    format = .csv
    self.directory = directory
  }

  public enum Stage: String, Sendable { case fit, sample, evaluate }

  public struct Summary: Sendable {
    public var fit: FitJob.Summary
    public var sample: GenerateJob.Summary
    public var evaluation: EvaluateJob.Summary
    public var model: String
    public var json: String
    public var html: String
  }

  public func run(
    cancel: CancellationFlag? = nil,
    progress: @escaping @Sendable (_ stage: Stage, _ done: UInt64, _ total: UInt64) -> Void = { _, _, _ in }
  ) throws(DecoyError) -> Summary {
    try GenerateJob.prepareDirectory(directory)
    let fitted = try fit.run { _, done, total in progress(.fit, UInt64(done), UInt64(max(total, 1))) }
    let manifest = fitted.fit.model.manifest
    var job = try SampleJob.generateJob(
      model: fitted.fit.model, rows: rows ?? UInt64(manifest.rows + manifest.holdoutRows), seed: seed, format: format,
      destination: .directory(directory),
      identifiers: identifiers)
    job.engine = engine
    job.databaseURL = databaseURL
    let sampled = try job.run(cancel: cancel) { done, total in progress(.sample, done, total) }
    // The evaluation reads the rows back: from the output when it is a readable table, else from
    // a CSV copy drawn with the same seed (the same rows) in a scratch directory, removed after.
    let table = fitted.fit.model.manifest.table
    var synthetic: String
    var scratch: String?
    if [.csv, .jsonl, .sqlite].contains(format), let path = try job.path(for: table) {
      synthetic = path
    } else {
      let dir = directory + "/.decoy-evaluate-\(getpid())"
      scratch = dir
      var copy = job
      copy.format = .csv
      copy.destination = .directory(dir)
      copy.databaseURL = nil
      _ = try copy.run(cancel: cancel)
      synthetic = try copy.path(for: table) ?? dir + "/\(table).csv"
    }
    defer { if let scratch { try? FileManager.default.removeItem(atPath: scratch) } }
    progress(.evaluate, 0, 1)
    var evaluate = EvaluateJob(real: fit.sample, synthetic: synthetic)
    evaluate.table = fit.table
    if format == .sqlite { evaluate.syntheticTable = table }
    evaluate.model = fit.out
    evaluate.json = directory + "/report.json"
    evaluate.html = directory + "/report.html"
    evaluate.seed = seed
    evaluate.threads = engine.threads
    evaluate.privacy = privacy
    let evaluation = try evaluate.run()
    progress(.evaluate, 1, 1)
    return Summary(
      fit: fitted, sample: sampled, evaluation: evaluation, model: fit.out, json: evaluate.json!, html: evaluate.html!)
  }
}
