public import DecoyCore

/// A table as the metrics see it: per statistical column, numbers (NaN for null; dates as days,
/// date-times as seconds) or category keys (nil for null), parsed with the real table's detected
/// formats so that real, synthetic and holdout tables are read the same way.
public struct EvalTable: Sendable {
  public enum Column: Sendable {
    case continuous([Double])
    case discrete([String?])
  }

  public var names: [String]
  public var kinds: [ColumnKind]
  public var columns: [Column]
  public var rows: Int

  /// Reads the statistical columns of `table` (learned kinds of `profiles`, matched by name). A
  /// value that does not parse is read as null. `rows` selects rows (default: all).
  public init(_ table: SampleTable, profiles: [ColumnProfile], rows subset: [Int]? = nil) throws(DecoyError) {
    names = []
    kinds = []
    columns = []
    let selected = subset ?? Array(0..<table.rowCount)
    rows = selected.count
    var encoder = TableEncoder()
    encoder.coerce = true
    for p in profiles where p.kind.isLearned {
      guard let c = table.columns.firstIndex(of: p.name) else {
        throw .usage(
          "\(table.source) has no column '\(p.name)'", hint: "compare tables with the same columns (the real table's)")
      }
      names.append(p.name)
      kinds.append(p.kind)
      if p.kind.isContinuous {
        columns.append(.continuous(selected.map { r in (try? encoder.parse(table, c, r, p)).flatMap { $0 } ?? .nan }))
      } else {
        let b = table.values[c]
        columns.append(.discrete(selected.map { encoder.category(b, $0, p) }))
      }
    }
  }

  public func isContinuous(_ i: Int) -> Bool {
    if case .continuous = columns[i] { return true }
    return false
  }

  /// The given rows, in the given order.
  public func selecting(_ rows: [Int]) -> EvalTable {
    var out = self
    out.rows = rows.count
    for i in columns.indices {
      switch columns[i] {
      case .continuous(let x): out.columns[i] = .continuous(rows.map { x[$0] })
      case .discrete(let x): out.columns[i] = .discrete(rows.map { x[$0] })
      }
    }
    return out
  }
}
