public import DecoyCore

/// The visits of a batch's patients, simulated once per batch and shared by every visit or
/// billing column (a child table's batch holds whole patients, so row k of patient p is p's k-th visit).
final class VisitBatch {
  let visits: [HospitalSimulator.Visit]

  init(_ sim: HospitalSimulator, parents: [UInt64]) {
    var out: [HospitalSimulator.Visit] = []
    out.reserveCapacity(parents.count)
    var k = 0
    while k < parents.count {
      let p = parents[k]
      let vs = sim.visits(p)
      out.append(contentsOf: vs)
      k += vs.count
      precondition(k <= parents.count && (k == parents.count || parents[k] != p), "visit count of patient \(p) disagrees with the plan")
    }
    visits = out
  }
}

/// A column of the visits or billing table: one value per visit, written from the batch's
/// simulated histories.
public struct VisitColumn: ColumnGenerator {
  public let type: ValueType
  let simulator: HospitalSimulator
  let write: @Sendable (_ visit: HospitalSimulator.Visit, _ patient: UInt64, _ row: UInt64, _ out: ColumnBuffer) -> Void

  static let cacheKey = StableHash.string("healthcare.visits")

  public init(_ type: ValueType, _ simulator: HospitalSimulator,
              _ write: @escaping @Sendable (HospitalSimulator.Visit, UInt64, UInt64, ColumnBuffer) -> Void) {
    self.type = type
    self.simulator = simulator
    self.write = write
  }

  public func fill(_ out: ColumnBuffer, batch: BatchView) {
    let memo = batch.cache?.object(VisitColumn.cacheKey) { VisitBatch(simulator, parents: batch.parentIndex) }
      ?? VisitBatch(simulator, parents: batch.parentIndex)
    var row = batch.rows.lowerBound
    for k in 0..<batch.count {
      write(memo.visits[k], batch.parentIndex[k], row, out)
      row += 1
    }
  }
}
