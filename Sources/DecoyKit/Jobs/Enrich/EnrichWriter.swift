import DecoyCore
import DecoyIO

/// Pass 2 of the enrichment: every input row (of the shard's slice) with its nulls applied and the
/// patient's new columns appended, through a temporary file renamed on success. A row that
/// ``FastCSVReader`` gives as a whole line and that has no nulls is copied as one block. When pass 1
/// read the file in blocks, every core writes blocks into its own ``RowBuffer`` and the buffers go
/// to the file in block order (``ParallelMap/ordered(_:threads:makeState:work:commit:)``).
struct EnrichWriter {
  let input: EnrichInput
  let selections: EnrichSelections
  let slots: PatientSlots
  let pandas: Bool
  let newColumns: [String]
  let shard: Shard
  let path: String
  let output: String
  let threads: Int

  /// Counts for the QA line.
  struct Counts {
    var full = 0
    var last4Blank = 0
    var card = 0

    static func += (a: inout Counts, b: Counts) {
      a.full += b.full
      a.last4Blank += b.last4Blank
      a.card += b.card
    }
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
    if shard.index == 0 {
      var out: [UInt8] = []
      for (i, name) in (header + newColumns).enumerated() {
        if i > 0 { out.append(44) }
        CSVField.append(Array(name.utf8), to: &out)
      }
      out.append(10)
      try sink.write(out)
    }
    let slice = shard.slice(UInt64(input.rows))
    let rows = Int(slice.lowerBound)..<Int(slice.upperBound)
    // Which selection nulls each column: 1 name, 2 date of birth, 3 address.
    let kind: [UInt8] = header.map {
      switch $0 {
      case "name": 1
      case "date_of_birth": 2
      case "address", "city", "state", "zipcode": 3
      default: 0
      }
    }
    let emitter = RowEmitter(selections: selections, kind: kind, types: input.types, pandas: pandas)
    if !input.blocks.isEmpty { return try writeBlocks(rows: rows, emitter: emitter, to: sink) }
    let reader = try FastCSVReader(path: path)
    guard try reader.header() != nil else { throw changed() }
    var state = (emitter: emitter, out: RowBuffer(capacity: 2 << 20), count: 0)
    try emit(reader: reader, rows: rows, first: 0, count: input.rows, into: &state) {
      (buffer: RowBuffer, count: inout Int) throws(DecoyError) in
      try sink.write(UnsafeBufferPointer(start: buffer.base, count: count))
      count = 0
    }
    try sink.write(UnsafeBufferPointer(start: state.out.base, count: state.count))
    return state.emitter.counts
  }

  /// The rows in `rows` of the blocks, each block written by one core into its own buffer; a
  /// block's bytes are committed by the core that made them before it takes the next block, so
  /// its buffer is free again.
  private func writeBlocks(rows: Range<Int>, emitter: RowEmitter, to sink: FileSink) throws(DecoyError) -> Counts {
    let blocks = input.blocks.filter { $0.firstRow < rows.upperBound && $0.firstRow + $0.rows > rows.lowerBound }
    nonisolated(unsafe) let sink = sink
    nonisolated(unsafe) var counts = Counts()
    let path = self.path
    let blockBytes = input.blockBytes
    try ParallelMap.ordered(
      blocks.count, threads: threads,
      makeState: { () -> (reader: FastCSVReader?, out: RowBuffer) in
        (try? FastCSVReader(path: path, chunkBytes: blockBytes + (1 << 16)), RowBuffer(capacity: blockBytes * 3 / 2))
      },
      work: { (state, b) throws(DecoyError) -> (bytes: UnsafeBufferPointer<UInt8>, counts: Counts) in
        guard let reader = state.reader else {
          throw DecoyError.io(path: path, reason: "cannot open the file again", hint: nil)
        }
        let block = blocks[b]
        try reader.restart(range: block.range)
        var local = (emitter: emitter, out: state.out, count: 0)
        try emit(reader: reader, rows: rows, first: block.firstRow, count: block.rows, into: &local) {
          (_: RowBuffer, _: inout Int) in
        }
        if reader.incomplete { throw changed() }
        return (UnsafeBufferPointer(start: local.out.base, count: local.count), local.emitter.counts)
      },
      commit: { (_, result) throws(DecoyError) in
        try sink.write(result.bytes)
        counts += result.counts
      })
    return counts
  }

  /// Emits the reader's records, which are rows `first..<first + count`, keeping those in `rows`
  /// (stopping after the last); `flush` may empty the buffer when it holds more than 1 MiB.
  private func emit(
    reader: FastCSVReader, rows: Range<Int>, first: Int, count: Int,
    into state: inout (emitter: RowEmitter, out: RowBuffer, count: Int),
    flush: (RowBuffer, inout Int) throws(DecoyError) -> Void
  ) throws(DecoyError) {
    let cols = input.header.count
    var row = first
    let end = min(first + count, rows.upperBound)
    let buffer = state.out
    var n = state.count
    var emitter = state.emitter
    defer {
      state.count = n
      state.emitter = emitter
    }
    try slots.bytes.withUnsafeBufferPointer { (slotBytes: UnsafeBufferPointer<UInt8>) throws(DecoyError) in
      try reader.forEachRecord(columns: cols) { (r: FastCSVReader.Record) throws(DecoyError) in
        guard row < first + count else { throw changed() }
        if row >= rows.lowerBound {
          let length = r.line?.count ?? (0..<cols).reduce(0) { $0 + r.field($1).count }
          buffer.reserve(count: n, extra: RowEmitter.bound(length: length, columns: cols))
          var cursor = RowBuffer.Cursor(base: buffer.base, count: n)
          emitter.emit(
            row: row, patient: Int(input.rowPatient[row]), slots: slotBytes, columns: cols, line: r.line,
            field: { r.field($0) }, raw: { r.rawField($0) }, quoted: { r.quoted($0) }, to: &cursor)
          n = cursor.count
          if n >= 1 << 20 { try flush(buffer, &n) }
        }
        row += 1
        return row < end
      }
    }
    if row < end { throw changed() }
  }

  private func changed() -> DecoyError {
    .io(
      path: path, reason: "the file changed while it was being enriched (its second read differs from the first)",
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
  /// The pandas mode formats a field here first (``PandasColumnType`` writes to arrays).
  private var scratch: [UInt8] = []

  /// The columns some selection nulls, in order.
  let nullable: [Int]

  init(selections: EnrichSelections, kind: [UInt8], types: [PandasColumnType], pandas: Bool) {
    self.selections = selections
    self.kind = kind
    nullable = kind.indices.filter { kind[$0] != 0 }
    self.types = types
    self.pandas = pandas
  }

  /// The most bytes a row whose fields hold `length` bytes can take: every field quoted with every
  /// byte a quote, or a float's text (at most 24 bytes), plus the new columns (one patient slot).
  static func bound(length: Int, columns: Int) -> Int { 2 * length + 26 * columns + PatientSlots.size + 8 }

  /// `line`: the row's bytes when they are already clean CSV (copied around the nulled fields, cut
  /// with `raw`, each field as written).
  @inline(__always)
  mutating func emit(
    row: Int, patient p: Int, slots: UnsafeBufferPointer<UInt8>, columns: Int, line: UnsafeBufferPointer<UInt8>?,
    field: (Int) -> UnsafeBufferPointer<UInt8>, raw: (Int) -> UnsafeBufferPointer<UInt8>, quoted: (Int) -> Bool,
    to out: inout RowBuffer.Cursor
  ) {
    let s = selections
    let name = !s.nullName.isEmpty && s.nullName[row]
    let dob = !s.nullDOB.isEmpty && s.nullDOB[row]
    let address = !s.nullAddress.isEmpty && s.nullAddress[row]
    if let line, !pandas {
      // A clean line is copied in pieces around the nulled fields (their commas stay).
      var from = line.baseAddress!
      for c in nullable {
        switch kind[c] {
        case 1 where name, 2 where dob, 3 where address:
          let f = raw(c)
          out.put(UnsafeBufferPointer(start: from, count: f.baseAddress! - from))
          from = f.baseAddress! + f.count
        default: continue
        }
      }
      out.put(UnsafeBufferPointer(start: from, count: line.baseAddress! + line.count - from))
    } else {
      for c in 0..<columns {
        if c > 0 { out.put(44) }
        switch kind[c] {
        case 1 where name, 2 where dob, 3 where address: continue
        default: break
        }
        if pandas {
          scratch.removeAll(keepingCapacity: true)
          types[c].write(field(c), asFloat: kind[c] != 0, to: &scratch)
          scratch.withUnsafeBufferPointer { out.put($0) }
        } else {
          out.putCSV(field(c), quoted: quoted(c))
        }
      }
    }
    let (ssnFull, ssnLast4, brand, card) = PatientSlots.fields(slots, p)
    let showFull = s.full[p] && !s.nullSSNFull[row]
    let showLast4 = !s.blank[p] && (!s.nullSSNLast4[row] || showFull)
    out.put(44)
    if showFull {
      out.put(ssnFull)
      counts.full += 1
    }
    out.put(44)
    if showLast4 { out.put(ssnLast4) } else { counts.last4Blank += 1 }
    out.put(44)
    if s.keepCard[row] {
      counts.card += 1
      if !s.brandNull[row] { out.put(brand) }
      out.put(card)
    } else {
      out.put(44)
      out.put(44)
      out.put(44)
    }
    out.put(10)
  }
}
