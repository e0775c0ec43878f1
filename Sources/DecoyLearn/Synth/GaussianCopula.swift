public import DecoyCore

/// The Gaussian copula of specs/learned.md §3: quantile marginals for continuous variables, the
/// uniform interval encoding for discrete ones, a shrunk Pearson correlation of the normal scores
/// and, per synthetic row, z = L·e with e drawn from the row's own stream.
public struct GaussianCopula: Sendable {
  public init() {}

  /// ε of the copula: scores are clipped to [ε, 1 − ε] before Φ⁻¹.
  static let epsilon = 0x1p-23

  public func fit(_ data: TrainingData, seed: UInt64, table: String, progress: FitProgress? = nil) -> FittedCopula {
    let p = data.variables.count
    let n = data.rows
    let s = RandomStream(seed: seed, path: ["learn", table, "gc", "fit"])
    var marginals: [QuantileMarginal?] = []
    var cumulative: [[Double]?] = []
    var z = [[Double]](repeating: [], count: p)
    for v in 0..<p {
      progress?("marginals", v, p)
      let x = data.values[v]
      let w = s.derive(UInt64(v))
      if data.variables[v].isContinuous {
        // Null rows take a keyed draw from the non-null values (no spike at the mean).
        let present = x.filter { !$0.isNaN }
        var filled = x
        for i in 0..<n where filled[i].isNaN {
          filled[i] = present[Int(w.below(UInt64(present.count), UInt64(i), 1))]
        }
        let e = data.encodings[data.variables[v].encoding]
        let m = QuantileMarginal(sorted: present.sorted(), lower: e.lower!, upper: e.upper!)
        marginals.append(m)
        cumulative.append(nil)
        z[v] = (0..<n).map { i in
          let u = m.cdf(filled[i], w: w.unit(UInt64(i)))
          return NormalMath.quantile(min(max(u, GaussianCopula.epsilon), 1 - GaussianCopula.epsilon))
        }
      } else {
        let levels = data.variables[v].levels
        var counts = [Double](repeating: 0, count: levels)
        for c in x { counts[Int(c)] += 1 }
        var cum = [Double](repeating: 0, count: levels + 1)
        for k in 0..<levels { cum[k + 1] = cum[k] + counts[k] / Double(n) }
        cum[levels] = 1
        marginals.append(nil)
        cumulative.append(cum)
        z[v] = (0..<n).map { i in
          let k = Int(x[i])
          let u = cum[k] + w.unit(UInt64(i)) * (cum[k + 1] - cum[k])
          return NormalMath.quantile(min(max(u, GaussianCopula.epsilon), 1 - GaussianCopula.epsilon))
        }
      }
    }
    progress?("correlation", 0, 1)
    var r = GaussianCopula.correlation(z)
    // Few rows: shrink towards the identity (Decoy's choice, l = min(0.5, p/n)).
    let l = min(0.5, Double(p) / Double(max(n, 1)))
    for i in 0..<p {
      for j in 0..<p { r[i * p + j] = (1 - l) * r[i * p + j] + (i == j ? l : 0) }
    }
    let chol = GaussianCopula.cholesky(r, p)
    progress?("correlation", 1, 1)
    return FittedCopula(
      variables: data.variables, marginals: marginals, cumulative: cumulative, correlation: r, cholesky: chol)
  }

  /// Pearson correlation of the columns (p × p, row-major); NaN → 0, unit diagonal. Sums run in
  /// row order, so the result is a pure function of the data.
  static func correlation(_ z: [[Double]]) -> [Double] {
    let p = z.count
    let n = z.first?.count ?? 0
    var r = [Double](repeating: 0, count: p * p)
    var centred = z
    var norms = [Double](repeating: 0, count: p)
    for v in 0..<p {
      var mean = 0.0
      for x in z[v] { mean += x }
      mean /= Double(max(n, 1))
      var ss = 0.0
      for i in 0..<n {
        centred[v][i] -= mean
        ss += centred[v][i] * centred[v][i]
      }
      norms[v] = ss.squareRoot()
    }
    for a in 0..<p {
      r[a * p + a] = 1
      for b in (a + 1)..<max(a + 1, p) {
        var dot = 0.0
        centred[a].withUnsafeBufferPointer { x in
          centred[b].withUnsafeBufferPointer { y in
            for i in 0..<n { dot += x[i] * y[i] }
          }
        }
        var c = dot / (norms[a] * norms[b])
        if !c.isFinite { c = 0 }
        c = min(max(c, -1), 1)
        r[a * p + b] = c
        r[b * p + a] = c
      }
    }
    return r
  }

  /// Lower Cholesky factor of R; on failure R + 1e-10·2^k·I (k = 0…20), rescaled to a unit
  /// diagonal; the identity as a last resort.
  static func cholesky(_ r: [Double], _ p: Int) -> [Double] {
    var jitter = 0.0
    for k in -1...20 {
      if k >= 0 { jitter = 1e-10 * Double(1 << k) }
      var a = r
      if jitter > 0 {
        for i in 0..<p { a[i * p + i] += jitter }
        for i in 0..<p {
          for j in 0..<p { a[i * p + j] /= (1 + jitter) }
        }
      }
      if let l = factor(a, p) { return l }
    }
    var id = [Double](repeating: 0, count: p * p)
    for i in 0..<p { id[i * p + i] = 1 }
    return id
  }

  static func factor(_ a: [Double], _ p: Int) -> [Double]? {
    var l = [Double](repeating: 0, count: p * p)
    for i in 0..<p {
      for j in 0...i {
        var s = a[i * p + j]
        for k in 0..<j { s -= l[i * p + k] * l[j * p + k] }
        if i == j {
          guard s > 1e-12 else { return nil }
          l[i * p + i] = s.squareRoot()
        } else {
          l[i * p + j] = s / l[j * p + j]
        }
      }
    }
    return l
  }
}

/// A fitted Gaussian copula.
public struct FittedCopula: FittedSynthesizer {
  public let variables: [Variable]
  let marginals: [QuantileMarginal?]
  let cumulative: [[Double]?]
  /// The shrunk correlation of the normal scores (row-major p × p).
  public let correlation: [Double]
  let cholesky: [Double]

  public func sample(rows: Range<UInt64>, stream: RandomStream, into out: inout [[Double]]) {
    let p = variables.count
    let s = stream.derive("gc")
    var e = [Double](repeating: 0, count: p)
    for v in 0..<p { out[v].removeAll(keepingCapacity: true) }
    for r in rows {
      for j in 0..<p { e[j] = s.standardNormal(r, UInt32(j)) }
      for v in 0..<p {
        var z = 0.0
        for k in 0...v { z += cholesky[v * p + k] * e[k] }
        let u = NormalMath.cdf(z)
        if let m = marginals[v] {
          out[v].append(m.inverse(u))
        } else {
          let cum = cumulative[v]!
          var k = 0
          while k < cum.count - 2 && u > cum[k + 1] { k += 1 }
          out[v].append(Double(k))
        }
      }
    }
  }

  public func save(to archive: inout ModelArchive) {
    let p = variables.count
    for v in 0..<p {
      if let m = marginals[v] { archive.put("gc.v\(v).knots", m.knots) }
      if let c = cumulative[v] { archive.put("gc.v\(v).cumulative", c) }
    }
    archive.put("gc.correlation", correlation)
    archive.put("gc.cholesky", cholesky)
  }

  /// Loads a copula saved by ``save(to:)``.
  public static func load(_ archive: ModelArchive, variables: [Variable]) throws(DecoyError) -> FittedCopula {
    let p = variables.count
    var marginals: [QuantileMarginal?] = []
    var cumulative: [[Double]?] = []
    for v in 0..<p {
      if variables[v].isContinuous {
        marginals.append(
          QuantileMarginal(knots: try archive.doubles("gc.v\(v).knots", count: QuantileMarginal.knotCount)))
        cumulative.append(nil)
      } else {
        marginals.append(nil)
        cumulative.append(try archive.doubles("gc.v\(v).cumulative", count: variables[v].levels + 1))
      }
    }
    return FittedCopula(
      variables: variables, marginals: marginals, cumulative: cumulative,
      correlation: try archive.doubles("gc.correlation", count: p * p),
      cholesky: try archive.doubles("gc.cholesky", count: p * p))
  }
}
