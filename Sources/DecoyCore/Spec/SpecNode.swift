internal import Yams

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

  /// Parses YAML (JSON is a subset). Syntax errors become a single spec issue.
  public static func parse(_ text: String) throws(DecoyError) -> SpecNode {
    let node: Node?
    do {
      node = try Yams.compose(yaml: text)
    } catch let e as YamlError {
      throw .invalidSpec(file: nil, issues: [SpecNode.issue(from: e)])
    } catch {
      throw .invalidSpec(file: nil, issues: [SpecIssue(path: "", message: "not valid YAML or JSON: \(error)")])
    }
    guard let node else {
      throw .invalidSpec(file: nil, issues: [SpecIssue(path: "", message: "the spec is empty", hint: "start with `version: 1` and a `tables:` list")])
    }
    return convert(node)
  }

  private static func issue(from e: YamlError) -> SpecIssue {
    switch e {
    case .scanner(let ctx, let problem, let mark, _), .parser(let ctx, let problem, let mark, _),
      .composer(let ctx, let problem, let mark, _):
      let c = ctx.map { "\($0.text) " } ?? ""
      return SpecIssue(path: "", message: "YAML syntax error: \(c)\(problem)", line: mark.line, column: mark.column)
    case .duplicatedKeysInMapping(let duplicates, let ctx):
      let names = duplicates.sorted().joined(separator: ", ")
      return SpecIssue(path: "", message: "duplicate key(s) \(names) in one mapping", hint: "each key may appear once",
        line: ctx.mark.line, column: ctx.mark.column)
    default:
      return SpecIssue(path: "", message: "YAML error: \(e)")
    }
  }

  private static func convert(_ n: Node) -> SpecNode {
    let m = SourceMark(line: n.mark?.line ?? 0, column: n.mark?.column ?? 0)
    switch n {
    case .scalar(let s):
      return .scalar(s.string, quoted: s.style != .plain, at: m)
    case .sequence(let seq):
      return .sequence(seq.map(convert), at: m)
    case .mapping(let map):
      return .mapping(
        map.map { pair in
          (key: pair.key.string ?? "\(pair.key)", value: convert(pair.value),
           keyAt: SourceMark(line: pair.key.mark?.line ?? 0, column: pair.key.mark?.column ?? 0))
        }, at: m)
    case .alias:
      return .scalar("", quoted: false, at: m)
    }
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
