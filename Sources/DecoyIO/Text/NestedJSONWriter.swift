public import DecoyCore

/// One pretty-printed JSON document in which child tables sit inside their parent rows:
/// `{"customers": [{"customer_id": 1, …, "orders": [{…}, …]}, …]}`. Rows arrive a chunk at a time
/// as ``NestedRows`` trees; the writer walks them in order, so memory is bounded by one chunk.
public final class NestedJSONWriter {
  private let sink: any ByteSink
  private var out: [UInt8] = []
  private var tablesStarted = 0
  private var rowsInTable = 0

  public init(sink: any ByteSink) {
    self.sink = sink
    out.reserveCapacity(1 << 20)
  }

  /// Starts the document.
  public func begin() { out.append(contentsOf: "{".utf8) }

  /// Starts the array of a top-level table.
  public func beginTable(_ name: String) {
    out.append(contentsOf: (tablesStarted > 0 ? ",\n  " : "\n  ").utf8)
    JSONRecordEncoder.appendString(Array(name.utf8), to: &out)
    out.append(contentsOf: ": [".utf8)
    tablesStarted += 1
    rowsInTable = 0
  }

  /// Writes the next `count` rows of `rows` (a top-level table), with their children.
  public func write(_ rows: NestedRows, count: Int) throws(DecoyError) {
    for _ in 0..<count {
      out.append(contentsOf: (rowsInTable > 0 ? ",\n    " : "\n    ").utf8)
      object(rows, depth: 2)
      rowsInTable += 1
      if out.count >= 1 << 20 { try flush() }
    }
  }

  /// Closes the array of the current top-level table.
  public func endTable() {
    out.append(contentsOf: (rowsInTable > 0 ? "\n  ]" : "]").utf8)
  }

  /// Closes the document and writes what is left.
  public func end() throws(DecoyError) {
    out.append(contentsOf: (tablesStarted > 0 ? "\n}\n" : "}\n").utf8)
    try flush()
  }

  private func flush() throws(DecoyError) {
    try sink.write(out)
    out.removeAll(keepingCapacity: true)
  }

  @inline(__always)
  private func newline(_ depth: Int) {
    out.append(10)
    for _ in 0..<depth { out.append(contentsOf: [32, 32]) }
  }

  private func object(_ rows: NestedRows, depth: Int) {
    let (columns, r) = rows.next()
    let keys = rows.keys
    out.append(123)
    for (ci, c) in columns.enumerated() {
      if ci > 0 { out.append(44) }
      newline(depth + 1)
      out.append(contentsOf: keys[ci])
      JSONRecordEncoder.appendValue(c, r, to: &out)
    }
    for (k, child) in rows.children.enumerated() {
      if !columns.isEmpty || k > 0 { out.append(44) }
      newline(depth + 1)
      out.append(contentsOf: keys[columns.count + k])
      let n = child.nextCount()
      out.append(91)
      for j in 0..<n {
        if j > 0 { out.append(44) }
        newline(depth + 2)
        object(child, depth: depth + 2)
      }
      if n > 0 { newline(depth + 1) }
      out.append(93)
    }
    newline(depth)
    out.append(125)
  }
}
