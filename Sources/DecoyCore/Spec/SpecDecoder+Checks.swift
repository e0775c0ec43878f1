extension SpecDecoder {
  /// Cross-table checks: duplicate names, unknown parents, parent cycles, derived-column references and cycles.
  static func checkTables(_ spec: inout DatasetSpec, nodes: [SpecNode], issues: IssueCollector) {
    var seen: [String] = []
    for (ti, t) in spec.tables.enumerated() {
      let path = "tables[\(ti)]"
      let mark = nodes[ti].mark
      if seen.contains(t.name) { issues.add(path + ".name", "duplicate table name '\(t.name)'", at: mark) }
      seen.append(t.name)
      var cols: [String] = []
      for (ci, c) in t.columns.enumerated() {
        if cols.contains(c.name) {
          issues.add("\(path).columns[\(ci)].name", "duplicate column name '\(c.name)'", at: mark)
        }
        cols.append(c.name)
      }
      if let pk = t.primaryKey, !cols.contains(pk) {
        issues.add(path + ".primary_key", "unknown column '\(pk)'", hint: Suggestion.hint(for: pk, in: cols), at: mark)
      }
      for u in t.uniqueKeys where !cols.contains(u) {
        issues.add(path + ".unique", "unknown column '\(u)'", hint: Suggestion.hint(for: u, in: cols), at: mark)
      }
      for (ci, c) in t.columns.enumerated() {
        for d in c.dependencies where !cols.contains(d) {
          issues.add(
            "\(path).columns[\(ci)].derive", "unknown column '\(d)' in template",
            hint: Suggestion.hint(for: d, in: cols), at: mark)
        }
      }
      // Cycles among derived columns (depth-first search in declaration order).
      var state = [String: Int]()
      func visit(_ name: String, _ trail: [String]) -> [String]? {
        if state[name] == 1 { return trail + [name] }
        if state[name] == 2 { return nil }
        state[name] = 1
        for d in t.columns.first(where: { $0.name == name })?.dependencies ?? [] {
          if let cyc = visit(d, trail + [name]) { return cyc }
        }
        state[name] = 2
        return nil
      }
      for c in t.columns where state[c.name] == nil {
        if let cyc = visit(c.name, []) {
          issues.add(
            "\(path).columns", "derived columns form a cycle: \(cyc.joined(separator: " → "))",
            hint: "a column cannot depend on itself", at: mark)
          break
        }
      }
      if let p = t.parent {
        if !spec.tables.contains(where: { $0.name == p.table }) {
          issues.add(
            path + ".parent.table", "unknown table '\(p.table)'",
            hint: Suggestion.hint(for: p.table, in: spec.tables.map(\.name)), at: mark)
        } else if p.table == t.name {
          issues.add(path + ".parent.table", "a table cannot be its own parent", at: mark)
        }
      }
    }
    // Parent cycles.
    for (ti, t) in spec.tables.enumerated() {
      var chain = [t.name]
      var cur = t.parent?.table
      while let c = cur, let next = spec.table(c) {
        if chain.contains(c) {
          if c == t.name && chain.count > 1 {
            issues.add(
              "tables[\(ti)].parent", "parent tables form a cycle: \((chain + [c]).joined(separator: " → "))",
              hint: "one table must have rows: instead of parent:", at: nodes[ti].mark)
          }
          break
        }
        chain.append(c)
        cur = next.parent?.table
      }
    }
  }

  /// Builds `ref` columns now that every table is known.
  static func resolveRefs(
    _ spec: inout DatasetSpec, pending: [(table: Int, column: Int, ref: PendingRef)], issues: IssueCollector
  ) {
    for p in pending {
      let child = spec.tables[p.table]
      guard let target = spec.table(p.ref.table) else {
        issues.add(
          p.ref.path, "unknown table '\(p.ref.table)'",
          hint: Suggestion.hint(for: p.ref.table, in: spec.tables.map(\.name)), at: p.ref.mark)
        continue
      }
      guard let tc = target.columns.first(where: { $0.name == p.ref.target }) else {
        issues.add(
          p.ref.path, "table '\(target.name)' has no column '\(p.ref.target)'",
          hint: Suggestion.hint(for: p.ref.target, in: target.columns.map(\.name)), at: p.ref.mark)
        continue
      }
      if !tc.dependencies.isEmpty || tc.nullRate > 0 {
        issues.add(
          p.ref.path, "'\(target.name).\(tc.name)' cannot be referenced: it is derived or nullable",
          hint: "reference a key column (sequence, uuid, …)", at: p.ref.mark)
        continue
      }
      let targetName = target.name
      let colName = tc.name
      let tf = tc.factory
      var col = spec.tables[p.table].columns[p.column]
      col.type = tc.type
      col.reference = (targetName, colName)
      if child.parent?.table == target.name {
        col.factory = { b throws(DecoyError) in
          var pb = b
          pb.table = targetName
          pb.column = colName
          pb.entityTable = targetName
          return ParentRefColumn(parent: try tf(pb))
        }
      } else {
        guard let rows = target.rows, rows > 0 else {
          issues.add(
            p.ref.path, "'\(target.name)' has no fixed row count to pick from",
            hint: "reference a table with rows:, or make it the parent", at: p.ref.mark)
          continue
        }
        let childName = child.name
        let refCol = col.name
        col.factory = { b throws(DecoyError) in
          var pb = b
          pb.table = targetName
          pb.column = colName
          pb.entityTable = targetName
          return RandomRefColumn(
            target: try tf(pb), rows: b.tableRows[targetName] ?? rows,
            stream: b.context.stream(childName, refCol, "ref"))
        }
      }
      spec.tables[p.table].columns[p.column] = col
    }
  }
}
