public import DecoyCore
public import DecoyIO

/// `decoy fraud training-set --out FILE`: the `training_set` table written to a CSV, JSON lines,
/// JSON or Parquet file through the ordinary encoders and writers, in the table's row order (`n`),
/// one page of rows at a time (memory is a page, not the table). The file appears only when
/// complete (temporary name, renamed on success).
public struct TrainingSetExport {
  public let session: any SQLSession

  public init(session: any SQLSession) {
    self.session = session
  }

  /// The exported columns and their types (the table's columns but `n`).
  static let columns: [(name: String, type: ValueType)] = [
    ("record_id", .string), ("user_id", .string), ("transaction_timestamp", .timestamp), ("split", .string),
    ("label", .int), ("label_known_at_cutoff", .int),
    ("amount", .decimal(scale: 2)), ("available_balance", .decimal(scale: 2)),
    ("balance_to_transaction_ratio", .double),
    ("avg_available_balance_30d", .decimal(scale: 2)), ("balance_volatility_z_score", .double),
    ("bank_connections_count_24h", .int), ("bank_connections_count_7d", .int), ("bank_connections_avg_30d", .double),
    ("amount_to_avg_ratio", .double), ("merchant_risk_score", .int), ("is_off_hours_txn", .int), ("is_returned", .int),
    ("velocity_24h", .int), ("amount_to_avg_ratio_30d", .double), ("balance_z_score_30d", .double),
    ("velocity_7d", .int), ("max_amount_30d", .double), ("off_hours_count_7d", .int),
  ]

  /// The formats a training set exports to.
  public static let formats: [OutputFormat] = [.csv, .jsonl, .json, .parquet]

  /// The export format: the one `name` gives (`--format`), else the one `path`'s extension names.
  public static func format(named name: String?, for path: String) throws(DecoyError) -> OutputFormat {
    let list = formats.map(\.rawValue).joined(separator: ", ")
    if let name {
      let f = try OutputFormat.parse(name)
      guard formats.contains(f) else {
        throw .usage("the training set exports to \(list), not \(f.rawValue)", hint: nil)
      }
      return f
    }
    guard let f = formats.first(where: { path.lowercased().hasSuffix("." + $0.fileExtension) }) else {
      throw .usage(
        "cannot tell the export format from '\(path)'",
        hint: "name the file .csv, .jsonl, .json or .parquet, or pass --format")
    }
    return f
  }

  /// Writes the table to `path` as `format` (one of ``formats``); returns the rows written.
  @discardableResult
  public func write(to path: String, format: OutputFormat, pageRows: Int = 50_000) throws(DecoyError) -> UInt64 {
    _ = try TrainingSetExport.format(named: format.rawValue, for: path)
    let total = UInt64(try session.count("SELECT count(*) FROM training_set"))
    let cols = TrainingSetExport.columns
    let layout = TableLayout(name: "training_set", columns: cols.map(\.name), types: cols.map(\.type), rows: 0..<total)
    let sink = try FileSink(path: path)
    let encoder = format.encoder()
    let parquet = encoder == nil ? ParquetWriter(sink: sink) : nil
    let buffers = cols.map { ColumnBuffer(type: $0.type, capacity: pageRows) }
    let fields = TrainingSetExport.rowText(session.dialect)
    let page = { (after: UInt64) in "SELECT \(fields) FROM training_set WHERE n > \(after) ORDER BY n LIMIT \(pageRows)"
    }
    do throws(DecoyError) {
      if let encoder { try sink.write(encoder.header(layout)) } else { try parquet!.begin(layout) }
      var done: UInt64 = 0
      var bytes: [UInt8] = []
      while done < total {
        let rows = try session.queryText(page(done))
        guard !rows.isEmpty else { break }
        for b in buffers { b.reset() }
        for (k, row) in rows.enumerated() {
          try TrainingSetExport.parse(row, line: done + UInt64(k) + 1, into: buffers)
        }
        let range = done..<(done + UInt64(rows.count))
        if let encoder {
          bytes.removeAll(keepingCapacity: true)
          encoder.encode(layout, columns: buffers, rows: range, into: &bytes)
          try sink.write(bytes)
        } else {
          try parquet!.write(layout, columns: buffers, rows: range)
        }
        done = range.upperBound
      }
      guard done == total else {
        throw .io(
          path: "training_set", reason: "read \(done) of \(total) rows (the table changed during the export?)",
          hint: nil)
      }
      if let encoder { try sink.write(encoder.footer(layout)) } else { try parquet!.finish(layout) }
      try sink.commit()
      return total
    } catch {
      sink.abort()
      throw error
    }
  }

  /// One text per row: the columns' exact text (doubles with 17 significant digits, money with
  /// 2 decimals, times as Unix seconds) joined by the unit separator, which no value contains.
  static func rowText(_ dialect: SQLEncoder.Dialect) -> String {
    let pg = dialect == .postgres
    let fields = columns.map { c -> String in
      switch c.type {
      case .string: return c.name
      case .timestamp:
        return pg ? "CAST(CAST(extract(epoch FROM \(c.name)) AS BIGINT) AS TEXT)" : "strftime('%s', \(c.name))"
      case .double: return pg ? "CAST(CAST(\(c.name) AS DOUBLE PRECISION) AS TEXT)" : "printf('%!.17g', \(c.name))"
      case .decimal: return pg ? "CAST(\(c.name) AS TEXT)" : "printf('%.2f', \(c.name))"
      default: return "CAST(\(c.name) AS TEXT)"
      }
    }
    return fields.map { "COALESCE(\($0), '')" }.joined(separator: pg ? " || chr(31) || " : " || char(31) || ")
  }

  /// Appends one row's fields to the buffers.
  static func parse(_ row: String, line: UInt64, into buffers: [ColumnBuffer]) throws(DecoyError) {
    let fields = row.split(separator: "\u{1F}", omittingEmptySubsequences: false)
    guard fields.count == buffers.count else {
      throw .io(
        path: "training_set", reason: "row \(line) has \(fields.count) fields, expected \(buffers.count)", hint: nil)
    }
    for (f, b) in zip(fields, buffers) {
      if f.isEmpty && b.type != .string {
        b.appendNull()
        continue
      }
      switch b.type {
      case .string:
        b.bytes.append(contentsOf: f.utf8)
        b.endString()
      case .int, .timestamp:
        guard let v = Int64(f) else { throw bad(f, line) }
        b.appendInt(v)
      case .double:
        guard let v = Double(f) else { throw bad(f, line) }
        b.appendDouble(v)
      case .decimal:
        guard let v = Double(f) else { throw bad(f, line) }
        b.appendInt(Int64((v * 100).rounded()))
      default: throw bad(f, line)
      }
    }
  }

  static func bad(_ field: Substring, _ line: UInt64) -> DecoyError {
    .io(path: "training_set", reason: "row \(line): unexpected value '\(field)'", hint: nil)
  }
}
