public import DecoyCore

/// The learn spec: detection's result as YAML that a user can edit and pass back with `--spec`
/// (a column's kind, and for identifiers the provider that regenerates it). It is decoded as
/// strictly as dataset specs: every unknown key, unknown kind or provider and duplicate column is
/// reported with its path and position. It holds no data values.
public struct LearnSpec: Sendable {
  public struct Column: Sendable {
    public var name: String
    public var kind: ColumnKind
    public var provider: String?
  }

  public var table: String?
  public var columns: [Column]

  /// The YAML `decoy detect` writes for profiles.
  public static func render(_ profiles: [ColumnProfile], table: String) -> String {
    var out = "# Learn spec written by `decoy detect`. Edit a column's kind and pass it back with --spec.\n"
    out += "# kinds: \(ColumnKind.allCases.map(\.rawValue).joined(separator: ", "))\n"
    out += "# pii columns name the provider that makes fresh values (`decoy providers` lists them).\n"
    out += "version: 1\ntable: \(quote(table))\ncolumns:\n"
    for p in profiles {
      out += "  - name: \(quote(p.name))\n    kind: \(p.kind.rawValue)\n"
      if p.kind == .pii, let provider = p.provider { out += "    provider: \(provider)\n" }
      out += "    # \(p.summaryLine.replacingOccurrences(of: "\n", with: " "))\n"
    }
    return out
  }

  static func quote(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      default:
        if u.value < 0x20 {
          out += "\\x" + String(u.value, radix: 16).leftPadded(2)
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    return out + "\""
  }

  /// Decodes a learn spec; every problem is reported at once.
  public static func decode(_ text: String, file: String?) throws(DecoyError) -> LearnSpec {
    let root = try SpecNode.parse(text)
    let issues = IssueCollector()
    var r = MapReader(root, path: "", issues: issues)
    if let v = r.int("version", required: true), v != 1 {
      issues.add("version", "learn spec version \(v) is not supported", hint: "this build reads version 1", at: r.mark)
    }
    let table = r.string("table")
    var columns: [Column] = []
    if let node = r.node("columns") {
      if case .sequence(let items, _) = node {
        for (i, item) in items.enumerated() {
          let path = "columns[\(i)]"
          var c = MapReader(item, path: path, issues: issues)
          let name = c.string("name", required: true)
          let kind = c.oneOf("kind", ColumnKind.allCases.map(\.rawValue)).flatMap(ColumnKind.init(rawValue:))
          if !c.has("kind") {
            issues.add(path, "a column needs a kind", hint: "kind: numerical, categorical, …", at: c.mark)
          }
          let provider = c.string("provider")
          if let provider, ProviderRegistry.named(provider) == nil {
            issues.add(
              c.sub("provider"), "unknown provider '\(provider)'",
              hint: Suggestion.hint(for: provider, in: ProviderRegistry.names), at: c.mark)
          }
          if provider != nil && kind != nil && kind != .pii {
            issues.add(c.sub("provider"), "only pii columns take a provider", hint: "set kind: pii", at: c.mark)
          }
          c.finish()
          if let name, columns.contains(where: { $0.name == name }) {
            issues.add(c.sub("name"), "column '\(name)' is listed twice", hint: "list each column once", at: c.mark)
          }
          if let name, let kind { columns.append(Column(name: name, kind: kind, provider: provider)) }
        }
      } else {
        issues.add("columns", "expected a list of columns", at: node.mark)
      }
    } else {
      issues.add(
        "columns", "the learn spec lists no columns", hint: "run `decoy detect SAMPLE` to write one", at: r.mark)
    }
    r.finish()
    if !issues.issues.isEmpty { throw .invalidSpec(file: file, issues: issues.issues) }
    return LearnSpec(table: table, columns: columns)
  }

  /// Checks the spec against a sample's columns (every column listed, no unknown ones).
  public func check(against table: SampleTable, file: String?) throws(DecoyError) {
    var issues: [SpecIssue] = []
    for (i, c) in columns.enumerated() where !table.columns.contains(c.name) {
      issues.append(
        SpecIssue(
          path: "columns[\(i)].name", message: "the sample has no column '\(c.name)'",
          hint: Suggestion.hint(for: c.name, in: table.columns)))
    }
    for name in table.columns where !columns.contains(where: { $0.name == name }) {
      issues.append(
        SpecIssue(path: "columns", message: "the sample's column '\(name)' is not listed", hint: "add it with its kind")
      )
    }
    if !issues.isEmpty { throw .invalidSpec(file: file, issues: issues) }
  }
}

extension String {
  func leftPadded(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
