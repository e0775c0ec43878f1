public import DecoyCore

/// Distance-based privacy figures (specs/learned.md §7.3): SDMetrics' distance to closest record
/// (DCR) with its baseline and overfitting protections, exact-match rates, and a membership
/// inference AUC from distances. Distances alone never prove privacy (the report says so).
public enum PrivacyMetrics {
  /// Per-column distance setup from a reference table: numeric ranges, which columns count.
  struct Space {
    var columns: [Int]
    var ranges: [Double]
  }

  /// DCR columns: numerical, date-time and categorical, boolean (not ordinal).
  static func space(_ reference: EvalTable) -> Space {
    var cols: [Int] = []
    var ranges: [Double] = []
    for i in reference.names.indices where reference.kinds[i] != .ordinal {
      cols.append(i)
      if case .continuous(let x) = reference.columns[i] {
        let p = x.filter { !$0.isNaN }
        ranges.append((p.max() ?? 0) - (p.min() ?? 0))
      } else {
        ranges.append(0)
      }
    }
    return Space(columns: cols, ranges: ranges)
  }

  /// For each row of `from`, its distance to the closest row of `to`, with `to`'s ranges.
  public static func dcr(from: EvalTable, to: EvalTable, threads: Int = ParallelMap.cores) -> [Double] {
    let sp = space(to)
    // Flatten: continuous as doubles, discrete as integer codes (shared dictionary per column).
    let p = sp.columns.count
    var fa = [Double](repeating: 0, count: from.rows * p)
    var fb = [Double](repeating: 0, count: to.rows * p)
    var continuous = [Bool](repeating: false, count: p)
    for (k, c) in sp.columns.enumerated() {
      switch (from.columns[c], to.columns[c]) {
      case (.continuous(let x), .continuous(let y)):
        continuous[k] = true
        for r in 0..<from.rows { fa[r * p + k] = x[r] }
        for r in 0..<to.rows { fb[r * p + k] = y[r] }
      case (.discrete(let x), .discrete(let y)):
        var dict: [String: Int] = [:]
        func code(_ s: String?) -> Double {
          guard let s else { return -1 }
          if let v = dict[s] { return Double(v) }
          dict[s] = dict.count
          return Double(dict.count - 1)
        }
        for r in 0..<to.rows { fb[r * p + k] = code(y[r]) }
        for r in 0..<from.rows { fa[r * p + k] = code(x[r]) }
      default: break
      }
    }
    let ranges = sp.ranges
    let toRows = to.rows
    let a = fa
    let b = fb
    let cont = continuous
    return ParallelMap.array(items: from.rows, threads: threads, minimumSlice: 64) { range, out in
      for r in range {
        var best = Double.infinity
        for q in 0..<toRows {
          var d = 0.0
          for k in 0..<p {
            let x = a[r * p + k]
            let y = b[q * p + k]
            if cont[k] {
              let xn = x.isNaN
              let yn = y.isNaN
              if xn || yn {
                d += xn && yn ? 0 : 1
              } else if ranges[k] == 0 {
                d += x == y ? 0 : 1
              } else {
                d += min(abs(x - y) / ranges[k], 1)
              }
            } else {
              d += x == y ? 0 : 1
            }
            if d >= best * Double(p) { break }
          }
          let dist = p == 0 ? 0 : d / Double(p)
          if dist < best { best = dist }
        }
        out[r - range.lowerBound] = best
      }
    }
  }

  static func median(_ v: [Double]) -> Double {
    guard !v.isEmpty else { return .nan }
    let s = v.sorted()
    let m = s.count / 2
    return s.count % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2
  }

  /// A random table shaped like `real` with `rows` rows: uniform numbers in each column's range
  /// (whole numbers for integer columns), uniform over distinct categories, nulls at the real rate.
  static func randomTable(like real: EvalTable, rows: Int, stream: RandomStream) -> EvalTable {
    var t = real
    t.rows = rows
    for i in real.names.indices {
      let s = stream.derive(UInt64(i))
      switch real.columns[i] {
      case .continuous(let x):
        let p = x.filter { !$0.isNaN }
        let lo = p.min() ?? 0
        let hi = p.max() ?? 0
        let whole = p.allSatisfy { $0 == $0.rounded() }
        let nullRate = Double(x.count - p.count) / Double(max(x.count, 1))
        t.columns[i] = .continuous(
          (0..<rows).map { r in
            if s.unit(UInt64(r), 1) < nullRate { return .nan }
            let u = s.unit(UInt64(r))
            return whole ? (lo + (u * (hi - lo + 1)).rounded(.down)).clamped(lo, hi) : lo + u * (hi - lo)
          })
      case .discrete(let x):
        var seen = Set<String>()
        var distinct: [String] = []
        for v in x { if let v, seen.insert(v).inserted { distinct.append(v) } }
        let nullRate = Double(x.filter { $0 == nil }.count) / Double(max(x.count, 1))
        t.columns[i] = .discrete(
          (0..<rows).map { r in
            if distinct.isEmpty || s.unit(UInt64(r), 1) < nullRate { return nil }
            return distinct[Int(s.below(UInt64(distinct.count), UInt64(r)))]
          })
      }
    }
    return t
  }

  /// Share of rows of `a` equal to some row of `b` on every statistical column.
  static func exactMatchRate(_ a: EvalTable, _ b: EvalTable) -> Double {
    func key(_ t: EvalTable, _ r: Int) -> String {
      var s = ""
      for c in t.columns {
        switch c {
        case .continuous(let x): s += x[r].isNaN ? "\u{0}" : String(x[r].bitPattern, radix: 16)
        case .discrete(let x): s += x[r].map { "s" + $0 } ?? "\u{0}"
        }
        s += "\u{1}"
      }
      return s
    }
    let set = Set((0..<b.rows).map { key(b, $0) })
    guard a.rows > 0 else { return .nan }
    return Double((0..<a.rows).filter { set.contains(key(a, $0)) }.count) / Double(a.rows)
  }

  /// Mann–Whitney AUC of `positive` scores above `negative` ones (ties count one half).
  static func auc(_ positive: [Double], _ negative: [Double]) -> Double {
    guard !positive.isEmpty, !negative.isEmpty else { return .nan }
    var all = positive.map { ($0, true) } + negative.map { ($0, false) }
    all.sort { $0.0 < $1.0 }
    var rankSum = 0.0
    var i = 0
    while i < all.count {
      var j = i
      while j + 1 < all.count && all[j + 1].0 == all[i].0 { j += 1 }
      let rank = Double(i + j) / 2 + 1
      for k in i...j where all[k].1 { rankSum += rank }
      i = j + 1
    }
    let np = Double(positive.count)
    let nn = Double(negative.count)
    return (rankSum - np * (np + 1) / 2) / (np * nn)
  }
}

extension Double {
  func clamped(_ lo: Double, _ hi: Double) -> Double { Swift.min(Swift.max(self, lo), hi) }
}
