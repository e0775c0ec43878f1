import Foundation
import Testing

@testable import DecoyCore

@Suite struct DistributionTests {
  let s = RandomStream(seed: 9, path: ["dist"])
  let n = 200_000

  func moments(_ f: (UInt64) -> Double) -> (mean: Double, sd: Double) {
    var sum = 0.0
    var sq = 0.0
    for i in 0..<UInt64(n) {
      let x = f(i)
      sum += x
      sq += x * x
    }
    let m = sum / Double(n)
    return (m, (sq / Double(n) - m * m).squareRoot())
  }

  @Test func normal() {
    let (m, sd) = moments { s.normal(mean: 5, sd: 2, $0) }
    #expect(abs(m - 5) < 4 * 2 / sqrt(Double(n)))
    #expect(abs(sd - 2) < 0.02)
  }

  @Test func logNormalMedian() {
    let xs = (0..<UInt64(n)).map { s.logNormal(mu: log(60), sigma: 1.1, $0) }.sorted()
    #expect(abs(xs[n / 2] / 60 - 1) < 0.02)
  }

  @Test func exponential() {
    let (m, _) = moments { s.exponential(rate: 0.5, $0) }
    #expect(abs(m - 2) < 4 * 2 / sqrt(Double(n)))
  }

  @Test(arguments: [0.7, 3.0, 29.0, 45.0, 1000.0]) func poisson(_ lambda: Double) {
    let (m, sd) = moments { Double(s.poisson(mean: lambda, $0)) }
    #expect(abs(m - lambda) < 4 * sqrt(lambda / Double(n)))
    #expect(abs(sd * sd / lambda - 1) < 0.03)
  }

  @Test func geometric() {
    // Failures before the first success with p = 0.25: mean (1-p)/p = 3.
    let (m, _) = moments { Double(s.geometric(p: 0.25, $0)) }
    #expect(abs(m - 3) < 0.05)
  }

  @Test func zipfFrequencies() {
    let z = ZipfSampler(n: 100, exponent: 1.2)
    var counts = [Int](repeating: 0, count: 101)
    for i in 0..<UInt64(n) { counts[Int(z.sample(s, i))] += 1 }
    let h = (1...100).reduce(0.0) { $0 + pow(Double($1), -1.2) }
    for k in [1, 2, 10] {
      let p = pow(Double(k), -1.2) / h
      let sigma = sqrt(p * (1 - p) / Double(n))
      #expect(abs(Double(counts[k]) / Double(n) - p) < 5 * sigma, "k=\(k)")
    }
  }

  @Test func aliasTableMatchesWeights() {
    let w: [Double] = [55, 30, 10, 5, 0]
    let t = AliasTable(weights: w)
    var counts = [Int](repeating: 0, count: w.count)
    for i in 0..<UInt64(n) { counts[s.pick(t, i)] += 1 }
    #expect(counts[4] == 0)
    for k in 0..<4 {
      let p = w[k] / 100
      #expect(abs(Double(counts[k]) / Double(n) - p) < 5 * sqrt(p * (1 - p) / Double(n)))
    }
  }
}
