/// Strict decoder of dataset specs: every problem is collected with its path, position and a hint,
/// and decoding fails with all of them at once.
public enum SpecDecoder {
  static let rootKeys = ["version", "name", "description", "seed", "today", "fingerprint", "identifiers", "tables"]
  static let tableKeys = ["name", "description", "rows", "parent", "columns", "primary_key", "unique"]
  static let kindKeys = [
    "sequence", "provider", "range", "choice", "pattern", "date", "timestamp", "derive", "constant", "ref",
  ]
  static let columnCommonKeys = ["name", "description", "null_rate"]

  /// Decodes a spec from YAML or JSON text; `file` names it in messages.
  public static func decode(_ text: String, file: String? = nil) throws(DecoyError) -> DatasetSpec {
    let root: SpecNode
    do {
      root = try SpecNode.parse(text)
    } catch {
      if case .invalidSpec(_, let issues) = error { throw .invalidSpec(file: file, issues: issues) }
      throw error
    }
    let issues = IssueCollector()
    let spec = decode(root, issues: issues)
    if !issues.issues.isEmpty { throw .invalidSpec(file: file, issues: issues.issues) }
    return spec!
  }

  static func decode(_ root: SpecNode, issues: IssueCollector) -> DatasetSpec? {
    var r = MapReader(root, path: "", issues: issues)
    if let v = r.int("version", required: true), v != Int64(DatasetSpec.formatVersion) {
      issues.add(
        "version", "unsupported spec version \(v)", hint: "this Decoy reads version \(DatasetSpec.formatVersion)",
        at: r.mark)
    }
    let name = r.string("name") ?? "dataset"
    if !OutputName.isSafe(name) {
      issues.add(
        "name", "dataset name '\(name)' is not a safe file name (it names the output files)", hint: OutputName.rule,
        at: r.rawEntries.first { $0.key == "name" }?.value.mark)
    }
    var spec = DatasetSpec(name: name, tables: [])
    spec.description = r.string("description")
    if let s = r.string("seed") {
      if let v = UInt64(s.replacingUnderscores()) {
        spec.seed = v
      } else {
        issues.add("seed", "expected a non-negative integer, found '\(s)'", at: r.mark)
      }
    }
    spec.today = r.date("today")
    spec.fingerprint = r.string("fingerprint")
    if let idText = r.string("identifiers") {
      do {
        let p = try IdentifierPolicy.parse(idText)
        if p.usesRealistic {
          issues.add(
            "identifiers", "a spec cannot ask for realistic identifiers",
            hint: "realistic values may belong to real people: name them on the command line with --identifiers",
            at: r.mark)
        } else {
          spec.identifiers = p
        }
      } catch {
        issues.add("identifiers", error.message, at: r.mark)
      }
    }
    var tableNodes: [SpecNode] = []
    if let t = r.node("tables") {
      if case .sequence(let items, _) = t {
        tableNodes = items
      } else {
        issues.add("tables", "expected a list of tables, found \(t.kindName)", at: t.mark)
      }
      if case .sequence(let items, _) = t, items.isEmpty { issues.add("tables", "the spec has no tables", at: t.mark) }
    } else {
      issues.add(
        "tables", "missing required key 'tables'", hint: "add a list of tables, each with name, rows and columns",
        at: r.mark)
    }
    r.finish()

    var pending: [(table: Int, column: Int, ref: PendingRef)] = []
    for (ti, tn) in tableNodes.enumerated() {
      let (table, refs) = decodeTable(tn, path: "tables[\(ti)]", issues: issues)
      for ref in refs { pending.append((spec.tables.count, ref.column, ref)) }
      spec.tables.append(table)
    }
    checkTables(&spec, nodes: tableNodes, issues: issues)
    resolveRefs(&spec, pending: pending, issues: issues)
    return spec
  }

  struct PendingRef {
    let column: Int
    let table: String
    let target: String
    let path: String
    let mark: SourceMark
  }

  static func decodeTable(_ node: SpecNode, path: String, issues: IssueCollector) -> (TableSpec, [PendingRef]) {
    var r = MapReader(node, path: path, issues: issues)
    let name = r.string("name", required: true) ?? "table"
    if !isIdentifier(name) || !OutputName.isSafe(name) {
      issues.add(
        r.sub("name"), "table name '\(name)' is not a plain identifier",
        hint: "use up to \(OutputName.maxLength) letters, digits and _ (starting with a letter or _)", at: r.mark)
    }
    var table = TableSpec(name: name, rows: nil, columns: [])
    table.description = r.string("description")
    table.primaryKey = r.string("primary_key")
    if let u = r.node("unique") {
      switch u {
      case .scalar(let s, _, _): table.uniqueKeys = [s]
      case .sequence(let items, _):
        for (i, item) in items.enumerated() {
          if case .scalar(let s, _, _) = item {
            table.uniqueKeys.append(s)
          } else {
            issues.add("\(r.sub("unique"))[\(i)]", "expected a column name, found \(item.kindName)", at: item.mark)
          }
        }
      case .mapping:
        issues.add(
          r.sub("unique"), "expected a column name or a list of them, found \(u.kindName)",
          hint: "e.g. unique: [email]", at: u.mark)
      }
    }
    if let rows = r.int("rows") {
      if rows < 0 {
        issues.add(r.sub("rows"), "rows must not be negative", at: r.mark)
      } else {
        table.rows = UInt64(rows)
      }
    }
    if let p = r.node("parent") {
      table.parent = decodeParent(p, path: r.sub("parent"), issues: issues)
    }
    if table.rows == nil && table.parent == nil && !r.has("rows") && !r.has("parent") {
      issues.add(path, "table '\(name)' needs `rows:` or `parent:`", hint: "e.g. rows: 1000", at: r.mark)
    }
    if r.has("rows") && r.has("parent") {
      issues.add(
        path, "table '\(name)' has both `rows:` and `parent:`",
        hint: "a child table's row count comes from its parent; remove rows", at: r.mark)
    }
    var refs: [PendingRef] = []
    if let c = r.node("columns") {
      if case .sequence(let items, _) = c, !items.isEmpty {
        for (ci, cn) in items.enumerated() {
          let (col, ref) = decodeColumn(cn, path: "\(path).columns[\(ci)]", table: name, index: ci, issues: issues)
          table.columns.append(col)
          if let ref { refs.append(ref) }
        }
      } else {
        issues.add(r.sub("columns"), "expected a non-empty list of columns", at: c.mark)
      }
    } else {
      issues.add(r.sub("columns"), "missing required key 'columns'", at: r.mark)
    }
    r.finish()
    return (table, refs)
  }

  static func decodeParent(_ node: SpecNode, path: String, issues: IssueCollector) -> ParentSpec? {
    var r = MapReader(node, path: path, issues: issues)
    let t = r.string("table", required: true)
    var count: CountDistribution?
    if let c = r.node("count") {
      if case .scalar(let s, _, _) = c {
        if let n = Int64(s), n >= 0 {
          count = .fixed(n)
        } else {
          issues.add(r.sub("count"), "expected a non-negative integer or a distribution, found '\(s)'", at: c.mark)
        }
      } else {
        var d = MapReader(c, path: r.sub("count"), issues: issues)
        switch d.oneOf("distribution", ["fixed", "uniform", "poisson", "geometric"]) {
        case "fixed":
          if let n = d.int("value", required: true) {
            if n >= 0 {
              count = .fixed(n)
            } else {
              issues.add(d.sub("value"), "a count must not be negative", at: c.mark)
            }
          }
        case "uniform":
          if let a = d.int("min", required: true), let b = d.int("max", required: true) {
            if a < 0 || a > b {
              issues.add(
                d.path, "impossible range min \(a) > max \(b) (or negative)", hint: "use 0 <= min <= max", at: c.mark)
            } else {
              count = .uniform(a, b)
            }
          }
        case "poisson", "geometric":
          let kind = d.string("distribution")
          if let m = d.double("mean", required: true) {
            if m < 0 || m > 1e6 {
              issues.add(d.sub("mean"), "mean must be in 0…1,000,000", at: c.mark)
            } else {
              count = kind == "poisson" ? .poisson(mean: m) : .geometric(mean: m)
            }
          }
        default:
          if !d.has("distribution") {
            issues.add(
              d.sub("distribution"), "missing required key 'distribution'",
              hint: "fixed, uniform, poisson or geometric", at: c.mark)
          }
        }
        d.finish(extra: ["distribution"])
      }
    } else {
      issues.add(
        r.sub("count"), "missing required key 'count'", hint: "e.g. count: {distribution: poisson, mean: 3}", at: r.mark
      )
    }
    r.finish()
    guard let t, let count else { return nil }
    return ParentSpec(table: t, count: count)
  }

  /// Whether a name is a plain identifier: an ASCII letter or `_`, then letters, digits and `_`.
  public static func isIdentifier(_ s: String) -> Bool {
    guard let f = s.utf8.first, f == 95 || (f | 0x20 >= 97 && f | 0x20 <= 122) else { return false }
    return s.utf8.allSatisfy { $0 == 95 || ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) }
  }
}
