/// A child-table column that repeats a column of the parent row, by running the parent column's
/// own generator for that parent row (so the value is the one the parent table shows).
public struct ParentValueColumn: ColumnGenerator {
  let inner: any ColumnGenerator
  public var type: ValueType { inner.type }

  public init(_ inner: any ColumnGenerator) { self.inner = inner }

  public func fill(_ out: ColumnBuffer, batch: BatchView) {
    guard let first = batch.parentIndex.first, let last = batch.parentIndex.last else { return }
    // A child batch holds each parent's rows together, parents ascending: run the parent column
    // once over the batch's parent range (per parent when children are sparse over it).
    let span = Int(last - first) + 1
    let dense = span <= 2 * batch.count
    let values = ColumnBuffer(type: inner.type, capacity: dense ? span : 1)
    if dense { inner.fill(values, batch: BatchView(rows: first..<(last + 1))) }
    var k = 0
    while k < batch.count {
      let p = batch.parentIndex[k]
      var v = Int(p - first)
      if !dense {
        values.reset()
        inner.fill(values, batch: BatchView(rows: p..<(p + 1)))
        v = 0
      }
      while k < batch.count && batch.parentIndex[k] == p {
        if values.isNull(v) {
          out.appendNull()
        } else {
          switch type {
          case .string:
            out.bytes.append(contentsOf: values.bytes[values.stringRange(v)])
            out.endString()
          case .double: out.appendDouble(values.doubles[v])
          default: out.appendInt(values.ints[v])
          }
        }
        k += 1
      }
    }
  }
}

extension ColumnSpec {
  /// A child-table column named `name` that repeats `column` of the parent table `table` (for
  /// providers without `of: parent`, such as phone numbers).
  public static func repeating(_ column: ColumnSpec, of table: String, as name: String, summary: String) -> ColumnSpec {
    var c = ColumnSpec(name: name, type: column.type, summary: summary, identifierKind: column.identifierKind) {
      b throws(DecoyError) in
      var pb = b
      pb.table = table
      pb.column = column.name
      pb.entityTable = table
      pb.indexing = .row
      return ParentValueColumn(try column.factory(pb))
    }
    c.description = summary
    return c
  }
}
