import DecoyTestSupport
import Foundation
import Testing

@testable import DecoyCore
@testable import DecoyKit

/// `decoy breach-report` against an independent count in Python over the same file.
@Suite struct BreachReportTests {
  /// Runs a Python script with `text` written to a file passed as its argument.
  func python(_ script: String, _ text: String, _ dir: String) throws -> (Int32, String) {
    try text.write(toFile: dir + "/input.txt", atomically: true, encoding: .utf8)
    return try TestPython.run(script, [dir + "/input.txt"])
  }

  @Test func countsMatchAnIndependentComputation() throws {
    let dir = NSTemporaryDirectory() + "decoy-report-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var job = ClaimsBreachJob(directory: dir, seed: 3)
    job.patients = 700
    _ = try job.run()
    let result = try BreachReport(input: job.enrichedPath).run()
    let json = BreachReport.json(result, file: "x")
    try json.write(toFile: dir + "/report.json", atomically: true, encoding: .utf8)
    let (status, out) = try TestPython.run(
      """
      import csv, json, sys
      rows = list(csv.DictReader(open(sys.argv[1])))
      rep = json.load(open(sys.argv[2]))
      groups = {'name': ['name'], 'dob': ['date_of_birth'], 'address': ['address', 'city', 'state', 'zipcode'], 'phone': ['phone_number'],
                'insurance': ['insurance_provider', 'insurance_policy_number'], 'ssn_full': ['ssn_full'], 'ssn_last4': ['ssn_last4'],
                'card': ['card_number', 'cvv', 'exp_date']}
      cats = {'name': ['name'], 'date_of_birth': ['dob'], 'ssn_full': ['ssn_full'], 'card_full': ['card'],
              'name+dob+ssn_full': ['name', 'dob', 'ssn_full'], 'name+card_full': ['name', 'card'], 'name+insurance': ['name', 'insurance']}
      have = lambda r, g: all(r[c] for c in groups[g])
      union, state = {}, {}
      for r in rows:
          s = union.setdefault(r['patient_id'], set())
          s.update(g for g in groups if have(r, g))
          if r['state'] and r['patient_id'] not in state: state[r['patient_id']] = r['state']
      assert rep['rows'] == len(rows) and rep['individuals'] == len(union)
      for k, gs in cats.items():
          recs = sum(1 for r in rows if all(have(r, g) for g in gs))
          ind = sum(1 for s in union.values() if set(gs) <= s)
          assert rep['exposure'][k] == {'records': recs, 'individuals': ind}, (k, rep['exposure'][k], recs, ind)
      notif = [['name', 'ssn_full'], ['name', 'card'], ['name', 'insurance']]
      assert rep['notifiable_individuals'] == sum(1 for s in union.values() if any(set(n) <= s for n in notif))
      by = {}
      for pid, s in union.items():
          st = state.get(pid, 'unknown'); by[st] = by.get(st, 0) + 1
      assert {k: v['individuals'] for k, v in rep['by_state'].items()} == by
      assert list(rep['by_state']) == sorted(by)
      print('ok')
      """, [job.enrichedPath, dir + "/report.json"])
    #expect(status == 0 && out.contains("ok"), "\(out)")
    #expect(result.notifiableIndividuals > 0 && result.notifiableIndividuals <= result.individuals)
    let md = BreachReport.markdown(result, file: "x")
    #expect(md.contains("| Name + full SSN |") && md.contains("## By state"))
    let html = BreachReport.html(result, file: "a<b")
    #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("a&lt;b") && html.contains("class=\"notifiable\""))
    let (parsed, parseOut) = try python(
      """
      import html.parser, sys
      class P(html.parser.HTMLParser):
          rows = 0
          def handle_starttag(self, tag, attrs):
              if tag == 'tr': P.rows += 1
      P().feed(open(sys.argv[1]).read()); print(P.rows)
      """, html, dir)
    #expect(
      parsed == 0
        && Int(parseOut.trimmingCharacters(in: .whitespacesAndNewlines)) == 1 + BreachReport.categories.count + 1
          + result.byState.count
    )
  }
}
