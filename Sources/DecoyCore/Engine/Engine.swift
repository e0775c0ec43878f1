import Dispatch
import Foundation

/// Produces a table's batches into a destination: the ``Engine``, or batches recorded earlier and
/// replayed (benchmarks that time a writer alone).
public protocol BatchSource: Sendable {
  func run(
    _ table: TablePlan, to destination: Engine.Destination, cancel: CancellationFlag?,
    progress: (UInt64) -> Void) throws(DecoyError)
}

extension Engine: BatchSource {}

/// Generates tables batch by batch: parallel producers (one batch per worker per wave), one
/// ordered consumer. Memory is bounded by `threads × batchSize` rows whatever the table size.
public struct Engine: Sendable {
  /// Tuning knobs; none of them changes any generated value.
  public struct Options: Sendable {
    public var threads: Int
    public var batchSize: Int
    public init(threads: Int = Engine.defaultThreads, batchSize: Int = 32_768) {
      self.threads = max(1, threads)
      self.batchSize = max(1, batchSize)
    }
  }

  /// One worker per active core.
  public static var defaultThreads: Int { ParallelMap.cores }

  public let plan: Plan
  public let options: Options

  public init(plan: Plan, options: Options = Options()) {
    self.plan = plan
    self.options = options
  }

  /// A batch to generate: its rows, and for child tables the parents they belong to.
  struct BatchJob {
    var rows: Range<UInt64>
    var parents: Range<UInt64>?
  }

  /// Per-worker reusable state.
  final class Slot: @unchecked Sendable {
    var columns: [ColumnBuffer]
    var bytes: [UInt8] = []
    var job: BatchJob?
    var parentIndex: [UInt64] = []
    let cache = BatchCache()
    var error: DecoyError?
    init(types: [ValueType], capacity: Int) {
      columns = types.map { ColumnBuffer(type: $0, capacity: capacity) }
    }
  }

  /// Builds the generators of a table for this run.
  public func generators(for table: TablePlan) throws(DecoyError) -> [any ColumnGenerator] {
    var out: [any ColumnGenerator] = []
    for c in table.spec.columns {
      let b = ColumnBuildContext(
        context: plan.context, table: table.spec.name, column: c.name,
        entityTable: table.spec.parent?.table ?? table.spec.name, indexing: .row, tableRows: plan.tableRows)
      out.append(try c.factory(b))
    }
    return out
  }

  /// Where a table's batches go.
  public enum Destination {
    /// Encoded on the workers, bytes written in order.
    case encoded(any RecordEncoder, any ByteSink)
    /// Typed batches handed in order to a writer on the caller's thread.
    case batches(any BatchWriter)
  }

  /// Generates one table into `sink` through `encoder`. `progress` receives rows done so far.
  public func run(
    _ table: TablePlan, encoder: any RecordEncoder, sink: any ByteSink, cancel: CancellationFlag? = nil,
    progress: (UInt64) -> Void = { _ in }
  ) throws(DecoyError) {
    try run(table, to: .encoded(encoder, sink), cancel: cancel, progress: progress)
  }

  /// The table's output layout: names, value types, keys, and this shard's rows.
  public func layout(for table: TablePlan) throws(DecoyError) -> TableLayout {
    Engine.layout(table, types: try generators(for: table).map(\.type), shard: plan.shard)
  }

  static func layout(_ table: TablePlan, types: [ValueType], shard: Shard) -> TableLayout {
    let specs = table.spec.columns
    var layout = TableLayout(
      name: table.spec.name, columns: specs.map(\.name), types: types, primaryKey: table.spec.primaryKey,
      foreignKeys: specs.compactMap { c in
        c.reference.map { TableLayout.ForeignKey(column: c.name, table: $0.table, targetColumn: $0.column) }
      },
      rows: table.rows, shard: shard)
    layout.uniqueKeys = table.spec.uniqueKeys
    return layout
  }

  /// Generates one table into a destination. `progress` receives rows done so far.
  public func run(
    _ table: TablePlan, to destination: Destination, cancel: CancellationFlag? = nil,
    progress: (UInt64) -> Void = { _ in }
  ) throws(DecoyError) {
    let encoder: (any RecordEncoder)?
    switch destination {
    case .encoded(let e, _): encoder = e
    case .batches: encoder = nil
    }
    let gens = try generators(for: table)
    let specs = table.spec.columns
    let order = Engine.fillOrder(specs)
    let nullStreams = specs.map { plan.context.stream(table.spec.name, $0.name, "null") }
    let countStream = Plan.countStream(plan.context, table.spec)
    let batch = options.batchSize
    let threads = options.threads
    let slots = (0..<threads).map { _ in Slot(types: gens.map(\.type), capacity: batch) }

    let layout = Engine.layout(table, types: gens.map(\.type), shard: plan.shard)
    switch destination {
    case .encoded(let e, let sink): try sink.write(e.header(layout))
    case .batches(let w): try w.begin(layout)
    }

    // Job cursor.
    var nextRow = table.rows.lowerBound
    var nextParent = table.parentRows?.lowerBound ?? 0
    let parentEnd = table.parentRows?.upperBound ?? 0
    let parentsPerBatch: UInt64 = {
      guard let p = table.spec.parent else { return 0 }
      return UInt64(max(1.0, (Double(batch) / max(p.count.mean, 0.01)).rounded(.down)))
    }()
    func nextJob() -> BatchJob? {
      if let p = table.spec.parent {
        guard nextParent < parentEnd else { return nil }
        let hi = min(parentEnd, nextParent + parentsPerBatch)
        var n: UInt64 = 0
        for i in nextParent..<hi { n &+= UInt64(max(0, p.count.draw(countStream, i))) }
        let job = BatchJob(rows: nextRow..<(nextRow + n), parents: nextParent..<hi)
        nextParent = hi
        nextRow += n
        return job
      }
      guard nextRow < table.rows.upperBound else { return nil }
      let hi = min(table.rows.upperBound, nextRow + UInt64(batch))
      defer { nextRow = hi }
      return BatchJob(rows: nextRow..<hi, parents: nil)
    }

    // Fills and encodes the batches assigned to `set` (one per worker).
    let pool = WorkerPool(size: threads)
    defer { pool.shutdown() }
    let generate: @Sendable ([Slot], Int) -> Void = { set, active in
      pool.start(active) { w in
        let s = set[w]
        guard let job = s.job else { return }
        s.parentIndex.removeAll(keepingCapacity: true)
        if let parents = job.parents, let p = table.spec.parent {
          for i in parents {
            let c = max(0, p.count.draw(countStream, i))
            for _ in 0..<c { s.parentIndex.append(i) }
          }
        }
        var filled: [String: ColumnBuffer] = [:]
        s.cache.reset()
        for ci in order {
          let col = s.columns[ci]
          col.reset()
          let view = BatchView(rows: job.rows, parentIndex: s.parentIndex, columns: filled, cache: s.cache)
          gens[ci].fill(col, batch: view)
          if !specs[ci].dependencies.isEmpty || specs.contains(where: { $0.dependencies.contains(specs[ci].name) }) {
            filled[specs[ci].name] = col
          }
        }
        for ci in 0..<specs.count where specs[ci].nullRate > 0 {
          let rate = specs[ci].nullRate
          let col = s.columns[ci]
          var k = 0
          for row in job.rows {
            if nullStreams[ci].unit(row) < rate { col.markNull(k) }
            k += 1
          }
        }
        s.bytes.removeAll(keepingCapacity: true)
        encoder?.encode(layout, columns: s.columns, rows: job.rows, into: &s.bytes)
      }
    }
    func assign(_ set: [Slot]) -> Int {
      var active = 0
      for s in set {
        s.job = nextJob()
        if s.job != nil { active += 1 }
      }
      return active
    }

    // Two sets of slots: while the caller's thread writes one wave, the workers generate the next.
    let sets = [slots, (0..<threads).map { _ in Slot(types: gens.map(\.type), capacity: batch) }]
    var current = 0
    var active = assign(sets[0])
    if active > 0 {
      generate(sets[0], active)
      pool.wait()
    }
    var done: UInt64 = 0
    while active > 0 {
      if cancel?.isCancelled == true { throw .cancelled }
      let next = sets[1 - current]
      let nextActive = assign(next)
      if nextActive > 0 { generate(next, nextActive) }
      do {
        for w in 0..<active {
          let slot = sets[current][w]
          switch destination {
          case .encoded(_, let sink): try sink.write(slot.bytes)
          case .batches(let writer): try writer.write(layout, columns: slot.columns, rows: slot.job!.rows)
          }
          done += UInt64(slot.job!.rows.count)
        }
      } catch {
        pool.wait()
        throw error
      }
      progress(done)
      pool.wait()
      current = 1 - current
      active = nextActive
    }
    switch destination {
    case .encoded(let e, let sink): try sink.write(e.footer(layout))
    case .batches(let w): try w.finish(layout)
    }
  }

  /// Column indices in an order where every column comes after the columns it reads.
  static func fillOrder(_ specs: [ColumnSpec]) -> [Int] {
    var order: [Int] = []
    var placed = [Bool](repeating: false, count: specs.count)
    func place(_ i: Int, depth: Int) {
      if placed[i] || depth > specs.count { return }
      for d in specs[i].dependencies {
        if let j = specs.firstIndex(where: { $0.name == d }) { place(j, depth: depth + 1) }
      }
      if !placed[i] {
        placed[i] = true
        order.append(i)
      }
    }
    for i in specs.indices { place(i, depth: 0) }
    return order
  }
}
