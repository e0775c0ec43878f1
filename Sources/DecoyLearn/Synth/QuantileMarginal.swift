/// A continuous marginal stored as 101 type-7 quantile knots (p = 0, 0.01, …, 1), with the first
/// and last at the protected bounds. CDF and inverse are piecewise linear; repeated knots are
/// point masses. It keeps 101 numbers, never the column.
public struct QuantileMarginal: Sendable, Equatable {
  public static let knotCount = 101
  public var knots: [Double]

  public init(knots: [Double]) { self.knots = knots }

  /// Fits the knots to sorted values.
  public init(sorted x: [Double], lower: Double, upper: Double) {
    let n = x.count
    var k = [Double](repeating: 0, count: QuantileMarginal.knotCount)
    for i in 0..<QuantileMarginal.knotCount {
      k[i] = Type7Quantile.at(x, position: Double(n - 1) * Double(i) / 100)
    }
    k[0] = lower
    k[QuantileMarginal.knotCount - 1] = upper
    for i in 1..<k.count where k[i] < k[i - 1] { k[i] = k[i - 1] }
    knots = k
  }

  /// F(x); on a point mass (equal knots a…b) the position `w` in [0, 1) spreads u over it.
  public func cdf(_ x: Double, w: Double) -> Double {
    let last = knots.count - 1
    if x <= knots[0] {
      var b = 0
      while b < last && knots[b + 1] <= knots[0] { b += 1 }
      return w * Double(b) / 100
    }
    if x >= knots[last] {
      var a = last
      while a > 0 && knots[a - 1] >= knots[last] { a -= 1 }
      return (Double(a) + w * Double(last - a)) / 100
    }
    // First knot > x.
    var lo = 0
    var hi = last
    while lo < hi {
      let mid = (lo + hi) / 2
      if knots[mid] > x { hi = mid } else { lo = mid + 1 }
    }
    let i = lo - 1  // knots[i] <= x < knots[i + 1]
    if knots[i] == x {
      var a = i
      while a > 0 && knots[a - 1] == x { a -= 1 }
      return (Double(a) + w * Double(i - a)) / 100
    }
    return (Double(i) + (x - knots[i]) / (knots[i + 1] - knots[i])) / 100
  }

  /// F⁻¹(u).
  @inline(__always)
  public func inverse(_ u: Double) -> Double {
    let t = min(max(u, 0), 1) * 100
    let i = min(Int(t), knots.count - 2)
    let f = t - Double(i)
    return knots[i] + f * (knots[i + 1] - knots[i])
  }
}
