public import DecoyCore

/// Turns a sample's learned columns into ``TrainingData``: parses every value in its detected
/// format, applies value protection (rare categories, protected bounds, a minimum of 20 values)
/// and lays the variables out for the synthesizers.
public struct TableEncoder: Sendable {
  /// Fewer non-null values than this and a column is not learned.
  public static let minimumValues = 20
  /// Fewer rows than this and nothing is fitted.
  public static let minimumRows = 20
  /// Read unparsable numbers as nulls.
  public var coerce = false

  public init() {}

  /// The protection threshold k = 5 + floor(3u) of a column.
  public static func protectK(seed: UInt64, table: String, column: String) -> Int {
    5 + Int(RandomStream(seed: seed, path: ["learn", table, "protect", column]).unit(0) * 3)
  }

  /// Encodes `rows` of the sample. Profiles of columns with too few values are changed to `null`
  /// routing with a warning.
  public func encode(_ table: SampleTable, profiles: inout [ColumnProfile], rows: [Int], seed: UInt64)
    throws(DecoyError) -> TrainingData
  {
    var encodings: [ColumnEncoding] = []
    var variables: [Variable] = []
    var values: [[Double]] = []
    let n = rows.count
    for c in profiles.indices where profiles[c].routing == .learned {
      let p = profiles[c]
      let k = TableEncoder.protectK(seed: seed, table: table.name, column: p.name)
      let buffer = table.values[c]
      if p.kind.isContinuous {
        var x = [Double](repeating: .nan, count: n)
        var present = 0
        for (i, r) in rows.enumerated() {
          guard let v = try parse(table, c, r, p) else { continue }
          x[i] = v
          present += 1
        }
        if present < TableEncoder.minimumValues {
          profiles[c].routing = .null
          profiles[c].warnings.append(
            "only \(present) non-null values: not learned (at least \(TableEncoder.minimumValues) are needed), written as null"
          )
          continue
        }
        var sorted = x.filter { !$0.isNaN }
        sorted.sort()
        let kk = min(k, sorted.count / 2)
        let lo = sorted[max(0, kk - 1)]
        let hi = sorted[sorted.count - max(1, kk)]
        for i in x.indices where !x[i].isNaN { x[i] = min(max(x[i], lo), hi) }
        let nullShare = Double(n - present) / Double(n)
        let e = encodings.count
        encodings.append(
          ColumnEncoding(
            column: c, name: p.name, kind: p.kind, lower: lo, upper: hi, digits: digits(p), nullShare: nullShare,
            categories: nil, rareCode: nil, shares: nil, protectK: k))
        if nullShare > 0 {
          variables.append(Variable(levels: 2, encoding: e, role: .isNull, name: p.name + ".is_null"))
          values.append(x.map { $0.isNaN ? 1 : 0 })
        }
        variables.append(Variable(levels: 0, encoding: e, role: .value, name: p.name))
        values.append(x)
      } else {
        // Categories by first appearance, then ordered.
        var index: [String: Int] = [:]
        var names: [String?] = []
        var counts: [Int] = []
        var codes = [Int](repeating: 0, count: n)
        var nonNull = 0
        for (i, r) in rows.enumerated() {
          let key = category(buffer, r, p)
          if key != nil { nonNull += 1 }
          let s = key ?? "\u{0}null"
          if let j = index[s] {
            codes[i] = j
            counts[j] += 1
          } else {
            index[s] = names.count
            codes[i] = names.count
            names.append(key)
            counts.append(1)
          }
        }
        if nonNull < TableEncoder.minimumValues {
          profiles[c].routing = .null
          profiles[c].warnings.append(
            "only \(nonNull) non-null values: not learned (at least \(TableEncoder.minimumValues) are needed), written as null"
          )
          continue
        }
        var order = Array(names.indices)
        if p.kind == .ordinal {
          order.sort { a, b in
            switch (names[a], names[b]) {
            case (nil, nil): return a < b
            case (nil, _): return false
            case (_, nil): return true
            case (let x?, let y?):
              let vx = Double(x) ?? 0
              let vy = Double(y) ?? 0
              return vx != vy ? vx < vy : a < b
            }
          }
        } else {
          order.sort { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
        }
        // Value protection: categories seen fewer than k times become one rare category (ordinal
        // and boolean levels are kept: they are few by definition and not identifying).
        let protect = p.kind == .categorical
        var kept: [Int] = []
        var rare: [Int] = []
        for j in order {
          if protect && names[j] != nil && counts[j] < k { rare.append(j) } else { kept.append(j) }
        }
        var remap = [Int](repeating: 0, count: names.count)
        var cats: [String?] = []
        var shares: [Double] = []
        for (code, j) in kept.enumerated() {
          remap[j] = code
          cats.append(names[j])
          shares.append(Double(counts[j]) / Double(n))
        }
        var rareCode: Int?
        if !rare.isEmpty {
          rareCode = cats.count
          var total = 0
          for j in rare {
            remap[j] = cats.count
            total += counts[j]
          }
          cats.append("other")
          shares.append(Double(total) / Double(n))
          profiles[c].warnings.append(
            "\(rare.count) categories seen fewer than \(k) times are merged into one rare category")
        }
        if cats.count > 1_000 {
          profiles[c].warnings.append("\(cats.count) categories after protection: consider declaring it text")
        }
        let e = encodings.count
        encodings.append(
          ColumnEncoding(
            column: c, name: p.name, kind: p.kind, lower: nil, upper: nil, digits: nil,
            nullShare: Double(n - nonNull) / Double(n), categories: cats, rareCode: rareCode, shares: shares,
            protectK: k))
        variables.append(Variable(levels: cats.count, encoding: e, role: .value, name: p.name))
        values.append(codes.map { Double(remap[$0]) })
      }
    }
    return TrainingData(variables: variables, values: values, rows: n, encodings: encodings)
  }

  func digits(_ p: ColumnProfile) -> Int {
    switch p.kind {
    case .date: 0
    case .datetime: p.dateFormat?.time?.fraction ?? 0
    default: min(p.digits ?? 0, 12)
    }
  }

  /// The category key of a value (nil: null). Booleans are normalised to `true`/`false`.
  func category(_ buffer: ColumnBuffer, _ r: Int, _ p: ColumnProfile) -> String? {
    if buffer.isNull(r) { return nil }
    let b = buffer.bytes[buffer.stringRange(r)]
    if ValueSyntax.isNullToken(b) { return nil }
    if p.kind == .boolean {
      guard let v = ValueSyntax.boolean(b) else { return String(decoding: b, as: UTF8.self) }
      return v.value ? "true" : "false"
    }
    return String(decoding: b, as: UTF8.self)
  }

  /// The number a continuous value stands for (day number for dates, seconds for date-times); nil
  /// for a null. An unparsable value is an error naming its line and column (never the value).
  func parse(_ table: SampleTable, _ c: Int, _ r: Int, _ p: ColumnProfile) throws(DecoyError) -> Double? {
    let buffer = table.values[c]
    if buffer.isNull(r) { return nil }
    let b = buffer.bytes[buffer.stringRange(r)]
    if ValueSyntax.isNullToken(b) { return nil }
    switch p.kind {
    case .date, .datetime:
      if let f = p.dateFormat, let v = f.value(b) {
        return p.kind == .date ? Double(v.day) : Double(v.day) * 86_400 + v.seconds
      }
    default:
      if let v = ValueSyntax.number(b) { return v.value }
    }
    if coerce { return nil }
    throw .input(
      file: table.source, line: table.lines[r], column: c + 1,
      reason:
        "column '\(p.name)' (\(p.kind.rawValue)) has a value that does not parse as \(p.dateFormat.map { "\($0)" } ?? "a number")",
      hint:
        "fix the value, pass --coerce to read such values as nulls, or declare the column categorical in a learn spec"
    )
  }
}
