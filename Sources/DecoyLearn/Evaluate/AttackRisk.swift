/// The outcome of one attack-based privacy test (anonymeter's statistics, specs/learned.md §7.3):
/// Wilson-score success rates of the attack on training rows, the same attack on control (holdout)
/// rows and a random-guess baseline, and the residual risk owed to training membership.
public struct AttackRisk: Sendable, Equatable {
  public var attacks: Int
  public var successes: Double
  public var controlSuccesses: Double?
  public var baselineSuccesses: Double
  /// Risk in [0, 1] and its 95 % interval.
  public var risk: Double
  public var low: Double
  public var high: Double
  public var attackRate: Double
  public var controlRate: Double?
  public var baselineRate: Double

  /// The Wilson estimate (k + z²/2)/(n + z²) and its error bound for `k` successes in `n`.
  static func wilson(_ k: Double, _ n: Int, z: Double) -> (rate: Double, error: Double) {
    let n = Double(n)
    let z2 = z * z
    let den = n + z2
    let variance = n > 0 ? k * (n - k) / n : 0
    return ((k + z2 / 2) / den, z / den * (max(variance, 0) + z2 / 4).squareRoot())
  }

  public init(attacks n: Int, successes k: Double, control c: Double?, baseline b: Double, confidence: Double = 0.95) {
    attacks = n
    successes = k
    controlSuccesses = c
    baselineSuccesses = b
    let z = NormalMath.quantile(0.5 * (1 + confidence))
    let a = AttackRisk.wilson(k, n, z: z)
    let base = AttackRisk.wilson(b, n, z: z)
    attackRate = a.rate
    baselineRate = base.rate
    var value = a.rate
    var error = a.error
    if let c {
      let ctl = AttackRisk.wilson(c, n, z: z)
      controlRate = ctl.rate
      let m = 1 - ctl.rate
      value = (a.rate - ctl.rate) / m
      error =
        ((a.error / m) * (a.error / m) + (ctl.error * (a.rate - 1) / (m * m)) * (ctl.error * (a.rate - 1) / (m * m)))
        .squareRoot()
    }
    risk = min(max(value, 0), 1)
    low = min(max(value - error, 0), 1)
    high = min(max(value + error, 0), 1)
  }

  /// Whether the attack did no better than random guessing (its figures cannot be trusted).
  public var noBetterThanBaseline: Bool { baselineRate >= attackRate }

  /// Decoy's reading: "high" when the risk is above 0.2 and the interval clears 0.05;
  /// "elevated" when the interval clears 0.05; "inconclusive" when the risk is above 0.2 but the
  /// interval reaches 0.05 (too few attacks to tell); else "low".
  public var level: String {
    if risk > 0.2 && low > 0.05 { return "high" }
    if low > 0.05 { return "elevated" }
    return risk > 0.2 ? "inconclusive" : "low"
  }
}
