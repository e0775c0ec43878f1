public import DecoyCore
import Foundation

/// `decoy evaluate`: the quality report, the diagnostic report and the distance-based privacy
/// figures of a synthetic table against its real (training) table and, optionally, a holdout.
public struct Evaluation: Sendable {
  public var quality: QualityReport
  /// Data Validity (BoundaryAdherence, CategoryAdherence) and Data Structure.
  public var dataValidity: Double?
  public var dataStructure: Double
  public var diagnosticScore: Double?
  public var exactMatchRate: Double
  public var exactMatchRateHoldout: Double?
  public var medianDCRSyntheticReal: Double
  public var medianDCRRandomReal: Double
  public var dcrBaselineProtection: Double?
  public var dcrOverfittingProtection: Double?
  public var closerToTraining: Double?
  /// DCR overfitting protection made fair: training and holdout distances on one scale (the
  /// ranges of training ∪ holdout) and against reference sets of one size (a keyed subsample of
  /// the larger). SDMetrics scales each side by its own ranges, so on a small table whose extremes
  /// fell on one side the figure reflects the split, not the synthesizer; and with a holdout
  /// smaller than training (0.2) most rows are "closer to training" whatever the synthesizer.
  public var dcrOverfittingProtectionBalanced: Double?
  public var closerToTrainingBalanced: Double?
  /// Notes on figures that need care (e.g. a holdout under half the training size).
  public var warnings: [String] = []
  public var membership: MembershipInference?
  /// Attack-based risks (nil with `privacy: .basic`).
  public var attacks: PrivacyAttacks?
  public var privacy: PrivacyTests
  public var realRows: Int
  public var syntheticRows: Int
  public var holdoutRows: Int?
  /// Per learned column, what the report's distribution charts draw.
  public var distributions: [ColumnDistribution] = []
  /// DCR quantiles (p = 0, 0.01, …, 1) of synthetic → training, synthetic → holdout and random →
  /// training, for the report's curves. With a holdout the first two are the balanced distances
  /// (one scale, equal-size references), so the curves compare like with like.
  public var dcrCurves: [(name: String, quantiles: [Double])] = []
  public var kinds: [String: ColumnKind]
  public var order: [String]
  /// strftime layouts of date columns, for the metadata written with the report.
  public var dateFormats: [String: String] = [:]
  /// Columns that are not statistical (keys, identifiers, text…), written as SDV `id` columns.
  public var otherColumns: [String] = []

  public init(
    real: EvalTable, synthetic: EvalTable, holdout: EvalTable?, realColumns: [String], syntheticColumns: [String],
    seed: UInt64 = 0, threads: Int = ParallelMap.cores, privacy: PrivacyTests = .attacks
  ) {
    self.privacy = privacy
    realRows = real.rows
    syntheticRows = synthetic.rows
    holdoutRows = holdout?.rows
    quality = QualityReport(real: real, synthetic: synthetic)
    kinds = Dictionary(uniqueKeysWithValues: zip(real.names, real.kinds))
    order = real.names
    // Diagnostic: validity per column, then structure.
    var validity: [Double] = []
    for i in real.names.indices {
      switch (real.columns[i], synthetic.columns[i]) {
      case (.continuous(let r), .continuous(let s)):
        let p = r.filter { !$0.isNaN }
        guard let lo = p.min(), let hi = p.max() else { continue }
        let nullable = p.count < r.count
        let considered = nullable ? s.filter { !$0.isNaN } : s
        guard !considered.isEmpty else { continue }
        validity.append(
          Double(considered.filter { !$0.isNaN && $0 >= lo && $0 <= hi }.count) / Double(considered.count))
      case (.discrete(let r), .discrete(let s)):
        let known = Set(r.compactMap { $0 })
        let nullable = r.contains { $0 == nil }
        let considered = nullable ? s.filter { $0 != nil } : s
        guard !considered.isEmpty else { continue }
        validity.append(Double(considered.filter { $0.map(known.contains) ?? false }.count) / Double(considered.count))
      default: break
      }
    }
    dataValidity = Metrics.nanMean(validity)
    let rs = Set(realColumns)
    let ss = Set(syntheticColumns)
    dataStructure = Double(rs.intersection(ss).count) / Double(max(rs.union(ss).count, 1))
    diagnosticScore = Metrics.nanMean([dataValidity, dataStructure].compactMap { $0 })
    // Privacy.
    exactMatchRate = PrivacyMetrics.exactMatchRate(synthetic, real)
    let synToReal = PrivacyMetrics.dcr(from: synthetic, to: real, threads: threads)
    let random = PrivacyMetrics.randomTable(
      like: real, rows: synthetic.rows, stream: RandomStream(seed: seed, path: ["learn", "evaluate", "baseline"]))
    let randomToReal = PrivacyMetrics.dcr(from: random, to: real, threads: threads)
    medianDCRSyntheticReal = PrivacyMetrics.median(synToReal)
    medianDCRRandomReal = PrivacyMetrics.median(randomToReal)
    dcrBaselineProtection =
      medianDCRRandomReal > 0 ? min(medianDCRSyntheticReal / medianDCRRandomReal, 1) : nil
    distributions = real.names.indices.map {
      ColumnDistribution(
        name: real.names[$0], kind: real.kinds[$0], score: quality.columns[real.names[$0]] ?? nil,
        real: real.columns[$0], synthetic: synthetic.columns[$0])
    }
    if let holdout {
      exactMatchRateHoldout = PrivacyMetrics.exactMatchRate(synthetic, holdout)
      let synToHoldout = PrivacyMetrics.dcr(from: synthetic, to: holdout, threads: threads)
      func closerShare(_ train: [Double], _ hold: [Double]) -> Double {
        var closer = 0
        for k in train.indices where train[k] < hold[k] { closer += 1 }
        return Double(closer) / Double(max(train.count, 1))
      }
      let share = closerShare(synToReal, synToHoldout)
      closerToTraining = share
      dcrOverfittingProtection = min(2 * (1 - share), 1)
      if 2 * holdout.rows < real.rows {
        warnings.append(
          "the holdout has under half as many rows as training (\(holdout.rows) vs \(real.rows)): SDMetrics' DCR overfitting protection counts most rows as closer to training whatever the model; read the balanced figure"
        )
      }
      let both = [real, holdout]
      let size = min(real.rows, holdout.rows)
      let balance = RandomStream(seed: seed, path: ["learn", "evaluate", "balanced"])
      let toTraining = PrivacyMetrics.dcr(
        from: synthetic, to: PrivacyMetrics.subsample(real, size, balance.derive(1)), rangesFrom: both,
        threads: threads)
      let toHoldout = PrivacyMetrics.dcr(
        from: synthetic, to: PrivacyMetrics.subsample(holdout, size, balance.derive(2)), rangesFrom: both,
        threads: threads)
      dcrCurves.append(("synthetic_training", Evaluation.quantiles(toTraining)))
      dcrCurves.append(("synthetic_holdout", Evaluation.quantiles(toHoldout)))
      let common = closerShare(toTraining, toHoldout)
      closerToTrainingBalanced = common
      dcrOverfittingProtectionBalanced = min(2 * (1 - common), 1)
      membership = MembershipInference(
        training: real, holdout: holdout, synthetic: synthetic, seed: seed, threads: threads)
    }
    if holdout == nil { dcrCurves.append(("synthetic_training", Evaluation.quantiles(synToReal))) }
    dcrCurves.append(("random_training", Evaluation.quantiles(randomToReal)))
    if privacy == .attacks {
      attacks = PrivacyAttacks(training: real, synthetic: synthetic, control: holdout, seed: seed, threads: threads)
    }
  }

  /// 101 type-7 quantiles of `v` (empty for no values).
  static func quantiles(_ v: [Double]) -> [Double] {
    let x = v.filter { !$0.isNaN }.sorted()
    guard !x.isEmpty else { return [] }
    return (0...100).map { i in Type7Quantile.at(x, position: Double(x.count - 1) * Double(i) / 100) }
  }

  func privacyJSON(_ num: (Double?) -> Any) -> [String: Any] {
    func risk(_ r: AttackRisk?) -> Any {
      guard let r else { return NSNull() }
      return [
        "risk": num(r.risk), "ci": [num(r.low), num(r.high)], "attacks": r.attacks,
        "attack_rate": num(r.attackRate), "control_rate": num(r.controlRate), "baseline_rate": num(r.baselineRate),
        "level": r.level, "no_better_than_baseline": r.noBetterThanBaseline,
      ]
    }
    var mia: [String: Any] = ["auc": NSNull()]
    if let m = membership {
      mia = [
        "auc": num(m.auc), "ci": [num(m.low), num(m.high)], "advantage": num(m.advantage),
        "tpr_at_fpr_0_1": num(m.tprAtFPR10), "members": m.members, "non_members": m.nonMembers,
        "roc": m.roc.map { [num($0.fpr), num($0.tpr)] },
      ]
    }
    var out: [String: Any] = [
      "tests": privacy.rawValue,
      "exact_match_rate": num(exactMatchRate), "exact_match_rate_holdout": num(exactMatchRateHoldout),
      "median_dcr_synthetic_real": num(medianDCRSyntheticReal), "median_dcr_random_real": num(medianDCRRandomReal),
      "dcr_baseline_protection": num(dcrBaselineProtection),
      "dcr_overfitting_protection": num(dcrOverfittingProtection), "closer_to_training": num(closerToTraining),
      "dcr_overfitting_protection_balanced": num(dcrOverfittingProtectionBalanced),
      "closer_to_training_balanced": num(closerToTrainingBalanced),
      "mia": mia,
      "distance_only": attacks == nil,
      "dcr_quantiles": Dictionary(uniqueKeysWithValues: dcrCurves.map { ($0.name, $0.quantiles.map { num($0) }) }),
      "singling_out": NSNull(), "linkability": NSNull(), "inference": NSNull(),
    ]
    if attacks == nil {
      out["note"] = "distance metrics alone do not show that data is private (Yao et al., arXiv 2505.01524)"
    }
    if let a = attacks {
      var so = risk(a.singlingOut) as! [String: Any]
      so["univariate"] = risk(a.singlingOutUnivariate)
      so["multivariate"] = risk(a.singlingOutMultivariate)
      out["singling_out"] = so
      if var link = risk(a.linkability) as? [String: Any] {
        link["columns_a"] = a.linkabilityColumns.0
        link["columns_b"] = a.linkabilityColumns.1
        out["linkability"] = link
      }
      if let worst = a.worstInference, var inf = risk(worst.risk) as? [String: Any] {
        inf["worst_column"] = worst.column
        inf["columns"] = a.inference.map { x -> [String: Any] in
          var d = risk(x.risk) as! [String: Any]
          d["column"] = x.column
          return d
        }
        out["inference"] = inf
      }
    }
    return out
  }

  /// The report as JSON with the stable keys of docs/learned-synthesis.md (sorted keys; null
  /// where a figure is not defined).
  public func json() -> [UInt8] {
    func num(_ v: Double?) -> Any { v.map { $0.isFinite ? $0 as Any : NSNull() } ?? NSNull() }
    var columns: [String: Any] = [:]
    for n in quality.columnOrder { columns[n] = num(quality.columns[n]) }
    let pairs: [[String: Any]] = quality.pairs.map {
      [
        "columns": [$0.a, $0.b], "metric": $0.metric, "score": num($0.score),
        "real_association": num($0.realAssociation), "meets_threshold": $0.meetsThreshold,
      ]
    }
    var metadata: [String: Any] = [:]
    for n in order {
      let k = kinds[n]!
      let sdtype: String
      switch k {
      case .numerical: sdtype = "numerical"
      case .date, .datetime: sdtype = "datetime"
      case .boolean: sdtype = "boolean"
      default: sdtype = "categorical"
      }
      var entry = ["sdtype": sdtype, "decoy_kind": k.rawValue]
      if let f = dateFormats[n] { entry["datetime_format"] = f }
      metadata[n] = entry
    }
    for n in otherColumns where metadata[n] == nil { metadata[n] = ["sdtype": "id", "decoy_kind": "other"] }
    let root: [String: Any] = [
      "quality": [
        "score": num(quality.score), "column_shapes": num(quality.columnShapes),
        "column_pair_trends": num(quality.columnPairTrends), "pairs_counted": quality.pairsCounted,
        "pairs_total": quality.pairs.count, "columns": columns, "pairs": pairs,
        "all_pairs": [
          "score": num(quality.allPairsScore), "column_pair_trends": num(quality.allPairsColumnPairTrends),
        ],
      ],
      "diagnostic": [
        "score": num(diagnosticScore), "data_validity": num(dataValidity), "data_structure": dataStructure,
      ],
      "privacy": privacyJSON(num),
      "metadata": metadata,
    ]
    let data =
      (try? JSONSerialization.data(withJSONObject: root, options: [.sortedKeys, .prettyPrinted])) ?? Data()
    return [UInt8](data) + [10]
  }
}

extension PrivacyMetrics {
  /// At most `k` rows of a table, chosen by a keyed permutation, in row order.
  static func subsample(_ t: EvalTable, _ k: Int, _ s: RandomStream) -> EvalTable {
    t.rows > k ? t.selecting(PrivacyAttacks.choose(t.rows, k, s)) : t
  }
}
