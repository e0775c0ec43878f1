import DecoyCore
import Foundation

/// Singling-out queries after anonymeter 1.1.0: predicates built from the synthetic rows (table 0
/// of `coded`) that match exactly one of them, counted on the training and control tables.
struct SinglingOut {
  enum Op: UInt8, Hashable { case isNull, notNull, equal, notEqual, less, greater, atMost, atLeast }

  struct Term: Hashable {
    var column: Int
    var op: Op
    /// The bit pattern of the value (nulls use no value).
    var value: UInt64

    @inline(__always)
    func matches(_ x: Double) -> Bool {
      let v = Double(bitPattern: value)
      switch op {
      case .isNull: return x.isNaN
      case .notNull: return !x.isNaN
      case .equal: return x == v
      case .notEqual: return !(x == v)
      case .less: return x < v
      case .greater: return x > v
      case .atMost: return x <= v
      case .atLeast: return x >= v
      }
    }
  }

  /// A conjunction of terms, sorted by column.
  struct Query: Hashable {
    var terms: [Term]
  }

  let coded: CodedTables
  let stream: RandomStream

  static func term(_ column: Int, _ op: Op, _ v: Double) -> Term {
    Term(column: column, op: op, value: op == .isNull || op == .notNull ? 0 : v.bitPattern)
  }

  /// Rows of table `t` matching `q`, counted up to `limit`.
  func count(_ q: Query, in t: Int, limit: Int = 2) -> Int {
    let cols = q.terms.map { coded.values[t][$0.column] }
    var n = 0
    for r in 0..<coded.rows[t] {
      var all = true
      for (i, term) in q.terms.enumerated() where !term.matches(cols[i][r]) {
        all = false
        break
      }
      if all {
        n += 1
        if n >= limit { return n }
      }
    }
    return n
  }

  /// Keeps the queries that match exactly one synthetic row, without repeats, up to `n`.
  private func collect(_ candidates: some Sequence<Query>, _ n: Int) -> [Query] {
    var seen = Set<Query>()
    var out: [Query] = []
    for q in candidates where out.count < n {
      if seen.insert(q).inserted && count(q, in: 0) == 1 { out.append(q) }
    }
    return out
  }

  /// One-column queries from rare values: a lone null, the minimum and maximum, values seen once.
  func univariate(_ n: Int) -> [Query] {
    var all: [Query] = []
    for c in coded.continuous.indices {
      let x = coded.values[0][c]
      if x.filter(\.isNaN).count == 1 { all.append(Query(terms: [SinglingOut.term(c, .isNull, 0)])) }
      let present = x.filter { !$0.isNaN }
      if coded.continuous[c], let lo = present.min(), let hi = present.max() {
        all.append(Query(terms: [SinglingOut.term(c, .atMost, lo)]))
        all.append(Query(terms: [SinglingOut.term(c, .atLeast, hi)]))
      }
      var counts: [UInt64: Int] = [:]
      for v in present { counts[v.bitPattern, default: 0] += 1 }
      var once: [Double] = []
      for v in present where counts[v.bitPattern] == 1 { once.append(v) }
      for v in once { all.append(Query(terms: [SinglingOut.term(c, .equal, v)])) }
    }
    guard !all.isEmpty else { return [] }
    let perm = KeyedPermutation(n: UInt64(all.count), stream: stream.derive("univariate"))
    return collect((0..<all.count).lazy.map { all[Int(perm.apply(UInt64($0)))] }, n)
  }

  /// `k` distinct columns chosen by draws `draw…` of index `i` (a partial Fisher–Yates shuffle).
  private func columns(_ k: Int, _ s: RandomStream, _ i: UInt64) -> [Int] {
    var c = Array(coded.continuous.indices)
    let k = min(k, c.count)
    for j in 0..<k {
      let pick = j + Int(s.below(UInt64(c.count - j), i, UInt32(j)))
      c.swapAt(j, pick)
    }
    return c[0..<k].sorted()
  }

  /// Queries from one synthetic row on `k` random columns: a null, equality for categories, and
  /// for numbers `>= v` above the column's median, else `<= v`. At most 50 attempts per query.
  func multivariate(_ n: Int, columns k: Int) -> [Query] {
    let rows = coded.rows[0]
    guard rows > 0 else { return [] }
    let medians = coded.continuous.indices.map { c -> Double in
      let x = coded.values[0][c].filter { !$0.isNaN }.sorted()
      guard !x.isEmpty else { return .nan }
      return x.count % 2 == 1 ? x[x.count / 2] : (x[x.count / 2 - 1] + x[x.count / 2]) / 2
    }
    let s = stream.derive("multivariate")
    let attempts = (0..<UInt64(50 * n)).lazy.map { i -> Query in
      let r = Int(s.below(UInt64(rows), i, 100))
      let terms = self.columns(k, s, i).map { c -> Term in
        let v = self.coded.values[0][c][r]
        if v.isNaN { return SinglingOut.term(c, .isNull, 0) }
        if !self.coded.continuous[c] { return SinglingOut.term(c, .equal, v) }
        return SinglingOut.term(c, v > medians[c] ? .atLeast : .atMost, v)
      }
      return Query(terms: terms)
    }
    return collect(attempts, n)
  }

  /// The random-guess baseline: `n` queries on `k` random columns with random synthetic values
  /// (null included) and random operators (categories: = or ≠; numbers also <, >, ≤, ≥).
  func random(_ n: Int, columns k: Int) -> [Query] {
    let s = stream.derive("baseline-\(k)")
    let distinct = coded.continuous.indices.map { c -> [Double] in
      var seen = Set<UInt64>()
      var out: [Double] = []
      for v in coded.values[0][c] where seen.insert(v.isNaN ? Double.nan.bitPattern : v.bitPattern).inserted {
        out.append(v)
      }
      return out
    }
    let numeric: [Op] = [.equal, .notEqual, .greater, .less, .atLeast, .atMost]
    return (0..<UInt64(n)).compactMap { i -> Query? in
      let cols = columns(k, s, i)
      var terms: [Term] = []
      for (j, c) in cols.enumerated() {
        guard !distinct[c].isEmpty else { return nil }
        let v = distinct[c][Int(s.below(UInt64(distinct[c].count), i, UInt32(100 + j)))]
        let u = s.below(6, i, UInt32(200 + j))
        if v.isNaN {
          terms.append(SinglingOut.term(c, u % 2 == 0 ? .isNull : .notNull, 0))
        } else if coded.continuous[c] {
          terms.append(SinglingOut.term(c, numeric[Int(u)], v))
        } else {
          terms.append(SinglingOut.term(c, u % 2 == 0 ? .equal : .notEqual, v))
        }
      }
      return Query(terms: terms)
    }
  }

  /// anonymeter's control-size correction f(target)/f(control), f(x) = A (1 − (x w + 1)(1 − w)^x)/(x + 1)
  /// least-squares fitted to the successes of `queries` on keyed subsamples of the control table
  /// (10 sizes from min(1,000, n) to n, 5 each). 1 when nothing singles out.
  func sizeCorrection(_ queries: [Query], control t: Int, target: Int) -> Double {
    let n = coded.rows[t]
    let lo = min(1000, n)
    var xs: [Double] = []
    var ys: [Double] = []
    var sub = coded
    for m in 0..<10 {
      let size = lo + Int(Double(n - lo) * Double(m) / 9)
      for rep in 0..<5 {
        let rows = PrivacyAttacks.choose(n, size, stream.derive("correction").derive(UInt64(m * 5 + rep)))
        sub.values[t] = coded.values[t].map { col in rows.map { col[$0] } }
        sub.rows[t] = rows.count
        let probe = SinglingOut(coded: sub, stream: stream)
        xs.append(Double(size))
        ys.append(Double(queries.filter { probe.count($0, in: t) == 1 }.count))
      }
    }
    func g(_ x: Double, _ w: Double) -> Double { (1 - (x * w + 1) * pow1m(w, x)) / (x + 1) }
    // For a fixed w the best A ≥ 0 is closed-form; w is searched on a log grid, then refined.
    func fit(_ w: Double) -> (a: Double, loss: Double) {
      var gy = 0.0
      var gg = 0.0
      for k in xs.indices {
        let v = g(xs[k], w)
        gy += v * ys[k]
        gg += v * v
      }
      let a = gg > 0 ? max(gy / gg, 0) : 0
      var loss = 0.0
      for k in xs.indices {
        let e = a * g(xs[k], w) - ys[k]
        loss += e * e
      }
      return (a, loss)
    }
    var best = (w: 1.0, a: 0.0, loss: Double.infinity)
    for step in 0...400 {
      let w = pow10(-8 + 8 * Double(step) / 400)
      let f = fit(w)
      if f.loss < best.loss { best = (w, f.a, f.loss) }
    }
    var span = best.w * 0.05
    for _ in 0..<40 {
      for w in [best.w - span, best.w + span] where w > 0 && w <= 1 {
        let f = fit(w)
        if f.loss < best.loss { best = (w, f.a, f.loss) }
      }
      span /= 2
    }
    let denominator = best.a * g(Double(n), best.w)
    guard denominator > 0 else { return 1 }
    return best.a * g(Double(target), best.w) / denominator
  }
}

/// (1 − w)^x for w in [0, 1], through exp(x · log1p(−w)).
@inline(__always)
func pow1m(_ w: Double, _ x: Double) -> Double {
  w >= 1 ? (x == 0 ? 1 : 0) : Foundation.exp(x * Foundation.log1p(-w))
}

/// 10^e.
@inline(__always)
func pow10(_ e: Double) -> Double { Foundation.exp(e * 2.302585092994045684) }
