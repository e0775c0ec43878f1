import DecoyCore

/// The graph rows of a batch's users, computed once per batch and shared by the table's columns.
final class GraphRows {
  let items: [any Sendable]

  init(_ graph: FraudGraph, parents: [UInt64], nodes: Bool) {
    var out: [any Sendable] = []
    out.reserveCapacity(parents.count)
    var k = 0
    while k < parents.count {
      let u = parents[k]
      let r = graph.rows(u)
      let n = nodes ? r.nodes.count : r.edges.count
      if nodes { out.append(contentsOf: r.nodes as [any Sendable]) } else { out.append(contentsOf: r.edges as [any Sendable]) }
      k += n
      precondition(k <= parents.count && (k == parents.count || parents[k] != u), "graph row count of user \(u) disagrees with the plan")
    }
    items = out
  }
}

/// A column of `graph_nodes` or `graph_edges`.
struct GraphColumn: ColumnGenerator {
  let type: ValueType
  let graph: FraudGraph
  let nodes: Bool
  let write: @Sendable (any Sendable, UInt64, UInt64, ColumnBuffer) -> Void

  init(_ type: ValueType, _ graph: FraudGraph, nodes: Bool, _ write: @escaping @Sendable (any Sendable, UInt64, UInt64, ColumnBuffer) -> Void) {
    self.type = type
    self.graph = graph
    self.nodes = nodes
    self.write = write
  }

  func fill(_ out: ColumnBuffer, batch: BatchView) {
    let key = StableHash.string(nodes ? "fraud.graph.nodes" : "fraud.graph.edges")
    let memo = batch.cache?.object(key) { GraphRows(graph, parents: batch.parentIndex, nodes: nodes) }
      ?? GraphRows(graph, parents: batch.parentIndex, nodes: nodes)
    var row = batch.rows.lowerBound
    for k in 0..<batch.count {
      write(memo.items[k], batch.parentIndex[k], row, out)
      row += 1
    }
  }
}
