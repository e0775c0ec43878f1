public import DecoyCore

/// A fitted model as a dataset spec for the engine: one table whose learned columns come from the
/// synthesizer (all of a batch's rows drawn once and shared by its columns), whose identifiers come
/// from Decoy's providers at the run's identifier level, and whose keys are regenerated in their
/// shape. Every writer, shard and thread count of `decoy generate` then applies unchanged.
public enum LearnedDataset {
  /// The spec drawing `rows` rows from `model`.
  public static func spec(_ model: LearnedModel, rows: UInt64) throws(DecoyError) -> DatasetSpec {
    let m = model.manifest
    let table =
      OutputName.isSafe(m.table) && SpecDecoder.isIdentifier(m.table) && m.table.utf8.count <= 100 ? m.table : "sample"
    let batchKey = StableHash.combine(StableHash.string("learned-batch"), StableHash.string(table))
    let sexColumn = PersonSex.column(in: m)
    var columns: [ColumnSpec] = []
    for (c, p) in m.profiles.enumerated() {
      let name = p.name
      switch p.routing {
      case .learned:
        guard let e = m.encodings.firstIndex(where: { $0.column == c }) else { continue }
        let enc = m.encodings[e]
        let out = OutputType.of(p)
        let firstVariable = m.variables.firstIndex { $0.encoding == e }!
        let synth = model.synthesizer
        let variableCount = m.variables.count
        var col = ColumnSpec(
          name: name, type: out.type, summary: "learned \(p.kind.rawValue) (\(m.synthesizer.rawValue))"
        ) {
          b in
          LearnedColumn(
            type: out.type, style: out, encoding: enc, profile: p, first: firstVariable, key: batchKey,
            variables: variableCount, synthesizer: synth, stream: b.context.stream("learn", b.table, "sample"))
        }
        col.description = "learned from the sample"
        columns.append(col)
      case .provider:
        let provider = p.provider ?? "uuid"
        guard let def = ProviderRegistry.named(provider) else {
          throw .usage("the model routes column '\(name)' to unknown provider '\(provider)'", hint: "fit it again")
        }
        if let sexColumn, let kind = PersonSex.NameKind(provider: provider) {
          let dependency = m.profiles[sexColumn].name
          let mapping = PersonSex.mapping(m, sexColumn)
          var col = ColumnSpec(
            name: name, type: .string, summary: "provider \(provider), agreeing with learned \(dependency)",
            dependencies: [dependency], identifierKind: def.identifierKind
          ) { b throws(DecoyError) in
            try PersonSex.column(kind, b, sexColumn: dependency, mapping: mapping)
          }
          col.provider = provider
          columns.append(col)
          continue
        }
        var reader = MapReader(.mapping([], at: SourceMark(line: 0, column: 0)), path: "", issues: IssueCollector())
        var col = ColumnSpec(
          name: name, type: def.type, summary: "provider \(provider)", identifierKind: def.identifierKind,
          factory: def.factory(reading: &reader))
        col.provider = provider
        columns.append(col)
      case .key:
        let template = p.keyTemplate ?? "integer"
        columns.append(KeyShape.column(name: name, template: template, rows: rows))
      case .constant:
        let value = p.constant ?? ""
        let share = p.nullShare ?? 0
        var col = ColumnSpec(name: name, type: .string, summary: "constant") { _ in
          StringColumn { _, out in out.append(contentsOf: value.utf8) }
        }
        col.nullRate = share
        columns.append(col)
      case .placeholder where p.textWords != nil:
        let words = p.textWords!
        guard PlaceholderText.isValid(words) else {
          throw .usage("the model's word counts of text column '\(name)' are damaged", hint: "fit it again")
        }
        var col = ColumnSpec(name: name, type: .string, summary: "placeholder text (no word learned)") { b in
          PlaceholderText.column(quantiles: words, stream: b.context.stream("learn", b.table, name, "text"))
        }
        col.description = "placeholder sentences with the sample's word counts"
        col.nullRate = p.nullShare ?? 0
        columns.append(col)
      case .null, .placeholder:
        var col = ColumnSpec(name: name, type: .string, summary: "null") { _ in NullColumn() }
        col.nullRate = 0
        columns.append(col)
      }
    }
    var spec = DatasetSpec(name: table, tables: [TableSpec(name: table, rows: rows, columns: columns)])
    spec.description = "learned from a sample by \(m.synthesizer.rawValue)"
    return spec
  }
}

/// A column of nulls.
struct NullColumn: ColumnGenerator {
  let type = ValueType.string
  func fill(_ out: ColumnBuffer, batch: BatchView) {
    for _ in 0..<batch.count { out.appendNull() }
  }
}
