public import DecoyCore

/// JSON Lines (one object per line) or a JSON array of objects. Strings are escaped per RFC 8259;
/// numbers and booleans are bare; dates and timestamps are ISO 8601 strings; nulls are `null`.
public struct JSONRecordEncoder: RecordEncoder {
  public enum Style: Sendable { case lines, array }
  public var style: Style

  public init(style: Style) { self.style = style }

  public func header(_ layout: TableLayout) -> [UInt8] {
    style == .array ? Array("[\n".utf8) : []
  }

  public func footer(_ layout: TableLayout) -> [UInt8] { style == .array ? Array("\n]\n".utf8) : [] }

  static let hex: [UInt8] = Array("0123456789abcdef".utf8)

  /// Appends a JSON string literal.
  @inline(__always)
  public static func appendString<C: Collection>(_ bytes: C, to out: inout [UInt8]) where C.Element == UInt8 {
    out.append(34)
    for b in bytes {
      switch b {
      case 34:
        out.append(92)
        out.append(34)
      case 92:
        out.append(92)
        out.append(92)
      case 10:
        out.append(92)
        out.append(UInt8(ascii: "n"))
      case 13:
        out.append(92)
        out.append(UInt8(ascii: "r"))
      case 9:
        out.append(92)
        out.append(UInt8(ascii: "t"))
      case 0..<32:
        out.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48])
        out.append(hex[Int(b >> 4)])
        out.append(hex[Int(b & 15)])
      default: out.append(b)
      }
    }
    out.append(34)
  }

  /// Appends value `r` of a column as a JSON value.
  @inline(__always)
  public static func appendValue(_ c: ColumnBuffer, _ r: Int, to out: inout [UInt8]) {
    if c.isNull(r) {
      out.append(contentsOf: "null".utf8)
      return
    }
    switch c.type {
    case .string: JSONRecordEncoder.appendString(c.bytes[c.stringRange(r)], to: &out)
    case .date, .timestamp:
      out.append(34)
      ValueFormatter.append(c, r, to: &out)
      out.append(34)
    case .double where !c.doubles[r].isFinite: out.append(contentsOf: "null".utf8)
    default: ValueFormatter.append(c, r, to: &out)
    }
  }

  public func encode(_ layout: TableLayout, columns: [ColumnBuffer], rows: Range<UInt64>, into out: inout [UInt8]) {
    let rowCount = rows.count
    let isFirst = rows.lowerBound == layout.rows.lowerBound
    let names = layout.columns
    // Keys are escaped once per batch, not per row.
    var keys: [[UInt8]] = []
    for n in names {
      var k: [UInt8] = []
      JSONRecordEncoder.appendString(Array(n.utf8), to: &k)
      k.append(58)
      keys.append(k)
    }
    for r in 0..<rowCount {
      if style == .array && !(isFirst && r == 0) { out.append(contentsOf: [44, 10]) }
      out.append(123)
      for (ci, c) in columns.enumerated() {
        if ci > 0 { out.append(44) }
        out.append(contentsOf: keys[ci])
        JSONRecordEncoder.appendValue(c, r, to: &out)
      }
      out.append(125)
      if style == .lines { out.append(10) }
    }
  }
}
