/// Several tables over the same statistical columns as numbers: continuous columns as they are,
/// categories as codes shared by all tables (in order of first appearance: table 0 first), null as
/// NaN. Distances and attack queries work on these, so no string is compared in a hot loop.
import DecoyCore

struct CodedTables {
  /// `values[t][c]`: column `c` of table `t`.
  var values: [[[Double]]]
  var continuous: [Bool]
  var rows: [Int]

  init(_ tables: [EvalTable]) {
    let p = tables.first?.names.count ?? 0
    continuous = (0..<p).map { tables[0].isContinuous($0) }
    rows = tables.map(\.rows)
    values = tables.map { _ in [] }
    var dictionaries = [[String: Double]](repeating: [:], count: p)
    for (t, table) in tables.enumerated() {
      for c in 0..<p {
        switch table.columns[c] {
        case .continuous(let x): values[t].append(x)
        case .discrete(let x):
          values[t].append(
            x.map { s in
              guard let s else { return .nan }
              if let v = dictionaries[c][s] { return v }
              let v = Double(dictionaries[c].count)
              dictionaries[c][s] = v
              return v
            })
        }
      }
    }
  }

  /// max − min of each continuous column over the given tables (0 for categories).
  func ranges(over tables: [Int]) -> [Double] {
    continuous.indices.map { c in
      guard continuous[c] else { return 0 }
      var lo = Double.infinity
      var hi = -Double.infinity
      for t in tables {
        for v in values[t][c] where !v.isNaN {
          lo = min(lo, v)
          hi = max(hi, v)
        }
      }
      return hi >= lo ? hi - lo : 0
    }
  }
}

/// Gower-style distances between the rows of a query table and a candidate table over some
/// columns (specs/learned.md §7.3): numbers |a − b| / range capped at 1 (range 0: 0 if equal, else
/// 1), categories 0 if equal, one null 1, two nulls 0. Rows are flattened row-major.
struct DistanceSpace: Sendable {
  let p: Int
  let queries: [Double]
  let candidates: [Double]
  let continuous: [Bool]
  let scale: [Double]
  let queryRows: Int
  let candidateRows: Int

  init(_ coded: CodedTables, queries q: Int, candidates k: Int, columns: [Int], ranges: [Double]) {
    p = columns.count
    queryRows = coded.rows[q]
    candidateRows = coded.rows[k]
    continuous = columns.map { coded.continuous[$0] }
    scale = columns.map { ranges[$0] }
    func flatten(_ t: Int) -> [Double] {
      var out = [Double](repeating: 0, count: coded.rows[t] * columns.count)
      for (j, c) in columns.enumerated() {
        let col = coded.values[t][c]
        for r in col.indices { out[r * columns.count + j] = col[r] }
      }
      return out
    }
    queries = flatten(q)
    candidates = flatten(k)
  }

  /// The summed distance of query `r` to candidate `s`, or a value ≥ `bound` once it reaches it.
  @inline(__always)
  func distance(_ r: Int, _ s: Int, bound: Double) -> Double {
    var d = 0.0
    let a = r * p
    let b = s * p
    for j in 0..<p {
      let x = queries[a + j]
      let y = candidates[b + j]
      let xn = x.isNaN
      let yn = y.isNaN
      if xn || yn {
        d += xn && yn ? 0 : 1
      } else if x != y {
        d += continuous[j] && scale[j] > 0 ? min(abs(x - y) / scale[j], 1) : 1
      }
      if d > bound { break }
    }
    return d
  }

  /// For each query row (all, or `rows`), the nearest candidate (the first of equals) and its
  /// mean distance.
  func nearest(rows: [Int]? = nil, threads: Int) -> (index: [Int], distance: [Double]) {
    let pairs: [(Int, Double)] = ParallelMap.array(
      items: rows?.count ?? queryRows, threads: threads, minimumSlice: 32
    ) { range, out in
      for i in range {
        let r = rows?[i] ?? i
        var best = Double.infinity
        var at = 0
        for s in 0..<candidateRows {
          let d = distance(r, s, bound: best)
          if d < best {
            best = d
            at = s
          }
        }
        out[i - range.lowerBound] = (at, p == 0 ? 0 : best / Double(p))
      }
    }
    return (pairs.map(\.0), pairs.map(\.1))
  }
}
