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
  /// Each row's line in the file (for error messages).
  var lines: [Int32] = []
  var patientIDs: [Int64] = []
  var types: [PandasColumnType] = []

  var rows: Int { bids.count }
  var patients: Int { patientIDs.count }

  func line(ofRow r: Int) -> Int { Int(lines[r]) }

  /// Reads `path`; `observeTypes` for the pandas mode; `newColumns` must not be there yet.
  static func read(path: String, observeTypes: Bool, newColumns: [String]) throws(DecoyError) -> EnrichInput {
    var input = EnrichInput()
    var patientIndex: [Int64: Int32] = [:]
    var lastPID: Int64?, lastP: Int32 = 0
    // Numbers a row's patient; consecutive rows of one patient skip the dictionary.
    func add(bid: Int64, pid: Int64) {
      let p: Int32
      if pid == lastPID {
        p = lastP
      } else if let known = patientIndex[pid] {
        p = known
      } else {
        p = Int32(input.patientIDs.count)
        patientIndex[pid] = p
        input.patientIDs.append(pid)
      }
      (lastPID, lastP) = (pid, p)
      input.bids.append(bid)
      input.rowPatient.append(p)
    }

    let reader = try FastCSVReader(path: path)
    guard let header = try reader.header() else { throw EnrichInput.emptyError(path) }
    try input.setHeader(header, path: path, newColumns: newColumns)
    let cols = header.count
    if observeTypes { input.types = [PandasColumnType](repeating: PandasColumnType(), count: cols) }
    let (bc, pc) = (input.bidColumn, input.pidColumn)
    try reader.forEachRecord(columns: cols) { (r: FastCSVReader.Record) throws(DecoyError) in
      let bid = try EnrichInput.id(r.field(bc), path: path, line: r.number, column: bc, name: "billing_id")
      let pid = try EnrichInput.id(r.field(pc), path: path, line: r.number, column: pc, name: "patient_id")
      if observeTypes { for c in 0..<cols { input.types[c].observe(r.field(c)) } }
      add(bid: bid, pid: pid)
      input.lines.append(Int32(truncatingIfNeeded: r.number))
      return true
    }
    guard input.rows > 0 else {
      throw .input(file: path, line: 2, column: nil, reason: "the file has a header but no rows", hint: nil)
    }
    return input
  }

  mutating func setHeader(_ fields: [String], path: String, newColumns: [String]) throws(DecoyError) {
    header = fields
    guard let b = header.firstIndex(of: "billing_id"), let p = header.firstIndex(of: "patient_id") else {
      let missing = ["billing_id", "patient_id"].filter { !header.contains($0) }
      throw .input(file: path, line: 1, column: nil,
        reason: "missing required column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", ")) (found: \(header.joined(separator: ", ")))",
        hint: "the claims export needs billing_id and patient_id")
    }
    (bidColumn, pidColumn) = (b, p)
    for c in newColumns where header.contains(c) {
      throw .input(file: path, line: 1, column: header.firstIndex(of: c)! + 1, reason: "the input already has a column \(c)", hint: "enrich the export only once")
    }
  }

  static func emptyError(_ path: String) -> DecoyError {
    .input(file: path, line: 1, column: nil, reason: "the file is empty (no header row)", hint: "pass a claims export with a header line")
  }

  /// An id field as an integer, or a clear error.
  static func id(_ f: UnsafeBufferPointer<UInt8>, path: String, line: Int, column: Int, name: String) throws(DecoyError) -> Int64 {
    guard let v = PandasColumnType.integer(f) else {
      throw .input(file: path, line: line, column: column + 1, reason: f.isEmpty ? "\(name) is empty" : "\(name) is not a whole number",
        hint: "every row needs integer billing_id and patient_id values")
    }
    return v
  }
}
