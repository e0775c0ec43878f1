/// A foreign key: the value of a column of the parent row, recomputed from the parent's generator
/// (parent tables are never held in memory). Children of one parent are contiguous, so a batch
/// needs one contiguous range of parent rows.
struct ParentRefColumn: ColumnGenerator {
  let parent: any ColumnGenerator
  var type: ValueType { parent.type }

  func fill(_ out: ColumnBuffer, batch: BatchView) {
    guard let lo = batch.parentIndex.first, let hi = batch.parentIndex.last else { return }
    let tmp = ColumnBuffer(type: parent.type, capacity: Int(hi - lo + 1))
    parent.fill(tmp, batch: BatchView(rows: lo..<(hi + 1)))
    for p in batch.parentIndex {
      let j = Int(p - lo)
      switch type {
      case .string:
        out.bytes.append(contentsOf: tmp.bytes[tmp.stringRange(j)])
        out.endString()
      case .double: out.appendDouble(tmp.doubles[j])
      default: out.appendInt(tmp.ints[j])
      }
    }
  }
}

/// A reference to a uniformly chosen row of another (non-parent) table.
struct RandomRefColumn: ColumnGenerator {
  let target: any ColumnGenerator
  let rows: UInt64
  let stream: RandomStream
  var type: ValueType { target.type }

  func fill(_ out: ColumnBuffer, batch: BatchView) {
    let tmp = ColumnBuffer(type: target.type, capacity: 1)
    for row in batch.rows {
      let j = stream.below(rows, row)
      tmp.reset()
      target.fill(tmp, batch: BatchView(rows: j..<(j + 1)))
      switch type {
      case .string:
        out.bytes.append(contentsOf: tmp.bytes[tmp.stringRange(0)])
        out.endString()
      case .double: out.appendDouble(tmp.doubles[0])
      default: out.appendInt(tmp.ints[0])
      }
    }
  }
}
