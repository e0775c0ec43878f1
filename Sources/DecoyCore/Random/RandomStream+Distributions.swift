import Foundation

// Continuous and discrete distributions drawn from a counter-based stream. Every sampler consumes
// one draw number; any extra 64-bit words it needs come from sub-draws of that draw.
extension RandomStream {
  /// Uniform on `[lower, upper)`.

  public func uniform(_ lower: Double, _ upper: Double, _ index: UInt64, _ draw: UInt32 = 0) -> Double {
    lower + (upper - lower) * unit(index, draw)
  }

  /// Standard normal by Box–Muller (cosine branch only, so one value per draw).

  public func standardNormal(_ index: UInt64, _ draw: UInt32 = 0) -> Double {
    let u1 = openUnit(index, draw, sub: 1)
    let u2 = unit(index, draw, sub: 2)
    return (-2.0 * Foundation.log(u1)).squareRoot() * Foundation.cos(2.0 * Double.pi * u2)
  }

  /// Normal with mean `mu` and standard deviation `sigma`.

  public func normal(mean mu: Double, sd sigma: Double, _ index: UInt64, _ draw: UInt32 = 0) -> Double {
    mu + sigma * standardNormal(index, draw)
  }

  /// Log-normal: `exp(N(mu, sigma))`, where `mu`/`sigma` are the parameters of the underlying normal.

  public func logNormal(mu: Double, sigma: Double, _ index: UInt64, _ draw: UInt32 = 0) -> Double {
    Foundation.exp(normal(mean: mu, sd: sigma, index, draw))
  }

  /// Exponential with the given rate (mean `1/rate`), by inversion.

  public func exponential(rate: Double, _ index: UInt64, _ draw: UInt32 = 0) -> Double {
    -Foundation.log(openUnit(index, draw)) / rate
  }

  /// Geometric: number of failures before the first success with probability `p` (support 0, 1, 2…).

  public func geometric(p: Double, _ index: UInt64, _ draw: UInt32 = 0) -> Int64 {
    if p >= 1 { return 0 }
    return Int64(Foundation.floor(Foundation.log(openUnit(index, draw)) / Foundation.log1p(-p)))
  }

  /// Poisson with mean `lambda`. Inversion by sequential search for small means (exact, at most a
  /// few dozen steps); for large means the PTRS transformed-rejection method of Hörmann (1993).
  public func poisson(mean lambda: Double, _ index: UInt64, _ draw: UInt32 = 0) -> Int64 {
    if lambda <= 0 { return 0 }
    if lambda < 30 {
      let u = unit(index, draw)
      var k: Int64 = 0
      var p = Foundation.exp(-lambda)
      var cdf = p
      while u >= cdf && k < 10_000 {
        k += 1
        p *= lambda / Double(k)
        cdf += p
      }
      return k
    }
    let slam = lambda.squareRoot()
    let loglam = Foundation.log(lambda)
    let b = 0.931 + 2.53 * slam
    let a = -0.059 + 0.02483 * b
    let invalpha = 1.1239 + 1.1328 / (b - 3.4)
    let vr = 0.9277 - 3.6224 / (b - 2)
    var sub: UInt32 = 0
    while true {
      let u = unit(index, draw, sub: sub) - 0.5
      let v = unit(index, draw, sub: sub &+ 1)
      sub &+= 2
      let us = 0.5 - Swift.abs(u)
      let k = Foundation.floor((2 * a / us + b) * u + lambda + 0.43)
      if us >= 0.07 && v <= vr { return Int64(k) }
      if k < 0 || (us < 0.013 && v > us) { continue }
      let lhs = Foundation.log(v) + Foundation.log(invalpha) - Foundation.log(a / (us * us) + b)
      let rhs = -lambda + k * loglam - Foundation.lgamma(k + 1)
      if lhs <= rhs { return Int64(k) }
    }
  }
}
