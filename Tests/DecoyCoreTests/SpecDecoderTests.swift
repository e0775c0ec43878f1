import Testing

@testable import DecoyCore

@Suite struct SpecDecoderTests {
  func issues(_ yaml: String) -> [SpecIssue] {
    do {
      _ = try SpecDecoder.decode(yaml, file: "s.yaml")
      return []
    } catch {
      if case .invalidSpec(_, let issues) = error { return issues }
      return []
    }
  }

  @Test func reportsFiveDifferentMistakesTogether() {
    let yaml = """
      version: 1
      tabels_extra: 3
      tables:
        - name: people
          rows: 10
          columns:
            - {name: id, sequence: 1}
            - {name: first, provider: person.frist_name}
            - {name: amount, range: {min: 10, max: 1}}
            - {name: note, derive: "{nothere}"}
            - {name: kind, choice: {values: [a, b], weights: [1]}}
      """
    let found = issues(yaml)
    #expect(found.count == 5, "\(found.map(\.description))")
    let paths = found.map(\.path)
    #expect(paths.contains("tabels_extra"))
    #expect(paths.contains("tables[0].columns[1].provider"))
    #expect(paths.contains("tables[0].columns[2].range"))
    #expect(paths.contains("tables[0].columns[3].derive"))
    #expect(paths.contains("tables[0].columns[4].choice.weights"))
    #expect(found.first { $0.path.hasSuffix("provider") }?.hint?.contains("person.first_name") == true)
    #expect(found.allSatisfy { $0.line != nil })
  }

  /// `unique:` names columns of the table (one name or a list) and reaches the table's layout.
  @Test func uniqueKeysNameColumnsOfTheTable() throws {
    let table = "version: 1\ntables:\n  - name: t\n    rows: 5\n    primary_key: a\n"
    let columns = "    columns: [{name: a, sequence: 1}, {name: b, sequence: 1}]\n"
    let wrong = issues(table + "    unique: [b, emial]\n" + columns)
    #expect(
      wrong.count == 1 && wrong[0].path == "tables[0].unique" && wrong[0].message.contains("emial"),
      "\(wrong.map(\.description))")
    #expect(issues(table + "    unique: {b: 1}\n" + columns).contains { $0.path == "tables[0].unique" })
    #expect(try SpecDecoder.decode(table + "    unique: b\n" + columns).tables[0].uniqueKeys == ["b"])
    #expect(try SpecDecoder.decode(table + "    unique: [b]\n" + columns).tables[0].uniqueKeys == ["b"])
  }

  @Test func unknownKeysSuggestTheNearestName() {
    let found = issues("version: 1\ntables:\n  - name: t\n    rowz: 5\n    columns: [{name: a, sequence: 1}]\n")
    #expect(found.contains { $0.path == "tables[0].rowz" && $0.hint?.contains("rows") == true })
  }

  @Test func parentCyclesAndUnknownParents() {
    let yaml = """
      version: 1
      tables:
        - {name: a, parent: {table: b, count: 1}, columns: [{name: x, sequence: 1}]}
        - {name: b, parent: {table: a, count: 1}, columns: [{name: y, sequence: 1}]}
        - {name: c, parent: {table: zz, count: 1}, columns: [{name: z, sequence: 1}]}
      """
    let found = issues(yaml)
    #expect(found.contains { $0.message.contains("cycle") })
    #expect(found.contains { $0.message.contains("unknown table 'zz'") })
  }

  @Test func derivedColumnCycles() {
    let yaml = """
      version: 1
      tables:
        - name: t
          rows: 1
          columns:
            - {name: a, derive: "{b}"}
            - {name: b, derive: "{a}"}
      """
    #expect(issues(yaml).contains { $0.message.contains("cycle") })
  }

  @Test func badTypesAndImpossibleValues() {
    let yaml = """
      version: 1
      tables:
        - name: t
          rows: many
          columns:
            - {name: d, date: {from: 2025-01-01, to: 2024-01-01}}
            - {name: n, sequence: 1, null_rate: 2}
      """
    let found = issues(yaml)
    #expect(found.contains { $0.path == "tables[0].rows" && $0.message.contains("integer") })
    #expect(found.contains { $0.message.contains("impossible range") })
    #expect(found.contains { $0.path.hasSuffix("null_rate") })
  }

  @Test func negativeCountsAndEmptyDecimalRanges() {
    let yaml = """
      version: 1
      tables:
        - {name: a, rows: 2, columns: [{name: x, range: {min: 0.001, max: 0.002, decimals: 2}}]}
        - {name: b, parent: {table: a, count: {distribution: fixed, value: -1}}, columns: [{name: y, sequence: 1}]}
        - {name: c, parent: {table: a, count: -3}, columns: [{name: z, sequence: 1}]}
      """
    let found = issues(yaml)
    #expect(found.contains { $0.message.contains("2 decimals") })
    #expect(found.contains { $0.path == "tables[1].parent.count.value" })
    #expect(found.contains { $0.path == "tables[2].parent.count" })
  }

  @Test func yamlSyntaxErrorsHaveAPosition() {
    let found = issues("version: 1\ntables: [\n")
    #expect(found.count == 1 && found[0].line != nil)
  }

  @Test func validSpecDecodes() throws {
    let spec = try SpecDecoder.decode(
      """
      {"version": 1, "tables": [{"name": "t", "rows": 3, "columns": [{"name": "id", "sequence": {"start": 10, "step": 5}}]}]}
      """)
    #expect(spec.tables[0].columns[0].type == .int)
  }
}
