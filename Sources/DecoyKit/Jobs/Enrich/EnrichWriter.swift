import DecoyCore
import DecoyIO

/// Pass 2 of the enrichment: every input row (of the shard's slice) with its nulls applied and the
/// patient's new columns appended, through a temporary file renamed on success. A row that
/// ``FastCSVReader`` gives as a whole line and that has no nulls is copied as one block.
struct EnrichWriter {
  let input: EnrichInput
  let selections: EnrichSelections
  let slots: PatientSlots
  let pandas: Bool
  let newColumns: [String]
  let shard: Shard
  let path: String
  let output: String

  /// Counts for the QA line.
  struct Counts {
    var full = 0
    var last4Blank = 0
    var card = 0
  }

  func write() throws(DecoyError) -> Counts {
    let sink = try FileSink(path: output)
    do throws(DecoyError) {
      let counts = try write(to: sink)
      try sink.commit()
      return counts
    } catch {
      sink.abort()
      throw error
    }
  }

  private func write(to sink: FileSink) throws(DecoyError) -> Counts {
    let header = input.header
    let cols = header.count
    var out: [UInt8] = []
    out.reserveCapacity(2 << 20)
    if shard.index == 0 {
      for (i, name) in (header + newColumns).enumerated() {
        if i > 0 { out.append(44) }
        CSVField.append(Array(name.utf8), to: &out)
      }
      out.append(10)
    }
    let slice = shard.slice(UInt64(input.rows))
    let (lo, hi) = (Int(slice.lowerBound), Int(slice.upperBound))
    // Which selection nulls each column: 1 name, 2 date of birth, 3 address.
    let kind: [UInt8] = header.map { ["name": 1, "date_of_birth": 2, "address": 3, "city": 3, "state": 3, "zipcode": 3][$0] ?? 0 }
    var emitter = RowEmitter(selections: selections, kind: kind, types: input.types, pandas: pandas)
    try slots.bytes.withUnsafeBufferPointer { (slotBytes: UnsafeBufferPointer<UInt8>) throws(DecoyError) in
      var row = 0
      let reader = try FastCSVReader(path: path)
      guard try reader.header() != nil else { throw changed() }
      try reader.forEachRecord(columns: cols) { (r: FastCSVReader.Record) throws(DecoyError) in
        guard row < input.rows else { throw changed() }
        if row >= lo {
          emitter.emit(row: row, patient: Int(input.rowPatient[row]), slots: slotBytes, columns: cols, line: r.line,
            field: { r.field($0) }, quoted: { r.quoted($0) }, to: &out)
          if out.count >= 1 << 20 {
            try sink.write(out)
            out.removeAll(keepingCapacity: true)
          }
        }
        row += 1
        return row < hi
      }
      if row < hi { throw changed() }
    }
    try sink.write(out)
    return emitter.counts
  }

  private func changed() -> DecoyError {
    .io(path: path, reason: "the file changed while it was being enriched (its second read differs from the first)",
      hint: "enrich a file nothing else is writing")
  }
}

/// Writes one row: the input fields with the row's nulls, then the new columns.
private struct RowEmitter {
  let selections: EnrichSelections
  let kind: [UInt8]
  let types: [PandasColumnType]
  let pandas: Bool
  var counts = EnrichWriter.Counts()

  init(selections: EnrichSelections, kind: [UInt8], types: [PandasColumnType], pandas: Bool) {
    self.selections = selections
    self.kind = kind
    self.types = types
    self.pandas = pandas
  }

  /// `line`: the row's bytes when the file has no quotes (copied whole when nothing is nulled).
  @inline(__always)
  mutating func emit(row: Int, patient p: Int, slots: UnsafeBufferPointer<UInt8>, columns: Int, line: UnsafeBufferPointer<UInt8>?,
                     field: (Int) -> UnsafeBufferPointer<UInt8>, quoted: (Int) -> Bool, to out: inout [UInt8]) {
    let s = selections
    let name = !s.nullName.isEmpty && s.nullName[row]
    let dob = !s.nullDOB.isEmpty && s.nullDOB[row]
    let address = !s.nullAddress.isEmpty && s.nullAddress[row]
    if let line, !pandas, !(name || dob || address) {
      out.append(contentsOf: line)
    } else {
      for c in 0..<columns {
        if c > 0 { out.append(44) }
        switch kind[c] {
        case 1 where name, 2 where dob, 3 where address: continue
        default: break
        }
        if pandas {
          types[c].write(field(c), asFloat: kind[c] != 0, to: &out)
        } else if line != nil {
          out.append(contentsOf: field(c))  // from a line without quotes: nothing to quote
        } else {
          CSVField.append(field(c), quoted: quoted(c), to: &out)
        }
      }
    }
    let (ssnFull, ssnLast4, brand, card) = PatientSlots.fields(slots, p)
    let showFull = s.full[p] && !s.nullSSNFull[row]
    let showLast4 = !s.blank[p] && (!s.nullSSNLast4[row] || showFull)
    out.append(44)
    if showFull {
      out.append(contentsOf: ssnFull)
      counts.full += 1
    }
    out.append(44)
    if showLast4 { out.append(contentsOf: ssnLast4) } else { counts.last4Blank += 1 }
    out.append(44)
    if s.keepCard[row] {
      counts.card += 1
      if !s.brandNull[row] { out.append(contentsOf: brand) }
      out.append(contentsOf: card)
    } else {
      out.append(contentsOf: ",,,".utf8)
    }
    out.append(10)
  }
}
