public import DecoyCore

/// The histories of a batch's users, simulated once per batch and shared by every transaction or
/// metadata column (a child batch holds whole users).
final class UserHistories {
  let histories: [FraudSimulator.History]
  /// Per row of the batch: (history index, record index).
  let rows: [(Int, Int)]

  init(_ sim: FraudSimulator, parents: [UInt64]) {
    var hs: [FraudSimulator.History] = []
    var rows: [(Int, Int)] = []
    rows.reserveCapacity(parents.count)
    var k = 0
    while k < parents.count {
      let u = parents[k]
      let h = sim.history(u)
      for j in h.records.indices { rows.append((hs.count, j)) }
      hs.append(h)
      k += h.records.count
      precondition(k <= parents.count && (k == parents.count || parents[k] != u), "transaction count of user \(u) disagrees with the plan")
    }
    histories = hs
    self.rows = rows
  }
}

/// A column of `generated_records` or `evaluation_metadata`: one value per transaction.
public struct RecordColumn: ColumnGenerator {
  /// What a column sees of a row.
  public struct Row {
    public let history: FraudSimulator.History
    public let record: FraudSimulator.Record
    /// Position in the user's history.
    public let index: Int
    public let user: UInt64
    /// Global row number in the table.
    public let row: UInt64
  }

  public let type: ValueType
  let simulator: FraudSimulator
  let write: @Sendable (Row, ColumnBuffer) -> Void

  static let cacheKey = StableHash.string("fraud.histories")

  public init(_ type: ValueType, _ simulator: FraudSimulator, _ write: @escaping @Sendable (Row, ColumnBuffer) -> Void) {
    self.type = type
    self.simulator = simulator
    self.write = write
  }

  public func fill(_ out: ColumnBuffer, batch: BatchView) {
    let memo = batch.cache?.object(RecordColumn.cacheKey) { UserHistories(simulator, parents: batch.parentIndex) }
      ?? UserHistories(simulator, parents: batch.parentIndex)
    var row = batch.rows.lowerBound
    for k in 0..<batch.count {
      let (h, j) = memo.rows[k]
      let history = memo.histories[h]
      write(Row(history: history, record: history.records[j], index: j, user: batch.parentIndex[k], row: row), out)
      row += 1
    }
  }
}
