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
  public var miaAUC: Double?
  public var kinds: [String: ColumnKind]
  public var order: [String]
  /// strftime layouts of date columns, for the metadata written with the report.
  public var dateFormats: [String: String] = [:]
  /// Columns that are not statistical (keys, identifiers, text…), written as SDV `id` columns.
  public var otherColumns: [String] = []

  public init(
    real: EvalTable, synthetic: EvalTable, holdout: EvalTable?, realColumns: [String], syntheticColumns: [String],
    seed: UInt64 = 0, threads: Int = ParallelMap.cores
  ) {
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
    if let holdout {
      exactMatchRateHoldout = PrivacyMetrics.exactMatchRate(synthetic, holdout)
      let synToHoldout = PrivacyMetrics.dcr(from: synthetic, to: holdout, threads: threads)
      var closer = 0
      for k in synToReal.indices where synToReal[k] < synToHoldout[k] { closer += 1 }
      let share = Double(closer) / Double(max(synToReal.count, 1))
      closerToTraining = share
      dcrOverfittingProtection = min(2 * (1 - share), 1)
      // Membership inference: members (training rows) should not be closer to the synthetic rows
      // than non-members (holdout rows). Score = −DCR to the synthetic table.
      let members = PrivacyMetrics.subsample(
        real, 500, RandomStream(seed: seed, path: ["learn", "evaluate", "mia", "in"]))
      let others = PrivacyMetrics.subsample(
        holdout, 500, RandomStream(seed: seed, path: ["learn", "evaluate", "mia", "out"]))
      let ms = PrivacyMetrics.dcr(from: members, to: synthetic, threads: threads).map { -$0 }
      let os = PrivacyMetrics.dcr(from: others, to: synthetic, threads: threads).map { -$0 }
      miaAUC = PrivacyMetrics.auc(ms, os)
    }
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
      "privacy": [
        "exact_match_rate": num(exactMatchRate), "exact_match_rate_holdout": num(exactMatchRateHoldout),
        "median_dcr_synthetic_real": num(medianDCRSyntheticReal), "median_dcr_random_real": num(medianDCRRandomReal),
        "dcr_baseline_protection": num(dcrBaselineProtection),
        "dcr_overfitting_protection": num(dcrOverfittingProtection), "closer_to_training": num(closerToTraining),
        "mia": ["auc": num(miaAUC)],
        "distance_only": true,
        "note": "distance metrics alone do not show that data is private (Yao et al., arXiv 2505.01524)",
      ],
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
    guard t.rows > k else { return t }
    let perm = KeyedPermutation(n: UInt64(t.rows), stream: s)
    let rows = (0..<k).map { Int(perm.apply(UInt64($0))) }.sorted()
    var out = t
    out.rows = k
    for i in t.columns.indices {
      switch t.columns[i] {
      case .continuous(let x): out.columns[i] = .continuous(rows.map { x[$0] })
      case .discrete(let x): out.columns[i] = .discrete(rows.map { x[$0] })
      }
    }
    return out
  }
}
