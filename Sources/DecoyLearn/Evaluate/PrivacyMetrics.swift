public import DecoyCore

/// Distance-based privacy figures (specs/learned.md §7.3): SDMetrics' distance to closest record
/// (DCR) with its baseline and overfitting protections, exact-match rates, and a membership
/// inference AUC from distances. Distances alone never prove privacy (the report says so).
public enum PrivacyMetrics {
  /// For each row of `from`, its distance to the closest row of `to` (SDMetrics' DCR), with
  /// numeric ranges from `to`, or from `rangesFrom` when given (a common normalisation).
  public static func dcr(
    from: EvalTable, to: EvalTable, rangesFrom: [EvalTable]? = nil, threads: Int = ParallelMap.cores
  ) -> [Double] {
    let extra = rangesFrom ?? []
    let coded = CodedTables([from, to] + extra)
    // DCR columns: numerical, date-time, categorical and boolean (not ordinal).
    let columns = to.names.indices.filter { to.kinds[$0] != .ordinal }
    let ranges = coded.ranges(over: extra.isEmpty ? [1] : Array(2..<(2 + extra.count)))
    return DistanceSpace(coded, queries: 0, candidates: 1, columns: columns, ranges: ranges).nearest(threads: threads)
      .distance
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
