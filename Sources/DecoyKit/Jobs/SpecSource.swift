public import DecoyCore
public import DecoyScenarios
import Foundation

/// Where a spec comes from: a built-in dataset name or a YAML/JSON file.
public enum SpecSource {
  /// The datasets built by scenario code rather than from a spec text.
  public static let scenarioNames = ["healthcare", "claims-breach", "fraud"]

  /// Loads `nameOrPath`: a built-in name (`people`) or a path to a `.yaml`, `.yml` or `.json` file.
  /// Scenario datasets are built for a seed and a reference date (their row counts and values
  /// come from scenario code); pass the run's when known.
  public static func load(
    _ nameOrPath: String, seed: UInt64? = nil, today: CivilDate? = nil, rows: UInt64? = nil,
    hospital: HospitalSimulator.Options = .init(), fraud: FraudSimulator.Options? = nil
  ) throws(DecoyError) -> DatasetSpec {
    let context = GenerationContext(seed: seed ?? 42, today: today ?? GenerationContext.defaultToday)
    switch nameOrPath {
    case "fraud":
      var o = fraud ?? FraudSimulator.Options()
      if let rows { o.users = rows }
      return try FraudDataset.spec(context: context, options: o)
    case "healthcare", "claims-breach":
      // claims-breach: the tables generated before the enrichment (the export is enriched by ClaimsBreachJob).
      return try HealthcareDataset.spec(
        context: context, patients: rows ?? 1000, claimsExport: nameOrPath == "claims-breach", options: hospital)
    default:
      break
    }
    if let yaml = BuiltInSpecs.named(nameOrPath) {
      return try SpecDecoder.decode(yaml, file: "built-in:" + nameOrPath)
    }
    guard FileManager.default.fileExists(atPath: nameOrPath) else {
      let names = DatasetCatalog.names
      let looksLikeFile = nameOrPath.contains("/") || nameOrPath.contains(".")
      throw .usage(
        looksLikeFile ? "spec file '\(nameOrPath)' does not exist" : "unknown dataset '\(nameOrPath)'",
        hint: looksLikeFile
          ? "check the path" : Suggestion.hint(for: nameOrPath, in: names) + " (or give a spec file path)")
    }
    // The size is checked before the file is read: a spec is a page of text, not a data file.
    var info = stat()
    if stat(nameOrPath, &info) == 0, Int(info.st_size) > SpecBudget.standard.maxBytes {
      throw .invalidSpec(
        file: nameOrPath,
        issues: [
          SpecIssue(
            path: "",
            message: "the file is \(info.st_size) bytes, over the \(SpecBudget.standard.maxBytes)-byte limit of a spec",
            hint: "is this a data file? `decoy generate` takes a spec (YAML or JSON) describing tables")
        ])
    }
    guard let data = FileManager.default.contents(atPath: nameOrPath) else {
      throw .io(path: nameOrPath, reason: "cannot read the file", hint: "check its permissions")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw .invalidSpec(file: nameOrPath, issues: [SpecIssue(path: "", message: "the file is not UTF-8 text")])
    }
    return try SpecDecoder.decode(text, file: nameOrPath)
  }
}
