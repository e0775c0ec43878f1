import DecoyCore
import DecoyIO

/// Pass 1 of the enrichment over the claims export: the header, each row's billing id and patient
/// (patients numbered by first appearance) and, for the pandas mode, each column's pandas type.
/// Files without quotes or CRs go through ``CSVLineChunks`` (fields indexed straight from a SIMD scan);
/// anything else through the RFC 4180 ``CSVReader``. `fast` tells pass 2 which one to use.
struct EnrichInput {
  var header: [String] = []
  var bidColumn = 0
  var pidColumn = 0
  var bids: [Int64] = []
  var rowPatient: [Int32] = []
  /// Each row's line in the file (the general reader only; fast files have row + 2).
  var lines: [Int32] = []
  var patientIDs: [Int64] = []
  var types: [PandasColumnType] = []
  var fast = true

  var rows: Int { bids.count }
  var patients: Int { patientIDs.count }

  func line(ofRow r: Int) -> Int { fast ? r + 2 : Int(lines[r]) }

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

    let chunks = try CSVLineChunks(path: path)
    let header = try chunks.header()
    if let header {
      try input.setHeader(header, path: path, newColumns: newColumns)
      let cols = header.count
      if observeTypes { input.types = [PandasColumnType](repeating: PandasColumnType(), count: cols) }
      let (bc, pc) = (input.bidColumn, input.pidColumn)
      try chunks.forEachRecord(columns: cols) { (r: CSVLineChunks.Record) throws(DecoyError) in
        let bid = try EnrichInput.id(r.field(bc), path: path, line: r.number, column: bc, name: "billing_id")
        let pid = try EnrichInput.id(r.field(pc), path: path, line: r.number, column: pc, name: "patient_id")
        if observeTypes { for c in 0..<cols { input.types[c].observe(r.field(c)) } }
        add(bid: bid, pid: pid)
        return true
      }
    }
    if chunks.sawSpecial {
      // Quotes or CRs: start over with the full reader.
      input = EnrichInput()
      input.fast = false
      patientIndex = [:]
      lastPID = nil
      let reader = try CSVReader(path: path)
      guard try reader.next() else { throw EnrichInput.emptyError(path) }
      try input.setHeader((0..<reader.fields.count).map { reader.string($0) }, path: path, newColumns: newColumns)
      let cols = input.header.count
      if observeTypes { input.types = [PandasColumnType](repeating: PandasColumnType(), count: cols) }
      while try reader.next() {
        guard reader.fields.count == cols else {
          throw EnrichInput.fieldCountError(path: path, line: reader.line, found: reader.fields.count, expected: cols)
        }
        try reader.bytes.withUnsafeBufferPointer { (b: UnsafeBufferPointer<UInt8>) throws(DecoyError) in
          func field(_ c: Int) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: b[reader.fields[c]]) }
          let bid = try EnrichInput.id(field(input.bidColumn), path: path, line: reader.line, column: input.bidColumn, name: "billing_id")
          let pid = try EnrichInput.id(field(input.pidColumn), path: path, line: reader.line, column: input.pidColumn, name: "patient_id")
          if observeTypes { for c in 0..<cols { input.types[c].observe(field(c)) } }
          add(bid: bid, pid: pid)
        }
        input.lines.append(Int32(truncatingIfNeeded: reader.line))
      }
    } else if header == nil {
      throw EnrichInput.emptyError(path)
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

  static func fieldCountError(path: String, line: Int, found: Int, expected: Int) -> DecoyError {
    CSVLineChunks.fieldCountError(path: path, line: line, found: found, expected: expected)
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
