public import DecoyCore

/// Detects, encodes and fits a sample: the library entry point of learned synthesis.
///
/// ```swift
/// let table = try SampleReader.read("patients.csv")          // DecoyIO
/// let fit = try Learner(synthesizer: .cart, seed: 7).fit(table)
/// try FileSink.writeWhole(ModelFile.encode(fit.model), to: "patients.decoymodel")  // DecoyIO
/// let spec = try LearnedDataset.spec(fit.model, rows: 10_000) // then GenerateJob (DecoyKit)
/// ```
public struct Learner: Sendable {
  public var synthesizer: SynthesizerKind
  public var seed: UInt64
  public var options = FitOptions()
  /// Share of rows held out (not learned), for evaluation.
  public var holdout = 0.0
  public var detector = Detector()
  /// Kinds declared by a learn spec, by column name.
  public var declared: [String: ColumnKind] = [:]
  /// Providers declared by a learn spec for pii columns, by column name.
  public var providers: [String: String] = [:]
  /// Profiles that replace detection entirely when given.
  public var profiles: [ColumnProfile]?

  public init(synthesizer: SynthesizerKind = .cart, seed: UInt64 = 42) {
    self.synthesizer = synthesizer
    self.seed = seed
  }

  /// The result of a fit: the model and the rows it learned from and held out (indices into the
  /// sample, ascending; they never go into the model).
  public struct Fit: Sendable {
    public var model: LearnedModel
    public var training: [Int]
    public var holdout: [Int]
  }

  /// The training and holdout rows of a sample of `n` rows: a keyed permutation puts
  /// floor(holdout · n) rows aside.
  public func split(_ n: Int, table: String) -> (training: [Int], holdout: [Int]) {
    Learner.split(n, holdoutRows: Int((holdout * Double(n)).rounded(.down)), seed: seed, table: table)
  }

  /// The split of a sample of `n` rows with `h` rows held out: a pure function of (seed, table,
  /// n, h), so `decoy evaluate --model` recomputes a fit's split without the model storing rows.
  public static func split(_ n: Int, holdoutRows h: Int, seed: UInt64, table: String) -> (
    training: [Int], holdout: [Int]
  ) {
    guard h > 0, h < n else { return (Array(0..<n), []) }
    let perm = KeyedPermutation(n: UInt64(n), stream: RandomStream(seed: seed, path: ["learn", table, "holdout"]))
    var isHoldout = [Bool](repeating: false, count: n)
    for i in 0..<h { isHoldout[Int(perm.apply(UInt64(i)))] = true }
    return ((0..<n).filter { !isHoldout[$0] }, (0..<n).filter { isHoldout[$0] })
  }

  /// What a fit needs from the sample, taken from it in one pass: detection, the split, the
  /// encoded training rows and the sample's hash. It holds no text of the sample, so a caller
  /// that drops the table afterwards fits in the memory of the encoded values alone.
  public struct Prepared: Sendable {
    var table: String
    var profiles: [ColumnProfile]
    var data: TrainingData
    var training: [Int]
    var holdout: [Int]
    var dataHash: String
  }

  /// Detects and encodes a sample (every check that can fail on the data happens here).
  public func prepare(_ table: SampleTable) throws(DecoyError) -> Prepared {
    guard holdout >= 0 && holdout < 0.9 else {
      throw .usage("--holdout must be a share in [0, 0.9)", hint: "e.g. --holdout 0.2")
    }
    if table.rowCount < TableEncoder.minimumRows {
      throw .input(
        file: table.source, line: 1, column: nil,
        reason: "\(table.rowCount) data rows; at least \(TableEncoder.minimumRows) are needed to learn anything",
        hint: "bring a larger sample")
    }
    var profiles: [ColumnProfile]
    if let given = self.profiles { profiles = given } else { profiles = try detector.detect(table, declared: declared) }
    for i in profiles.indices {
      if let p = providers[profiles[i].name] {
        profiles[i].provider = p
        profiles[i].routing = .provider
      }
    }
    let (training, held) = split(table.rowCount, table: table.name)
    if training.count < TableEncoder.minimumRows {
      throw .usage(
        "only \(training.count) rows are left for training after the holdout",
        hint: "use a smaller --holdout or a larger sample")
    }
    var encoder = TableEncoder()
    encoder.coerce = detector.coerce
    let data = try encoder.encode(table, profiles: &profiles, rows: training, seed: seed)
    if data.variables.isEmpty {
      throw .input(
        file: table.source, line: 1, column: nil,
        reason: "no column can be learned (all are keys, identifiers, text, constant or null)",
        hint: "declare columns as numerical or categorical in a learn spec (decoy detect writes one)")
    }
    return Prepared(
      table: table.name, profiles: profiles, data: data, training: training, holdout: held,
      dataHash: Learner.dataHash(table))
  }

  /// Detects, encodes and fits a sample.
  public func fit(_ table: SampleTable, progress: FitProgress? = nil) throws(DecoyError) -> Fit {
    fit(try prepare(table), progress: progress)
  }

  /// Fits a prepared sample (cannot fail: the data was checked by ``prepare(_:)``).
  public func fit(_ prepared: Prepared, progress: FitProgress? = nil) -> Fit {
    let data = prepared.data
    var warnings: [String] = []
    let p = data.variables.count
    if data.rows < 5 * p {
      warnings.append("\(data.rows) training rows for \(p) variables: few rows per variable, expect noisy dependencies")
    }
    let fitted: any FittedSynthesizer
    switch synthesizer {
    case .gaussianCopula: fitted = GaussianCopula().fit(data, seed: seed, table: prepared.table, progress: progress)
    case .cart: fitted = SequentialCART(options: options).fit(data, progress: progress)
    }
    for pr in prepared.profiles { warnings.append(contentsOf: pr.warnings.map { "\(pr.name): \($0)" }) }
    let manifest = ModelManifest(
      synthesizer: synthesizer, options: options, seed: seed, table: prepared.table,
      dataHash: prepared.dataHash, rows: prepared.training.count, holdoutRows: prepared.holdout.count,
      profiles: prepared.profiles, encodings: data.encodings, variables: data.variables, warnings: warnings)
    return Fit(
      model: LearnedModel(manifest: manifest, synthesizer: fitted), training: prepared.training,
      holdout: prepared.holdout)
  }

  /// SHA-256 of a canonical encoding of the sample (per column: its bytes, value ends and nulls),
  /// as lower-case hex. It identifies the data without revealing it.
  public static func dataHash(_ t: SampleTable) -> String {
    var all: [UInt8] = []
    for (c, b) in t.values.enumerated() {
      all.append(contentsOf: SHA256.digest(Array(t.columns[c].utf8)))
      all.append(contentsOf: SHA256.digest(b.bytes))
      var ends: [UInt8] = []
      ends.reserveCapacity(b.count * 9)
      for i in 0..<b.count {
        var e = UInt64(b.ends[i])
        for _ in 0..<8 {
          ends.append(UInt8(truncatingIfNeeded: e))
          e >>= 8
        }
        ends.append(b.isNull(i) ? 1 : 0)
      }
      all.append(contentsOf: SHA256.digest(ends))
    }
    return ModelFile.hex(SHA256.digest(all))
  }
}
