import Foundation

/// Bounded Zipf distribution on `1...n` with exponent `s > 0` (P(k) ∝ k^-s), sampled by the
/// rejection-inversion method of Hörmann & Derflinger (1996): O(1) expected, no tables.
public struct ZipfSampler: Sendable {
  public let n: Int64
  public let s: Double
  let hIntegralX1: Double
  let hIntegralN: Double
  let threshold: Double

  public init(n: Int64, exponent s: Double) {
    precondition(n >= 1 && s > 0, "Zipf needs n >= 1 and s > 0")
    self.n = n
    self.s = s
    hIntegralX1 = ZipfSampler.hIntegral(1.5, s) - 1
    hIntegralN = ZipfSampler.hIntegral(Double(n) + 0.5, s)
    threshold = 2 - ZipfSampler.hIntegralInverse(ZipfSampler.hIntegral(2.5, s) - ZipfSampler.h(2, s), s)
  }

  static func h(_ x: Double, _ s: Double) -> Double { exp(-s * log(x)) }
  static func helper1(_ x: Double) -> Double { abs(x) > 1e-8 ? log1p(x) / x : 1 - x * (0.5 - x * (1.0 / 3 - 0.25 * x)) }
  static func helper2(_ x: Double) -> Double {
    abs(x) > 1e-8 ? expm1(x) / x : 1 + x * 0.5 * (1 + x * (1.0 / 3) * (1 + 0.25 * x))
  }
  static func hIntegral(_ x: Double, _ s: Double) -> Double {
    let lx = log(x)
    return helper2((1 - s) * lx) * lx
  }
  static func hIntegralInverse(_ x: Double, _ s: Double) -> Double {
    var t = x * (1 - s)
    if t < -1 { t = -1 }
    return exp(helper1(t) * x)
  }

  /// One Zipf value for the stream address.
  public func sample(_ stream: RandomStream, _ index: UInt64, _ draw: UInt32 = 0) -> Int64 {
    var sub: UInt32 = 0
    while true {
      let u = hIntegralN + stream.unit(index, draw, sub: sub) * (hIntegralX1 - hIntegralN)
      sub &+= 1
      let x = ZipfSampler.hIntegralInverse(u, s)
      var k = Int64(x + 0.5)
      if k < 1 { k = 1 } else if k > n { k = n }
      if Double(k) - x <= threshold || u >= ZipfSampler.hIntegral(Double(k) + 0.5, s) - ZipfSampler.h(Double(k), s) {
        return k
      }
    }
  }
}
