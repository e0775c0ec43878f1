/// A parsed YAML/JSON document with source positions, independent of the YAML library.
public indirect enum SpecNode: Sendable {
  case scalar(String, quoted: Bool, at: SourceMark)
  case sequence([SpecNode], at: SourceMark)
  /// Keys in document order (duplicates are reported by the parser).
  case mapping([(key: String, value: SpecNode, keyAt: SourceMark)], at: SourceMark)

  /// Where the node starts.
  public var mark: SourceMark {
    switch self {
    case .scalar(_, _, let m), .sequence(_, let m), .mapping(_, let m): m
    }
  }

  /// A short name of the node's kind, for error messages.
  public var kindName: String {
    switch self {
    case .scalar(let s, let quoted, _):
      if !quoted, SpecNode.nullWords.contains(s) { return "null" }
      return "a scalar"
    case .sequence: return "a list"
    case .mapping: return "a mapping"
    }
  }

  static let nullWords: Set<String> = ["", "~", "null", "Null", "NULL"]

  /// Parses YAML (JSON is a subset) within `budget`. Syntax errors and exceeded limits become a
  /// single spec issue with the line and column where they were found.
  public static func parse(_ text: String, budget: SpecBudget = .standard) throws(DecoyError) -> SpecNode {
    var parser = SpecParser(budget: budget)
    guard let node = try parser.parse(text) else {
      throw .invalidSpec(
        file: nil,
        issues: [
          SpecIssue(path: "", message: "the spec is empty", hint: "start with `version: 1` and a `tables:` list")
        ])
    }
    return node
  }
}

/// 1-based line and column in a spec file (0 when unknown).
public struct SourceMark: Sendable, Equatable {
  public var line: Int
  public var column: Int
  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }
}
