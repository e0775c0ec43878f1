import DecoyCore

/// How a learned column is written: the engine's value type and, for text-typed columns, the
/// sample's own spelling (dates in their layout, booleans in their pair).
struct OutputType: Sendable {
  var type: ValueType
  var dateFormat: DateFormat?
  var booleanSpelling: (String, String)?
  var digits: Int

  static func of(_ p: ColumnProfile) -> OutputType {
    let digits = p.digits ?? 0
    switch p.kind {
    case .numerical:
      switch p.numberStyle ?? .float {
      case .integer: return OutputType(type: .int, digits: 0)
      case .fixed: return OutputType(type: .decimal(scale: min(digits, 12)), digits: digits)
      case .float: return OutputType(type: .double, digits: digits)
      }
    case .ordinal: return OutputType(type: .int, digits: 0)
    case .date:
      let f = p.dateFormat ?? .isoDate
      return f.isISO ? OutputType(type: .date, digits: 0) : OutputType(type: .string, dateFormat: f, digits: 0)
    case .datetime:
      let f = p.dateFormat ?? .isoDate
      return f.isISO ? OutputType(type: .timestamp, digits: 0) : OutputType(type: .string, dateFormat: f, digits: 0)
    case .boolean:
      let pairs = [("true", "false"), ("t", "f"), ("yes", "no"), ("y", "n"), ("1", "0")]
      var (t, f) = pairs[min(max(p.booleanPair ?? 0, 0), 4)]
      if p.booleanPair == 0 && (p.booleanCase ?? 0) == 0 { return OutputType(type: .bool, digits: 0) }
      switch p.booleanCase ?? 0 {
      case 1: (t, f) = (t.uppercased(), f.uppercased())
      case 2: (t, f) = (t.prefix(1).uppercased() + t.dropFirst(), f.prefix(1).uppercased() + f.dropFirst())
      default: break
      }
      return OutputType(type: .string, booleanSpelling: (t, f), digits: 0)
    default: return OutputType(type: .string, digits: 0)
    }
  }
}

/// The synthetic variables of one batch, drawn once and read by every learned column.
final class SyntheticBatch: @unchecked Sendable {
  var values: [[Double]]
  init(_ values: [[Double]]) { self.values = values }
}

/// One learned column: reads its variables from the batch's ``SyntheticBatch`` and reverses the
/// encoding (protected bounds, rounding, categories, nulls).
struct LearnedColumn: ColumnGenerator {
  let type: ValueType
  let style: OutputType
  let encoding: ColumnEncoding
  let profile: ColumnProfile
  /// Index of the column's first variable (the null indicator when it has one).
  let first: Int
  let key: UInt64
  let variables: Int
  let synthesizer: any FittedSynthesizer
  let stream: RandomStream

  func fill(_ out: ColumnBuffer, batch: BatchView) {
    let compute = { () -> SyntheticBatch in
      var v = [[Double]](repeating: [], count: variables)
      synthesizer.sample(rows: batch.rows, stream: stream, into: &v)
      return SyntheticBatch(v)
    }
    let synthetic = batch.cache?.object(key, compute) ?? compute()
    let n = batch.count
    if encoding.isContinuous {
      let hasIndicator = encoding.nullShare > 0
      let x = synthetic.values[hasIndicator ? first + 1 : first]
      let nulls: [Double]? = hasIndicator ? synthetic.values[first] : nil
      let lo = encoding.lower ?? -.infinity
      let hi = encoding.upper ?? .infinity
      var scale = 1.0
      for _ in 0..<min(encoding.digits ?? 0, 15) { scale *= 10 }
      for k in 0..<n {
        if nulls?[k] == 1 || x[k].isNaN {
          out.appendNull()
          continue
        }
        var v = min(max(x[k], lo), hi)
        v = (v * scale).rounded() / scale
        switch type {
        case .int, .date: out.appendInt(Int64(v.rounded()))
        case .timestamp: out.appendInt(Int64(v.rounded(.down)))
        case .decimal(let s):
          var f = 1.0
          for _ in 0..<s { f *= 10 }
          out.appendInt(Int64((v * f).rounded()))
        case .double: out.appendDouble(v)
        default:
          if let f = style.dateFormat {
            let day = profile.kind == .date ? Int64(v.rounded()) : Int64((v / 86_400).rounded(.down))
            let secs = profile.kind == .date ? 0 : v - Double(day) * 86_400
            f.append(
              day: day, seconds: Int64(secs.rounded(.down)), fraction: secs - secs.rounded(.down), to: &out.bytes)
          } else {
            ValueFormatter.appendDouble(v, to: &out.bytes)
          }
          out.endString()
        }
      }
      return
    }
    let codes = synthetic.values[first]
    let cats = encoding.categories ?? []
    for k in 0..<n {
      let code = min(max(Int(codes[k]), 0), max(cats.count - 1, 0))
      guard code < cats.count, let s = cats[code] else {
        out.appendNull()
        continue
      }
      switch type {
      case .bool: out.appendInt(s == "true" ? 1 : 0)
      case .int: out.appendInt(Int64(s) ?? Int64(Double(s) ?? 0))
      default:
        if let (t, f) = style.booleanSpelling {
          out.bytes.append(contentsOf: (s == "true" ? t : f).utf8)
        } else {
          out.bytes.append(contentsOf: s.utf8)
        }
        out.endString()
      }
    }
  }
}
