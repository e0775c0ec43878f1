import Foundation

/// SDMetrics 0.32's single-table quality report, computed by Decoy (specs/learned.md §7.1):
/// Column Shapes (KSComplement, TVComplement) and Column Pair Trends (CorrelationSimilarity,
/// ContingencySimilarity with SDMetrics' binning of continuous columns), with the default
/// thresholds and over all pairs.
public struct QualityReport: Sendable, Codable {
  public struct Pair: Sendable, Codable {
    public var a: String
    public var b: String
    public var metric: String
    /// The pair's score (nil: not computable, e.g. a constant column).
    public var score: Double?
    /// The real table's association: |Pearson r| or Cramér's V.
    public var realAssociation: Double?
    public var meetsThreshold: Bool
    public var realCorrelation: Double?
    public var syntheticCorrelation: Double?
  }

  public var columnShapes: Double?
  public var columns: [String: Double]
  public var columnOrder: [String]
  public var pairs: [Pair]
  /// With SDMetrics' default thresholds (|r| > 0.5, Cramér's V > 0.3).
  public var columnPairTrends: Double?
  public var score: Double?
  /// Every pair counts.
  public var allPairsColumnPairTrends: Double?
  public var allPairsScore: Double?
  public var pairsCounted: Int

  public init(real: EvalTable, synthetic: EvalTable) {
    var shapes: [String: Double] = [:]
    var order: [String] = []
    for i in real.names.indices {
      order.append(real.names[i])
      switch (real.columns[i], synthetic.columns[i]) {
      case (.continuous(let r), .continuous(let s)): shapes[real.names[i]] = Metrics.ksComplement(r, s)
      case (.discrete(let r), .discrete(let s)): shapes[real.names[i]] = Metrics.tvComplement(r, s)
      default: break
      }
    }
    columns = shapes
    columnOrder = order
    columnShapes = Metrics.nanMean(order.compactMap { shapes[$0] })
    var pairs: [Pair] = []
    for i in real.names.indices {
      for j in (i + 1)..<max(i + 1, real.names.count) {
        pairs.append(QualityReport.pair(real, synthetic, i, j))
      }
    }
    self.pairs = pairs
    let counted = pairs.filter { $0.meetsThreshold }.compactMap(\.score)
    pairsCounted = counted.count
    columnPairTrends = Metrics.nanMean(counted)
    allPairsColumnPairTrends = Metrics.nanMean(pairs.compactMap(\.score))
    score = Metrics.nanMean([columnShapes, columnPairTrends].compactMap { $0 })
    allPairsScore = Metrics.nanMean([columnShapes, allPairsColumnPairTrends].compactMap { $0 })
  }

  static func pair(_ real: EvalTable, _ syn: EvalTable, _ i: Int, _ j: Int) -> Pair {
    let a = real.names[i]
    let b = real.names[j]
    if case .continuous(let ra) = real.columns[i], case .continuous(let rb) = real.columns[j],
      case .continuous(let sa) = syn.columns[i], case .continuous(let sb) = syn.columns[j]
    {
      let r = Metrics.pearson(ra, rb)
      let s = Metrics.pearson(sa, sb)
      let score = r.flatMap { r in s.map { s in 1 - abs(r - s) / 2 } }
      return Pair(
        a: a, b: b, metric: "CorrelationSimilarity", score: score, realAssociation: r.map(abs),
        meetsThreshold: score != nil && (r.map(abs) ?? 0) > 0.5, realCorrelation: r, syntheticCorrelation: s)
    }
    let ra = Metrics.codes(real.columns[i])
    let rb = Metrics.codes(real.columns[j])
    let sa = Metrics.codes(syn.columns[i])
    let sb = Metrics.codes(syn.columns[j])
    let score = Metrics.contingencySimilarity(ra, rb, sa, sb)
    let v = Metrics.cramersV(ra, rb)
    return Pair(
      a: a, b: b, metric: "ContingencySimilarity", score: score, realAssociation: v,
      meetsThreshold: (v ?? 0) > 0.3, realCorrelation: nil, syntheticCorrelation: nil)
  }
}

/// The statistics behind the reports.
enum Metrics {
  static func nanMean(_ v: [Double]) -> Double? {
    let f = v.filter { !$0.isNaN }
    return f.isEmpty ? nil : f.reduce(0, +) / Double(f.count)
  }

  /// 1 − the two-sample Kolmogorov–Smirnov statistic, nulls dropped (values rounded to 14 decimal
  /// digits first, as SDMetrics does).
  static func ksComplement(_ r: [Double], _ s: [Double]) -> Double {
    func prep(_ x: [Double]) -> [Double] {
      x.filter { !$0.isNaN }.map { v in
        let scale = 1e14
        let rounded = (v * scale).rounded() / scale
        return abs(v) < 1e4 && rounded.isFinite ? rounded : v
      }.sorted()
    }
    let a = prep(r)
    let b = prep(s)
    guard !a.isEmpty, !b.isEmpty else { return .nan }
    var i = 0
    var j = 0
    var d = 0.0
    while i < a.count && j < b.count {
      let x = min(a[i], b[j])
      while i < a.count && a[i] <= x { i += 1 }
      while j < b.count && b[j] <= x { j += 1 }
      d = max(d, abs(Double(i) / Double(a.count) - Double(j) / Double(b.count)))
    }
    return 1 - d
  }

  /// 1 − total variation distance of the category shares, nulls dropped.
  static func tvComplement(_ r: [String?], _ s: [String?]) -> Double {
    let a = r.compactMap { $0 }
    let b = s.compactMap { $0 }
    guard !a.isEmpty, !b.isEmpty else { return .nan }
    var fa: [String: Double] = [:]
    var fb: [String: Double] = [:]
    for v in a { fa[v, default: 0] += 1 }
    for v in b { fb[v, default: 0] += 1 }
    var keys = Array(Set(fa.keys).union(fb.keys))
    keys.sort()
    var total = 0.0
    for k in keys { total += abs((fa[k] ?? 0) / Double(a.count) - (fb[k] ?? 0) / Double(b.count)) }
    return 1 - 0.5 * total
  }

  /// Pearson correlation over rows where both are present; nil when either is constant.
  static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
    var n = 0.0
    var sx = 0.0
    var sy = 0.0
    for k in x.indices where !x[k].isNaN && !y[k].isNaN {
      n += 1
      sx += x[k]
      sy += y[k]
    }
    guard n > 1 else { return nil }
    let mx = sx / n
    let my = sy / n
    var cxy = 0.0
    var cxx = 0.0
    var cyy = 0.0
    for k in x.indices where !x[k].isNaN && !y[k].isNaN {
      let dx = x[k] - mx
      let dy = y[k] - my
      cxy += dx * dy
      cxx += dx * dx
      cyy += dy * dy
    }
    guard cxx > 0, cyy > 0 else { return nil }
    return min(max(cxy / (cxx * cyy).squareRoot(), -1), 1)
  }

  /// Category keys of a column: discrete values as they are (null its own key), continuous values
  /// binned like SDMetrics: 10 equal-width bins over the column's own non-null range, numbered
  /// 1…10 by `digitize`, 11 for the maximum and for nulls.
  static func codes(_ c: EvalTable.Column) -> [String] {
    switch c {
    case .discrete(let v): return v.map { $0.map { "v:" + $0 } ?? "null" }
    case .continuous(let x):
      let present = x.filter { !$0.isNaN }
      guard var lo = present.min(), var hi = present.max() else { return x.map { _ in "11" } }
      if lo == hi {
        lo -= 0.5
        hi += 0.5
      }
      let edges = (0...10).map { lo + Double($0) * (hi - lo) / 10 }
      return x.map { v in
        if v.isNaN { return "11" }
        var k = 0
        while k < edges.count && edges[k] <= v { k += 1 }
        return String(k)
      }
    }
  }

  /// 1 − total variation distance of the joint shares of two columns.
  static func contingencySimilarity(_ ra: [String], _ rb: [String], _ sa: [String], _ sb: [String]) -> Double? {
    guard !ra.isEmpty, !sa.isEmpty else { return nil }
    var fr: [String: Double] = [:]
    var fs: [String: Double] = [:]
    for k in ra.indices { fr[ra[k] + "\u{1}" + rb[k], default: 0] += 1 }
    for k in sa.indices { fs[sa[k] + "\u{1}" + sb[k], default: 0] += 1 }
    var keys = Array(Set(fr.keys).union(fs.keys))
    keys.sort()
    var total = 0.0
    for k in keys { total += abs((fr[k] ?? 0) / Double(ra.count) - (fs[k] ?? 0) / Double(sa.count)) }
    return 1 - 0.5 * total
  }

  /// Cramér's V of two category columns (no continuity correction); nil with fewer than two
  /// levels on either side.
  static func cramersV(_ a: [String], _ b: [String]) -> Double? {
    var la: [String: Int] = [:]
    var lb: [String: Int] = [:]
    for v in a where la[v] == nil { la[v] = la.count }
    for v in b where lb[v] == nil { lb[v] = lb.count }
    let r = la.count
    let c = lb.count
    guard r >= 2, c >= 2 else { return nil }
    var table = [Double](repeating: 0, count: r * c)
    for k in a.indices { table[la[a[k]]! * c + lb[b[k]]!] += 1 }
    let n = Double(a.count)
    var rows = [Double](repeating: 0, count: r)
    var cols = [Double](repeating: 0, count: c)
    for i in 0..<r {
      for j in 0..<c {
        rows[i] += table[i * c + j]
        cols[j] += table[i * c + j]
      }
    }
    var chi2 = 0.0
    for i in 0..<r {
      for j in 0..<c {
        let e = rows[i] * cols[j] / n
        if e > 0 { chi2 += (table[i * c + j] - e) * (table[i * c + j] - e) / e }
      }
    }
    return (chi2 / (n * Double(min(r, c) - 1))).squareRoot()
  }
}
