import DecoyCore
import DecoyLearn
import DecoyTestSupport
import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Attack-based privacy, the membership test, the balanced DCR figure, the HTML report and
/// `decoy synthesize`.
extension CLITests {
  /// anes96 cut into three row-disjoint CSV files a, b, c (header repeated), by line order.
  func anesThirds(in dir: String) throws -> (a: String, b: String, c: String) {
    let text = try String(contentsOfFile: Self.fixtures + "/anes96.csv", encoding: .utf8)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    let header = lines.removeFirst()
    var parts = ["", "", ""]
    for (i, l) in lines.enumerated() { parts[i % 3] += l + "\n" }
    let names = ["a", "b", "c"].map { dir + "/\($0).csv" }
    for (n, p) in zip(names, parts) { try (header + "\n" + p).write(toFile: n, atomically: true, encoding: .utf8) }
    return (names[0], names[1], names[2])
  }

  func privacy(_ path: String) throws -> [String: Any] { try json(path)["privacy"] as! [String: Any] }

  func risk(_ p: [String: Any], _ key: String) -> Double { (p[key] as! [String: Any])["risk"] as! Double }

  @Test func attacksTellCopiedRowsFromFreshOnes() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let (a, b, c) = try anesThirds(in: dir)
    // Fresh real rows (c) stand in for an ideal synthesizer; a copy of training (a) for the worst.
    try ok(["evaluate", "--real", a, "--synthetic", c, "--holdout", b, "--json", dir + "/fresh.json", "-q"])
    try ok(["evaluate", "--real", a, "--synthetic", a, "--holdout", b, "--json", dir + "/copy.json", "-q"])
    let fresh = try privacy(dir + "/fresh.json")
    let copy = try privacy(dir + "/copy.json")
    for key in ["singling_out", "linkability", "inference"] {
      // Fresh rows: no evidence of risk (the interval reaches 0.05; the worst of eleven inference
      // columns may still have a wide one).
      let ci = (fresh[key] as! [String: Any])["ci"] as! [Double]
      #expect(ci[0] < 0.05, "fresh rows: \(key) \(risk(fresh, key)) \(ci)")
      #expect(ci[0] <= risk(fresh, key) && risk(fresh, key) <= ci[1])
      #expect(risk(copy, key) > 0.8, "copied rows: \(key) \(risk(copy, key))")
      let copied = (copy[key] as! [String: Any])["level"] as? String
      #expect(copied == "high")
    }
    let mf = fresh["mia"] as! [String: Any]
    let mc = copy["mia"] as! [String: Any]
    let ci = mf["ci"] as! [Double]
    #expect(ci[0] < 0.5 && 0.5 < ci[1], "fresh rows: membership AUC interval \(ci) should hold 0.5")
    #expect((mc["auc"] as! Double) > 0.95)
    #expect((copy["dcr_overfitting_protection"] as! Double) == 0)
    #expect((copy["exact_match_rate"] as! Double) == 1)
    #expect(fresh["distance_only"] as? Bool == false)
    // The ROC curve runs from (0, 0) to (1, 1) without going back.
    let roc = mc["roc"] as! [[Double]]
    #expect(roc.first == [0, 0] && roc.last == [1, 1])
    for (p, q) in zip(roc, roc.dropFirst()) { #expect(q[0] >= p[0] && q[1] >= p[1]) }

    // Basic privacy: no attacks, and the banner's flag.
    try ok(["evaluate", "--real", a, "--synthetic", c, "--privacy", "basic", "--json", dir + "/basic.json", "-q"])
    let basic = try privacy(dir + "/basic.json")
    #expect(basic["distance_only"] as? Bool == true)
    #expect(basic["singling_out"] is NSNull)
    // Threads never change a figure.
    try ok([
      "evaluate", "--real", a, "--synthetic", c, "--holdout", b, "--json", dir + "/t1.json", "--threads", "1", "-q",
    ])
    #expect(
      try Data(contentsOf: URL(fileURLWithPath: dir + "/t1.json"))
        == Data(contentsOf: URL(fileURLWithPath: dir + "/fresh.json")))
  }

  @Test func attackRiskIsAnonymetersWilsonEstimate() {
    // Expected values computed independently with scipy (norm.ppf(0.975)) from anonymeter 1.1.0's
    // formulas: rates (k + z²/2)/(n + z²); residual (r_a − r_c)/(1 − r_c) with propagated error.
    let r = AttackRisk(attacks: 500, successes: 100, control: 50, baseline: 20)
    #expect(abs(r.attackRate - 0.20228730213846569) < 1e-12)
    #expect(abs(r.controlRate! - 0.1030497361846209) < 1e-12)
    #expect(abs(r.baselineRate - 0.04350719661231403) < 1e-12)
    #expect(abs(r.risk - 0.11063887258554954) < 1e-12)
    #expect(abs(r.low - 0.06366466141244373) < 1e-12)
    #expect(abs(r.high - 0.15761308375865535) < 1e-12)
    #expect(r.level == "elevated")
    // Clipped to [0, 1]: an attack that does worse on training than on control has no risk.
    let none = AttackRisk(attacks: 100, successes: 5, control: 40, baseline: 5)
    #expect(none.risk == 0 && none.low == 0)
    #expect(none.noBetterThanBaseline)
  }

  @Test func aSmallHoldoutIsBalancedAndFlagged() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let sample = Self.fixtures + "/anes96.csv"
    try ok(["fit", sample, "--holdout", "0.2", "--out", dir + "/m.decoymodel", "-q"])
    try ok(["sample", dir + "/m.decoymodel", "--rows", "755", "--out", dir + "/s", "-q"])
    let r = try ok([
      "evaluate", "--real", sample, "--synthetic", dir + "/s/anes96.csv", "--model", dir + "/m.decoymodel",
      "--privacy", "basic", "--json", dir + "/e.json",
    ])
    #expect(r.stdout.contains("under half as many rows as training"))
    let p = try privacy(dir + "/e.json")
    // Against 188 holdout rows and 756 training rows most synthetic rows are nearer training
    // whatever the model; against equal-size references they are not.
    #expect((p["closer_to_training"] as! Double) > 0.7)
    #expect((p["closer_to_training_balanced"] as! Double) < 0.6)
  }

  @Test func theHTMLReportIsOneSelfContainedPageOfWellFormedCharts() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let f = Self.fixtures
    try ok(["fit", f + "/student_placements_real.csv", "--holdout", "0.5", "--out", dir + "/m.decoymodel", "-q"])
    try ok(["sample", dir + "/m.decoymodel", "--rows", "107", "--out", dir + "/s", "-q"])
    try ok([
      "evaluate", "--real", f + "/student_placements_real.csv", "--synthetic", dir + "/s/student_placements_real.csv",
      "--model", dir + "/m.decoymodel", "--html", dir + "/r.html", "--json", dir + "/r.json", "-q",
    ])
    let html = try String(contentsOfFile: dir + "/r.html", encoding: .utf8)
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(!html.lowercased().contains("<script"))
    #expect(!html.contains("src=") && !html.contains("href="), "no external resource")
    let withoutNamespace = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
    #expect(!withoutNamespace.contains("http://") && !withoutNamespace.contains("https://"))
    // One chart per learned column, three heatmaps, DCR curves, attack risks, ROC.
    let columns = ((try json(dir + "/r.json"))["quality"] as! [String: Any])["columns"] as! [String: Any]
    let svgs = html.components(separatedBy: "<svg ").dropFirst().map {
      "<svg " + $0.components(separatedBy: "</svg>")[0] + "</svg>"
    }
    #expect(svgs.count == columns.count + 6)
    for svg in svgs {
      let parser = XMLParser(data: Data(svg.utf8))
      #expect(parser.parse(), "an SVG that is not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")")
    }
    for key in ["Column shapes", "Column pair trends", "Privacy", "Attack risks", "Membership inference ROC"] {
      #expect(html.contains(key))
    }
  }

  @Test func synthesizeRunsTheWholeFlowIntoOneDirectory() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r = try ok([
      "synthesize", Self.fixtures + "/student_placements_real.csv", "--rows", "300", "--format", "parquet", "--out",
      dir + "/out",
    ])
    let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/out").sorted()
    #expect(
      files == [
        "model.decoymodel", "report.html", "report.json", "student_placements_real.manifest.json",
        "student_placements_real.parquet",
      ], "\(files)")
    #expect(r.stdout.contains("quality") && r.stdout.contains("singling-out risk"))
    // Every documented key is there and, with the default holdout, a number.
    let e = try json(dir + "/out/report.json")
    func value(_ path: String) -> Any? {
      var node: Any? = e
      for part in path.split(separator: ".") { node = (node as? [String: Any])?[String(part)] }
      return node
    }
    for key in [
      "quality.score", "quality.column_shapes", "quality.column_pair_trends", "quality.all_pairs.score",
      "diagnostic.score", "privacy.exact_match_rate", "privacy.dcr_baseline_protection",
      "privacy.dcr_overfitting_protection", "privacy.mia.auc", "privacy.singling_out.risk", "privacy.linkability.risk",
      "privacy.inference.risk",
    ] {
      #expect(value(key) is Double, "\(key) is \(String(describing: value(key)))")
    }
  }
}
