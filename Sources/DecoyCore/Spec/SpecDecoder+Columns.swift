import Foundation

extension SpecDecoder {
  static func decodeColumn(_ node: SpecNode, path: String, table: String, index: Int, issues: IssueCollector) -> (
    ColumnSpec, PendingRef?
  ) {
    var r = MapReader(node, path: path, issues: issues)
    let name = r.string("name", required: true) ?? "column\(index)"
    if !isIdentifier(name) {
      issues.add(
        r.sub("name"), "column name '\(name)' is not a plain identifier", hint: "use letters, digits and _", at: r.mark)
    }
    let description = r.string("description")
    var nullRate = 0.0
    if let n = r.double("null_rate") {
      if n < 0 || n > 1 {
        issues.add(r.sub("null_rate"), "null_rate \(n) is outside 0…1", hint: "a share such as 0.05", at: r.mark)
      } else {
        nullRate = n
      }
    }
    let present = kindKeys.filter { r.has($0) }
    let placeholder = ColumnSpec(name: name, type: .string, summary: "invalid", factory: ColumnKinds.constant(""))
    if present.isEmpty {
      let unknown = r.keys.filter { !columnCommonKeys.contains($0) }
      let hint =
        unknown.first.flatMap { Suggestion.nearest(to: $0, in: kindKeys) }.map { "did you mean '\($0)'?" }
        ?? "give one of: \(kindKeys.joined(separator: ", "))"
      issues.add(path, "column '\(name)' does not say how to make its values", hint: hint, at: r.mark)
      for k in r.keys where !columnCommonKeys.contains(k) && !kindKeys.contains(k) {
        _ = r.node(k)  // reported above
      }
      r.finish()
      return (placeholder, nil)
    }
    if present.count > 1 {
      issues.add(
        path, "column '\(name)' has several kinds: \(present.joined(separator: ", "))", hint: "keep exactly one",
        at: r.mark)
      return (placeholder, nil)
    }
    var column = placeholder
    column.description = description
    column.nullRate = nullRate
    var ref: PendingRef?
    let kind = present[0]
    let kindNode = r.node(kind)!
    let kp = r.sub(kind)
    switch kind {
    case "provider":
      guard case .scalar(let pname, _, _) = kindNode else {
        issues.add(kp, "expected a provider name", at: kindNode.mark)
        break
      }
      guard let def = ProviderRegistry.named(pname) else {
        issues.add(
          kp, "unknown provider '\(pname)'",
          hint: Suggestion.hint(for: pname, in: ProviderRegistry.names) + " (`decoy providers` lists them)",
          at: kindNode.mark)
        r.finish(extra: r.keys)
        return (placeholder, nil)
      }
      let override = def.identifierKind != nil && r.has("level") ? peekLevel(r) : nil
      let factory = def.factory(reading: &r)
      column = ColumnSpec(
        name: name, type: def.type, summary: "provider \(pname)", nullRate: nullRate,
        identifierKind: def.identifierKind, factory: factory)
      column.levelOverride = override
      column.provider = pname
      column.description = description ?? def.summary
    case "sequence":
      var start: Int64 = 1
      var step: Int64 = 1
      if case .scalar(let s, _, _) = kindNode {
        if let v = Int64(s) {
          start = v
        } else if s != "true" {
          issues.add(kp, "expected a start number or {start, step}", at: kindNode.mark)
        }
      } else {
        var m = MapReader(kindNode, path: kp, issues: issues)
        start = m.int("start") ?? 1
        step = m.int("step") ?? 1
        if step == 0 { issues.add(m.sub("step"), "step must not be 0", at: kindNode.mark) }
        m.finish()
      }
      column = ColumnSpec(
        name: name, type: .int, summary: "sequence from \(start) step \(step)", nullRate: nullRate,
        factory: ColumnKinds.sequence(start: start, step: step))
    case "range":
      column = decodeRange(kindNode, path: kp, name: name, nullRate: nullRate, issues: issues) ?? placeholder
    case "choice":
      var values: [String] = []
      var weights: [Double] = []
      if case .sequence(let items, _) = kindNode {
        values = scalars(items, path: kp, issues: issues)
        weights = Array(repeating: 1, count: values.count)
      } else {
        var m = MapReader(kindNode, path: kp, issues: issues)
        if case .sequence(let items, _)? = m.node("values") {
          values = scalars(items, path: m.sub("values"), issues: issues)
        } else {
          issues.add(m.sub("values"), "expected a list of values", at: kindNode.mark)
        }
        if let wn = m.node("weights") {
          if case .sequence(let items, _) = wn {
            weights = scalars(items, path: m.sub("weights"), issues: issues).map { Double($0) ?? -1 }
          }
          if weights.count != values.count {
            issues.add(
              m.sub("weights"), "\(weights.count) weights for \(values.count) values",
              hint: "give one weight per value", at: wn.mark)
          } else if weights.contains(where: { $0 < 0 }) || weights.reduce(0, +) <= 0 {
            issues.add(m.sub("weights"), "weights must be non-negative numbers with a positive sum", at: wn.mark)
          }
        } else {
          weights = Array(repeating: 1, count: values.count)
        }
        m.finish()
      }
      if values.isEmpty {
        issues.add(kp, "a choice needs at least one value", at: kindNode.mark)
      } else if weights.count == values.count, weights.allSatisfy({ $0 >= 0 }), weights.reduce(0, +) > 0 {
        column = ColumnSpec(
          name: name, type: .string, summary: "choice of \(values.count) values", nullRate: nullRate,
          factory: ColumnKinds.choice(values: values, weights: weights))
      }
    case "pattern":
      if case .scalar(let p, _, _) = kindNode, !p.isEmpty {
        column = ColumnSpec(
          name: name, type: .string, summary: "pattern \(p)", nullRate: nullRate, factory: ColumnKinds.pattern(p))
      } else {
        issues.add(kp, "expected a non-empty pattern such as \"AB-###-??\"", at: kindNode.mark)
      }
    case "date", "timestamp":
      var m = MapReader(kindNode, path: kp, issues: issues)
      let from = m.date("from", required: true)
      let to = m.date("to", required: true)
      m.finish()
      if let from, let to {
        if from > to {
          issues.add(kp, "impossible range: from \(from) is after to \(to)", hint: "swap the dates", at: kindNode.mark)
        } else if kind == "date" {
          column = ColumnSpec(
            name: name, type: .date, summary: "date \(from)…\(to)", nullRate: nullRate,
            factory: ColumnKinds.date(from: from, to: to))
        } else {
          column = ColumnSpec(
            name: name, type: .timestamp, summary: "timestamp \(from)…\(to)", nullRate: nullRate,
            factory: ColumnKinds.timestamp(from: from, to: to))
        }
      }
    case "derive":
      if case .scalar(let t, _, _) = kindNode {
        switch DerivedColumn.parse(t) {
        case .success(let parts):
          let g = DerivedColumn(parts: parts)
          column = ColumnSpec(
            name: name, type: .string, summary: "derived \(t)", nullRate: nullRate, dependencies: g.dependencies
          ) { _ in g }
        case .failure(let e):
          issues.add(
            kp, "bad template: \(e.message)", hint: "write column names in braces, e.g. \"{first_name}.{last_name}\"",
            at: kindNode.mark)
        }
      } else {
        issues.add(kp, "expected a template string", at: kindNode.mark)
      }
    case "constant":
      if case .scalar(let v, _, _) = kindNode {
        column = ColumnSpec(
          name: name, type: .string, summary: "constant", nullRate: nullRate, factory: ColumnKinds.constant(v))
      } else {
        issues.add(kp, "expected a single value", at: kindNode.mark)
      }
    case "ref":
      if case .scalar(let t, _, _) = kindNode, t.split(separator: ".").count == 2 {
        let parts = t.split(separator: ".").map(String.init)
        ref = PendingRef(column: index, table: parts[0], target: parts[1], path: kp, mark: kindNode.mark)
        column.summary = "reference to \(t)"
      } else {
        issues.add(kp, "expected table.column, e.g. customers.id", at: kindNode.mark)
      }
    default:
      break
    }
    r.finish(extra: kind == "provider" ? [] : [])
    return (column, ref)
  }

  /// The `level:` of a column without marking the key as read (its provider reads it).
  static func peekLevel(_ r: MapReader) -> IdentifierLevel? {
    var copy = MapReader(.mapping(r.rawEntries, at: r.mark), path: r.path, issues: IssueCollector())
    return copy.level()
  }

  static func scalars(_ items: [SpecNode], path: String, issues: IssueCollector) -> [String] {
    items.enumerated().compactMap { (i, n) in
      if case .scalar(let s, _, _) = n { return s }
      issues.add("\(path)[\(i)]", "expected a single value, found \(n.kindName)", at: n.mark)
      return nil
    }
  }

  static func decodeRange(_ node: SpecNode, path: String, name: String, nullRate: Double, issues: IssueCollector)
    -> ColumnSpec?
  {
    var m = MapReader(node, path: path, issues: issues)
    let lo = m.double("min", required: true)
    let hi = m.double("max", required: true)
    let decimals = m.int("decimals")
    let typeName = m.oneOf("type", ["int", "decimal", "double"])
    let dist = m.oneOf("distribution", ["uniform", "normal", "lognormal", "exponential"]) ?? "uniform"
    var shape = ColumnKinds.RangeShape.uniform
    switch dist {
    case "normal":
      let mean = m.double("mean", required: true) ?? 0
      let sd = m.double("sd", required: true) ?? 1
      if sd <= 0 { issues.add(m.sub("sd"), "sd must be positive", at: node.mark) }
      shape = .normal(mean: mean, sd: sd)
    case "lognormal":
      let median = m.double("median", required: true) ?? 1
      let sigma = m.double("sigma") ?? 1
      if median <= 0 || sigma <= 0 { issues.add(path, "lognormal needs median > 0 and sigma > 0", at: node.mark) }
      shape = .logNormal(mu: median > 0 ? log(median) : 0, sigma: sigma)
    case "exponential":
      let mean = m.double("mean", required: true) ?? 1
      if mean <= 0 { issues.add(m.sub("mean"), "mean must be positive", at: node.mark) }
      shape = .exponential(mean: mean)
    default: break
    }
    m.finish()
    guard let lo, let hi else { return nil }
    if lo > hi {
      issues.add(path, "impossible range: min \(lo) > max \(hi)", hint: "swap min and max", at: node.mark)
      return nil
    }
    if let d = decimals, d < 0 || d > 9 {
      issues.add(m.sub("decimals"), "decimals must be 0…9", at: node.mark)
      return nil
    }
    let type: ValueType
    if let d = decimals, typeName != "double" {
      type = d == 0 ? .int : .decimal(scale: Int(d))
    } else if typeName == "double" {
      type = .double
    } else if typeName == "decimal" {
      type = .decimal(scale: 2)
    } else if lo == lo.rounded() && hi == hi.rounded() && typeName != "double" {
      type = .int
    } else {
      type = .double
    }
    if type == .int && lo.rounded(.up) > hi.rounded(.down) {
      issues.add(path, "no integer lies in \(lo)…\(hi)", at: node.mark)
      return nil
    }
    if case .decimal(let scale) = type {
      let p = pow(10.0, Double(scale))
      if (lo * p).rounded(.up) > (hi * p).rounded(.down) {
        issues.add(
          path, "no number with \(scale) decimals lies in \(lo)…\(hi)", hint: "widen the range or allow more decimals",
          at: node.mark)
        return nil
      }
    }
    return ColumnSpec(
      name: name, type: type, summary: "\(dist) range \(lo)…\(hi)", nullRate: nullRate,
      factory: ColumnKinds.range(min: lo, max: hi, type: type, shape: shape))
  }
}
