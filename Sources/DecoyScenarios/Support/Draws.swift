import DecoyCore
import Foundation

/// Sequential draws for one entity (a patient, a user): draw `d` of entity `i` on stream `s`, with
/// `d` counting up, so a simulation reads like ordinary random code and stays a pure function of
/// (seed, stream, entity).
struct Draws {
  let s: RandomStream
  let i: UInt64
  var d: UInt32 = 0
  mutating func unit() -> Double {
    defer { d += 1 }
    return s.unit(i, d)
  }
  mutating func below(_ n: Int) -> Int {
    defer { d += 1 }
    return Int(s.below(UInt64(n), i, d))
  }
  mutating func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + below(r.count) }
  mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * unit() }
  mutating func chance(_ p: Double) -> Bool { unit() < p }
  mutating func normal() -> Double {
    defer { d += 1 }
    return s.standardNormal(i, d)
  }
  /// Log-normal with arithmetic mean `m` and log-sd `s`.
  mutating func logNormal(mean m: Double, sigma s: Double) -> Double { exp(log(m) - s * s / 2 + s * normal()) }
  /// Index by weight (weights need not sum to 1; all zero → the first).
  mutating func weighted(_ w: [Double]) -> Int {
    let total = w.reduce(0, +)
    var x = unit() * total
    for (k, v) in w.enumerated() where v > 0 {
      if x < v { return k }
      x -= v
    }
    return w.lastIndex { $0 > 0 } ?? 0
  }
}
