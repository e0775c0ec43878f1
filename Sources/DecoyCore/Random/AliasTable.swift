/// Walker/Vose alias table: O(1) weighted categorical sampling from one 64-bit draw.
public struct AliasTable: Sendable {
  @usableFromInline let probability: [UInt64]  // acceptance threshold scaled to 2^64-1
  @usableFromInline let alias: [Int32]
  /// Number of categories.
  public var count: Int { probability.count }
  /// The normalised weights the table was built from (for reporting and tests).
  public let weights: [Double]

  /// Builds a table from non-negative weights with a positive sum.
  public init(weights raw: [Double]) {
    precondition(!raw.isEmpty, "alias table needs at least one weight")
    let total = raw.reduce(0, +)
    precondition(
      total > 0 && raw.allSatisfy { $0 >= 0 && $0.isFinite }, "weights must be non-negative with a positive sum")
    let n = raw.count
    weights = raw.map { $0 / total }
    var scaled = weights.map { $0 * Double(n) }
    var prob = [Double](repeating: 0, count: n)
    var ali = [Int32](repeating: 0, count: n)
    var small: [Int] = []
    var large: [Int] = []
    for i in 0..<n { if scaled[i] < 1 { small.append(i) } else { large.append(i) } }
    while let s = small.popLast() {
      guard let l = large.popLast() else {
        prob[s] = 1
        ali[s] = Int32(s)
        continue
      }
      prob[s] = scaled[s]
      ali[s] = Int32(l)
      scaled[l] = (scaled[l] + scaled[s]) - 1
      if scaled[l] < 1 { small.append(l) } else { large.append(l) }
    }
    while let l = large.popLast() {
      prob[l] = 1
      ali[l] = Int32(l)
    }
    probability = prob.map { p in p >= 1 ? UInt64.max : UInt64(p * 0x1.0p64) }
    alias = ali
  }

  /// Picks a category from 64 random bits: the high product selects a column, a second
  /// multiply-mix of the same bits decides between the column and its alias.
  @inlinable @inline(__always)
  public func sample(_ bits: UInt64) -> Int {
    let column = Int(bits.multipliedFullWidth(by: UInt64(probability.count)).high)
    let coin = StableHash.mix(bits ^ 0x2545_f491_4f6c_dd1d)
    return coin <= probability[column] ? column : Int(alias[column])
  }
}

extension RandomStream {
  /// A category index drawn from an alias table.
  @inlinable @inline(__always)
  public func pick(_ table: AliasTable, _ index: UInt64, _ draw: UInt32 = 0) -> Int {
    table.sample(bits(index, draw))
  }
}
