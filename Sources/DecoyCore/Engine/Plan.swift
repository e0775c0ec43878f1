/// `--shard i/N`: this run produces the i-th of N contiguous slices of every table.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
  public let index: Int
  public let count: Int
  public static let whole = Shard(index: 0, count: 1)

  public init(index: Int, count: Int) {
    self.index = index
    self.count = count
  }

  /// Parses `i/N` with 0 ≤ i < N.
  public static func parse(_ s: String) throws(DecoyError) -> Shard {
    let p = s.split(separator: "/").map { Int($0) }
    guard p.count == 2, let i = p[0], let n = p[1], n >= 1, i >= 0, i < n else {
      throw .usage(
        "--shard must be i/N with 0 <= i < N, got '\(s)'", hint: "e.g. --shard 0/3, --shard 1/3, --shard 2/3")
    }
    return Shard(index: i, count: n)
  }

  /// This shard's slice of `0..<n`.
  public func slice(_ n: UInt64) -> Range<UInt64> {
    func cut(_ k: Int) -> UInt64 {
      let p = n.multipliedFullWidth(by: UInt64(k))
      return UInt64(count).dividingFullWidth((p.high, p.low)).quotient
    }
    return cut(index)..<cut(index + 1)
  }

  public var description: String { "\(index)/\(count)" }
}

/// One table's share of a run.
public struct TablePlan: Sendable {
  public let spec: TableSpec
  /// Rows of the whole table (all shards).
  public let totalRows: UInt64
  /// For root tables: the rows of this shard. For child tables: the rows this shard's parents produce.
  public let rows: Range<UInt64>
  /// For child tables: the parent rows of this shard and the parent's total.
  public let parentRows: Range<UInt64>?
  public let parentTotal: UInt64?
}

/// The resolved run: seed, today, row counts, shards and the order tables are generated in.
public struct Plan: Sendable {
  public let spec: DatasetSpec
  public let context: GenerationContext
  public let shard: Shard
  /// Tables in spec order.
  public let tables: [TablePlan]

  /// Total rows this run writes.
  public var rows: UInt64 { tables.reduce(0) { $0 + UInt64($1.rows.count) } }

  /// Resolves row counts (root rows × scale, or the `--rows` override) and children per parent.
  /// Child tables are counted exactly by drawing every parent's count (one hash per parent).
  public init(
    spec: DatasetSpec, context: GenerationContext, shard: Shard = .whole, rowsOverride: UInt64? = nil, scale: Double = 1
  ) throws(DecoyError) {
    if let option = spec.sizedBy {
      let root = spec.tables.first { $0.parent == nil }?.rows
      if scale != 1 {
        throw .usage(
          "--scale does not apply to the \(spec.name) dataset: it is sized by \(option)",
          hint: "give the size with \(option) N")
      }
      if let r = rowsOverride, r != root {
        throw .usage(
          "--rows \(r) and \(option) \(root ?? 0) disagree for the \(spec.name) dataset",
          hint: "give the size once, with \(option) N")
      }
    }
    self.spec = spec
    self.context = context
    self.shard = shard
    var totals: [String: UInt64] = [:]
    func total(_ t: TableSpec, depth: Int) -> UInt64 {
      if let v = totals[t.name] { return v }
      var n: UInt64 = 0
      if let p = t.parent, let pt = spec.table(p.table), depth < 64 {
        let parentN = total(pt, depth: depth + 1)
        let s = Plan.countStream(context, t)
        for i in 0..<parentN { n &+= UInt64(max(0, p.count.draw(s, i))) }
      } else if let r = rowsOverride {
        n = r
      } else {
        n = UInt64((Double(t.rows ?? 0) * scale).rounded())
      }
      totals[t.name] = n
      return n
    }
    var plans: [TablePlan] = []
    for t in spec.tables {
      let n = total(t, depth: 0)
      if let p = t.parent, let pt = spec.table(p.table) {
        let pn = total(pt, depth: 0)
        let pr = shard.slice(pn)
        let s = Plan.countStream(context, t)
        var before: UInt64 = 0
        for i in 0..<pr.lowerBound { before &+= UInt64(max(0, p.count.draw(s, i))) }
        var inside: UInt64 = 0
        for i in pr { inside &+= UInt64(max(0, p.count.draw(s, i))) }
        plans.append(
          TablePlan(spec: t, totalRows: n, rows: before..<(before + inside), parentRows: pr, parentTotal: pn))
      } else {
        plans.append(TablePlan(spec: t, totalRows: n, rows: shard.slice(n), parentRows: nil, parentTotal: nil))
      }
    }
    tables = plans
  }

  /// The stream of per-parent child counts of a child table.
  static func countStream(_ c: GenerationContext, _ t: TableSpec) -> RandomStream { c.stream(t.name, "parent-count") }

  /// How many rows of child table `child` each parent row in `parents` has.
  public func childCounts(_ child: TablePlan, parents: Range<UInt64>) -> [Int] {
    guard let p = child.spec.parent else { return [] }
    let s = Plan.countStream(context, child.spec)
    return parents.map { Int(max(0, p.count.draw(s, $0))) }
  }

  /// A slice of a table: rows `rows` of a root table, or the children of parent rows `parents`
  /// (whose first row is `rows.lowerBound`) of a child table. Generating a slice gives exactly the
  /// rows the whole table has at those positions.
  public func slice(_ table: TablePlan, rows: Range<UInt64>, parents: Range<UInt64>? = nil) -> TablePlan {
    TablePlan(
      spec: table.spec, totalRows: table.totalRows, rows: rows, parentRows: parents, parentTotal: table.parentTotal)
  }

  /// Row counts of whole tables (for references).
  public var tableRows: [String: UInt64] {
    var d: [String: UInt64] = [:]
    for t in tables { d[t.spec.name] = t.totalRows }
    return d
  }
}
