import DecoyTestSupport
import Foundation
import Testing

@testable import DecoyCore
@testable import DecoyKit

/// `decoy enrich` against the reference script itself, extracted from seed document 000 and run
/// with pandas in the test venv (specs/healthcare.md §7 items 22, 25, 26).
@Suite(.enabled(if: TestPython.path != nil, "needs the test venv with pandas (made by .ci/run)"))
struct EnrichConformanceTests {
  static let seedDocument = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/seed-000_bea93e792bfd91e0.txt")

  /// The script between the code fence after "Additional PII Generation Script" and the next fence.
  static func referenceScript() throws -> String {
    let text = try String(contentsOf: seedDocument, encoding: .utf8)
    let after = try #require(text.range(of: "## Additional PII Generation Script"))
    let open = try #require(text.range(of: "```\n", range: after.upperBound..<text.endIndex))
    let close = try #require(text.range(of: "\n```", range: open.upperBound..<text.endIndex))
    return String(text[open.upperBound..<close.lowerBound])
  }

  /// A claims export of `patients` patients with 1–9 bills each: leading-zero ZIPs, uninsured
  /// patients with blank provider and policy, a provider name with a comma, blank actual payment
  /// dates, and (when `duplicateBill`) one billing id repeated for the same patient.
  static func fixture(patients: Int, duplicateBill: Bool) -> String {
    var state: UInt64 = 0x5eed
    func next(_ n: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(n))
    }
    let first = ["Mary", "James", "Ana", "Wei", "Null", "Olga", "Luis"]
    let last = ["Smith", "O'Neil", "Nguyen", "Garcia", "Brown"]
    let cities = [("Boston", "MA", "02"), ("Newark", "NJ", "07"), ("Austin", "TX", "78"), ("Fresno", "CA", "93")]
    let insurers = ["Blue Ridge Health", "Smith, Jones and Partners Insurance", "Acme Mutual"]
    var lines = [
      "billing_id,visit_id,patient_id,billing_date,insurance_coverage_amount,patient_responsibility_amount,payment_plan,expected_payment_date,actual_payment_date,payment_status,total_charge,name,date_of_birth,address,city,state,zipcode,insurance_provider,insurance_policy_number,phone_number"
    ]
    var bill = 0
    for p in 1...patients {
      let name = "\(first[next(first.count)]) \(last[next(last.count)])"
      let dob = String(format: "%04d/%02d/%02d", 1935 + next(85), 1 + next(12), 1 + next(28))
      let c = cities[next(cities.count)]
      let zip = c.2 + String(format: "%03d", next(1000))
      let insured = next(100) < 78
      let provider = insured ? insurers[next(insurers.count)] : ""
      let policy = insured ? String(1000 + next(999_999_000)) : ""
      let provField = provider.contains(",") ? "\"\(provider)\"" : provider
      let phone = "(\(200 + next(800))) 555-\(String(format: "%04d", next(10000)))"
      for _ in 0..<(1 + next(9)) {
        bill += 1
        let total = 87 + next(50_000)
        let cover = insured ? next(total) : 0
        let paid = next(10) < 8
        let row =
          "\(bill),\(bill),\(p),2024/\(String(format: "%02d/%02d", 1 + next(12), 1 + next(28))),\(cover),\(total - cover),"
          + (next(2) == 0 ? "Full" : "Incremental") + ",2025/01/15," + (paid ? "2025/01/10" : "") + ","
          + (paid ? "Paid" : "Late-Unpaid")
          + ",\(total),\(name),\(dob),\(100 + next(9000)) Main St,\(c.0),\(c.1),\(zip),\(provField),\(policy),\(phone)"
        lines.append(row)
        if duplicateBill && bill == 10 { lines.append(row) }
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  func runReference(_ dir: String, seed: Int) throws -> String {
    try Self.referenceScript().write(toFile: dir + "/reference.py", atomically: true, encoding: .utf8)
    let (status, out) = try TestPython.run(
      """
      import runpy, sys
      d, seed = sys.argv[1], sys.argv[2]
      sys.argv = ['reference.py', '--claims_export', d + '/claims_export.csv', '--seed', seed, '--out_enriched', d + '/reference.csv']
      runpy.run_path(d + '/reference.py', run_name='__main__')
      """, [dir, String(seed)])
    #expect(status == 0, "\(out)")
    return out
  }

  /// Seeds 42 and 7 on Decoy's own claims export (the second with a repeated bill), and seed 11 on
  /// the hand-made fixture whose names include pandas NA tokens ("Null").
  @Test(arguments: [(42, false, false), (7, true, false), (11, false, true)])
  func compatModeIsByteIdenticalToTheReferenceScript(seed: Int, duplicateBill: Bool, handMade: Bool) throws {
    let dir = NSTemporaryDirectory() + "decoy-enrich-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    // A claims export made by Decoy (decoy generate claims-breach), with one bill repeated for the
    // same patient in the second case so row keys become "<billing_id>|<row>".
    var breach = ClaimsBreachJob(directory: dir, seed: seed)
    breach.patients = 1100
    if handMade {
      try Self.fixture(patients: 1100, duplicateBill: false).write(
        toFile: breach.exportPath, atomically: true, encoding: .utf8)
    } else {
      _ = try breach.run()
    }
    if duplicateBill {
      var lines = try String(contentsOfFile: breach.exportPath, encoding: .utf8).split(
        separator: "\n", omittingEmptySubsequences: false)
      lines.insert(lines[10], at: 11)
      try lines.joined(separator: "\n").write(toFile: breach.exportPath, atomically: true, encoding: .utf8)
    }
    let export = try String(contentsOfFile: breach.exportPath, encoding: .utf8)
    let leadingZeroZIP = export.split(separator: "\n").contains {
      $0.split(separator: ",").contains { $0.count == 5 && $0.hasPrefix("0") && $0.allSatisfy(\.isNumber) }
    }
    #expect(
      export.contains("\"") && leadingZeroZIP, "the fixture has a quoted provider with a comma and leading-zero ZIPs")
    let referenceQA = try runReference(dir, seed: seed)
    // The reference reads the wall clock for the expiry year; give Decoy the same day.
    let now = Calendar(identifier: .gregorian).dateComponents(in: TimeZone.current, from: Date())
    var job = EnrichJob(input: dir + "/claims_export.csv", output: dir + "/reference.csv")
    job.seed = seed
    job.today = CivilDate(year: now.year!, month: now.month!, day: now.day!)
    job.mode = .pandas
    job.identifiers = try IdentifierPolicy.parse("realistic")
    let reference = try #require(FileManager.default.contents(atPath: dir + "/reference.csv"))
    job.output = dir + "/decoy.csv"
    let summary = try job.run()
    let ours = try #require(FileManager.default.contents(atPath: dir + "/decoy.csv"))
    #expect(summary.rows >= 5000)
    #expect(ours == reference, "compat output differs from the reference script's bytes")
    #expect(
      referenceQA.contains(summary.qaLine.replacingOccurrences(of: "/decoy.csv", with: "/reference.csv")),
      "QA line: \(referenceQA) vs \(summary.qaLine)")

    // Clean mode: the same null masks and the same non-identifier values.
    job.mode = .clean
    job.identifiers = IdentifierPolicy()
    job.output = dir + "/clean.csv"
    _ = try job.run()
    let (status, out) = try TestPython.run(
      """
      import csv, sys
      d = sys.argv[1]
      ref = list(csv.DictReader(open(d + '/reference.csv'))); cln = list(csv.DictReader(open(d + '/clean.csv')))
      src = list(csv.DictReader(open(d + '/claims_export.csv')))
      assert len(ref) == len(cln) == len(src)
      rename = {'SSN_full': 'ssn_full', 'SSN_last4': 'ssn_last4', 'CVV': 'cvv'}
      for r, c, s in zip(ref, cln, src):
          for k, v in r.items():
              w = c[rename.get(k, k)]
              assert (v == '') == (w == ''), ('null masks differ', k, v, w)
          for k in ['card_brand', 'name', 'date_of_birth', 'address', 'city', 'state', 'billing_id', 'patient_id', 'insurance_provider']:
              assert r[k] == c[k], (k, r[k], c[k])
          if c['zipcode']:
              assert c['zipcode'] == s['zipcode'] and len(c['zipcode']) == 5 and float(r['zipcode']) == float(s['zipcode'])
          if c['exp_date']:
              assert c['exp_date'][:2] == r['exp_date'][:2] and c['exp_date'][5:] == r['exp_date'][3:], (c['exp_date'], r['exp_date'])
              assert len(c['cvv']) == (4 if c['card_brand'] == 'amex' else 3)
          if c['ssn_full']:
              assert c['ssn_full'][-4:] == c['ssn_last4'][-4:] and int(c['ssn_full'][:3]) >= 900
      print('ok')
      """, [dir])
    #expect(status == 0 && out.contains("ok"), "\(out)")
  }
}
