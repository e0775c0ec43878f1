public import DecoyCore

/// What a child-table column sees of one row: the item scenario code made for it, its parent row and
/// its global row number.
public struct ChildRow<Item> {
  public let item: Item
  public let parent: UInt64
  public let row: UInt64
}

/// The rows of a batch's parents, made once per batch and shared by every column of the table.
final class ParentItems<Item> {
  let items: [Item]

  init(parents: [UInt64], make: (UInt64) -> [Item]) {
    var out: [Item] = []
    out.reserveCapacity(parents.count)
    var k = 0
    while k < parents.count {
      let p = parents[k]
      let rows = make(p)
      out.append(contentsOf: rows)
      k += rows.count
      precondition(
        k <= parents.count && (k == parents.count || parents[k] != p),
        "row count of parent \(p) disagrees with the plan")
    }
    items = out
  }
}

/// A child-table column whose rows come from scenario code run once per parent row: `make(parent)`
/// gives that parent's rows (a child batch always holds whole parents), and `write` writes one
/// value. The first column of a batch runs `make` for the batch's parents; the others read the
/// result from the batch's cache under `key`, so a table's columns share one simulation.
public struct PerParentColumn<Item>: ColumnGenerator {
  public let type: ValueType
  let key: UInt64
  let make: @Sendable (UInt64) -> [Item]
  let write: @Sendable (ChildRow<Item>, ColumnBuffer) -> Void

  /// `key` names `make` (one name per table's item kind).
  public init(
    _ type: ValueType, key: String, make: @escaping @Sendable (UInt64) -> [Item],
    _ write: @escaping @Sendable (ChildRow<Item>, ColumnBuffer) -> Void
  ) {
    self.type = type
    self.key = StableHash.string(key)
    self.make = make
    self.write = write
  }

  public func fill(_ out: ColumnBuffer, batch: BatchView) {
    let memo =
      batch.cache?.object(key) { ParentItems(parents: batch.parentIndex, make: make) }
      ?? ParentItems(parents: batch.parentIndex, make: make)
    var row = batch.rows.lowerBound
    for k in 0..<batch.count {
      write(ChildRow(item: memo.items[k], parent: batch.parentIndex[k], row: row), out)
      row += 1
    }
  }
}
