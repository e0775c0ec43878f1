import DecoyCore
import DecoyKit
import Foundation
import Testing

/// What a new user meets first: help texts, `--quiet`, the default date, `decoy datasets`, and
/// spec names that must not escape `--out`.
extension CLITests {
  /// Every command path: the root, each subcommand and each `fraud` subcommand, read from the
  /// help texts themselves so that a new command cannot be left out.
  func commandPaths() throws -> [[String]] {
    func subcommands(_ path: [String]) throws -> [String] {
      let help = try decoy(path + ["--help"]).stdout
      guard let start = help.range(of: "SUBCOMMANDS:\n") else { return [] }
      // A subcommand's line starts with two spaces and its name; its abstract may go on below,
      // indented further.
      let lines = help[start.upperBound...].split(separator: "\n").prefix { $0.hasPrefix("  ") }
      return lines.filter { !$0.hasPrefix("   ") && !$0.hasPrefix("  See ") }.compactMap { line in
        let name = line.split(separator: " ").first.map(String.init)
        return name == "help" ? nil : name
      }
    }
    var paths: [[String]] = [[]]
    for sub in try subcommands([]) {
      paths.append([sub])
      for nested in try subcommands([sub]) { paths.append([sub, nested]) }
    }
    return paths
  }

  @Test func everyOptionShowsItsDefaultOnce() throws {
    let paths = try commandPaths()
    #expect(paths.count >= 16, "\(paths)")
    for path in paths {
      let help = try decoy(path + ["--help"]).stdout
      // An option's help starts on a line indented by two spaces and a dash; later lines of it
      // are indented further.
      var blocks: [String] = []
      for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
        if line.hasPrefix("  -") || line.hasPrefix("  <") || !line.hasPrefix("   ") {
          blocks.append(String(line))
        } else if !blocks.isEmpty {
          blocks[blocks.count - 1] += " " + line.trimmingCharacters(in: .whitespaces)
        }
      }
      for b in blocks where b.hasPrefix("  -") {
        let count = b.lowercased().components(separatedBy: "default").count - 1
        #expect(count <= 1, "decoy \(path.joined(separator: " ")): \(b)")
      }
    }
  }

  @Test func generateHelpAndDatasetsListEveryBuiltInDatasetOnALine() throws {
    let help = try decoy(["generate", "--help"]).stdout
    let list = try decoy(["datasets"])
    #expect(list.status == 0 && list.stderr.isEmpty)
    let listed = list.stdout.split(separator: "\n").map(String.init)
    #expect(listed.count == DatasetCatalog.all.count && DatasetCatalog.all.count == 7)
    for (entry, line) in zip(DatasetCatalog.all, listed) {
      #expect(line.hasPrefix(entry.name + " ") && line.hasSuffix(entry.summary), "\(line)")
      #expect(help.contains("\n  " + line + "\n"), "generate --help does not list \(entry.name) on one line")
      // Each one runs by name.
      #expect(try decoy(["validate", entry.name, "--quiet"]).status == 0, "validate \(entry.name)")
    }
    let json = try decoy(["datasets", "--format", "json"])
    let items = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
    #expect(items.map { $0["name"] as? String } == DatasetCatalog.names)
    for item in items {
      let tables = item["tables"] as? [String] ?? []
      #expect(!tables.isEmpty && item["summary"] is String && item["example"] is String, "\(item)")
    }
    let pci = items.first { $0["name"] as? String == "pci" }
    #expect(pci?["tables"] as? [String] == ["cards"])
    #expect(try decoy(["datasets", "--format", "yaml"]).status == 2)
  }

  /// `--quiet`: nothing on stderr for any command; stdout empty for every command whose product is
  /// files or a database, and only the requested data for the others.
  @Test func quietMeansNothingButErrorsForEveryCommand() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let db = "sqlite:///\(dir)/fraud.db"
    let spec = dir + "/s.yaml"
    try "version: 1\nname: s\ntables:\n  - name: t\n    rows: 3\n    columns:\n      - {name: a, sequence: 1}\n"
      .write(toFile: spec, atomically: true, encoding: .utf8)
    // (command, whether its stdout carries data)
    let runs: [([String], Bool)] = [
      (["generate", "people", "--out", dir + "/p"], false),
      (["generate", "shop", "--format", "parquet", "--out", dir + "/p"], false),
      (["generate", spec, "--format", "docx", "--out", dir + "/p"], false),
      (["generate", "claims-breach", "--patients", "40", "--out", dir + "/cb"], false),
      (["generate", "people", "--rows", "2", "--out", "-"], true),
      (["enrich", dir + "/cb/claims_export.csv", "--out-enriched", dir + "/e.csv"], false),
      (["breach-report", dir + "/e.csv", "--json", dir + "/r.json"], false),
      (["breach-report", dir + "/e.csv"], true),
      (["fraud", "init-db", "--database-url", db], false),
      (["fraud", "seed", "--users", "60", "--database-url", db], false),
      (["fraud", "materialize", "--database-url", db], false),
      (["fraud", "training-set", "--cutoff", "2025-08-30", "--database-url", db], false),
      (["fraud", "stats", "--database-url", db], true),
      (["validate", spec], false),
      (["plan", "people"], true),
      (["describe", "people"], true),
      (["providers"], true),
      (["fingerprint"], true),
      (["datasets"], true),
      (["bench", "--rows", "1000", "--out", dir + "/b"], true),
      (["detect", Self.fixtures + "/iris.csv", "--write-spec", dir + "/iris.learn.yaml"], true),
      (["fit", Self.fixtures + "/iris.csv", "--out", dir + "/iris.decoymodel"], false),
      (["sample", dir + "/iris.decoymodel", "--out", dir + "/learned"], false),
      (["inspect", dir + "/iris.decoymodel"], true),
      (["evaluate", "--real", Self.fixtures + "/iris.csv", "--synthetic", dir + "/learned/iris.csv"], true),
      (["synthesize", Self.fixtures + "/iris.csv", "--out", dir + "/synthesized"], true),
    ]
    for (args, data) in runs {
      let r = try decoy(args + ["--quiet"])
      let name = args.joined(separator: " ")
      #expect(r.status == 0, "\(name): \(r.stderr)")
      #expect(r.stderr.isEmpty, "\(name) printed on stderr under --quiet: \(r.stderr)")
      #expect(data ? !r.stdout.isEmpty : r.stdout.isEmpty, "\(name) stdout: \(r.stdout.prefix(300))")
    }
    // Every command is in the list above.
    let covered = Set(
      runs.flatMap { run -> [String] in
        let words = run.0.prefix { !$0.hasPrefix("-") && !$0.contains("/") }
        return [words[0], words.prefix(2).joined(separator: " ")]
      })
    for path in try commandPaths() where !path.isEmpty && path != ["fraud"] {
      #expect(
        covered.contains(path.joined(separator: " ")), "decoy \(path.joined(separator: " ")) has no --quiet check")
    }
    // Errors still show under --quiet.
    let bad = try decoy(["generate", "peeple", "--quiet"])
    #expect(bad.status == 2 && bad.stderr.contains("unknown dataset"))
  }

  /// One project-wide default date, printed in summaries and manifests.
  @Test func everyCommandDefaultsToTheProjectDate() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let day = GenerationContext.defaultToday.description
    #expect(day == "2025-10-14")
    for dataset in ["people", "pci", "healthcare", "fraud", "employees"] {
      let r = try decoy(["generate", dataset, "--rows", "20", "--out", dir])
      #expect(r.status == 0 && r.stderr.contains("today \(day)"), "\(dataset): \(r.stderr)")
      let manifest = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(dataset).manifest.json"))
      let object = try JSONSerialization.jsonObject(with: manifest) as? [String: Any]
      #expect(object?["today"] as? String == day, "\(dataset)")
    }
    let breach = try decoy(["generate", "claims-breach", "--patients", "30", "--out", dir + "/cb"])
    #expect(breach.status == 0 && breach.stderr.contains("today \(day)"), "\(breach.stderr)")
    let enrich = try decoy(["enrich", dir + "/cb/claims_export.csv", "--out-enriched", dir + "/e.csv"])
    #expect(enrich.status == 0 && enrich.stderr.contains("today \(day)"), "\(enrich.stderr)")
    #expect(try decoy(["plan", "people"]).stdout.contains("today \(day)"))
    #expect(try decoy(["generate", "--help"]).stdout.contains(day))
    // A malformed date is an error, never silently the default.
    let plan = try decoy(["plan", "people", "--today", "2025-13-01"])
    #expect(plan.status == 2 && plan.stderr.contains("--today must be a date"), "\(plan.stderr)")
  }

  /// A spec's dataset name cannot lead a file out of `--out` (the name is refused with its position).
  @Test func aSpecNameCannotEscapeTheOutputDirectory() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let spec = dir + "/s.yaml"
    try
      "version: 1\nname: ../../escaped\ntables:\n  - name: t\n    rows: 2\n    columns:\n      - {name: a, sequence: 1}\n"
      .write(toFile: spec, atomically: true, encoding: .utf8)
    for format in ["csv", "json", "xlsx", "docx", "sqlite", "parquet"] {
      let r = try decoy(["generate", spec, "--format", format, "--out", dir + "/out/x"])
      #expect(r.status == 3 && r.stderr.contains("s.yaml:2:7: name: dataset name"), "\(format): \(r.stderr)")
    }
    let left = try FileManager.default.contentsOfDirectory(atPath: dir)
    #expect(left == ["s.yaml"], "\(left)")
    // The YAML alias bomb is a spec error, not hours of work.
    let bomb = dir + "/bomb.yaml"
    var lines = ["version: 1", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in 1..<9 {
      lines.append("a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]")
    }
    try (lines.joined(separator: "\n") + "\ntables: *a8\n").write(toFile: bomb, atomically: true, encoding: .utf8)
    let b = try decoy(["validate", bomb])
    #expect(b.status == 3 && b.stderr.contains("expands to more than"), "\(b.stderr)")
  }
}
