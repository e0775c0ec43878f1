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
    // Category codes of every column, once (continuous columns binned as SDMetrics does).
    let realCodes = real.columns.map(Metrics.codes)
    let synCodes = synthetic.columns.map(Metrics.codes)
    var pairs: [Pair] = []
    for i in real.names.indices {
      for j in (i + 1)..<max(i + 1, real.names.count) {
        pairs.append(QualityReport.pair(real, synthetic, i, j, realCodes, synCodes))
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

  static func pair(
    _ real: EvalTable, _ syn: EvalTable, _ i: Int, _ j: Int, _ realCodes: [Metrics.Codes], _ synCodes: [Metrics.Codes]
  ) -> Pair {
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
    let score = Metrics.contingencySimilarity(realCodes[i], realCodes[j], synCodes[i], synCodes[j])
    let v = Metrics.cramersV(realCodes[i], realCodes[j])
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

  /// A column as category codes: `values[k]` in 0..<levels.
  struct Codes {
    var values: [Int]
    var levels: Int
    /// Keys of the levels, for matching real and synthetic levels (nil: null).
    var keys: [String?]
  }

  /// Category codes of a column: discrete values by first appearance (null its own level),
  /// continuous values binned like SDMetrics: 10 equal-width bins over the column's own non-null
  /// range, numbered 1…10 by `digitize`, 11 for the maximum and for nulls.
  static func codes(_ c: EvalTable.Column) -> Codes {
    switch c {
    case .discrete(let v):
      var index: [String: Int] = [:]
      var keys: [String?] = []
      var nullCode: Int?
      var out = [Int](repeating: 0, count: v.count)
      for (k, s) in v.enumerated() {
        if let s {
          if let code = index[s] {
            out[k] = code
          } else {
            index[s] = keys.count
            out[k] = keys.count
            keys.append(s)
          }
        } else {
          if nullCode == nil {
            nullCode = keys.count
            keys.append(nil)
          }
          out[k] = nullCode!
        }
      }
      return Codes(values: out, levels: keys.count, keys: keys)
    case .continuous(let x):
      var lo = Double.infinity
      var hi = -Double.infinity
      for v in x where !v.isNaN {
        lo = min(lo, v)
        hi = max(hi, v)
      }
      let keys: [String?] = (0...11).map { String($0) }
      guard lo <= hi else { return Codes(values: x.map { _ in 11 }, levels: 12, keys: keys) }
      if lo == hi {
        lo -= 0.5
        hi += 0.5
      }
      let edges = (0...10).map { lo + Double($0) * (hi - lo) / 10 }
      return Codes(
        values: x.map { v in
          if v.isNaN { return 11 }
          var k = 0
          while k < edges.count && edges[k] <= v { k += 1 }
          return k
        }, levels: 12, keys: keys)
    }
  }

  /// 1 − total variation distance of the joint shares of two columns (real and synthetic levels
  /// matched by their keys).
  static func contingencySimilarity(_ ra: Codes, _ rb: Codes, _ sa: Codes, _ sb: Codes) -> Double? {
    let n = ra.values.count
    let m = sa.values.count
    guard n > 0, m > 0 else { return nil }
    // Synthetic levels mapped onto real ones; unseen ones get new codes after them.
    func align(_ s: Codes, _ r: Codes) -> (map: [Int], levels: Int) {
      var index: [String?: Int] = [:]
      for (k, key) in r.keys.enumerated() { index[key] = k }
      var levels = r.levels
      let map = s.keys.map { key -> Int in
        if let k = index[key] { return k }
        levels += 1
        return levels - 1
      }
      return (map, levels)
    }
    let (mapA, la) = align(sa, ra)
    let (mapB, lb) = align(sb, rb)
    var joint = [Double](repeating: 0, count: la * lb)
    for k in 0..<n { joint[ra.values[k] * lb + rb.values[k]] += 1 / Double(n) }
    for k in 0..<m { joint[mapA[sa.values[k]] * lb + mapB[sb.values[k]]] -= 1 / Double(m) }
    var total = 0.0
    for d in joint { total += abs(d) }
    return 1 - 0.5 * total
  }

  /// Cramér's V of two category columns (no continuity correction); nil with fewer than two
  /// levels present on either side.
  static func cramersV(_ a: Codes, _ b: Codes) -> Double? {
    let r = a.levels
    let c = b.levels
    var table = [Double](repeating: 0, count: r * c)
    for k in a.values.indices { table[a.values[k] * c + b.values[k]] += 1 }
    let n = Double(a.values.count)
    var rows = [Double](repeating: 0, count: r)
    var cols = [Double](repeating: 0, count: c)
    for i in 0..<r {
      for j in 0..<c {
        rows[i] += table[i * c + j]
        cols[j] += table[i * c + j]
      }
    }
    let presentRows = rows.filter { $0 > 0 }.count
    let presentCols = cols.filter { $0 > 0 }.count
    guard presentRows >= 2, presentCols >= 2 else { return nil }
    var chi2 = 0.0
    for i in 0..<r where rows[i] > 0 {
      for j in 0..<c where cols[j] > 0 {
        let e = rows[i] * cols[j] / n
        chi2 += (table[i * c + j] - e) * (table[i * c + j] - e) / e
      }
    }
    return (chi2 / (n * Double(min(presentRows, presentCols) - 1))).squareRoot()
  }
}
