import DecoyCore
import DecoyIO

/// Pass 1 of the enrichment over the claims export (through ``FastCSVReader``): the header, each
/// row's billing id, patient (numbered by first appearance) and line, and, for the pandas mode,
/// each column's pandas type.
struct EnrichInput {
  var header: [String] = []
  var bidColumn = 0
  var pidColumn = 0
  var bids: [Int64] = []
  var rowPatient: [Int32] = []
  /// Each row's line in the file (for error messages) when read as one stream; in blocks every
  /// record is one line, so row r is on line r + 2.
  var lines: [Int32] = []
  var patientIDs: [Int64] = []
  var types: [PandasColumnType] = []

  var rows: Int { bids.count }
  var patients: Int { patientIDs.count }

  /// Blocks of whole lines and their rows when the file was read on several cores (pass 2 reads
  /// them the same way); empty when it was read as one stream.
  var blocks: [Block] = []

  struct Block: Sendable {
    var range: Range<Int>
    var firstRow: Int
    var rows: Int
  }

  /// The block size used (pass 2 sizes its buffers by it).
  var blockBytes = EnrichInput.defaultBlockBytes

  /// Block size: enough blocks to balance the cores and overlap pass 2's writes, few enough to be cheap.
  static let defaultBlockBytes = 1 << 20

  func line(ofRow r: Int) -> Int { lines.isEmpty ? r + 2 : Int(lines[r]) }

  /// Reads `path`; `observeTypes` for the pandas mode; `newColumns` must not be there yet. With
  /// more than one thread the rows are read in blocks on every core; a file the blocks cannot read
  /// exactly (a line feed inside quotes, a CR, an error) is read again as one stream, which also
  /// gives any error its line.
  static func read(
    path: String, observeTypes: Bool, newColumns: [String], threads: Int,
    blockBytes: Int = defaultBlockBytes
  ) throws(DecoyError) -> EnrichInput {
    var input = EnrichInput()
    input.blockBytes = blockBytes
    // The header through a reader of a small chunk (the blocks do the reading); one stream reads
    // the rows when the blocks cannot.
    var reader = try FastCSVReader(path: path, chunkBytes: 1 << 16)
    guard let header = try reader.header() else { throw EnrichInput.emptyError(path) }
    try input.setHeader(header, path: path, newColumns: newColumns)
    if observeTypes { input.types = [PandasColumnType](repeating: PandasColumnType(), count: header.count) }
    if threads > 1, let start = reader.nextRecordOffset {
      let ranges = try CSVBlocks.split(path: path, from: start, blockBytes: blockBytes)
      if ranges.count > 1, let blocks = input.scan(ranges, path: path, observeTypes: observeTypes, threads: threads) {
        return try blocks.nonEmpty(path)
      }
    }
    reader = try FastCSVReader(path: path)
    _ = try reader.header()
    let cols = header.count
    let (bc, pc) = (input.bidColumn, input.pidColumn)
    var numbering = PatientNumbering()
    try reader.forEachRecord(columns: cols) { (r: FastCSVReader.Record) throws(DecoyError) in
      let bid = try EnrichInput.id(r.field(bc), path: path, line: r.number, column: bc, name: "billing_id")
      let pid = try EnrichInput.id(r.field(pc), path: path, line: r.number, column: pc, name: "patient_id")
      if observeTypes { for c in 0..<cols { input.types[c].observe(r.field(c)) } }
      numbering.add(bid: bid, pid: pid, to: &input)
      input.lines.append(Int32(truncatingIfNeeded: r.number))
      return true
    }
    return try input.nonEmpty(path)
  }

  private func nonEmpty(_ path: String) throws(DecoyError) -> EnrichInput {
    guard rows > 0 else {
      throw .input(file: path, line: 2, column: nil, reason: "the file has a header but no rows", hint: nil)
    }
    return self
  }

  /// One block's ids and column types.
  private struct BlockScan {
    var bids: [Int64] = []
    var pids: [Int64] = []
    var types: [PandasColumnType]
  }

  /// A block that is not exact or has an error: the file is read again as one stream.
  private struct BlockNotExact: Error {}

  /// This input with the rows of the blocks, scanned on every core and merged in block order
  /// (patients numbered as they come); nil when any block is not exact or has an error.
  private func scan(_ ranges: [Range<Int>], path: String, observeTypes: Bool, threads: Int) -> EnrichInput? {
    let cols = header.count
    let (bc, pc, types, blockBytes) = (bidColumn, pidColumn, types, blockBytes)
    nonisolated(unsafe) var merged = self
    nonisolated(unsafe) var numbering = PatientNumbering()
    do throws(BlockNotExact) {
      try ParallelMap.ordered(
        ranges.count, threads: threads,
        makeState: { () -> FastCSVReader? in
          try? FastCSVReader(path: path, chunkBytes: blockBytes + (1 << 16))
        },
        work: { (reader, b) throws(BlockNotExact) -> BlockScan in
          guard let reader else { throw BlockNotExact() }
          // The clean mode needs only the ids: read straight from the block's bytes when its lines allow.
          if !observeTypes, let ids = try? reader.integers(in: ranges[b], fields: cols, bc, pc) {
            return BlockScan(bids: ids.a, pids: ids.b, types: types)
          }
          var scan = BlockScan(types: types)
          var ok = true
          do throws(DecoyError) {
            try reader.restart(range: ranges[b])
            try reader.forEachRecord(columns: cols) { (r: FastCSVReader.Record) in
              guard let bid = PandasColumnType.integer(r.field(bc)), let pid = PandasColumnType.integer(r.field(pc))
              else {
                ok = false
                return false
              }
              if observeTypes { for c in 0..<cols { scan.types[c].observe(r.field(c)) } }
              scan.bids.append(bid)
              scan.pids.append(pid)
              return true
            }
          } catch {
            ok = false
          }
          guard ok && !reader.incomplete else { throw BlockNotExact() }
          return scan
        },
        commit: { (b: Int, scan: BlockScan) throws(BlockNotExact) in
          if b == 0 {
            // Room for the rows the file's size suggests (from the first block, plus 5 %): the
            // arrays do not grow by copying themselves as the blocks come in.
            let expected =
              Double(scan.bids.count) * Double(ranges.last!.upperBound - ranges[0].lowerBound)
              / Double(max(1, ranges[0].count))
            merged.bids.reserveCapacity(Int(expected * 1.05) + 16)
            merged.rowPatient.reserveCapacity(Int(expected * 1.05) + 16)
          }
          merged.blocks.append(Block(range: ranges[b], firstRow: merged.rows, rows: scan.bids.count))
          for (bid, pid) in zip(scan.bids, scan.pids) { numbering.add(bid: bid, pid: pid, to: &merged) }
          for c in merged.types.indices { merged.types[c].merge(scan.types[c]) }
        })
    } catch {
      return nil
    }
    return merged
  }

  /// Numbers patients by first appearance; consecutive rows of one patient skip the lookup. Ids
  /// that are small non-negative numbers (exports number patients 1, 2, …) are looked up in an
  /// array indexed by id, which grows to at most twice the rows read plus 64 Ki entries; any
  /// other id goes to a dictionary. Both give the same numbers.
  private struct PatientNumbering {
    var dense: [Int32] = []
    var index: [Int64: Int32] = [:]
    var lastPID: Int64?
    var lastP: Int32 = 0

    mutating func add(bid: Int64, pid: Int64, to input: inout EnrichInput) {
      let p: Int32
      if pid == lastPID {
        p = lastP
      } else if pid >= 0 && pid < Int64(dense.count) || pid >= 0 && grow(to: pid, rows: input.rows) {
        let known = dense[Int(pid)]
        if known >= 0 {
          p = known
        } else {
          p = Int32(input.patientIDs.count)
          dense[Int(pid)] = p
          input.patientIDs.append(pid)
        }
      } else if let known = index[pid] {
        p = known
      } else {
        p = Int32(input.patientIDs.count)
        index[pid] = p
        input.patientIDs.append(pid)
      }
      (lastPID, lastP) = (pid, p)
      input.bids.append(bid)
      input.rowPatient.append(p)
    }

    /// Makes `dense` hold `pid` if the bound allows. Once an id has gone to the dictionary the
    /// array stops growing, so every id keeps one home.
    private mutating func grow(to pid: Int64, rows: Int) -> Bool {
      let limit = 2 * Int64(rows) + (1 << 16)
      guard pid < limit, index.isEmpty else { return false }
      dense.append(
        contentsOf: repeatElement(-1, count: Int(min(limit, max(pid + 1, 2 * Int64(dense.count)))) - dense.count))
      return true
    }
  }

  mutating func setHeader(_ fields: [String], path: String, newColumns: [String]) throws(DecoyError) {
    header = fields
    guard let b = header.firstIndex(of: "billing_id"), let p = header.firstIndex(of: "patient_id") else {
      let missing = ["billing_id", "patient_id"].filter { !header.contains($0) }
      throw .input(
        file: path, line: 1, column: nil,
        reason:
          "missing required column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", ")) (found: \(header.joined(separator: ", ")))",
        hint: "the claims export needs billing_id and patient_id")
    }
    (bidColumn, pidColumn) = (b, p)
    for c in newColumns where header.contains(c) {
      throw .input(
        file: path, line: 1, column: header.firstIndex(of: c)! + 1, reason: "the input already has a column \(c)",
        hint: "enrich the export only once")
    }
  }

  static func emptyError(_ path: String) -> DecoyError {
    .input(
      file: path, line: 1, column: nil, reason: "the file is empty (no header row)",
      hint: "pass a claims export with a header line")
  }

  /// An id field as an integer, or a clear error.
  static func id(_ f: UnsafeBufferPointer<UInt8>, path: String, line: Int, column: Int, name: String) throws(DecoyError)
    -> Int64
  {
    guard let v = PandasColumnType.integer(f) else {
      throw .input(
        file: path, line: line, column: column + 1,
        reason: f.isEmpty ? "\(name) is empty" : "\(name) is not a whole number",
        hint: "every row needs integer billing_id and patient_id values")
    }
    return v
  }
}
