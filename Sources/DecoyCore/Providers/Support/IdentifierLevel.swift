/// The three identifier safety levels of specs/identifiers.md.
public enum IdentifierLevel: String, Sendable, CaseIterable, Comparable {
  /// Never a value that could belong to a real person (default).
  case safe
  /// Passes format and checksum validators; drawn from unissued ranges where they exist.
  case formatValid = "format-valid"
  /// The issuer's whole valid space; may coincide with a real identifier. Opt-in only.
  case realistic

  private var rank: Int {
    switch self {
    case .safe: 0
    case .formatValid: 1
    case .realistic: 2
    }
  }

  public static func < (a: IdentifierLevel, b: IdentifierLevel) -> Bool { a.rank < b.rank }
}

/// The identifier kinds whose level can be chosen separately (`--identifiers ssn=format-valid`).
public enum IdentifierKind: String, Sendable, CaseIterable {
  case ssn, phone, email, ip, card, license
}

/// Which level each identifier kind uses in a run. Defaults to `safe` for every kind; `realistic`
/// can only be set by naming it explicitly (there is no preset or environment variable for it).
public struct IdentifierPolicy: Sendable, Equatable {
  private var levels: [IdentifierKind: IdentifierLevel] = [:]
  /// The level used for kinds not named explicitly.
  public var fallback: IdentifierLevel = .safe

  public init() {}

  /// The level for a kind.
  public func level(_ kind: IdentifierKind) -> IdentifierLevel { levels[kind] ?? fallback }

  /// Sets the level for one kind.
  public mutating func set(_ kind: IdentifierKind, _ level: IdentifierLevel) { levels[kind] = level }

  /// Whether any kind is `realistic` (the CLI warns on stderr then).
  public var usesRealistic: Bool {
    fallback == .realistic || IdentifierKind.allCases.contains { level($0) == .realistic }
  }

  /// Parses `safe`, `format-valid`, `realistic`, or a comma list such as `ssn=format-valid,phone=safe`.
  public static func parse(_ text: String) throws(DecoyError) -> IdentifierPolicy {
    var policy = IdentifierPolicy()
    let levelNames = IdentifierLevel.allCases.map(\.rawValue)
    for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: " ") }) where !item.isEmpty {
      let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
      let levelText = parts.count == 2 ? parts[1] : parts[0]
      guard let level = IdentifierLevel(rawValue: levelText) else {
        throw .usage(
          "--identifiers: unknown level '\(levelText)'", hint: Suggestion.hint(for: levelText, in: levelNames))
      }
      if parts.count == 2 {
        guard let kind = IdentifierKind(rawValue: parts[0]) else {
          throw .usage(
            "--identifiers: unknown identifier kind '\(parts[0])'",
            hint: Suggestion.hint(for: parts[0], in: IdentifierKind.allCases.map(\.rawValue)))
        }
        policy.set(kind, level)
      } else {
        policy.fallback = level
      }
    }
    return policy
  }
}

extension StringProtocol {
  func trimmingCharacters(in chars: String) -> String {
    var s = Substring(self)
    while let f = s.first, chars.contains(f) { s.removeFirst() }
    while let l = s.last, chars.contains(l) { s.removeLast() }
    return String(s)
  }
}
