import DecoyTestSupport
import Foundation
import Testing

@testable import DecoyCore
@testable import DecoyKit
@testable import DecoyScenarios

/// `decoy enrich` on its own: the golden values of specs/healthcare.md §4.7, the invariants of
/// §4.5 on every row, and clear errors for bad input with nothing left behind.
@Suite struct EnrichTests {
  func withFile(_ text: String, _ body: (String, String) throws -> Void) throws {
    let dir = NSTemporaryDirectory() + "decoy-enrich-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try text.write(toFile: dir + "/in.csv", atomically: true, encoding: .utf8)
    try body(dir + "/in.csv", dir + "/out.csv")
  }

  @Test func goldenAutoRates() {
    for (seed, expected) in [
      (
        42, [0.1731224101794, 0.2529984315922, 0.3726368737965, 0.24068123518875, 0.1006852571776, 0.23326138920779999]
      ),
      (7, [0.21539133487540002, 0.100877648606, 0.30131192329150003, 0.428995385147, 0.1041663029526, 0.20509186932]),
    ] {
      var hash = BreachHash(seed: seed)
      let r = EnrichJob(input: "", output: "").resolvedRates(&hash)
      #expect([r.card, r.name, r.dob, r.address, r.ssnFull, r.ssnLast4] == expected, "seed \(seed)")
    }
  }

  @Test func goldenPatientProfiles() {
    func profile(_ seed: Int, _ pid: String) -> BreachPatientProfile {
      var h = BreachHash(seed: seed)
      return BreachPatientProfile.reference(key: Array(pid.utf8), hash: &h, todayYear: 2025)
    }
    let a = profile(42, "1")
    #expect(
      a.ssnFull == "643-15-8738" && a.cardNumber == "6925-8497-3778-2910" && a.cvv == "983" && a.brand == "mastercard")
    #expect(a.expiryMonth == 8 && a.expiryYear == 2028)
    let b = profile(42, "2")
    #expect(b.ssnFull == "566-17-1336" && b.cardNumber == "0619-9621-1285-3664" && b.cvv == "684" && b.brand == "visa")
    #expect(b.expiryMonth == 3 && b.expiryYear == 2030)
    let c = profile(7, "1")
    #expect(
      c.ssnFull == "788-52-0401" && c.cardNumber == "6899-4888-3825-1157" && c.cvv == "192" && c.brand == "visa"
        && c.expiryMonth == 3)
    let d = profile(7, "2")
    #expect(
      d.ssnFull == "594-16-0760" && d.cardNumber == "1346-7069-4641-9430" && d.cvv == "439" && d.expiryMonth == 7
        && d.expiryYear == 2026)
  }

  @Test func invariantsHoldOnEveryRow() throws {
    try withFile(EnrichConformanceTests.fixture(patients: 2000, duplicateBill: false)) { input, output in
      var job = EnrichJob(input: input, output: output)
      job.seed = 11
      let s = try job.run()
      let text = try String(contentsOfFile: output, encoding: .utf8)
      let rows = text.split(separator: "\n").dropFirst().map { line -> [String] in
        // The fixture quotes only the provider with a comma; split around it.
        var fields: [String] = []
        var cur = ""
        var quoted = false
        for ch in line {
          if ch == "\"" {
            quoted.toggle()
            continue
          }
          if ch == "," && !quoted {
            fields.append(cur)
            cur = ""
            continue
          }
          cur.append(ch)
        }
        fields.append(cur)
        return fields
      }
      #expect(rows.count == s.rows)
      var cardPatients = Set<String>()
      var patients = Set<String>()
      var fullPatients = Set<String>()
      var nameNulls = 0
      for r in rows {
        #expect(r.count == 26)
        let (pid, ssnFull, last4, brand, number, cvv, exp) = (r[2], r[20], r[21], r[22], r[23], r[24], r[25])
        patients.insert(pid)
        #expect((number.isEmpty) == cvv.isEmpty && cvv.isEmpty == exp.isEmpty, "card fields present together")
        if number.isEmpty {
          #expect(brand.isEmpty)
        } else {
          cardPatients.insert(pid)
          let digits = number.filter(\.isNumber).utf8.map { $0 }
          #expect(!CardBrand.luhnValid(digits), "safe cards fail Luhn")
          #expect(cvv.count == (brand == "amex" ? 4 : 3))
          #expect(exp.count == 7 && Int(exp.suffix(4))! > 2025 && Int(exp.suffix(4))! <= 2030)
        }
        if !ssnFull.isEmpty {
          fullPatients.insert(pid)
          #expect(last4 == "***-**-" + ssnFull.suffix(4))
          #expect(Int(ssnFull.prefix(3))! >= 900, "safe SSNs use areas 900–999")
        }
        if r[11].isEmpty { nameNulls += 1 }
        let address = [r[13], r[14], r[15], r[16]]
        #expect(address.allSatisfy(\.isEmpty) || address.allSatisfy { !$0.isEmpty }, "address fields nulled together")
      }
      #expect(cardPatients.count == BreachHash.exactCount(0.43, patients.count))
      #expect(fullPatients.count <= BreachHash.exactCount(0.20, patients.count))
      var h = BreachHash(seed: 11)
      let rates = job.resolvedRates(&h)
      #expect(
        nameNulls == BreachHash.exactCount(rates.name, rows.count), "exact-k name nulls on an input without nulls")
      #expect(
        rows.filter { $0[12].isEmpty }.count == BreachHash.exactCount(rates.dob, rows.count),
        "exact-k date-of-birth nulls")
      #expect(
        rows.filter { $0[13].isEmpty }.count == BreachHash.exactCount(rates.address, rows.count),
        "exact-k address nulls")
      // Brand mix over patients with a card: 55/30/10/5 % within 4σ.
      var brandOf: [String: String] = [:]
      for r in rows where !r[22].isEmpty { brandOf[r[2]] = r[22] }
      let m = Double(brandOf.count)
      for (brand, share) in [("visa", 0.55), ("mastercard", 0.30), ("amex", 0.10), ("discover", 0.05)] {
        let got = Double(brandOf.values.filter { $0 == brand }.count) / m
        #expect(abs(got - share) <= 4 * (share * (1 - share) / m).squareRoot(), "\(brand) \(got)")
      }
    }
  }

  /// Shards make the same selections, so their outputs concatenate to the single run's file.
  @Test func shardsConcatenateToTheSingleRun() throws {
    try withFile(EnrichConformanceTests.fixture(patients: 400, duplicateBill: true)) { input, output in
      var job = EnrichJob(input: input, output: output)
      _ = try job.run()
      let whole = try #require(FileManager.default.contents(atPath: output))
      var parts = Data()
      for i in 0..<3 {
        job.shard = Shard(index: i, count: 3)
        job.output = output + ".part\(i)"
        _ = try job.run()
        parts.append(try #require(FileManager.default.contents(atPath: job.output)))
        try FileManager.default.removeItem(atPath: job.output)
      }
      #expect(parts == whole)
      try FileManager.default.removeItem(atPath: output)
    }
  }

  /// CRLF files take the full RFC 4180 reader instead of the SIMD line scanner: same output.
  @Test(arguments: [EnrichJob.Mode.clean, .pandas]) func crlfInputTakesTheFullReaderWithTheSameOutput(
    mode: EnrichJob.Mode
  ) throws {
    let text = EnrichConformanceTests.fixture(patients: 300, duplicateBill: true)
    var outputs: [Data] = []
    for variant in [text, text.replacingOccurrences(of: "\n", with: "\r\n")] {
      try withFile(variant) { input, output in
        var job = EnrichJob(input: input, output: output)
        job.mode = mode
        if mode == .pandas { job.identifiers = try IdentifierPolicy.parse("realistic") }
        _ = try job.run()
        outputs.append(try #require(FileManager.default.contents(atPath: output)))
      }
    }
    #expect(outputs.count == 2 && outputs[0] == outputs[1])
    #expect(text.contains("\""), "the fixture has quoted fields, so the fast path parses some lines")
  }

  /// Quoted fields in the columns that get nulled: names with a comma ("Nguyen, Ana", quoted as the
  /// writer would, so the line is copied in pieces and a nulled name must be cut with its quotes)
  /// and needlessly quoted addresses (the line is written field by field). The CRLF copy of the
  /// file goes through the byte-level reader and the field-by-field writer: both encodings must
  /// give its bytes, on one stream and in blocks.
  @Test(arguments: [EnrichJob.Mode.clean, .pandas]) func quotedNulledFieldsMatchTheFullReader(mode: EnrichJob.Mode)
    throws
  {
    let text = EnrichConformanceTests.fixture(patients: 300, duplicateBill: false)
      .replacingOccurrences(of: ",(Ana|Wei|Luis) ([A-Za-z']+),", with: ",\"$2, $1\",", options: .regularExpression)
      .replacingOccurrences(of: ",([0-9]+ Main St),Boston,", with: ",\"$1\",Boston,", options: .regularExpression)
    #expect(text.contains(",\"Nguyen, Ana\",") && text.contains(" Main St\",Boston,"))
    var outputs: [Data] = []
    for (variant, threads) in [(text, 1), (text, 2), (text.replacingOccurrences(of: "\n", with: "\r\n"), 1)] {
      try withFile(variant) { input, output in
        var job = EnrichJob(input: input, output: output)
        (job.mode, job.threads, job.blockBytes, job.seed) = (mode, threads, 4096, 3)
        if mode == .pandas { job.identifiers = try IdentifierPolicy.parse("realistic") }
        _ = try job.run()
        outputs.append(try #require(FileManager.default.contents(atPath: output)))
      }
    }
    #expect(outputs[0] == outputs[2] && outputs[1] == outputs[2])
    for o in outputs {
      #expect(
        !String(decoding: o, as: UTF8.self).contains(",\"\","), "a nulled quoted field leaves nothing, not empty quotes"
      )
    }
  }

  /// Reading and writing in blocks on two cores gives the one-stream output byte for byte: plain
  /// files (read in blocks), a line feed inside quotes mid-file and a bad id (both read again as one
  /// stream, the error naming its line), repeated billing ids, and both encodings.
  @Test(arguments: [EnrichJob.Mode.clean, .pandas]) func blocksGiveTheOneStreamOutput(mode: EnrichJob.Mode) throws {
    let text = EnrichConformanceTests.fixture(patients: 300, duplicateBill: true)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    lines[700] = lines[700].replacingOccurrences(of: "^[0-9]+,", with: "7x,", options: .regularExpression)
    let badID = lines.joined(separator: "\n")
    let quotedLineFeeds = text.replacingOccurrences(of: ",\"Smith, Jones", with: ",\"Smith,\nJones")
    #expect(quotedLineFeeds != text)
    for (variant, blocked) in [(text, true), (quotedLineFeeds, false), (badID, false)] {
      try withFile(variant) { input, output in
        var results: [Result<Data, DecoyError>] = []
        for threads in [1, 2] {
          var job = EnrichJob(input: input, output: output)
          (job.mode, job.threads, job.blockBytes) = (mode, threads, 4096)
          if mode == .pandas { job.identifiers = try IdentifierPolicy.parse("realistic") }
          do {
            _ = try job.run()
            results.append(.success(try #require(FileManager.default.contents(atPath: output))))
            try FileManager.default.removeItem(atPath: output)
          } catch let e as DecoyError {
            results.append(.failure(e))
            #expect(!FileManager.default.fileExists(atPath: output))
          }
        }
        #expect(results[0] == results[1])
        if variant == badID, case .failure(.input(_, let line, _, _, _)) = results[1] { #expect(line == 701) }
        let read = try? EnrichInput.read(
          path: input, observeTypes: mode == .pandas, newColumns: [], threads: 2, blockBytes: 4096)
        #expect((read?.blocks.count ?? 0 > 10) == blocked, "blocks \(read?.blocks.count ?? 0)")
      }
    }
  }

  /// Patients are numbered by first appearance whichever home their id has: small ids in the
  /// array, the others (huge, negative, and every id once one went to the dictionary) in the
  /// dictionary. The file starts with an id just past the array's first bound, then enough rows
  /// that the bound would cover it, then that id again: it must keep its number.
  @Test func patientNumbersFollowFirstAppearanceInBothHomes() throws {
    var rng = SplitMix64(seed: 21)
    var pids: [Int64] = [70_000] + (1...3_000).map { Int64($0) } + [70_001, 70_000, 1_000_000_000_000, -3, 5, -3]
    pids += (0..<2_000).map { _ in
      [Int64(rng.next() % 90_000), -Int64(rng.next() % 50), Int64(1) << 40 + Int64(rng.next() % 7)][Int(rng.next() % 3)]
    }
    let text =
      "billing_id,patient_id,name\n"
      + pids.enumerated().map { "\($0.offset + 1),\($0.element),x" }.joined(separator: "\n") + "\n"
    var firstSeen: [Int64] = []
    var seen = Set<Int64>()
    for p in pids where seen.insert(p).inserted { firstSeen.append(p) }
    try withFile(text) { input, _ in
      for threads in [1, 2] {
        let read = try EnrichInput.read(
          path: input, observeTypes: false, newColumns: [], threads: threads, blockBytes: 2048)
        #expect(read.patientIDs == firstSeen, "threads \(threads)")
        #expect(read.rowPatient.map { read.patientIDs[Int($0)] } == pids, "threads \(threads)")
      }
    }
  }

  func expectInputError(_ text: String, line: Int, column: Int?, _ fragment: String) throws {
    try withFile(text) { input, output in
      #expect {
        _ = try EnrichJob(input: input, output: output).run()
      } throws: { e in
        guard case .input(let file, let l, let c, let reason, _) = e as? DecoyError else { return false }
        return file == input && l == line && c == column && reason.contains(fragment)
      }
      #expect(!FileManager.default.fileExists(atPath: output), "no output file after a failed run")
      let leftovers = try FileManager.default.contentsOfDirectory(
        atPath: (output as NSString).deletingLastPathComponent)
      #expect(leftovers == ["in.csv"], "no temporary file either")
    }
  }

  @Test func badInputGivesClearErrors() throws {
    try expectInputError("", line: 1, column: nil, "empty")
    try expectInputError("billing_id,name\n1,Ann\n", line: 1, column: nil, "missing required column patient_id")
    try expectInputError("billing_id,patient_id\n1,1\n2,x7\n", line: 3, column: 2, "patient_id is not a whole number")
    try expectInputError(
      "billing_id,patient_id\n1,1\n2,2\n1,3\n", line: 4, column: 1, "billing_id 1 belongs to patient_id 1 on line 2")
    try expectInputError("billing_id,patient_id,name\n1,1,Ann\n2,2,\"Bob", line: 3, column: 3, "not closed")
    try expectInputError(
      "billing_id,patient_id,name\n1,1,Ann\n2,2\n", line: 3, column: nil, "2 fields, but the header has 3")
    try expectInputError("billing_id,patient_id\n", line: 2, column: nil, "no rows")
  }
}
