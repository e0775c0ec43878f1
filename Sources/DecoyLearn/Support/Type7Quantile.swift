/// Type-7 quantiles (R's default, numpy's `linear`) of sorted values: one interpolation shared by
/// the copula's marginals, the evaluation's DCR curves and the text columns' word counts.
enum Type7Quantile {
  /// The value at fractional position `h` in [0, n − 1] of sorted `x`: x[⌊h⌋] plus that fraction
  /// of the step to the next value. Callers compute `h` = (n − 1)·p in their own order, so each
  /// keeps its exact bits.
  @inline(__always)
  static func at(_ x: [Double], position h: Double) -> Double {
    let lo = Int(h)
    let hi = min(lo + 1, x.count - 1)
    return x[lo] + (h - Double(lo)) * (x[hi] - x[lo])
  }
}
