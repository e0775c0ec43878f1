public import DecoyCore
import Foundation

/// Every dataset that runs by name: the spec-based ones of ``BuiltInSpecs`` and the scenario ones
/// built by code (``SpecSource/scenarioNames``), in one list for `decoy datasets`, `decoy generate
/// --help` and the web app's catalogue.
public enum DatasetCatalog {
  /// One dataset: its name, what it holds in a line, and how it is built.
  public struct Entry: Sendable, Equatable {
    public var name: String
    public var summary: String
    /// `spec` (a YAML spec shipped in the binary) or `scenario` (a simulator's code).
    public var kind: String
    /// An example command.
    public var example: String
  }

  /// Spec datasets first, then scenarios, each in a fixed order (never a dictionary's).
  public static let all: [Entry] =
    BuiltInSpecs.all.map {
      Entry(name: $0.name, summary: $0.summary, kind: "spec", example: "decoy generate \($0.name) --rows 1000")
    } + [
      Entry(
        name: "healthcare", summary: "hospital patients, visits and billing (1,000 patients)", kind: "scenario",
        example: "decoy generate healthcare --patients 20000"),
      Entry(
        name: "claims-breach", summary: "claims export, its breached copy (SSN, cards), claims table",
        kind: "scenario", example: "decoy generate claims-breach --patients 20000"),
      Entry(
        name: "fraud", summary: "transactions with five fraud typologies, delayed labels, graph",
        kind: "scenario", example: "decoy generate fraud --users 10000 --fraud-rate 0.05"),
    ]

  /// The names, in catalogue order.
  public static var names: [String] { all.map(\.name) }

  /// One line per dataset, names aligned: for help texts and `decoy datasets`.
  public static var lines: [String] {
    let width = all.map(\.name.count).max() ?? 0
    return all.map { $0.name + String(repeating: " ", count: width - $0.name.count + 2) + $0.summary }
  }

  /// The tables a dataset writes, in order (loads its spec at the default size).
  public static func tables(of name: String) throws(DecoyError) -> [String] {
    try SpecSource.load(name).tables.map(\.name)
  }

  /// The catalogue as JSON: `[{"name", "summary", "kind", "tables", "example"}]`, pretty-printed.
  public static func json() throws(DecoyError) -> String {
    var items: [[String: Any]] = []
    for e in all {
      items.append([
        "name": e.name, "summary": e.summary, "kind": e.kind, "example": e.example, "tables": try tables(of: e.name),
      ])
    }
    guard let data = try? JSONSerialization.data(withJSONObject: items, options: [.prettyPrinted, .sortedKeys]) else {
      return "[]\n"
    }
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
