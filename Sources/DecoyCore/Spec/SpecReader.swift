/// Collects spec problems while decoding, so that validation reports all of them at once.
public final class IssueCollector: @unchecked Sendable {
  public private(set) var issues: [SpecIssue] = []
  public init() {}

  /// Records a problem at a node.
  public func add(_ path: String, _ message: String, hint: String? = nil, at mark: SourceMark? = nil) {
    issues.append(
      SpecIssue(
        path: path, message: message, hint: hint,
        line: mark.flatMap { $0.line > 0 ? $0.line : nil }, column: mark.flatMap { $0.column > 0 ? $0.column : nil }))
  }
}

/// Strict reader of one YAML mapping: typed getters record type errors, and ``finish(extra:)``
/// reports every key that nobody asked for, with a "did you mean" hint.
public struct MapReader {
  public let path: String
  public let mark: SourceMark
  let entries: [(key: String, value: SpecNode, keyAt: SourceMark)]
  let issues: IssueCollector
  private(set) var asked: [String] = []

  /// Wraps `node`, recording an issue (and reading nothing) if it is not a mapping.
  public init(_ node: SpecNode, path: String, issues: IssueCollector) {
    self.path = path
    self.issues = issues
    self.mark = node.mark
    if case .mapping(let e, _) = node {
      entries = e
    } else {
      entries = []
      issues.add(path, "expected a mapping (key: value pairs), found \(node.kindName)", at: node.mark)
    }
  }

  /// The mapping's entries (for re-reading with another collector).
  public var rawEntries: [(key: String, value: SpecNode, keyAt: SourceMark)] { entries }

  /// Keys present, in document order.
  public var keys: [String] { entries.map(\.key) }

  public func sub(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

  /// The raw node of a key, marking the key as known.
  public mutating func node(_ key: String) -> SpecNode? {
    asked.append(key)
    return entries.first { $0.key == key }?.value
  }

  /// Whether a key is present (does not mark it as known).
  public func has(_ key: String) -> Bool { entries.contains { $0.key == key } }

  public mutating func string(_ key: String, required: Bool = false) -> String? {
    guard let n = node(key) else {
      if required { issues.add(sub(key), "missing required key '\(key)'", at: mark) }
      return nil
    }
    guard case .scalar(let s, _, _) = n else {
      issues.add(sub(key), "expected text, found \(n.kindName)", at: n.mark)
      return nil
    }
    return s
  }

  public mutating func int(_ key: String, required: Bool = false) -> Int64? {
    guard let s = string(key, required: required) else { return nil }
    guard let v = Int64(s.replacingUnderscores()) else {
      issues.add(sub(key), "expected an integer, found '\(s)'", at: entries.first { $0.key == key }?.value.mark)
      return nil
    }
    return v
  }

  public mutating func double(_ key: String, required: Bool = false) -> Double? {
    guard let s = string(key, required: required) else { return nil }
    guard let v = Double(s.replacingUnderscores()), v.isFinite else {
      issues.add(sub(key), "expected a number, found '\(s)'", at: entries.first { $0.key == key }?.value.mark)
      return nil
    }
    return v
  }

  public mutating func bool(_ key: String) -> Bool? {
    guard let s = string(key) else { return nil }
    switch s.lowercased() {
    case "true", "yes", "on": return true
    case "false", "no", "off": return false
    default:
      issues.add(sub(key), "expected true or false, found '\(s)'", at: entries.first { $0.key == key }?.value.mark)
      return nil
    }
  }

  public mutating func date(_ key: String, required: Bool = false) -> CivilDate? {
    guard let s = string(key, required: required) else { return nil }
    guard let d = CivilDate(iso: s) else {
      issues.add(sub(key), "expected a date YYYY-MM-DD, found '\(s)'", at: entries.first { $0.key == key }?.value.mark)
      return nil
    }
    return d
  }

  /// A value restricted to a list of names.
  public mutating func oneOf(_ key: String, _ allowed: [String]) -> String? {
    guard let s = string(key) else { return nil }
    guard allowed.contains(s) else {
      issues.add(
        sub(key), "'\(s)' is not one of \(allowed.joined(separator: ", "))",
        hint: Suggestion.nearest(to: s, in: allowed).map { "did you mean '\($0)'?" },
        at: entries.first { $0.key == key }?.value.mark)
      return nil
    }
    return s
  }

  /// Reports keys nobody asked for (plus `extra` keys that are known but read elsewhere).
  public func finish(extra: [String] = []) {
    let known = asked + extra
    for e in entries where !known.contains(e.key) {
      issues.add(sub(e.key), "unknown key '\(e.key)'", hint: Suggestion.hint(for: e.key, in: known), at: e.keyAt)
    }
  }
}

extension String {
  func replacingUnderscores() -> String { split(separator: "_").joined() }
}
