public import DecoyCore

/// A distance-based membership-inference test (specs/learned.md §7.3): can an attacker tell
/// training rows (members) from holdout rows by how close the synthetic table comes to them?
/// Score = −DCR(row → synthetic). AUC 0.5 means it cannot.
public struct MembershipInference: Sendable {
  public var auc: Double
  /// 95 % interval of the AUC from 1,000 keyed bootstrap resamples (percentiles 2.5 and 97.5).
  public var low: Double
  public var high: Double
  /// 2 AUC − 1.
  public var advantage: Double { 2 * auc - 1 }
  /// The share of members caught when 10 % of non-members are wrongly flagged.
  public var tprAtFPR10: Double
  /// The ROC curve as (false positive rate, true positive rate) points from (0, 0) to (1, 1).
  public var roc: [(fpr: Double, tpr: Double)]
  public var members: Int
  public var nonMembers: Int

  public static let targets = 500
  static let resamples = 1000

  public init(
    training: EvalTable, holdout: EvalTable, synthetic: EvalTable, seed: UInt64, threads: Int = ParallelMap.cores
  ) {
    let root = RandomStream(seed: seed, path: ["learn", "evaluate", "mia"])
    let inside = PrivacyMetrics.subsample(training, MembershipInference.targets, root.derive("in"))
    let outside = PrivacyMetrics.subsample(holdout, MembershipInference.targets, root.derive("out"))
    let positive = PrivacyMetrics.dcr(from: inside, to: synthetic, threads: threads).map { -$0 }
    let negative = PrivacyMetrics.dcr(from: outside, to: synthetic, threads: threads).map { -$0 }
    members = positive.count
    nonMembers = negative.count
    auc = PrivacyMetrics.auc(positive, negative)
    roc = MembershipInference.curve(positive, negative)
    tprAtFPR10 = MembershipInference.tpr(at: 0.1, roc)
    // Bootstrap: resample members and non-members with replacement, keyed by resample and slot.
    let boot = root.derive("bootstrap")
    var aucs: [Double] = []
    aucs.reserveCapacity(MembershipInference.resamples)
    var p = [Double](repeating: 0, count: positive.count)
    var q = [Double](repeating: 0, count: negative.count)
    if !positive.isEmpty && !negative.isEmpty {
      for b in 0..<MembershipInference.resamples {
        let s = boot.derive(UInt64(b))
        for i in p.indices { p[i] = positive[Int(s.below(UInt64(positive.count), UInt64(i), 0))] }
        for i in q.indices { q[i] = negative[Int(s.below(UInt64(negative.count), UInt64(i), 1))] }
        aucs.append(PrivacyMetrics.auc(p, q))
      }
    }
    aucs.sort()
    func percentile(_ f: Double) -> Double {
      guard !aucs.isEmpty else { return .nan }
      let h = f * Double(aucs.count - 1)
      let i = Int(h)
      let j = min(i + 1, aucs.count - 1)
      return aucs[i] + (h - Double(i)) * (aucs[j] - aucs[i])
    }
    low = percentile(0.025)
    high = percentile(0.975)
  }

  /// ROC points over every distinct score, highest first (ties move both rates at once).
  static func curve(_ positive: [Double], _ negative: [Double]) -> [(fpr: Double, tpr: Double)] {
    guard !positive.isEmpty, !negative.isEmpty else { return [] }
    var all = positive.map { ($0, true) } + negative.map { ($0, false) }
    all.sort { $0.0 > $1.0 }
    var points: [(fpr: Double, tpr: Double)] = [(0, 0)]
    var tp = 0
    var fp = 0
    var i = 0
    while i < all.count {
      var j = i
      while j < all.count && all[j].0 == all[i].0 {
        if all[j].1 { tp += 1 } else { fp += 1 }
        j += 1
      }
      points.append((Double(fp) / Double(negative.count), Double(tp) / Double(positive.count)))
      i = j
    }
    return points
  }

  /// The true positive rate where the curve reaches `fpr` (linear between points).
  static func tpr(at fpr: Double, _ roc: [(fpr: Double, tpr: Double)]) -> Double {
    guard var previous = roc.first else { return .nan }
    for point in roc.dropFirst() {
      if point.fpr >= fpr {
        if point.fpr == previous.fpr { return point.tpr }
        return previous.tpr + (fpr - previous.fpr) / (point.fpr - previous.fpr) * (point.tpr - previous.tpr)
      }
      previous = point
    }
    return previous.tpr
  }
}
