/// What a sample column is, as detection found it (or a learn spec declared it).
public enum ColumnKind: String, Sendable, Codable, CaseIterable {
  /// Numbers: integers stay integers, decimals keep their digits.
  case numerical
  /// Text categories, learned with their shares.
  case categorical
  /// Integer codes with few distinct values (SDV's rule), learned as ordered categories.
  case ordinal
  /// Two values in one spelling pair (true/false, yes/no, 1/0, …).
  case boolean
  /// Calendar dates in a detected layout.
  case date
  /// Date-times in a detected layout.
  case datetime
  /// A unique identifier of the row: regenerated in the same shape, never learned.
  case key
  /// A personal identifier: made fresh by a Decoy provider, never learned.
  case pii
  /// Free text (too many distinct values to be categories): filled with placeholder text.
  case text
  /// One value on every non-null row.
  case constant
  /// No value at all.
  case null

  /// Whether the synthesizer learns the column.
  public var isLearned: Bool {
    switch self {
    case .numerical, .categorical, .ordinal, .boolean, .date, .datetime: true
    default: false
    }
  }

  /// Whether the column is numeric to the synthesizers (numbers, dates, date-times).
  public var isContinuous: Bool { self == .numerical || self == .date || self == .datetime }
}

/// How a column's values are regenerated at sampling time (printed by `decoy detect`).
public enum Routing: String, Sendable, Codable {
  case learned, provider, key, constant, null, placeholder
}

/// How numbers are written in a numerical column.
public enum NumberStyle: String, Sendable, Codable {
  /// Whole numbers without a point.
  case integer
  /// Every value with the same number of digits after the point (`3.50`): written that way.
  case fixed
  /// Anything else: shortest round-trip form, rounded to the learned digits.
  case float
}

/// Counts behind a detection: how many values had each shape. Never the values.
public struct Evidence: Sendable, Codable, Equatable {
  public var rows = 0
  public var nonNull = 0
  public var nullTokens = 0
  /// Distinct non-null values, exact up to 65,536 (`distinctCapped` says when it stopped).
  public var distinct = 0
  public var distinctCapped = false
  public var integers = 0
  public var decimals = 0
  public var booleans = 0
  public var dates = 0
  public var datetimes = 0
  /// Values accepted by the PII validator of the detected kind.
  public var validated = 0
  /// Values that are neither numbers nor dates (text, word booleans included).
  public var texts = 0
  public init() {}

  /// The share of rows that are null or a null token.
  public var nullShare: Double { Double(rows - nonNull) / Double(max(rows, 1)) }
}

/// One column of a sample: kind, format and routing, with the evidence counts.
public struct ColumnProfile: Sendable, Codable, Equatable {
  public var name: String
  public var kind: ColumnKind
  public var routing: Routing
  public var evidence: Evidence
  /// Numerical: how numbers are written and the rounding digits learned (RDT's rule).
  public var numberStyle: NumberStyle?
  public var digits: Int?
  /// Dates and date-times: the layout.
  public var dateFormat: DateFormat?
  /// Booleans: the spelling pair (0 true/false, 1 t/f, 2 yes/no, 3 y/n, 4 1/0) and case (0
  /// lower, 1 upper, 2 capitalised).
  public var booleanPair: Int?
  public var booleanCase: Int?
  /// PII: the kind and the provider that regenerates it.
  public var pii: PIIKind?
  public var provider: String?
  /// Keys: the shape regenerated (`integer` sequence, or a character-class template such as
  /// `AA-9999` with `A` a letter, `9` a digit, `x` a lower-case letter).
  public var keyTemplate: String?
  /// Constant columns: the value written on every non-null row (kept in the model, never printed).
  public var constant: String?
  /// Constant and text columns: the share of nulls.
  public var nullShare: Double?
  /// Text columns: word-count quantiles at ``PlaceholderText/levels`` (never a word).
  public var textWords: [Double]?
  /// Warnings about the column (never values).
  public var warnings: [String] = []

  public init(name: String, kind: ColumnKind, routing: Routing, evidence: Evidence) {
    self.name = name
    self.kind = kind
    self.routing = routing
    self.evidence = evidence
  }

  /// One line for `decoy detect`: kind, evidence and routing — never a value.
  public var summaryLine: String {
    var parts = ["\(evidence.nonNull) non-null", "\(evidence.distinct)\(evidence.distinctCapped ? "+" : "") distinct"]
    if evidence.nullTokens > 0 { parts.append("\(evidence.nullTokens) null tokens") }
    if evidence.integers > 0 { parts.append("\(evidence.integers) integers") }
    if evidence.decimals > 0 { parts.append("\(evidence.decimals) decimals") }
    if evidence.dates > 0 { parts.append("\(evidence.dates) dates") }
    if evidence.datetimes > 0 { parts.append("\(evidence.datetimes) date-times") }
    if kind == .boolean { parts.append("\(evidence.booleans) booleans") }
    if evidence.validated > 0 { parts.append("\(evidence.validated) pass the \(pii?.rawValue ?? "") validator") }
    if evidence.texts > 0 && kind != .boolean { parts.append("\(evidence.texts) text") }
    var route = routing.rawValue
    if let provider { route += " (\(provider))" }
    if let keyTemplate { route += " (\(keyTemplate == "integer" ? "integer sequence" : "template"))" }
    var format = ""
    if let dateFormat { format = " \(dateFormat)" }
    if let numberStyle { format = " \(numberStyle.rawValue)" + (digits.map { ", \($0) digits" } ?? "") }
    return "\(kind.rawValue)\(format); \(parts.joined(separator: ", ")) → \(route)"
  }
}
