import DecoyCore
import DecoyIO

/// `--format json --nested`: the whole dataset as one pretty-printed document, each child table's
/// rows inside their parent row. Generation goes a chunk of top-level rows at a time: the chunk,
/// then exactly the children of those rows (slices of the child tables), so memory stays bounded
/// and every value equals the flat output's.
struct NestedJSONExport {
  let plan: Plan
  let source: any BatchSource
  let chunkRows: Int

  /// The tables, each with its nested tables, for the top-level (parentless) tables in spec order.
  func trees() -> [(TablePlan, NestedRows)] {
    func node(_ t: TablePlan) -> NestedRows {
      let kids = plan.tables.filter { $0.spec.parent?.table == t.spec.name }.map(node)
      return NestedRows(name: t.spec.name, columns: t.spec.columns.map(\.name), children: kids)
    }
    return plan.tables.filter { $0.spec.parent == nil }.map { ($0, node($0)) }
  }

  func run(into writer: NestedJSONWriter, cancel: CancellationFlag?, progress: (UInt64) -> Void) throws(DecoyError) {
    var nextRow: [String: UInt64] = [:]
    for t in plan.tables { nextRow[t.spec.name] = t.rows.lowerBound }
    var done: UInt64 = 0
    // Generates `slice` into `rows`, then the children of its rows, depth first.
    func fill(_ slice: TablePlan, _ rows: NestedRows, counts: [Int]) throws(DecoyError) {
      let recorder = RecordedBatches.Recorder()
      try source.run(slice, to: .batches(recorder), cancel: cancel, progress: { _ in })
      rows.load(batches: recorder.batches.map(\.columns), counts: counts)
      done += UInt64(slice.rows.count)
      for child in rows.children {
        guard let childPlan = plan.tables.first(where: { $0.spec.name == child.name }) else { continue }
        let perParent = plan.childCounts(childPlan, parents: slice.rows)
        let first = nextRow[child.name] ?? 0
        let n = UInt64(perParent.reduce(0, +))
        nextRow[child.name] = first + n
        try fill(plan.slice(childPlan, rows: first..<(first + n), parents: slice.rows), child, counts: perParent)
      }
    }
    writer.begin()
    for (table, rows) in trees() {
      writer.beginTable(table.spec.name)
      var a = table.rows.lowerBound
      while a < table.rows.upperBound {
        if cancel?.isCancelled == true { throw .cancelled }
        let b = min(table.rows.upperBound, a + UInt64(chunkRows))
        try fill(plan.slice(table, rows: a..<b), rows, counts: [])
        try writer.write(rows, count: Int(b - a))
        progress(done)
        a = b
      }
      writer.endTable()
    }
    try writer.end()
  }
}
