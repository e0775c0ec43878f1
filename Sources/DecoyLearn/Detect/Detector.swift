public import DecoyCore

/// Detection of a sample's columns (specs/learned.md §1.3): kinds, formats, null tokens, keys and
/// personal identifiers, from counts of value shapes. It reads at most 100,000 rows (a keyed stride
/// sample of larger tables) and never keeps or reports a value.
public struct Detector: Sendable {
  /// Rows read per column at most.
  public var scanLimit = 100_000
  /// Share of non-null values that must parse for a date layout (1.0, or 0.99 with `--lenient`).
  public var dateShare = 1.0
  /// Read values that do not fit a column's dominant number type as nulls (`--coerce`).
  public var coerce = false

  public init() {}

  /// Profiles every column; `declared` overrides a column's kind (from a learn spec).
  public func detect(_ table: SampleTable, declared: [String: ColumnKind] = [:]) throws(DecoyError)
    -> [ColumnProfile]
  {
    var out: [ColumnProfile] = []
    var problems: [DecoyError] = []
    for c in table.columns.indices {
      do {
        var p = try profile(table, c, declared: declared[table.columns[c]])
        if p.kind == .text {
          p.textWords = PlaceholderText.wordQuantiles(table.values[c], rows: scanRows(table.rowCount))
          p.nullShare = p.evidence.nullShare
        }
        out.append(p)
      } catch {
        problems.append(error)
      }
    }
    if let first = problems.first { throw first }
    return out
  }

  /// The rows detection reads.
  func scanRows(_ n: Int) -> [Int] {
    if n <= scanLimit { return Array(0..<n) }
    let stride = Double(n) / Double(scanLimit)
    let offset = RandomStream(seed: 0, path: ["learn", "detect", "stride"]).unit(UInt64(n)) * stride
    return (0..<scanLimit).map { min(n - 1, Int(offset + Double($0) * stride)) }
  }

  func profile(_ table: SampleTable, _ c: Int, declared: ColumnKind?) throws(DecoyError) -> ColumnProfile {
    let name = table.columns[c]
    let rows = scanRows(table.rowCount)
    let buffer = table.values[c]
    var ev = Evidence()
    ev.rows = table.rowCount
    var hashes = Set<UInt64>()
    var fixedDigits: Int? = -1
    var maxDigits = 0
    var nonNegativeInts = true
    var intMin = Int64.max
    var intMax = Int64.min
    var boolPairs = Set<Int>()
    var boolCases = Set<Int>()
    var firstNonNumber: Int?
    var firstNumber: Int?
    // Dates: separators, widths, orders seen.
    var dateSeps = Set<UInt8>()
    var yearFirst = 0
    var firstOver12 = false
    var secondOver12 = false
    var paddedAll = true
    var timeLayouts = Set<DateFormat.TimeLayout>()
    var template: [UInt8]? = nil
    var templateOK = true
    var allDigitsText = true
    let hint = PIIRules.nameHint(name)
    var validated = [Int](repeating: 0, count: PIIRules.validated.count)
    var hintedValid = 0
    for r in rows {
      if buffer.isNull(r) { continue }
      let b = buffer.bytes[buffer.stringRange(r)]
      if ValueSyntax.isNullToken(b) {
        ev.nullTokens += 1
        continue
      }
      ev.nonNull += 1
      if !ev.distinctCapped {
        hashes.insert(StableHash.bytes(b))
        if hashes.count > 65_536 { ev.distinctCapped = true }
      }
      for (k, kind) in PIIRules.validated.enumerated() where PIIRules.accepts(kind, b, hinted: false) {
        validated[k] += 1
      }
      if let hint, PIIRules.accepts(hint.kind, b, hinted: true) { hintedValid += 1 }
      // Key template: A = upper, x = lower, 9 = digit, other bytes literal (compared in place).
      if templateOK {
        if template == nil { template = b.map(Detector.templateClass) }
        let t = template!
        if t.count != b.count {
          templateOK = false
        } else {
          var k = 0
          for c in b {
            if Detector.templateClass(c) != t[k] {
              templateOK = false
              break
            }
            k += 1
          }
        }
        if allDigitsText && b.contains(where: { $0 < 48 || $0 > 57 }) { allDigitsText = false }
      }
      if let bo = ValueSyntax.boolean(b) {
        ev.booleans += 1
        boolPairs.insert(bo.pair)
        let letters = b.filter { ($0 | 32) >= 97 && ($0 | 32) <= 122 }
        if !letters.isEmpty {
          boolCases.insert(
            letters.allSatisfy { $0 >= 97 } ? 0 : letters.allSatisfy { $0 < 97 } ? 1 : letters.first! < 97 ? 2 : 3)
        }
      }
      if let n = ValueSyntax.number(b) {
        if firstNumber == nil { firstNumber = r }
        if n.integer {
          ev.integers += 1
          let v = Int64(exactly: n.value) ?? 0
          intMin = min(intMin, v)
          intMax = max(intMax, v)
          if v < 0 { nonNegativeInts = false }
          if fixedDigits != nil && fixedDigits != -1 { fixedDigits = nil } else if fixedDigits == -1 { fixedDigits = 0 }
        } else {
          ev.decimals += 1
          let d = n.fractionDigits ?? 15
          maxDigits = max(maxDigits, d)
          if n.fractionDigits == nil || d == 0 {
            fixedDigits = nil
          } else if fixedDigits == -1 {
            fixedDigits = d
          } else if fixedDigits != d {
            fixedDigits = nil
          }
        }
        continue
      }
      if firstNonNumber == nil { firstNonNumber = r }
      if let p = DateFormat.parse(b) {
        dateSeps.insert(p.separator)
        if p.firstWidth == 4 {
          yearFirst += 1
        } else {
          if p.fields.0 > 12 { firstOver12 = true }
          if p.fields.1 > 12 { secondOver12 = true }
        }
        if !p.padded { paddedAll = false }
        if let t = p.time {
          ev.datetimes += 1
          timeLayouts.insert(t)
        } else {
          ev.dates += 1
        }
        continue
      }
      ev.texts += 1
    }
    ev.distinct = min(hashes.count, 65_536)
    var p = ColumnProfile(name: name, kind: .categorical, routing: .learned, evidence: ev)
    let nn = ev.nonNull
    let numbers = ev.integers + ev.decimals

    func numerical() {
      p.kind = .numerical
      if ev.decimals == 0 {
        p.numberStyle = .integer
        p.digits = 0
      } else {
        p.numberStyle = (fixedDigits ?? 0) > 0 && ev.integers == 0 ? .fixed : .float
        p.digits = maxDigits
      }
    }
    func dateKind() -> Bool {
      let dated = ev.dates + ev.datetimes
      guard nn > 0, Double(dated) >= dateShare * Double(nn), dateSeps.count == 1, timeLayouts.count <= 1,
        ev.dates == 0 || ev.datetimes == 0
      else { return false }
      let sep = dateSeps.first!
      let order: DateFormat.Order
      if yearFirst == dated {
        order = .ymd
      } else if yearFirst == 0 {
        if firstOver12 && secondOver12 { return false }
        if firstOver12 {
          order = .dmy
        } else {
          order = sep == UInt8(ascii: ".") ? .dmy : .mdy
          if !secondOver12 {
            p.warnings.append("day and month are both at most 12 in every value: read as month/day (US order)")
          }
        }
      } else {
        return false
      }
      p.dateFormat = DateFormat(order: order, separator: sep, padded: paddedAll, time: timeLayouts.first)
      p.kind = ev.datetimes > 0 ? .datetime : .date
      return true
    }

    if let declared {
      p.kind = declared
      switch declared {
      case .numerical:
        guard numbers >= nn || coerce else {
          throw mixed(table, c, rows, numbers: numbers, nn: nn)
        }
        numerical()
      case .date, .datetime:
        if !dateKind() {
          throw DecoyError.input(
            file: table.source, line: 1, column: c + 1,
            reason: "column '\(name)' is declared \(declared.rawValue) but its values are not all in one date layout",
            hint: "declare it categorical, or fix the values")
        }
      case .boolean:
        p.booleanPair = boolPairs.count == 1 ? boolPairs.first : 0
        p.booleanCase = boolCases.count == 1 ? boolCases.first : 0
      case .pii:
        p.pii = hint?.kind ?? bestValidator(validated, nn)?.kind ?? .fullName
      case .key:
        p.keyTemplate =
          ev.integers == nn
          ? "integer" : (templateOK ? template.map { String(decoding: $0, as: UTF8.self) } : nil) ?? "integer"
      default: break
      }
      return finish(p)
    }

    if nn == 0 {
      p.kind = .null
      p.warnings.append("every value is null: written as null")
      return finish(p)
    }
    // Personal identifiers first: they must never be learned, whatever their type.
    if let v = bestValidator(validated, nn), v.share >= 0.9 {
      p.kind = .pii
      p.pii = v.kind
      p.evidence.validated = v.count
      return finish(p)
    }
    if let hint {
      let stringy = ev.texts + ev.dates + ev.datetimes > 0 || [.zip, .cvv, .ssn, .phone].contains(hint.kind)
      let validatorShare = Double(hintedValid) / Double(nn)
      let hasValidator = PIIRules.validated.contains(hint.kind) || hint.kind == .cvv
      if hasValidator && validatorShare >= 0.5 {
        p.kind = .pii
        p.pii = hint.kind
        p.evidence.validated = hintedValid
        return finish(p)
      }
      if !hasValidator && stringy {
        let unique = Double(ev.distinct) / Double(nn)
        if !hint.strong || unique >= 0.5 || hint.kind != .fullName {
          p.kind = .pii
          p.pii = hint.kind
          return finish(p)
        }
      }
    }
    if ev.distinct == 1 && !ev.distinctCapped {
      p.kind = .constant
      for r in rows where !buffer.isNull(r) && !ValueSyntax.isNullToken(buffer.bytes[buffer.stringRange(r)]) {
        p.constant = buffer.string(r)
        break
      }
      p.nullShare = ev.nullShare
      return finish(p)
    }
    let unique = !ev.distinctCapped && ev.distinct == nn && nn == table.rowCount
    let nearlyUnique = Double(ev.distinct) >= 0.95 * Double(nn) && nn == table.rowCount
    let idToken =
      PIIRules.tokens(name).contains { $0 == "id" || $0 == "key" || $0 == "uuid" || $0 == "code" }
      || name.hasSuffix("ID") || name.hasSuffix("Id")
    if idToken && nearlyUnique && nn >= 2 {
      p.kind = .key
      p.keyTemplate =
        ev.integers == nn
        ? "integer" : templateOK && !allDigitsText ? String(decoding: template!, as: UTF8.self) : "integer"
      return finish(p)
    }
    if numbers == nn {
      if ev.integers == nn && unique && nonNegativeInts && Double(intMax - intMin) < 2 * Double(nn) && nn > 5 {
        p.kind = .key
        p.keyTemplate = "integer"
        return finish(p)
      }
      if ev.booleans == nn && boolPairs == [4] && ev.distinct == 2 {
        p.kind = .boolean
        p.booleanPair = 4
        return finish(p)
      }
      if ev.integers == nn && nn > 5 && ev.distinct <= min(Int((Double(nn) / 10).rounded()), 10) {
        p.kind = .ordinal
        p.numberStyle = .integer
        p.digits = 0
        return finish(p)
      }
      numerical()
      return finish(p)
    }
    if ev.booleans == nn && boolPairs.count == 1 && ev.distinct <= 2 {
      p.kind = .boolean
      p.booleanPair = boolPairs.first!
      p.booleanCase = boolCases.count == 1 ? boolCases.first! : 0
      return finish(p)
    }
    if ev.dates + ev.datetimes > 0 && dateKind() { return finish(p) }
    if numbers > 0 && Double(numbers) >= 0.5 * Double(nn) {
      if coerce {
        numerical()
        p.warnings.append("\(nn - numbers) values that are not numbers are read as nulls (--coerce)")
        return finish(p)
      }
      throw mixed(table, c, rows, numbers: numbers, nn: nn)
    }
    if unique && templateOK && !allDigitsText {
      p.kind = .key
      p.keyTemplate = String(decoding: template!, as: UTF8.self)
      return finish(p)
    }
    if ev.distinctCapped || ev.distinct > 1_000 || (nn >= 50 && Double(ev.distinct) > 0.5 * Double(nn)) {
      p.kind = .text
      return finish(p)
    }
    p.kind = .categorical
    return finish(p)
  }

  /// The template class of a byte: `A` upper-case letter, `x` lower-case letter, `9` digit, else itself.
  @inline(__always)
  static func templateClass(_ c: UInt8) -> UInt8 {
    if c >= 65 && c <= 90 { return UInt8(ascii: "A") }
    if c >= 97 && c <= 122 { return UInt8(ascii: "x") }
    if c >= 48 && c <= 57 { return UInt8(ascii: "9") }
    return c
  }

  func bestValidator(_ counts: [Int], _ nn: Int) -> (kind: PIIKind, count: Int, share: Double)? {
    guard nn > 0, let k = counts.indices.max(by: { counts[$0] < counts[$1] }), counts[k] > 0 else { return nil }
    return (PIIRules.validated[k], counts[k], Double(counts[k]) / Double(nn))
  }

  func mixed(_ table: SampleTable, _ c: Int, _ rows: [Int], numbers: Int, nn: Int) -> DecoyError {
    let buffer = table.values[c]
    var line = 1
    for r in rows where !buffer.isNull(r) {
      let b = buffer.bytes[buffer.stringRange(r)]
      if !ValueSyntax.isNullToken(b) && ValueSyntax.number(b) == nil {
        line = table.lines[r]
        break
      }
    }
    let share = Int((Double(nn - numbers) / Double(nn) * 100).rounded(.up))
    return .input(
      file: table.source, line: line, column: c + 1,
      reason:
        "column '\(table.columns[c])' mixes numbers with words: \(nn - numbers) of \(nn) values (\(share) %) are not numbers; the first is on this line",
      hint:
        "fix those values, pass --coerce to read them as nulls, or declare the column `kind: categorical` in a learn spec (--spec)"
    )
  }

  func finish(_ p: ColumnProfile) -> ColumnProfile {
    var p = p
    switch p.kind {
    case .numerical, .categorical, .ordinal, .boolean, .date, .datetime: p.routing = .learned
    case .pii:
      p.routing = .provider
      p.provider = p.pii?.provider
    case .key: p.routing = .key
    case .constant: p.routing = .constant
    case .null: p.routing = .null
    case .text: p.routing = .placeholder
    }
    return p
  }
}
