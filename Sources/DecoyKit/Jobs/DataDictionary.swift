public import DecoyCore
import Foundation

/// The data dictionary of a dataset (`decoy describe`): for every column its type, description,
/// PII category, identifier safety level and null rate. Used by people reviewing a dataset and by
/// document writers (XLSX/DOCX) to describe their columns.
public struct DataDictionary: Sendable {
  public struct Entry: Sendable {
    public var table: String
    public var column: String
    public var type: String
    public var description: String
    public var pii: String
    public var safetyLevel: String
    public var nullRate: Double
  }

  public var dataset: String
  public var description: String?
  public var entries: [Entry]

  /// PII category of a provider (nil: not personal data).
  public static func piiCategory(provider: String?) -> String? {
    guard let p = provider else { return nil }
    switch p {
    case "person.first_name", "person.last_name", "person.full_name", "person.username": return "name"
    case "person.email", "phone": return "contact"
    case "ssn", "driver_license": return "government id"
    case "card.number", "card.cvv", "card.expiry", "card.brand": return "payment card"
    case "person.birth_date", "person.age": return "date of birth / age"
    case "person.sex", "person.title", "blood_type": return "demographic / health"
    case "person.hire_date", "job.department", "job.title", "job.salary_band", "job.salary": return "employment"
    case "net.ipv4", "net.ipv6", "device.id", "net.user_agent": return "online identifier"
    default: return p.hasPrefix("address.") ? "location" : nil
    }
  }

  public init(spec: DatasetSpec, identifiers: IdentifierPolicy = IdentifierPolicy()) {
    dataset = spec.name
    description = spec.description
    entries = spec.tables.flatMap { t in
      t.columns.map { c in
        Entry(
          table: t.name, column: c.name, type: c.type.description, description: c.description ?? c.summary,
          pii: DataDictionary.piiCategory(provider: c.provider) ?? "none",
          safetyLevel: c.identifierKind.map { (c.levelOverride ?? identifiers.level($0)).rawValue } ?? "n/a",
          nullRate: c.nullRate)
      }
    }
  }

  /// A Markdown table per table.
  public var markdown: String {
    var s = "# \(dataset)\n"
    if let d = description { s += "\n" + d + "\n" }
    var tables: [String] = []
    for e in entries where !tables.contains(e.table) { tables.append(e.table) }
    for t in tables {
      s +=
        "\n## \(t)\n\n| column | type | description | PII category | safety level | null rate |\n|---|---|---|---|---|---|\n"
      for e in entries where e.table == t {
        let desc = e.description.split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|")
        s += "| \(e.column) | \(e.type) | \(desc) | \(e.pii) | \(e.safetyLevel) | \(e.nullRate) |\n"
      }
    }
    return s
  }

  /// JSON (sorted keys).
  public var json: String {
    let obj: [String: Any] = [
      "dataset": dataset, "description": description ?? "",
      "columns": entries.map {
        [
          "table": $0.table, "column": $0.column, "type": $0.type, "description": $0.description, "pii": $0.pii,
          "safety_level": $0.safetyLevel, "null_rate": $0.nullRate,
        ] as [String: Any]
      },
    ]
    let data = (try? JSONSerialization.data(withJSONObject: obj, options: [.prettyPrinted, .sortedKeys])) ?? Data()
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
