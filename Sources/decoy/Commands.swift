import ArgumentParser
import DecoyCore
import DecoyIO
import DecoyKit
import Foundation

enum TempFileRegistryAccess {
  static func removeAll() { TempFileRegistry.shared.removeAll() }
}

struct Validate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate", abstract: "Check a spec and report every problem with its path.")
  @Argument(help: "A built-in dataset name or a spec file.") var spec: String
  @OptionGroup var log: LogOptions

  func run() throws {
    let reporter = log.reporter
    try runReporting(reporter) {
      let s = try SpecSource.load(spec)
      let cols = s.tables.reduce(0) { $0 + $1.columns.count }
      reporter.info("\(spec): valid (\(s.tables.count) table\(s.tables.count == 1 ? "" : "s"), \(cols) columns)")
    }
  }
}

struct PlanCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plan", abstract: "Show tables, row counts, columns and the fingerprint of a run.")
  @Argument(help: "A built-in dataset name or a spec file.") var spec: String
  @Option var seed: UInt64?
  @Option var rows: UInt64?
  @Option var scale: Double = 1
  @Option var shard = "0/1"
  @Option var today: String?
  @OptionGroup var log: LogOptions

  func run() throws {
    let reporter = log.reporter
    try runReporting(reporter) {
      let day = try parseDate(today, option: "--today")
      let s = try SpecSource.load(spec, seed: seed, today: day, rows: rows)
      var job = GenerateJob(spec: s, seed: seed, today: day, destination: .stdout)
      job.rows = rows
      job.scale = scale
      job.shard = try Shard.parse(shard)
      let plan = try job.plan()
      print(
        "dataset \(s.name)  seed \(job.seed)  today \(job.today)  shard \(job.shard)  fingerprint \(Fingerprint.current)"
      )
      for t in plan.tables {
        let origin = t.spec.parent.map { "children of \($0.table), \($0.count)" } ?? "root"
        print(
          "\ntable \(t.spec.name): \(Reporter.group(t.totalRows)) rows (\(origin)); this shard: rows \(t.rows.lowerBound)..<\(t.rows.upperBound)"
        )
        for c in t.spec.columns {
          let nulls = c.nullRate > 0 ? "  null \(c.nullRate)" : ""
          let level = c.identifierKind.map { "  [\($0.rawValue): \(job.identifiers.level($0).rawValue)]" } ?? ""
          print(
            "  \(c.name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(c.type.description.padding(toLength: 12, withPad: " ", startingAt: 0)) \(c.summary)\(nulls)\(level)"
          )
        }
      }
    }
  }
}

struct Providers: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "providers", abstract: "List value providers with an example value each.")
  /// `--verbose` also lists each provider's parameters.
  @OptionGroup var log: LogOptions

  func run() throws {
    let ctx = GenerationContext(seed: 7, today: GenerateJob.defaultToday)
    for def in ProviderRegistry.all {
      var r = MapReader(.mapping([], at: SourceMark(line: 0, column: 0)), path: "", issues: IssueCollector())
      let example: String
      if let g = try? def.factory(reading: &r)(ColumnBuildContext(context: ctx, table: "example", column: def.name)) {
        let b = ColumnBuffer(type: g.type)
        g.fill(b, batch: BatchView(rows: 0..<1, parentIndex: [0]))
        example = b.text(0)
      } else {
        example = "?"
      }
      print(
        "\(def.name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(def.type.description.padding(toLength: 8, withPad: " ", startingAt: 0)) \(example.padding(toLength: 30, withPad: " ", startingAt: 0)) \(def.summary)"
      )
      if log.verbose {
        for p in def.parameters { print("    \(p.name): \(p.help)") }
      }
    }
  }
}

struct FingerprintCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fingerprint",
    abstract: "Print the engine fingerprint (changes whenever any generated value would change).")
  @OptionGroup var log: LogOptions
  func run() throws { print(Fingerprint.current) }
}

struct Datasets: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "datasets",
    abstract: "List the built-in datasets, one line each (JSON with their tables: --format json).")
  @Option(help: "text or json.") var format = "text"
  @OptionGroup var log: LogOptions

  func run() throws {
    try runReporting(log.reporter) {
      switch format {
      case "text": print(DatasetCatalog.lines.joined(separator: "\n"))
      case "json": print(try DatasetCatalog.json(), terminator: "")
      default:
        throw DecoyError.usage(
          "unknown datasets format '\(format)'", hint: Suggestion.hint(for: format, in: ["text", "json"]))
      }
    }
  }
}

struct Describe: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "describe", abstract: "Print a dataset's data dictionary (Markdown or JSON).")
  @Argument(help: "A built-in dataset name or a spec file.") var spec: String
  @Option(help: "markdown or json.") var format = "markdown"
  @Option(help: "Identifier levels, as for generate.") var identifiers: String?
  @OptionGroup var log: LogOptions

  func run() throws {
    let reporter = log.reporter
    try runReporting(reporter) {
      guard ["markdown", "json"].contains(format) else {
        throw DecoyError.usage(
          "unknown describe format '\(format)'", hint: Suggestion.hint(for: format, in: ["markdown", "json"]))
      }
      let policy = try identifiers.map { s throws(DecoyError) in try IdentifierPolicy.parse(s) } ?? IdentifierPolicy()
      let dict = DataDictionary(spec: try SpecSource.load(spec), identifiers: policy)
      print(format == "json" ? dict.json : dict.markdown, terminator: "")
    }
  }
}
