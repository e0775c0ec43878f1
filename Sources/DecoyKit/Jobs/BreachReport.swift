public import DecoyCore
import DecoyIO
import Foundation

/// `decoy breach-report`: what an enriched claims file exposes, for notification decisions — per
/// PII category and per dangerous combination, the records (rows holding every field of it) and
/// the individuals (patients exposed by any of their rows; rows of one patient are linkable through
/// patient_id, so a combination counts when its fields appear across that patient's rows), overall
/// and by state. Reads the file once; memory grows with patients, not rows.
public struct BreachReport: Sendable {
  /// A field group of the claims file.
  enum Field: Int {
    case name, dateOfBirth, address, phone, insurance, ssnFull, ssnLast4, card
  }

  /// A category or combination: a set of fields that must all be present.
  public struct Category: Sendable {
    public let key: String
    public let label: String
    let fields: [Field]
    /// Whether it is a typical trigger of US state breach-notification laws.
    public let notifiable: Bool
  }

  public static let categories: [Category] = [
    Category(key: "name", label: "Name", fields: [.name], notifiable: false),
    Category(key: "date_of_birth", label: "Date of birth", fields: [.dateOfBirth], notifiable: false),
    Category(key: "address", label: "Postal address", fields: [.address], notifiable: false),
    Category(key: "phone", label: "Phone number", fields: [.phone], notifiable: false),
    Category(key: "insurance", label: "Insurer and policy number", fields: [.insurance], notifiable: false),
    Category(key: "ssn_full", label: "Full SSN", fields: [.ssnFull], notifiable: false),
    Category(key: "ssn_last4", label: "SSN last 4", fields: [.ssnLast4], notifiable: false),
    Category(key: "card_full", label: "Card number + CVV + expiry", fields: [.card], notifiable: false),
    Category(
      key: "name+dob+ssn_full", label: "Name + date of birth + full SSN", fields: [.name, .dateOfBirth, .ssnFull],
      notifiable: true),
    Category(key: "name+ssn_full", label: "Name + full SSN", fields: [.name, .ssnFull], notifiable: true),
    Category(
      key: "name+card_full", label: "Name + card number + CVV + expiry", fields: [.name, .card], notifiable: true),
    Category(
      key: "name+insurance", label: "Name + health insurance policy", fields: [.name, .insurance], notifiable: true),
    Category(
      key: "name+dob+address", label: "Name + date of birth + address", fields: [.name, .dateOfBirth, .address],
      notifiable: false),
    Category(
      key: "name+dob+ssn_last4", label: "Name + date of birth + SSN last 4", fields: [.name, .dateOfBirth, .ssnLast4],
      notifiable: false),
  ]

  public var input: String

  public init(input: String) { self.input = input }

  /// Counts for one category.
  public struct Counts: Sendable, Equatable {
    public var records = 0
    public var individuals = 0
  }

  /// The report: rows, patients, counts per category overall and per state, and the individuals
  /// any notifiable combination exposes.
  public struct Result: Sendable {
    public var rows = 0
    public var individuals = 0
    public var overall: [Counts] = []
    /// State code → counts per category, states sorted.
    public var byState: [(state: String, individuals: Int, counts: [Counts])] = []
    public var notifiableIndividuals = 0
  }

  public func run() throws(DecoyError) -> Result {
    let r = try FastCSVReader(path: input)
    guard let header = try r.header()?.map({ $0.lowercased() }) else {
      throw .input(file: input, line: 1, column: nil, reason: "the file is empty", hint: nil)
    }
    func column(_ name: String) -> Int? { header.firstIndex(of: name) }
    guard let pidColumn = column("patient_id") else {
      throw .input(
        file: input, line: 1, column: nil, reason: "missing required column patient_id",
        hint: "pass an enriched claims file")
    }
    // The columns of each field group (all must be non-empty for the field to be exposed); a
    // group with a column missing from the file is never exposed.
    let groups: [(bit: UInt16, columns: [Int])] = [
      ["name"], ["date_of_birth"], ["address", "city", "state", "zipcode"], ["phone_number"],
      ["insurance_provider", "insurance_policy_number"],
      ["ssn_full"], ["ssn_last4"], ["card_number", "cvv", "exp_date"],
    ].enumerated().compactMap { g, names in
      let cols = names.compactMap(column)
      return cols.count == names.count ? (1 << UInt16(g), cols) : nil
    }
    let stateColumn = column("state")
    var patientIndex: [[UInt8]: Int] = [:]
    var exposed: [UInt16] = []  // per patient: union of field bits over its rows
    var states: [String?] = []
    var result = Result()
    result.overall = BreachReport.categories.map { _ in Counts() }
    let masks = BreachReport.categories.map { c in c.fields.reduce(UInt16(0)) { $0 | 1 << UInt16($1.rawValue) } }
    try r.forEachRecord(columns: header.count) { (row: FastCSVReader.Record) throws(DecoyError) in
      result.rows += 1
      var bits: UInt16 = 0
      for g in groups where g.columns.allSatisfy({ !PandasColumnType.isMissing(row.field($0)) }) { bits |= g.bit }
      for (k, m) in masks.enumerated() where bits & m == m { result.overall[k].records += 1 }
      let pid = Array(row.field(pidColumn))
      let p: Int
      if let known = patientIndex[pid] {
        p = known
      } else {
        p = exposed.count
        patientIndex[pid] = p
        exposed.append(0)
        states.append(nil)
      }
      exposed[p] |= bits
      if states[p] == nil, let s = stateColumn, !row.field(s).isEmpty {
        states[p] = String(decoding: row.field(s), as: UTF8.self)
      }
      return true
    }
    result.individuals = exposed.count
    var perState: [String: (individuals: Int, counts: [Counts])] = [:]
    let notifiable = BreachReport.categories.enumerated().filter { $0.element.notifiable }.map { masks[$0.offset] }
    let none = BreachReport.categories.map { _ in Counts() }
    for (p, bits) in exposed.enumerated() {
      let state = states[p] ?? "unknown"
      perState[state, default: (0, none)].individuals += 1
      for (k, m) in masks.enumerated() where bits & m == m {
        result.overall[k].individuals += 1
        perState[state, default: (0, none)].counts[k].individuals += 1
      }
      if notifiable.contains(where: { bits & $0 == $0 }) { result.notifiableIndividuals += 1 }
    }
    result.byState = perState.keys.sorted().map {
      (state: $0, individuals: perState[$0]!.individuals, counts: perState[$0]!.counts)
    }
    return result
  }

  /// The report as JSON (keys in a fixed order).
  public static func json(_ r: Result, file: String) -> String {
    func counts(_ c: [Counts]) -> String {
      categories.enumerated().map {
        "\"\($0.element.key)\": {\"records\": \(c[$0.offset].records), \"individuals\": \(c[$0.offset].individuals)}"
      }
      .joined(separator: ", ")
    }
    var s = "{\n  \"file\": \(jsonString(file)),\n  \"rows\": \(r.rows),\n  \"individuals\": \(r.individuals),\n"
    s +=
      "  \"notifiable_individuals\": \(r.notifiableIndividuals),\n  \"exposure\": {\(counts(r.overall))},\n  \"by_state\": {\n"
    s += r.byState.map {
      "    \(jsonString($0.state)): {\"individuals\": \($0.individuals), \"exposure\": {\(counts($0.counts))}}"
    }.joined(separator: ",\n")
    s += "\n  }\n}\n"
    return s
  }

  static func jsonString(_ s: String) -> String {
    var out: [UInt8] = []
    JSONRecordEncoder.appendString(Array(s.utf8), to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// `n` as a percentage of the individuals, one decimal.
  static func share(_ n: Int, _ r: Result) -> String {
    r.individuals == 0 ? "0.0 %" : String(format: "%.1f %%", Double(n) * 100 / Double(r.individuals))
  }

  /// The report as Markdown for people.
  public static func markdown(_ r: Result, file: String) -> String {
    let pct = { (n: Int) in share(n, r) }
    var s = "# Breach impact report\n\nFile: `\(file)` — \(r.rows) records of \(r.individuals) individuals.\n\n"
    s +=
      "**\(r.notifiableIndividuals) individuals (\(pct(r.notifiableIndividuals)))** have a combination that typically triggers "
    s +=
      "notification under US state breach laws (name with full SSN, with a card and its security code, or with a health insurance policy).\n\n"
    s +=
      "Individuals count a combination when its fields appear in any of their records (records of one person are linked by patient_id).\n\n"
    s += "| Exposure | Records | Individuals | Share of individuals | Notifiable |\n|---|---:|---:|---:|---|\n"
    for (k, c) in categories.enumerated() {
      s +=
        "| \(c.label) | \(r.overall[k].records) | \(r.overall[k].individuals) | \(pct(r.overall[k].individuals)) | \(c.notifiable ? "yes" : "") |\n"
    }
    let notifiableKeys = categories.enumerated().filter { $0.element.notifiable }
    s +=
      "\n## By state\n\n| State | Individuals | " + notifiableKeys.map { $0.element.label }.joined(separator: " | ")
      + " |\n"
    s += "|---|---:|" + notifiableKeys.map { _ in "---:" }.joined(separator: "|") + "|\n"
    for st in r.byState {
      s +=
        "| \(st.state) | \(st.individuals) | "
        + notifiableKeys.map { String(st.counts[$0.offset].individuals) }.joined(separator: " | ") + " |\n"
    }
    return s
  }

  /// The report as a self-contained HTML page (the Markdown tables, rendered).
  public static func html(_ r: Result, file: String) -> String {
    func esc(_ t: String) -> String {
      t.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
        of: ">", with: "&gt;")
    }
    let pct = { (n: Int) in share(n, r) }
    var h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Breach impact report</title>\n"
    h +=
      "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}"
    h += "td.n{text-align:right}tr.notifiable{background:#fde8e8}</style></head><body>\n<h1>Breach impact report</h1>\n"
    h += "<p>File <code>\(esc(file))</code>: \(r.rows) records of \(r.individuals) individuals.</p>\n"
    h +=
      "<p><strong>\(r.notifiableIndividuals) individuals (\(pct(r.notifiableIndividuals)))</strong> have a combination that typically "
    h += "triggers notification under US state breach laws (highlighted).</p>\n"
    h += "<table><tr><th>Exposure</th><th>Records</th><th>Individuals</th><th>Share</th></tr>\n"
    for (k, c) in categories.enumerated() {
      h +=
        "<tr\(c.notifiable ? " class=\"notifiable\"" : "")><td>\(esc(c.label))</td><td class=\"n\">\(r.overall[k].records)</td>"
      h +=
        "<td class=\"n\">\(r.overall[k].individuals)</td><td class=\"n\">\(pct(r.overall[k].individuals))</td></tr>\n"
    }
    let notifiable = categories.enumerated().filter { $0.element.notifiable }
    h += "</table>\n<h2>By state</h2>\n<table><tr><th>State</th><th>Individuals</th>"
    h += notifiable.map { "<th>\(esc($0.element.label))</th>" }.joined() + "</tr>\n"
    for st in r.byState {
      h += "<tr><td>\(esc(st.state))</td><td class=\"n\">\(st.individuals)</td>"
      h += notifiable.map { "<td class=\"n\">\(st.counts[$0.offset].individuals)</td>" }.joined() + "</tr>\n"
    }
    h += "</table>\n</body></html>\n"
    return h
  }
}
