public import DecoyCore

/// RFC 4180 CSV: CRLF-free (`\n`) by default, fields quoted only when they contain the delimiter,
/// a quote, CR or LF (quotes doubled). Nulls are empty fields. The header is written in shard 0 only,
/// so shard outputs concatenate to the single-run file.
public struct CSVEncoder: RecordEncoder {
  public var delimiter: UInt8
  public var header: Bool
  public var lineEnding: [UInt8]

  public init(delimiter: UInt8 = UInt8(ascii: ","), header: Bool = true, crlf: Bool = false) {
    self.delimiter = delimiter
    self.header = header
    self.lineEnding = crlf ? [13, 10] : [10]
  }

  public func header(columns: [String], types: [ValueType], shard: Shard) -> [UInt8] {
    guard header, shard.index == 0 else { return [] }
    var out: [UInt8] = []
    for (i, c) in columns.enumerated() {
      if i > 0 { out.append(delimiter) }
      appendField(Array(c.utf8)[...], to: &out)
    }
    out.append(contentsOf: lineEnding)
    return out
  }

  @inline(__always)
  func appendField(_ bytes: ArraySlice<UInt8>, to out: inout [UInt8]) {
    var needs = false
    for b in bytes where b == delimiter || b == 34 || b == 10 || b == 13 {
      needs = true
      break
    }
    if !needs {
      out.append(contentsOf: bytes)
      return
    }
    out.append(34)
    for b in bytes {
      if b == 34 { out.append(34) }
      out.append(b)
    }
    out.append(34)
  }

  public func encode(columns: [ColumnBuffer], names: [String], rowCount: Int, isFirst: Bool, into out: inout [UInt8]) {
    out.reserveCapacity(out.count + rowCount * (columns.count * 12 + 1))
    for r in 0..<rowCount {
      for (ci, c) in columns.enumerated() {
        if ci > 0 { out.append(delimiter) }
        if c.isNull(r) { continue }
        if case .string = c.type {
          appendField(c.bytes[c.stringRange(r)], to: &out)
        } else if case .double = c.type, !c.doubles[r].isFinite {
          continue
        } else {
          ValueFormatter.append(c, r, to: &out)
        }
      }
      out.append(contentsOf: lineEnding)
    }
  }

  public func footer(shard: Shard) -> [UInt8] { [] }
}
