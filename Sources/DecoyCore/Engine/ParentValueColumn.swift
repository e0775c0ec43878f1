/// A child-table column that repeats a column of the parent row, by running the parent column's
/// own generator for that parent row (so the value is the one the parent table shows).
public struct ParentValueColumn: ColumnGenerator {
  let inner: any ColumnGenerator
  public var type: ValueType { inner.type }

  public init(_ inner: any ColumnGenerator) { self.inner = inner }

  public func fill(_ out: ColumnBuffer, batch: BatchView) {
    let one = ColumnBuffer(type: inner.type, capacity: 1)
    var k = 0
    while k < batch.count {
      // A child batch holds each parent's rows together: generate the parent's value once per run.
      let p = batch.parentIndex[k]
      one.reset()
      inner.fill(one, batch: BatchView(rows: p..<(p + 1)))
      while k < batch.count && batch.parentIndex[k] == p {
        if one.isNull(0) {
          out.appendNull()
        } else {
          switch type {
          case .string:
            out.bytes.append(contentsOf: one.bytes[one.stringRange(0)])
            out.endString()
          case .double: out.appendDouble(one.doubles[0])
          default: out.appendInt(one.ints[0])
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
    var c = ColumnSpec(name: name, type: column.type, summary: summary, identifierKind: column.identifierKind) { b throws(DecoyError) in
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
