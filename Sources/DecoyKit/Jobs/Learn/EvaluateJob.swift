public import DecoyCore
import DecoyIO
public import DecoyLearn
import Foundation

/// `decoy evaluate`: reads a real and a synthetic table (and a holdout, or recomputes a model's
/// split), decides the column kinds (a model's, a learn spec's, SDV metadata's, or detection) and
/// scores them. Writes the JSON and HTML reports when asked.
public struct EvaluateJob: Sendable {
  public var real: String
  /// The table of a SQLite `real` (and holdout).
  public var table: String?
  public var synthetic: String
  /// The table of a SQLite `synthetic`.
  public var syntheticTable: String?
  public var holdout: String?
  public var model: String?
  public var spec: String?
  public var metadata: String?
  public var json: String?
  public var html: String?
  public var seed: UInt64 = 0
  public var threads = ParallelMap.cores
  public var privacy = PrivacyTests.attacks

  public init(real: String, synthetic: String) {
    self.real = real
    self.synthetic = synthetic
  }

  public struct Summary: Sendable {
    public var evaluation: Evaluation
    public var realRows: Int
    public var syntheticRows: Int
    public var seconds: Double
  }

  public func run() throws(DecoyError) -> Summary {
    let start = Date()
    let r = try SampleReader.read(real, table: table)
    let s = try SampleReader.read(synthetic, table: syntheticTable)
    let h = try holdout.map { p throws(DecoyError) in try SampleReader.read(p, table: table) }
    var profiles: [ColumnProfile]
    var split: (training: [Int], holdout: [Int])?
    if let model {
      let m = try ModelFile.read(model).model.manifest
      profiles = m.profiles
      if m.holdoutRows > 0 && h == nil {
        guard Learner.dataHash(r) == m.dataHash else {
          throw .usage(
            "\(SampleReader.display(real)) is not the sample \(model) was fitted on, so its holdout split cannot be recomputed",
            hint: "pass the fitted sample as --real, or give --holdout")
        }
        split = Learner.split(r.rowCount, holdoutRows: m.holdoutRows, seed: m.seed, table: m.table)
      }
    } else {
      var learner = Learner()
      if let spec { try FitJob.apply(spec: spec, to: &learner, table: r) }
      if let metadata { learner.declared = try SDVMetadata.kinds(metadata) }
      var d = Detector()
      d.coerce = true
      profiles = try d.detect(r, declared: learner.declared)
    }
    let holdoutTable: EvalTable? =
      if let sp = split { try EvalTable(r, profiles: profiles, rows: sp.holdout) } else if let h {
        try EvalTable(h, profiles: profiles)
      } else { nil }
    var e = Evaluation(
      real: try EvalTable(r, profiles: profiles, rows: split?.training),
      synthetic: try EvalTable(s, profiles: profiles),
      holdout: holdoutTable, realColumns: r.columns, syntheticColumns: s.columns, seed: seed, threads: threads,
      privacy: privacy)
    for p in profiles { if let f = p.dateFormat { e.dateFormats[p.name] = f.description } }
    e.otherColumns = profiles.filter { !$0.kind.isLearned }.map(\.name)
    if let json { try FileSink.writeWhole(e.json(), to: json) }
    if let html { try FileSink.writeWhole(Array(EvaluationReport(e).html().utf8), to: html) }
    return Summary(
      evaluation: e, realRows: split?.training.count ?? r.rowCount, syntheticRows: s.rowCount,
      seconds: Date().timeIntervalSince(start))
  }
}
