import Foundation

/// A logistic regression fitted by iteratively reweighted least squares (Newton's method) on
/// standardised features with a small ridge, for the fraud learnability probe. Features are
/// columns; `scores` gives P(label) for new rows standardised with the training rows' mean and sd.
struct LogisticRegression {
  let mean: [Double]
  let sd: [Double]
  /// Intercept first, then one weight per standardised feature.
  let weights: [Double]

  init(features: [[Double]], labels: [Bool], iterations: Int = 25, ridge: Double = 1e-4) {
    let n = labels.count
    let d = features.count + 1
    let mean = features.map { $0.reduce(0, +) / Double(n) }
    self.mean = mean
    sd = features.indices.map { j in
      let m = mean[j]
      let v = features[j].reduce(0.0) { $0 + ($1 - m) * ($1 - m) } / Double(max(1, n - 1))
      return v > 0 ? v.squareRoot() : 1
    }
    let x = LogisticRegression.design(features, mean, sd)
    var beta = [Double](repeating: 0, count: d)
    for _ in 0..<iterations {
      var gradient = beta.map { -ridge * Double(n) * $0 }
      var hessian = (0..<d).map { j in (0..<d).map { k in j == k ? ridge * Double(n) : 0 } }
      for i in 0..<n {
        var eta = 0.0
        for j in 0..<d { eta += beta[j] * x[j][i] }
        let p = 1 / (1 + exp(-eta))
        let w = max(p * (1 - p), 1e-12)
        let r = (labels[i] ? 1 : 0) - p
        for j in 0..<d {
          gradient[j] += r * x[j][i]
          let wx = w * x[j][i]
          for k in j..<d { hessian[j][k] += wx * x[k][i] }
        }
      }
      for j in 0..<d { for k in 0..<j { hessian[j][k] = hessian[k][j] } }
      let step = LogisticRegression.solve(hessian, gradient)
      for j in 0..<d { beta[j] += step[j] }
      if step.reduce(0.0, { max($0, abs($1)) }) < 1e-9 { break }
    }
    weights = beta
  }

  /// P(label) for each row of `features` (columns as in training).
  func scores(_ features: [[Double]]) -> [Double] {
    let x = LogisticRegression.design(features, mean, sd)
    return (0..<(x.first?.count ?? 0)).map { i in
      var eta = 0.0
      for j in weights.indices { eta += weights[j] * x[j][i] }
      return 1 / (1 + exp(-eta))
    }
  }

  /// A column of ones, then the standardised features.
  static func design(_ features: [[Double]], _ mean: [Double], _ sd: [Double]) -> [[Double]] {
    [[Double](repeating: 1, count: features.first?.count ?? 0)]
      + features.indices.map { j in features[j].map { ($0 - mean[j]) / sd[j] } }
  }

  /// Solves a x = b by Gaussian elimination with partial pivoting.
  static func solve(_ a: [[Double]], _ b: [Double]) -> [Double] {
    var m = a
    var v = b
    let n = v.count
    for c in 0..<n {
      let p = (c..<n).max { abs(m[$0][c]) < abs(m[$1][c]) }!
      m.swapAt(c, p)
      v.swapAt(c, p)
      guard abs(m[c][c]) > 1e-300 else { continue }
      for r in (c + 1)..<n where m[r][c] != 0 {
        let f = m[r][c] / m[c][c]
        for k in c..<n { m[r][k] -= f * m[c][k] }
        v[r] -= f * v[c]
      }
    }
    var x = [Double](repeating: 0, count: n)
    for r in stride(from: n - 1, through: 0, by: -1) {
      var s = v[r]
      for k in (r + 1)..<n { s -= m[r][k] * x[k] }
      x[r] = abs(m[r][r]) > 1e-300 ? s / m[r][r] : 0
    }
    return x
  }
}
