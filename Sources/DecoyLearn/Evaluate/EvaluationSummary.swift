import Foundation

extension Evaluation {
  /// The report as lines a person reads on a terminal (figures only, never a data value).
  public func summary() -> String {
    func f(_ v: Double?) -> String { v.map { $0.isFinite ? String(format: "%.4f", $0) : "n/a" } ?? "n/a" }
    func r(_ a: AttackRisk) -> String {
      "\(f(a.risk)) [\(f(a.low)), \(f(a.high))] \(a.level)\(a.noBetterThanBaseline ? " (attack no better than random guessing: not to be trusted)" : "")"
    }
    var text = "quality \(f(quality.score)) (SDMetrics default thresholds; all pairs \(f(quality.allPairsScore)))\n"
    text +=
      "  column shapes \(f(quality.columnShapes)), pair trends \(f(quality.columnPairTrends)) over \(quality.pairsCounted) of \(quality.pairs.count) pairs (all pairs \(f(quality.allPairsColumnPairTrends)))\n"
    text += "diagnostic \(f(diagnosticScore)) (validity \(f(dataValidity)), structure \(f(dataStructure)))\n"
    if attacks == nil {
      text += "privacy (distances only: they do not show that data is private; run --privacy attacks)\n"
    } else {
      text += "privacy\n"
    }
    text +=
      "  exact matches with training \(f(exactMatchRate))\(exactMatchRateHoldout.map { ", with holdout " + f($0) } ?? "")\n"
    text +=
      "  DCR baseline protection \(f(dcrBaselineProtection)) (median DCR synthetic→real \(f(medianDCRSyntheticReal)), random→real \(f(medianDCRRandomReal)))\n"
    if let o = dcrOverfittingProtection {
      text +=
        "  DCR overfitting protection \(f(o)) (\(f(closerToTraining)) of synthetic rows closer to training than holdout); balanced \(f(dcrOverfittingProtectionBalanced))\n"
    }
    if let m = membership {
      text +=
        "  membership inference AUC \(f(m.auc)) [\(f(m.low)), \(f(m.high))], TPR at 10 % FPR \(f(m.tprAtFPR10)) (0.5: members cannot be told apart)\n"
    }
    if let a = attacks {
      let against = membership == nil ? " (no holdout: raw attack rates)" : ""
      text += "  singling-out risk \(r(a.singlingOut))\(against)\n"
      if let l = a.linkability { text += "  linkability risk \(r(l))\n" }
      if let w = a.worstInference { text += "  inference risk \(r(w.risk)), most exposed column '\(w.column)'\n" }
    }
    for w in warnings { text += "  note: \(w)\n" }
    return text
  }
}
