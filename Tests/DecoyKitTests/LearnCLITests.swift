import DecoyCore
import DecoyIO
import DecoyLearn
import DecoyTestSupport
import Foundation
import Testing

/// Learned synthesis through the CLI: golden SDMetrics figures, determinism, identifiers, bad input.
extension CLITests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../Fixtures/learn").standardized.path

  /// Runs a command that must succeed.
  @discardableResult
  func ok(_ args: [String]) throws -> Result {
    let r = try decoy(args)
    #expect(r.status == 0, "decoy \(args.joined(separator: " ")): \(r.stderr)")
    return r
  }

  func json(_ path: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
  }

  @Test func evaluateMatchesSDMetricsGoldenOnItsDemoTable() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let f = Self.fixtures
    try ok([
      "evaluate", "--real", f + "/student_placements_real.csv", "--synthetic", f + "/student_placements_synthetic.csv",
      "--metadata", f + "/metadata.json", "--json", dir + "/e.json", "--quiet",
    ])
    let e = try json(dir + "/e.json")
    let golden = try json(f + "/student_placements.golden.json")
    let q = e["quality"] as! [String: Any]
    let all = q["all_pairs"] as! [String: Any]
    let privacy = e["privacy"] as! [String: Any]
    let pairs: [(Any?, String)] = [
      (q["score"], "quality.score"), (q["column_shapes"], "quality.column_shapes"),
      (q["column_pair_trends"], "quality.column_pair_trends"), (all["score"], "quality.all_pairs.score"),
      (all["column_pair_trends"], "quality.all_pairs.column_pair_trends"),
      (privacy["median_dcr_synthetic_real"], "privacy.median_dcr_syn_real"),
      ((e["diagnostic"] as! [String: Any])["score"], "diagnostic.score"),
    ]
    for (mine, key) in pairs {
      let a = mine as! Double
      let b = golden[key] as! Double
      #expect(abs(a - b) < 0.005, "\(key): Decoy \(a), SDMetrics \(b)")
    }
    #expect(q["pairs_counted"] as? Int == golden["quality.column_pair_trends.pairs_counted"] as? Int)
    let cols = q["columns"] as! [String: Any]
    for (name, value) in golden["quality.columns"] as! [String: Double] {
      #expect(abs((cols[name] as! Double) - value) < 1e-9, "\(name)")
    }
  }

  @Test func fitAndSampleAreDeterministicAcrossThreadsBatchesAndShards() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let sample = Self.fixtures + "/student_placements_real.csv"
    for synth in ["cart", "gaussian-copula"] {
      try ok([
        "fit", sample, "--synthesizer", synth, "--seed", "3", "--threads", "1", "--out", dir + "/a.decoymodel", "-q",
      ])
      try ok([
        "fit", sample, "--synthesizer", synth, "--seed", "3", "--threads", "2", "--out", dir + "/b.decoymodel", "-q",
      ])
      let a = try Data(contentsOf: URL(fileURLWithPath: dir + "/a.decoymodel"))
      #expect(a == (try Data(contentsOf: URL(fileURLWithPath: dir + "/b.decoymodel"))), "\(synth) model bytes")
      let one = try ok(["sample", dir + "/a.decoymodel", "--rows", "3000", "--threads", "1", "--out", "-", "-q"]).stdout
      let two = try ok([
        "sample", dir + "/b.decoymodel", "--rows", "3000", "--threads", "2", "--batch-size", "700", "--out", "-", "-q",
      ]).stdout
      #expect(one == two, "\(synth) samples")
      var parts = ""
      for i in 0..<3 {
        parts += try ok([
          "sample", dir + "/a.decoymodel", "--rows", "3000", "--shard", "\(i)/3", "--out", "-", "-q",
        ]).stdout
      }
      #expect(parts == one, "\(synth) shards concatenate")
      #expect(one.split(separator: "\n").count == 3001)
      // The sample keeps the columns, their order and their formats.
      let header = one.prefix { $0 != "\n" }
      #expect(header == (try String(contentsOfFile: sample, encoding: .utf8)).prefix { $0 != "\n" })
      let another = try ok(["sample", dir + "/a.decoymodel", "--rows", "3000", "--seed", "9", "--out", "-", "-q"])
        .stdout
      #expect(another != one)
    }
  }

  /// A sample with real-format identifiers and a sex column.
  func identifierSample(_ path: String, rows: Int = 400) throws {
    var g = SplitMix64(seed: 11)
    var text = "customer_id,first_name,last_name,email,ssn,card_number,phone,sex,age,income,signup_date\n"
    let firsts = ["Mary", "John", "Linda", "James", "Patricia", "Robert", "Susan", "Michael"]
    let lasts = ["Smith", "Johnson", "Brown", "Garcia", "Miller", "Davis", "Wilson", "Moore"]
    for i in 0..<rows {
      let f = Int(g.next() % 8)
      let l = Int(g.next() % 8)
      var card = "4" + (0..<14).map { _ in String(g.next() % 10) }.joined()
      for d in 0..<10 where TestSupport.luhn(card + String(d)) {
        card += String(d)
        break
      }
      let ssn = String(
        format: "%03d-%02d-%04d", 100 + Int(g.next() % 600), 10 + Int(g.next() % 89), 1000 + Int(g.next() % 8999))
      let phone = String(
        format: "(%03d) %03d-%04d", 201 + Int(g.next() % 700), 201 + Int(g.next() % 700), Int(g.next() % 10000))
      let sex = f % 2 == 0 ? "F" : "M"
      let age = 18 + Int(g.next() % 60)
      let income = 20000 + Double(g.next() % 100000) + Double(age * 300)
      let day = 1 + Int(g.next() % 28)
      text +=
        "\(1000 + i),\(firsts[f]),\(lasts[l]),\(firsts[f].lowercased()).\(lasts[l].lowercased())\(i)@gmail.com,\(ssn),\(card),\(phone),\(sex),\(age),\(String(format: "%.2f", income)),03/\(String(format: "%02d", day))/2021\n"
    }
    try text.write(toFile: path, atomically: true, encoding: .utf8)
  }

  @Test func identifiersAreNeverLearnedAndNamesFollowTheLearnedSex() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let sample = dir + "/customers.csv"
    try identifierSample(sample)
    let detect = try ok(["detect", sample, "--no-spec"]).stdout
    for c in ["first_name", "last_name", "email", "ssn", "card_number", "phone"] {
      let line = detect.split(separator: "\n").first { $0.contains(" \(c) ") }
      #expect(line?.contains("→ provider") == true, "\(c): \(line ?? "")")
    }
    #expect(detect.split(separator: "\n").first { $0.contains("customer_id") }?.contains("→ key") == true)
    try ok(["fit", sample, "--out", dir + "/m.decoymodel", "-q"])
    let model = try Data(contentsOf: URL(fileURLWithPath: dir + "/m.decoymodel"))
    let real = try String(contentsOfFile: sample, encoding: .utf8).split(separator: "\n").dropFirst().map {
      $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
    // The model holds no identifier of the sample.
    for row in real.prefix(50) {
      for v in [row[3], row[4], row[5], row[6]] {
        #expect(model.range(of: Data(v.utf8)) == nil, "the model file holds a sample identifier")
      }
    }
    try ok(["sample", dir + "/m.decoymodel", "--rows", "2000", "--out", dir + "/out", "-q"])
    let synthetic = try String(contentsOfFile: dir + "/out/customers.csv", encoding: .utf8).split(separator: "\n")
      .dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    #expect(synthetic.count == 2000)
    let realValues = Set(real.flatMap { [$0[3], $0[4], $0[5], $0[6]] })
    let data = ReferenceData.shared
    var names: [Set<String>] = [[], []]
    for s in 0..<2 {
      for d in 0..<data.decadeCount {
        for r in data.firstNameRows(sex: s, decadeIndex: d) {
          var out: [UInt8] = []
          data.firstNames.append(Int(r), to: &out)
          names[s].insert(String(decoding: out, as: UTF8.self))
        }
      }
    }
    var agree = 0
    for row in synthetic {
      for v in [row[3], row[4], row[5], row[6]] { #expect(!realValues.contains(v)) }
      #expect(row[4].hasPrefix("9"), "safe SSNs use area 9xx: \(row[4])")
      #expect(!TestSupport.luhn(row[5]), "safe card numbers fail the Luhn check")
      let domain = row[3].split(separator: "@").last.map(String.init) ?? ""
      #expect(domain.hasSuffix("example.com") || domain.hasSuffix("example.net") || domain.hasSuffix("example.org"))
      #expect(row[6].contains("555"), "safe phones are 555 numbers: \(row[6])")
      #expect(["F", "M"].contains(row[7]))
      if names[row[7] == "F" ? 0 : 1].contains(row[1]) { agree += 1 }
      // The e-mail is made from the row's own name.
      #expect(
        row[3].lowercased().contains(row[2].lowercased().prefix(3))
          || row[3].lowercased().contains(row[1].lowercased().prefix(3)))
    }
    #expect(agree == synthetic.count, "names agree with the learned sex on \(agree) of \(synthetic.count) rows")
    // Keys are regenerated (a sequence), and dates keep the sample's layout.
    #expect(synthetic[0][0] == "1")
    #expect(synthetic.allSatisfy { $0[10].count == 10 && $0[10].hasSuffix("/2021") && $0[10].hasPrefix("03/") })
  }

  /// A free-text column is filled with placeholder sentences: the sample's word counts and null
  /// share, none of its words (they are made-up tokens outside Decoy's vocabulary), in no file.
  @Test func freeTextIsPlaceholderTextWithTheSamplesWordCounts() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let sample = dir + "/notes.csv"
    var text = "id,age,note\n"
    var state: UInt64 = 11
    func next(_ n: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(n))
    }
    var realCounts: [Int] = []
    for i in 0..<400 {
      let words = 4 + next(30)
      let note = next(10) == 0 ? "" : (0..<words).map { _ in "zq\(next(5_000))x" }.joined(separator: " ")
      if !note.isEmpty { realCounts.append(words) }
      text += "\(i),\(20 + next(60)),\"\(note)\"\n"
    }
    try text.write(toFile: sample, atomically: true, encoding: .utf8)
    let detect = try ok(["detect", sample, "--no-spec"]).stdout
    #expect(detect.split(separator: "\n").first { $0.contains(" note ") }?.contains("text;") == true, "\(detect)")
    try ok(["fit", sample, "--out", dir + "/m.decoymodel", "-q"])
    let model = try Data(contentsOf: URL(fileURLWithPath: dir + "/m.decoymodel"))
    #expect(model.range(of: Data("zq".utf8)) == nil, "the model file holds a word of the sample")
    try ok(["sample", dir + "/m.decoymodel", "--rows", "4000", "--out", dir + "/out", "-q"])
    let out = try String(contentsOfFile: dir + "/out/notes.csv", encoding: .utf8)
    #expect(!out.contains("zq"), "a sample word was replayed")
    let notes = out.split(separator: "\n").dropFirst().map { line in
      line.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false).last.map(String.init) ?? ""
    }
    #expect(notes.count == 4000)
    let present = notes.filter { !$0.isEmpty }
    let nullShare = Double(notes.count - present.count) / Double(notes.count)
    let realNullShare = Double(400 - realCounts.count) / 400
    #expect(abs(nullShare - realNullShare) < 0.03, "null share \(nullShare) vs \(realNullShare)")
    let counts = present.map { $0.split(separator: " ").count }.sorted()
    let real = realCounts.sorted()
    #expect(present.allSatisfy { $0.hasSuffix(".") && $0.first!.isUppercase })
    // Medians and quartiles agree within 2 words (counts 4 to 33, uniform).
    for p in [0.25, 0.5, 0.75] {
      let a = counts[Int(p * Double(counts.count - 1))]
      let b = real[Int(p * Double(real.count - 1))]
      #expect(abs(a - b) <= 2, "word-count quantile \(p): \(a) vs \(b)")
    }
    #expect(counts.first! >= real[real.count / 20 - 1] - 1, "no count below the 5 % quantile")
  }

  @Test func badSamplesGetPositionsAndNeverShowAValue() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    func write(_ name: String, _ text: String) -> String {
      let p = dir + "/" + name
      _ = FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
      return p
    }
    let rows = (0..<30).map { "\($0 % 7),secretvalue\($0 % 3),\(Double($0) * 1.5)" }.joined(separator: "\n")
    let cases: [(String, String, String)] = [
      (write("empty.csv", ""), "no header", ""),
      (write("header.csv", "a,b,c\n"), "0 data rows", ""),
      (
        write("few.csv", "a,b,c\n" + (0..<10).map { "\($0),secretvalue,1" }.joined(separator: "\n") + "\n"),
        "10 data rows", ""
      ),
      (write("ragged.csv", "a,b,c\n" + rows + "\n1,secretvalue\n"), ":32:", "fields"),
      (write("dup.csv", "a,b,a\n" + rows + "\n"), "columns 1 and 3", ""),
      (write("blank.csv", "a,,c\n" + rows + "\n"), "column 2 has an empty name", ""),
      (
        write(
          "mixed.csv",
          "a,b,c\n" + (0..<40).map { "\($0),x,\($0 == 17 ? "secretvalue" : "\($0).5")" }.joined(separator: "\n") + "\n"),
        ":19:3", "mixes numbers"
      ),
    ]
    for (path, needle, extra) in cases {
      let r = try decoy(["fit", path, "--out", dir + "/m.decoymodel"])
      #expect(r.status != 0, "\(path) should fail")
      #expect(r.stderr.contains(needle) && (extra.isEmpty || r.stderr.contains(extra)), "\(path): \(r.stderr)")
      #expect(!r.stderr.contains("secretvalue"), "\(path) leaks a value: \(r.stderr)")
      #expect(!FileManager.default.fileExists(atPath: dir + "/m.decoymodel"), "no partial model")
    }
    // A byte that is not UTF-8.
    var bad = Data("a,b,c\n".utf8)
    bad.append(contentsOf: Array("1,caf".utf8) + [0xE9] + Array(",2\n".utf8))
    bad.append(Data((rows + "\n").utf8))
    _ = FileManager.default.createFile(atPath: dir + "/latin1.csv", contents: bad)
    let r = try decoy(["fit", dir + "/latin1.csv", "--out", dir + "/m.decoymodel"])
    #expect(r.status == 3 && r.stderr.contains("latin1.csv:2:2") && r.stderr.contains("iconv"), "\(r.stderr)")
    // An all-null column is a warning, not an error.
    let nulls = write("nulls.csv", "a,b,c\n" + (0..<30).map { "\($0 % 5),,\($0)" }.joined(separator: "\n") + "\n")
    let n = try decoy(["fit", nulls, "--out", dir + "/n.decoymodel"])
    #expect(n.status == 0 && n.stderr.contains("every value is null"), "\(n.stderr)")
    // A learn spec with several mistakes: all reported with their paths.
    let spec = write(
      "s.yaml",
      "version: 1\ncolumns:\n  - name: a\n    kind: numerica\n  - name: b\n    kind: pii\n    provider: person.nam\n  - name: zz\n    kind: categorical\n    colour: red\n"
    )
    let s = try decoy(["fit", nulls, "--spec", spec, "--out", dir + "/s.decoymodel"])
    #expect(s.status == 3, "\(s.stderr)")
    for needle in ["columns[0].kind", "did you mean 'numerical'", "columns[1].provider", "columns[2].colour"] {
      #expect(s.stderr.contains(needle), "\(needle): \(s.stderr)")
    }
  }

  @Test func anEditedLearnSpecChangesWhatIsLearned() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let sample = Self.fixtures + "/student_placements_real.csv"
    try ok(["detect", sample, "--write-spec", dir + "/s.yaml", "-q"])
    var spec = try String(contentsOfFile: dir + "/s.yaml", encoding: .utf8)
    #expect(spec.contains("name: \"experience_years\"\n    kind: ordinal"), "\(spec)")
    spec = spec.replacingOccurrences(
      of: "name: \"experience_years\"\n    kind: ordinal", with: "name: \"experience_years\"\n    kind: numerical")
    spec = spec.replacingOccurrences(
      of: "name: \"mba_spec\"\n    kind: categorical", with: "name: \"mba_spec\"\n    kind: text")
    try spec.write(toFile: dir + "/s.yaml", atomically: true, encoding: .utf8)
    try ok(["fit", sample, "--spec", dir + "/s.yaml", "--out", dir + "/m.decoymodel", "-q"])
    let inspect = try ok(["inspect", dir + "/m.decoymodel"]).stdout
    #expect(inspect.contains("experience_years: numerical"), "\(inspect)")
    #expect(inspect.contains("mba_spec: text"), "\(inspect)")
    // A spec naming a column the sample lacks, and missing one it has.
    let wrong = spec.replacingOccurrences(of: "name: \"gender\"", with: "name: \"gendre\"")
    try wrong.write(toFile: dir + "/w.yaml", atomically: true, encoding: .utf8)
    let r = try decoy(["fit", sample, "--spec", dir + "/w.yaml", "--out", dir + "/w.decoymodel"])
    #expect(r.status == 3 && r.stderr.contains("no column 'gendre'") && r.stderr.contains("'gender' is not listed"))
    #expect(r.stderr.contains("did you mean 'gender'"), "\(r.stderr)")
  }

  @Test func evaluateRecomputesTheFitsHoldoutSplit() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let sample = Self.fixtures + "/anes96.csv"
    try ok(["fit", sample, "--holdout", "0.5", "--out", dir + "/m.decoymodel", "-q"])
    try ok(["sample", dir + "/m.decoymodel", "--rows", "472", "--out", dir + "/s", "-q"])
    try ok([
      "evaluate", "--real", sample, "--synthetic", dir + "/s/anes96.csv", "--model", dir + "/m.decoymodel", "--json",
      dir + "/e.json", "-q",
    ])
    let privacy = try json(dir + "/e.json")["privacy"] as! [String: Any]
    let overfit = try #require(privacy["dcr_overfitting_protection"] as? Double)
    let auc = try #require((privacy["mia"] as! [String: Any])["auc"] as? Double)
    #expect(overfit > 0 && overfit <= 1 && auc > 0 && auc < 1)
    // Another table as --real cannot be split like the fit.
    let r = try decoy([
      "evaluate", "--real", Self.fixtures + "/modechoice.csv", "--synthetic", dir + "/s/anes96.csv", "--model",
      dir + "/m.decoymodel",
    ])
    #expect(r.status != 0 && r.stderr.contains("is not the sample"), "\(r.stderr)")
  }

  @Test func damagedModelFilesAreRefusedClearly() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try ok(["fit", Self.fixtures + "/student_placements_real.csv", "--out", dir + "/m.decoymodel", "-q"])
    let good = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/m.decoymodel")))
    let inspect = try ok(["inspect", dir + "/m.decoymodel"]).stdout
    #expect(inspect.contains("synthesizer cart") && !inspect.contains("Comm&Mgmt"), "values hidden by default")
    var flipped = good
    flipped[good.count / 2] ^= 0x40
    var newer = good
    newer[8] = 9
    let cases: [([UInt8], String)] = [
      (Array(good.prefix(good.count - 100)), "the file is damaged"), (flipped, "SHA-256"), (newer, "newer Decoy"),
      (Array("not a model".utf8), "not a Decoy model"),
    ]
    for (bytes, needle) in cases {
      _ = FileManager.default.createFile(atPath: dir + "/bad.decoymodel", contents: Data(bytes))
      let r = try decoy(["sample", dir + "/bad.decoymodel", "--rows", "10", "--out", dir + "/out"])
      #expect(r.status != 0 && r.stderr.contains(needle), "\(needle): \(r.stderr)")
      #expect(!FileManager.default.fileExists(atPath: dir + "/out/student_placements_real.csv"))
    }
  }

  /// Decoy's quality figures against SDMetrics run on the same files (the test venv has sdmetrics).
  @Test(.enabled(if: TestPython.path != nil && TestPython.has("sdmetrics")))
  func qualityMatchesSDMetricsOnPublicTablesAndBothSynthesizers() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../scripts/learn/sdmetrics_report.py").standardized.path
    for table in ["student_placements_real", "anes96", "modechoice", "grunfeld"] {
      for synth in ["cart", "gaussian-copula"] {
        let real = Self.fixtures + "/\(table).csv"
        try ok(["fit", real, "--synthesizer", synth, "--out", dir + "/m.decoymodel", "-q"])
        try ok(["sample", dir + "/m.decoymodel", "--rows", "500", "--out", dir + "/s", "-q"])
        let synthetic = dir + "/s/\(table).csv"
        try ok([
          "evaluate", "--real", real, "--synthetic", synthetic, "--model", dir + "/m.decoymodel", "--json",
          dir + "/e.json", "-q",
        ])
        let e = try json(dir + "/e.json")
        // The same metadata for both: Decoy's, in SDV's form.
        let columns = (e["metadata"] as! [String: [String: String]]).mapValues { $0.filter { $0.key != "decoy_kind" } }
        let meta = ["columns": columns]
        try JSONSerialization.data(withJSONObject: meta).write(to: URL(fileURLWithPath: dir + "/meta.json"))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: TestPython.path!)
        p.arguments = [script, "--real", real, "--synthetic", synthetic, "--metadata", dir + "/meta.json"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = Pipe()
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let s = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let q = e["quality"] as! [String: Any]
        for (mine, key) in [
          (q["score"], "quality.score"), (q["column_shapes"], "quality.column_shapes"),
          ((q["all_pairs"] as! [String: Any])["score"], "quality.all_pairs.score"),
        ] {
          guard let a = mine as? Double, let b = s[key] as? Double else {
            #expect(mine is NSNull && s[key] is NSNull, "\(table) \(synth) \(key)")
            continue
          }
          #expect(abs(a - b) < 0.005, "\(table) \(synth) \(key): Decoy \(a), SDMetrics \(b)")
        }
      }
    }
  }
}
