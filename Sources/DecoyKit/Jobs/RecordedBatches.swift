public import DecoyCore
import DecoyIO

/// Every batch of every table of a job, generated once and held in memory, then replayed into the
/// job's writer on the calling thread. `decoy bench --writer-only` uses it to time a format's
/// encoder or writer on one core without generation. Memory grows with rows: for benchmarks only.
public final class RecordedBatches: BatchSource, @unchecked Sendable {
  struct Batch {
    var rows: Range<UInt64>
    var columns: [ColumnBuffer]
  }

  /// Collects copies of the engine's batches.
  final class Recorder: BatchWriter {
    var layout: TableLayout?
    var batches: [Batch] = []
    func begin(_ layout: TableLayout) throws(DecoyError) { self.layout = layout }
    func write(_ layout: TableLayout, columns: [ColumnBuffer], rows: Range<UInt64>) throws(DecoyError) {
      batches.append(Batch(rows: rows, columns: columns.map { $0.copy() }))
    }
    func finish(_ layout: TableLayout) throws(DecoyError) {}
    func commit() throws(DecoyError) {}
    func abort() {}
  }

  private var tables: [(name: String, layout: TableLayout, batches: [Batch])] = []

  /// Generates every table of `job` into memory.
  public init(job: GenerateJob) throws(DecoyError) {
    let plan = try job.plan()
    let engine = Engine(plan: plan, options: job.engine)
    for t in plan.tables {
      let r = Recorder()
      try engine.run(t, to: .batches(r))
      guard let layout = r.layout else { continue }
      tables.append((t.spec.name, layout, r.batches))
    }
  }

  /// Bytes the recorded rows take as CSV (a format-neutral measure of the data volume).
  public func csvBytes() -> UInt64 {
    let csv = CSVEncoder()
    var out: [UInt8] = []
    var total: UInt64 = 0
    for t in tables {
      for b in t.batches {
        out.removeAll(keepingCapacity: true)
        csv.encode(t.layout, columns: b.columns, rows: b.rows, into: &out)
        total += UInt64(out.count)
      }
    }
    return total
  }

  public func run(
    _ table: TablePlan, to destination: Engine.Destination, cancel: CancellationFlag?,
    progress: (UInt64) -> Void
  ) throws(DecoyError) {
    guard let t = tables.first(where: { $0.name == table.spec.name }) else {
      throw .usage("no recorded batches for table '\(table.spec.name)'", hint: nil)
    }
    var done: UInt64 = 0
    switch destination {
    case .encoded(let encoder, let sink):
      try sink.write(encoder.header(t.layout))
      var bytes: [UInt8] = []
      for b in t.batches {
        bytes.removeAll(keepingCapacity: true)
        encoder.encode(t.layout, columns: b.columns, rows: b.rows, into: &bytes)
        try sink.write(bytes)
        done += UInt64(b.rows.count)
        progress(done)
      }
      try sink.write(encoder.footer(t.layout))
    case .batches(let writer):
      try writer.begin(t.layout)
      for b in t.batches {
        try writer.write(t.layout, columns: b.columns, rows: b.rows)
        done += UInt64(b.rows.count)
        progress(done)
      }
      try writer.finish(t.layout)
    }
  }
}
