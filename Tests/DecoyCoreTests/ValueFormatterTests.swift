import Foundation
import Testing

@testable import DecoyCore

@Suite struct ValueFormatterTests {
  /// `fixed` against glibc's printf (an independent, exactly rounding implementation) on ties,
  /// near-ties, shares k/n·100 as the QA line prints them, and random values of every magnitude.
  @Test func fixedRoundsAsPrintf() {
    var values: [Double] = [
      0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.125, 0.375, 2.675, 1.005, 0.045, 99.995, 1e-20, -0.001, 4503599627370.49,
    ]
    for k in 0..<2_000 { values.append(Double(k) / 8) }  // exact ties at every digit count
    for n in [7, 203_049, 38_500] {
      for k in stride(from: 0, through: n, by: max(1, n / 997)) { values.append(Double(k) / Double(n) * 100) }
    }
    let s = RandomStream(seed: 11, path: ["fixed"])
    for i in 0..<UInt64(20_000) {
      let x = s.unit(i) * pow(10, Double(s.int(in: -6...12, i, 1)))
      values.append(s.chance(0.5, i, 2) ? x : -x)
      values.append(x.nextUp)
      values.append((x * 100).rounded() / 100 + 0.005)  // near a tie at two digits
    }
    var checked = 0
    for v in values {
      for digits in [0, 1, 2, 3, 6] {
        guard let ours = ValueFormatter.fixed(v, digits: digits) else {
          #expect(abs(v) * pow(10, Double(digits)) >= 0x1p52, "nil for \(v) at \(digits)")
          continue
        }
        #expect(ours == String(format: "%.\(digits)f", v), "\(v) at \(digits) digits")
        checked += 1
      }
    }
    #expect(checked > 100_000)
    #expect(ValueFormatter.fixed(.nan, digits: 2) == nil)
    #expect(ValueFormatter.fixed(.infinity, digits: 2) == nil)
  }
}
