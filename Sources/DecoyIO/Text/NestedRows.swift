public import DecoyCore

/// One table's rows of the current chunk for ``NestedJSONWriter``, read front to back, with the
/// tables nested in it. A child table also holds how many of its rows belong to each parent row.
public final class NestedRows {
  /// The table's name (the key its rows are nested under).
  public let name: String
  /// Column names.
  public let columns: [String]
  /// Tables whose rows nest inside this table's rows.
  public let children: [NestedRows]
  /// `"name": ` of every column, then of every child table, escaped once.
  let keys: [[UInt8]]
  private var batches: [[ColumnBuffer]] = []
  private var batch = 0
  private var offset = 0
  private var counts: [Int] = []
  private var countIndex = 0

  public init(name: String, columns: [String], children: [NestedRows]) {
    self.name = name
    self.columns = columns
    self.children = children
    keys = (columns + children.map(\.name)).map { n -> [UInt8] in
      var b: [UInt8] = []
      JSONRecordEncoder.appendString(Array(n.utf8), to: &b)
      b.append(contentsOf: ": ".utf8)
      return b
    }
  }

  /// Replaces the chunk: its batches in row order and, for a child table, the rows per parent.
  public func load(batches: [[ColumnBuffer]], counts: [Int] = []) {
    self.batches = batches
    self.counts = counts
    batch = 0
    offset = 0
    countIndex = 0
  }

  /// The next row: its batch's columns and its index there.
  func next() -> ([ColumnBuffer], Int) {
    while offset >= (batches[batch].first?.count ?? 0) {
      batch += 1
      offset = 0
    }
    defer { offset += 1 }
    return (batches[batch], offset)
  }

  /// How many rows the next parent row has.
  func nextCount() -> Int {
    defer { countIndex += 1 }
    return counts[countIndex]
  }
}
