public import DecoyCore
import DecoyIO
public import DecoyLearn
import Foundation

/// `decoy fit`: reads a sample, detects (or takes a learn spec), fits and writes the model file.
public struct FitJob: Sendable {
  public var sample: String
  public var table: String?
  public var spec: String?
  public var learner: Learner
  public var out: String
  /// A directory to write the fit's `training.csv` and `holdout.csv` into (the user's own rows,
  /// for fitting and scoring another tool on the same split).
  public var splitOut: String?

  public init(sample: String, out: String, learner: Learner) {
    self.sample = sample
    self.out = out
    self.learner = learner
  }

  /// Applies a learn spec file to the learner.
  public static func apply(spec path: String, to learner: inout Learner, table: SampleTable) throws(DecoyError) {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .io(path: path, reason: "cannot read the learn spec", hint: "check the path")
    }
    guard data.count <= SpecBudget.standard.maxBytes else {
      throw .io(path: path, reason: "the learn spec is larger than \(SpecBudget.standard.maxBytes) bytes", hint: nil)
    }
    let spec = try LearnSpec.decode(String(decoding: data, as: UTF8.self), file: path)
    try spec.check(against: table, file: path)
    for c in spec.columns {
      learner.declared[c.name] = c.kind
      if let p = c.provider { learner.providers[c.name] = p }
    }
  }

  public struct Summary: Sendable {
    public var fit: Learner.Fit
    public var bytes: [UInt8]
    public var seconds: Double
  }

  /// Reads and encodes the sample. The table itself is returned only when `--split-out` needs it:
  /// otherwise its text is freed here and the fit runs in the memory of the encoded values (a
  /// third less peak on large samples).
  private func prepare(_ learner: inout Learner) throws(DecoyError) -> (Learner.Prepared, SampleTable?) {
    let t = try SampleReader.read(sample, table: table)
    if let spec { try FitJob.apply(spec: spec, to: &learner, table: t) }
    return (try learner.prepare(t), splitOut == nil ? nil : t)
  }

  public func run(progress: FitProgress? = nil) throws(DecoyError) -> Summary {
    let start = Date()
    var learner = learner
    let (prepared, splitTable) = try prepare(&learner)
    let fit = learner.fit(prepared, progress: progress)
    let bytes = try ModelFile.encode(fit.model)
    try FileSink.writeWhole(bytes, to: out)
    if let dir = splitOut, let t = splitTable {
      try GenerateJob.prepareDirectory(dir)
      try FileSink.writeWhole(SampleCSV.encode(t, rows: fit.training), to: dir + "/training.csv")
      try FileSink.writeWhole(SampleCSV.encode(t, rows: fit.holdout), to: dir + "/holdout.csv")
    }
    return Summary(fit: fit, bytes: bytes, seconds: Date().timeIntervalSince(start))
  }
}

/// `decoy sample`: a model as a dataset for ``GenerateJob`` (every writer, shard and thread count).
public enum SampleJob {
  public static func generateJob(
    model: LearnedModel, rows: UInt64, seed: UInt64, format: OutputFormat, destination: GenerateJob.Destination,
    identifiers: IdentifierPolicy?
  ) throws(DecoyError) -> GenerateJob {
    let spec = try LearnedDataset.spec(model, rows: rows)
    return GenerateJob(
      spec: spec, seed: seed, today: nil, identifiers: identifiers, format: format, destination: destination)
  }
}
