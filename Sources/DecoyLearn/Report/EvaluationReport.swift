import DecoyCore
import Foundation

/// `decoy evaluate --html`: one self-contained HTML page (no script, no external file) with the
/// report's figures and inline SVG charts (specs/learned.md §9): per-column distributions, real
/// and synthetic correlation heatmaps, the pair-score heatmap, DCR curves, attack risks and the
/// membership-inference ROC curve.
public struct EvaluationReport: Sendable {
  public let evaluation: Evaluation

  public init(_ evaluation: Evaluation) { self.evaluation = evaluation }

  static let realColour = "#1f77b4"
  static let syntheticColour = "#ff7f0e"
  static let holdoutColour = "#2ca02c"
  static let randomColour = "#7f7f7f"

  static func f(_ v: Double?, _ digits: Int = 3) -> String {
    guard let v, v.isFinite else { return "n/a" }
    return String(format: "%.\(digits)f", v)
  }

  static func h(_ s: String) -> String { SVGCanvas.escape(s) }

  /// The whole page.
  public func html() -> String {
    let e = evaluation
    var page = """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>Decoy evaluation report</title>
      <style>
      body{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:2rem auto;max-width:1180px;color:#222;padding:0 1rem}
      h1{margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}
      .sub{color:#555;margin-top:0}.banner{background:#fff4e5;border-left:5px solid #ff9800;padding:.7rem 1rem;margin:1rem 0}
      .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(205px,1fr));gap:.7rem}
      .card{border:1px solid #ddd;border-radius:6px;padding:.6rem .8rem}.card .v{font-size:1.5rem;font-weight:600}
      .card .k{color:#555;font-size:.85rem}.grid{display:flex;flex-wrap:wrap;gap:.8rem}
      figure{margin:0}figcaption{color:#555;font-size:.85rem;max-width:520px}
      table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:right}
      th:first-child,td:first-child{text-align:left}.note{color:#555;font-size:.85rem}
      </style></head><body>
      <h1>Decoy evaluation report</h1>

      """
    var sub = "\(e.syntheticRows) synthetic rows against \(e.realRows) real (training) rows"
    if let h = e.holdoutRows { sub += " and \(h) holdout rows" }
    page += "<p class=\"sub\">\(EvaluationReport.h(sub)); scores follow SDMetrics 0.32 (1 is best).</p>\n"
    if e.attacks == nil {
      page +=
        "<div class=\"banner\"><strong>Distances only.</strong> These privacy figures come from distances between rows; distance metrics alone do not show that data is private (Yao et al., arXiv 2505.01524). Run <code>decoy evaluate --privacy attacks</code> for singling-out, linkability and inference risks.</div>\n"
    } else if e.holdoutRows == nil {
      page +=
        "<div class=\"banner\"><strong>No holdout.</strong> Without real rows kept out of training, attack risks are raw success rates and the overfitting and membership figures are missing. Fit with <code>--holdout 0.2</code> and evaluate with <code>--model</code>.</div>\n"
    }
    for w in e.warnings {
      page +=
        "<div class=\"banner\"><strong>Note.</strong> \(EvaluationReport.h(w.prefix(1).uppercased() + w.dropFirst())).</div>\n"
    }
    page += cards()
    page +=
      "<h2>Column shapes</h2>\n<p class=\"note\">Real (blue bars) and synthetic (orange line) shares per bin or category; the score is SDMetrics' KSComplement or TVComplement.</p>\n<div class=\"grid\">\n"
    for d in e.distributions { page += "<figure>" + EvaluationReport.distributionChart(d) + "</figure>\n" }
    page += "</div>\n<h2>Column pair trends</h2>\n<div class=\"grid\">\n"
    page +=
      "<figure>\(pairScoreHeatmap())<figcaption>Pair scores (CorrelationSimilarity for number pairs, ContingencySimilarity otherwise), all pairs. Quality counts only pairs whose real association meets SDMetrics' threshold (\(e.quality.pairsCounted) of \(e.quality.pairs.count)).</figcaption></figure>\n"
    let (realMap, synMap) = correlationHeatmaps()
    if let realMap, let synMap {
      page +=
        "<figure>\(realMap)<figcaption>Pearson correlation of number and date columns in the real table.</figcaption></figure>\n"
      page += "<figure>\(synMap)<figcaption>The same in the synthetic table.</figcaption></figure>\n"
    }
    page += "</div>\n<h2>Privacy</h2>\n<div class=\"grid\">\n"
    page +=
      "<figure>\(dcrChart())<figcaption>Cumulative share of rows by distance to the closest real row (SDMetrics' DCR). With a holdout, training and holdout distances are on one scale against sets of one size (the balanced figure): a synthetic → training curve far left of the synthetic → holdout curve means copied rows. The random curve is the baseline.</figcaption></figure>\n"
    if let attacks = e.attacks {
      page +=
        "<figure>\(EvaluationReport.attackChart(attacks))<figcaption>Risks of anonymeter-style attacks with 95 % intervals: the success owed to a row being in the training data, beyond what an attacker gets on holdout rows. Above 0.2 is high.</figcaption></figure>\n"
    }
    if let m = e.membership {
      page +=
        "<figure>\(EvaluationReport.rocChart(m))<figcaption>Membership inference by distance: training rows (members) against holdout rows. The diagonal is a coin toss.</figcaption></figure>\n"
    }
    page += "</div>\n"
    page += pairTable()
    page +=
      "<p class=\"note\">Written by Decoy. The figures are also in the JSON report (<code>--json</code>, keys in docs/learned-synthesis.md).</p>\n</body></html>\n"
    return page
  }

  func cards() -> String {
    let e = evaluation
    var items: [(String, String, String)] = [
      ("Quality", EvaluationReport.f(e.quality.score), "SDMetrics QualityReport"),
      ("Column shapes", EvaluationReport.f(e.quality.columnShapes), "KS / TV complement"),
      ("Column pair trends", EvaluationReport.f(e.quality.columnPairTrends), "pairs meeting the threshold"),
      ("Quality, all pairs", EvaluationReport.f(e.quality.allPairsScore), "every pair counted"),
      ("Diagnostic", EvaluationReport.f(e.diagnosticScore), "validity and structure"),
      ("Exact matches", EvaluationReport.f(e.exactMatchRate), "synthetic rows equal to a training row"),
      ("DCR baseline protection", EvaluationReport.f(e.dcrBaselineProtection), "1: as far as random data"),
    ]
    if let o = e.dcrOverfittingProtection {
      items.append(
        (
          "DCR overfitting protection", EvaluationReport.f(o),
          "balanced: \(EvaluationReport.f(e.dcrOverfittingProtectionBalanced))"
        ))
    }
    if let m = e.membership {
      items.append(
        (
          "Membership AUC", EvaluationReport.f(m.auc),
          "95 % interval \(EvaluationReport.f(m.low))–\(EvaluationReport.f(m.high))"
        ))
    }
    if let a = e.attacks {
      let so = a.singlingOut
      items.append(
        ("Singling-out risk", EvaluationReport.f(so.risk), "\(so.level), interval to \(EvaluationReport.f(so.high))"))
      if let l = a.linkability {
        items.append(
          ("Linkability risk", EvaluationReport.f(l.risk), "\(l.level), interval to \(EvaluationReport.f(l.high))"))
      }
      if let w = a.worstInference {
        items.append(
          (
            "Inference risk", EvaluationReport.f(w.risk.risk),
            "\(w.risk.level), worst column \(SVGCanvas.truncate(w.column, 24))"
          ))
      }
    }
    var out = "<div class=\"cards\">\n"
    for (k, v, note) in items {
      out +=
        "<div class=\"card\"><div class=\"k\">\(EvaluationReport.h(k))</div><div class=\"v\">\(v)</div><div class=\"k\">\(EvaluationReport.h(note))</div></div>\n"
    }
    return out + "</div>\n"
  }

  /// A tick label for a continuous column of `kind` (dates as ISO days).
  static func axisLabel(_ v: Double, _ kind: ColumnKind) -> String {
    switch kind {
    case .date: return CivilDate(dayNumber: Int64(v.rounded(.down))).description
    case .datetime: return CivilDate(dayNumber: Int64((v / 86_400).rounded(.down))).description
    default: return SVGCanvas.label(v)
    }
  }

  static func distributionChart(_ d: ColumnDistribution) -> String {
    let title = "\(SVGCanvas.truncate(d.name, 30)) · \(f(d.score))"
    if !d.edges.isEmpty {
      let w = 320.0
      let hgt = 200.0
      let (l, r, t, b) = (44.0, 12.0, 26.0, 34.0)
      var c = SVGCanvas(width: w, height: hgt, title: "Distribution of \(d.name): real and synthetic")
      c.text(title, x: l, y: 16, size: 12, bold: true)
      let top = max(d.real.max() ?? 0, d.synthetic.max() ?? 0, 1e-9)
      let yt = SVGCanvas.ticks(0, top, count: 4)
      let ymax = max(yt.last ?? top, top)
      let pw = w - l - r
      let ph = hgt - t - b
      func x(_ v: Double) -> Double { l + (v - d.edges[0]) / (d.edges.last! - d.edges[0]) * pw }
      func y(_ s: Double) -> Double { t + ph - s / ymax * ph }
      for v in yt {
        c.line(l, y(v), l + pw, y(v), stroke: "#eee")
        c.text(SVGCanvas.label(v), x: l - 4, y: y(v) + 4, size: 10, anchor: .end, fill: "#555")
      }
      for i in d.real.indices {
        c.rect(
          x: x(d.edges[i]) + 0.5, y: y(d.real[i]), width: x(d.edges[i + 1]) - x(d.edges[i]) - 1,
          height: y(0) - y(d.real[i]), fill: realColour, opacity: 0.55)
      }
      var step: [(Double, Double)] = []
      for i in d.synthetic.indices {
        step.append((x(d.edges[i]), y(d.synthetic[i])))
        step.append((x(d.edges[i + 1]), y(d.synthetic[i])))
      }
      c.polyline(step, stroke: syntheticColour, width: 2)
      c.line(l, y(0), l + pw, y(0), stroke: "#444")
      let lo = d.edges[0]
      let hi = d.edges.last!
      let isDate = d.kind == .date || d.kind == .datetime
      let xt = isDate ? [lo, (lo + hi) / 2, hi] : SVGCanvas.ticks(lo, hi, count: 4)
      for v in xt where v >= lo && v <= hi {
        c.line(x(v), y(0), x(v), y(0) + 4, stroke: "#444")
        // Dates are long: the end labels align to the plot's edges instead of overflowing them.
        let anchor: SVGCanvas.Anchor = !isDate ? .middle : v == lo ? .start : v == hi ? .end : .middle
        c.text(axisLabel(v, d.kind), x: x(v), y: y(0) + 16, size: 10, anchor: anchor, fill: "#555")
      }
      c.legend([("real", realColour), ("synthetic", syntheticColour)], x: l, y: hgt - 4)
      return c.svg()
    }
    let rows = Double(d.labels.count)
    let w = 320.0
    let (l, r, t, b) = (112.0, 14.0, 26.0, 36.0)
    let rowH = 18.0
    let hgt = t + b + max(rows, 1) * rowH
    var c = SVGCanvas(width: w, height: hgt, title: "Categories of \(d.name): real and synthetic")
    c.text(title, x: 8, y: 16, size: 12, bold: true)
    let top = max(d.real.max() ?? 0, d.synthetic.max() ?? 0, 1e-9)
    let xt = SVGCanvas.ticks(0, top, count: 4)
    let xmax = max(xt.last ?? top, top)
    let pw = w - l - r
    func x(_ s: Double) -> Double { l + s / xmax * pw }
    for v in xt {
      c.line(x(v), t, x(v), t + rows * rowH, stroke: "#eee")
      c.text(SVGCanvas.label(v), x: x(v), y: t + rows * rowH + 13, size: 10, anchor: .middle, fill: "#555")
    }
    for (i, label) in d.labels.enumerated() {
      let y0 = t + Double(i) * rowH
      c.text(SVGCanvas.truncate(label, 17), x: l - 5, y: y0 + 13, size: 10, anchor: .end)
      c.rect(
        x: l, y: y0 + 2, width: x(d.real[i]) - l, height: 7, fill: realColour,
        tooltip: "\(label): real \(f(d.real[i]))")
      c.rect(
        x: l, y: y0 + 9, width: x(d.synthetic[i]) - l, height: 7, fill: syntheticColour,
        tooltip: "\(label): synthetic \(f(d.synthetic[i]))")
    }
    c.line(l, t, l, t + rows * rowH, stroke: "#444")
    c.legend([("real", realColour), ("synthetic", syntheticColour)], x: 8, y: hgt - 4)
    return c.svg()
  }

  /// Colour of a score in [0, 1] (white to dark green) or grey for n/a.
  static func scoreColour(_ v: Double?) -> String {
    guard let v, v.isFinite else { return "#e0e0e0" }
    return mix((247, 252, 245), (0, 109, 44), min(max(v, 0), 1))
  }

  /// Colour of a correlation in [−1, 1]: blue, white, red.
  static func correlationColour(_ v: Double?) -> String {
    guard let v, v.isFinite else { return "#e0e0e0" }
    return v < 0 ? mix((255, 255, 255), (33, 102, 172), min(-v, 1)) : mix((255, 255, 255), (178, 24, 43), min(v, 1))
  }

  static func mix(_ a: (Int, Int, Int), _ b: (Int, Int, Int), _ t: Double) -> String {
    func c(_ x: Int, _ y: Int) -> Int { Int((Double(x) + (Double(y) - Double(x)) * t).rounded()) }
    return String(format: "#%02x%02x%02x", c(a.0, b.0), c(a.1, b.1), c(a.2, b.2))
  }

  /// A square matrix chart: `value(i, j)` for i ≠ j, labels on the left and on top.
  static func matrix(
    title: String, names: [String], colour: (Double?) -> String, value: (Int, Int) -> Double?,
    legend: [(String, Double)]
  ) -> String {
    let n = Double(names.count)
    let cell = max(min(24, 460 / max(n, 1)), 8)
    let l = 120.0
    let t = 118.0
    let w = l + n * cell + 20
    let hgt = t + n * cell + 46
    var c = SVGCanvas(width: max(w, 300), height: hgt, title: title)
    c.text(title, x: 8, y: 16, size: 12, bold: true)
    for (i, name) in names.enumerated() {
      let y = t + Double(i) * cell
      c.text(SVGCanvas.truncate(name, 18), x: l - 5, y: y + cell / 2 + 4, size: 10, anchor: .end)
      let x = l + Double(i) * cell + cell / 2 + 4
      c.text(SVGCanvas.truncate(name, 18), x: x, y: t - 5, size: 10, rotate: -60)
    }
    for i in names.indices {
      for j in names.indices {
        let x = l + Double(j) * cell
        let y = t + Double(i) * cell
        if i == j {
          c.rect(x: x, y: y, width: cell, height: cell, fill: "#ffffff", stroke: "#eee")
          continue
        }
        let v = value(i, j)
        c.rect(
          x: x, y: y, width: cell, height: cell, fill: colour(v), stroke: "#fff",
          tooltip: "\(names[i]) × \(names[j]): \(f(v))")
        if cell >= 22, let v, v.isFinite {
          c.text(
            abs(v) < 0.05 ? "0.0" : String(format: "%.1f", v), x: x + cell / 2, y: y + cell / 2 + 3, size: 8,
            anchor: .middle,
            fill: abs(v) > 0.6 ? "#fff" : "#222")
        }
      }
    }
    // Legend: a strip of swatches with end labels.
    let ly = t + n * cell + 18
    for k in 0..<10 {
      let v = legend[0].1 + (legend[legend.count - 1].1 - legend[0].1) * Double(k) / 9
      c.rect(x: l + Double(k) * 14, y: ly, width: 14, height: 10, fill: colour(v))
    }
    c.text(legend[0].0, x: l, y: ly + 22, size: 10, anchor: .start, fill: "#555")
    c.text(legend[legend.count - 1].0, x: l + 140, y: ly + 22, size: 10, anchor: .end, fill: "#555")
    c.rect(x: l + 160, y: ly, width: 14, height: 10, fill: "#e0e0e0")
    c.text("n/a", x: l + 178, y: ly + 9, size: 10, fill: "#555")
    return c.svg()
  }

  func pairScoreHeatmap() -> String {
    let names = evaluation.quality.columnOrder
    var index: [String: Int] = [:]
    for (i, n) in names.enumerated() { index[n] = i }
    var m = [[Double?]](repeating: [Double?](repeating: nil, count: names.count), count: names.count)
    for p in evaluation.quality.pairs {
      guard let i = index[p.a], let j = index[p.b] else { continue }
      m[i][j] = p.score
      m[j][i] = p.score
    }
    return EvaluationReport.matrix(
      title: "Column pair trend scores", names: names, colour: EvaluationReport.scoreColour,
      value: { m[$0][$1] }, legend: [("0", 0), ("1", 1)])
  }

  func correlationHeatmaps() -> (String?, String?) {
    // Columns in some correlated (number or date) pair, in the report's column order.
    let correlated = Set(evaluation.quality.pairs.filter { $0.realCorrelation != nil }.flatMap { [$0.a, $0.b] })
    let names = evaluation.quality.columnOrder.filter { correlated.contains($0) }
    var index: [String: Int] = [:]
    for (i, n) in names.enumerated() { index[n] = i }
    guard names.count >= 2 else { return (nil, nil) }
    var real = [[Double?]](repeating: [Double?](repeating: nil, count: names.count), count: names.count)
    var syn = real
    for p in evaluation.quality.pairs {
      guard let i = index[p.a], let j = index[p.b] else { continue }
      real[i][j] = p.realCorrelation
      real[j][i] = p.realCorrelation
      syn[i][j] = p.syntheticCorrelation
      syn[j][i] = p.syntheticCorrelation
    }
    let legend: [(String, Double)] = [("−1", -1), ("1", 1)]
    return (
      EvaluationReport.matrix(
        title: "Correlation, real", names: names, colour: EvaluationReport.correlationColour,
        value: { real[$0][$1] }, legend: legend),
      EvaluationReport.matrix(
        title: "Correlation, synthetic", names: names, colour: EvaluationReport.correlationColour,
        value: { syn[$0][$1] }, legend: legend)
    )
  }

  func dcrChart() -> String {
    let w = 480.0
    let hgt = 290.0
    let (l, r, t, b) = (48.0, 16.0, 28.0, 56.0)
    var c = SVGCanvas(width: w, height: hgt, title: "Distance to the closest real row")
    c.text("Distance to the closest real row (DCR)", x: l, y: 16, size: 12, bold: true)
    let curves = evaluation.dcrCurves.filter { !$0.quantiles.isEmpty }
    let top = max(curves.map { $0.quantiles.last ?? 0 }.max() ?? 1, 1e-6)
    let xt = SVGCanvas.ticks(0, top, count: 5)
    let xmax = max(xt.last ?? top, top)
    let pw = w - l - r
    let ph = hgt - t - b
    func x(_ v: Double) -> Double { l + v / xmax * pw }
    func y(_ s: Double) -> Double { t + ph - s * ph }
    for v in SVGCanvas.ticks(0, 1, count: 4) {
      c.line(l, y(v), l + pw, y(v), stroke: "#eee")
      c.text(SVGCanvas.label(v), x: l - 4, y: y(v) + 4, size: 10, anchor: .end, fill: "#555")
    }
    for v in xt {
      c.line(x(v), y(0), x(v), y(0) + 4, stroke: "#444")
      c.text(SVGCanvas.label(v), x: x(v), y: y(0) + 16, size: 10, anchor: .middle, fill: "#555")
    }
    c.text("distance (0: an identical row)", x: l + pw / 2, y: y(0) + 30, size: 10, anchor: .middle, fill: "#555")
    c.text("share of rows", x: 12, y: t + ph / 2, size: 10, anchor: .middle, fill: "#555", rotate: -90)
    var legend: [(String, String)] = []
    for curve in curves {
      let (label, colour): (String, String) =
        switch curve.name {
        case "synthetic_training": ("synthetic → training", EvaluationReport.syntheticColour)
        case "synthetic_holdout": ("synthetic → holdout", EvaluationReport.holdoutColour)
        default: ("random → training", EvaluationReport.randomColour)
        }
      c.polyline(curve.quantiles.enumerated().map { (x($1), y(Double($0) / 100)) }, stroke: colour)
      legend.append((label, colour))
    }
    c.line(l, y(0), l + pw, y(0), stroke: "#444")
    c.line(l, t, l, y(0), stroke: "#444")
    c.legend(legend, x: 8, y: hgt - 6)
    return c.svg()
  }

  static func attackChart(_ a: PrivacyAttacks) -> String {
    var rows: [(String, AttackRisk)] = [
      ("singling out, 1 column", a.singlingOutUnivariate), ("singling out, 3 columns", a.singlingOutMultivariate),
    ]
    if let l = a.linkability { rows.append(("linkability", l)) }
    for x in a.inference { rows.append(("inference: " + SVGCanvas.truncate(x.column, 18), x.risk)) }
    let w = 520.0
    let (l, r, t, b) = (176.0, 20.0, 28.0, 40.0)
    let rowH = 20.0
    let hgt = t + b + Double(rows.count) * rowH
    var c = SVGCanvas(width: w, height: hgt, title: "Attack risks with 95 % intervals")
    c.text("Attack risks with 95 % intervals", x: 8, y: 16, size: 12, bold: true)
    let pw = w - l - r
    func x(_ v: Double) -> Double { l + v * pw }
    let bottom = t + Double(rows.count) * rowH
    for v in [0, 0.2, 0.4, 0.6, 0.8, 1.0] {
      c.line(x(v), t, x(v), bottom, stroke: v == 0.2 ? "#d62728" : "#eee", dashed: v == 0.2)
      c.text(SVGCanvas.label(v), x: x(v), y: bottom + 14, size: 10, anchor: .middle, fill: "#555")
    }
    c.text("high", x: x(0.2) + 3, y: t - 4, size: 9, fill: "#d62728")
    for (i, (label, risk)) in rows.enumerated() {
      let y0 = t + Double(i) * rowH
      let colour = risk.level == "high" ? "#d62728" : risk.level == "low" ? "#2ca02c" : "#ff7f0e"
      c.text(label, x: l - 6, y: y0 + 14, size: 10, anchor: .end)
      c.rect(
        x: l, y: y0 + 4, width: max(x(risk.risk) - l, 1), height: 12, fill: colour, opacity: 0.8,
        tooltip: "\(label): \(f(risk.risk)) [\(f(risk.low)), \(f(risk.high))]")
      c.line(x(risk.low), y0 + 10, x(risk.high), y0 + 10, stroke: "#222", width: 1.2)
      c.line(x(risk.low), y0 + 6, x(risk.low), y0 + 14, stroke: "#222", width: 1.2)
      c.line(x(risk.high), y0 + 6, x(risk.high), y0 + 14, stroke: "#222", width: 1.2)
    }
    c.line(l, t, l, bottom, stroke: "#444")
    c.text(
      "risk (0: nothing beyond what holdout rows give away)", x: l + pw / 2, y: bottom + 30, size: 10, anchor: .middle,
      fill: "#555")
    return c.svg()
  }

  static func rocChart(_ m: MembershipInference) -> String {
    let side = 240.0
    let (l, t) = (48.0, 28.0)
    var c = SVGCanvas(width: l + side + 24, height: t + side + 48, title: "Membership inference ROC curve")
    c.text("Membership inference ROC · AUC \(f(m.auc))", x: 8, y: 16, size: 12, bold: true)
    func x(_ v: Double) -> Double { l + v * side }
    func y(_ v: Double) -> Double { t + side - v * side }
    for v in [0, 0.25, 0.5, 0.75, 1.0] {
      c.line(x(v), t, x(v), t + side, stroke: "#eee")
      c.line(l, y(v), l + side, y(v), stroke: "#eee")
      c.text(SVGCanvas.label(v), x: x(v), y: t + side + 14, size: 10, anchor: .middle, fill: "#555")
      c.text(SVGCanvas.label(v), x: l - 4, y: y(v) + 4, size: 10, anchor: .end, fill: "#555")
    }
    c.line(x(0), y(0), x(1), y(1), stroke: "#999", dashed: true)
    c.polyline(m.roc.map { (x($0.fpr), y($0.tpr)) }, stroke: syntheticColour)
    c.line(l, t, l, t + side, stroke: "#444")
    c.line(l, t + side, l + side, t + side, stroke: "#444")
    c.text(
      "false positive rate (holdout rows flagged)", x: l + side / 2, y: t + side + 30, size: 10, anchor: .middle,
      fill: "#555")
    c.text("true positive rate", x: 12, y: t + side / 2, size: 10, anchor: .middle, fill: "#555", rotate: -90)
    return c.svg()
  }

  /// The lowest-scoring pairs as a table (at most 15).
  func pairTable() -> String {
    let pairs = evaluation.quality.pairs.filter { $0.score != nil }.sorted {
      $0.score! != $1.score! ? $0.score! < $1.score! : ($0.a, $0.b) < ($1.a, $1.b)
    }
    guard !pairs.isEmpty else { return "" }
    var out =
      "<h2>Weakest pairs</h2>\n<table><tr><th>columns</th><th>metric</th><th>score</th><th>real association</th><th>counted</th></tr>\n"
    for p in pairs.prefix(15) {
      out +=
        "<tr><td>\(EvaluationReport.h(p.a)) × \(EvaluationReport.h(p.b))</td><td>\(EvaluationReport.h(p.metric))</td><td>\(EvaluationReport.f(p.score))</td><td>\(EvaluationReport.f(p.realAssociation))</td><td>\(p.meetsThreshold ? "yes" : "no")</td></tr>\n"
    }
    return out + "</table>\n"
  }
}
