/// One column's real and synthetic distributions as the report draws them: shares per bin (24
/// equal bins over both tables' range) for numbers and dates, or per category (the ten most
/// frequent real categories, then the rest as one bar). Nulls are left out, as in the shape scores.
public struct ColumnDistribution: Sendable {
  public var name: String
  public var kind: ColumnKind
  /// The column's shape score (KS or TV complement).
  public var score: Double?
  /// Bin edges (bins + 1) for continuous columns; empty for categories.
  public var edges: [Double]
  /// Category labels (with "other (N)" last when categories were merged); empty for numbers.
  public var labels: [String]
  public var real: [Double]
  public var synthetic: [Double]

  static let bins = 24
  static let categories = 10

  init(name: String, kind: ColumnKind, score: Double?, real r: EvalTable.Column, synthetic s: EvalTable.Column) {
    self.name = name
    self.kind = kind
    self.score = score
    edges = []
    labels = []
    real = []
    synthetic = []
    switch (r, s) {
    case (.continuous(let x), .continuous(let y)):
      var lo = Double.infinity
      var hi = -Double.infinity
      for v in x where !v.isNaN {
        lo = min(lo, v)
        hi = max(hi, v)
      }
      for v in y where !v.isNaN {
        lo = min(lo, v)
        hi = max(hi, v)
      }
      guard lo <= hi else { return }
      if lo == hi {
        lo -= 0.5
        hi += 0.5
      }
      let width = (hi - lo) / Double(ColumnDistribution.bins)
      edges = (0...ColumnDistribution.bins).map { lo + Double($0) * width }
      func shares(_ v: [Double]) -> [Double] {
        var c = [Double](repeating: 0, count: ColumnDistribution.bins)
        var n = 0.0
        for x in v where !x.isNaN {
          c[min(Int((x - lo) / width), ColumnDistribution.bins - 1)] += 1
          n += 1
        }
        return n > 0 ? c.map { $0 / n } : c
      }
      real = shares(x)
      synthetic = shares(y)
    case (.discrete(let x), .discrete(let y)):
      var counts: [String: Int] = [:]
      for v in x { if let v { counts[v, default: 0] += 1 } }
      let order = counts.keys.sorted { counts[$0]! != counts[$1]! ? counts[$0]! > counts[$1]! : $0 < $1 }
      let top = Array(order.prefix(ColumnDistribution.categories))
      let merged = order.count > top.count
      labels = top + (merged ? ["other (\(order.count - top.count))"] : [])
      var index: [String: Int] = [:]
      for (i, l) in top.enumerated() { index[l] = i }
      func shares(_ v: [String?]) -> [Double] {
        var c = [Double](repeating: 0, count: labels.count)
        var n = 0.0
        for s in v {
          guard let s else { continue }
          n += 1
          if let i = index[s] { c[i] += 1 } else if merged { c[labels.count - 1] += 1 }
        }
        return n > 0 ? c.map { $0 / n } : c
      }
      real = shares(x)
      synthetic = shares(y)
    default: break
    }
  }
}
