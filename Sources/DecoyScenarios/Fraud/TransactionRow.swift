/// What a `generated_records` or `evaluation_metadata` column sees of a row.
public struct TransactionRow {
  public let history: FraudSimulator.History
  /// Position in the user's history.
  public let index: Int
  public let user: UInt64
  /// Global row number in the table.
  public let row: UInt64

  public var record: FraudSimulator.Record { history.records[index] }
}
