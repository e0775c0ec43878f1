public import DecoyCore

/// Writes chosen rows of a ``SampleTable`` as RFC 4180 CSV, each value in its source spelling
/// (a true null as an empty field). Used by `decoy fit --split-out` so that another tool (SDV,
/// SDMetrics) can be fitted and scored on exactly Decoy's training and holdout rows.
public enum SampleCSV {
  /// The CSV bytes of `rows` (in the given order) with the header.
  public static func encode(_ table: SampleTable, rows: [Int]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(64 + rows.count * table.columns.count * 8)
    for (j, name) in table.columns.enumerated() {
      if j > 0 { out.append(UInt8(ascii: ",")) }
      field(Array(name.utf8)[...], into: &out)
    }
    out.append(UInt8(ascii: "\n"))
    for r in rows {
      for j in table.columns.indices {
        if j > 0 { out.append(UInt8(ascii: ",")) }
        if table.values[j].isNull(r) { continue }
        field(table.bytes(j, r), into: &out)
      }
      out.append(UInt8(ascii: "\n"))
    }
    return out
  }

  /// Appends one field, quoted when it holds a comma, quote, CR or LF, or starts or ends with a space.
  static func field(_ v: ArraySlice<UInt8>, into out: inout [UInt8]) {
    let quote = UInt8(ascii: "\"")
    let needs =
      v.contains { $0 == UInt8(ascii: ",") || $0 == quote || $0 == 10 || $0 == 13 }
      || v.first == UInt8(ascii: " ") || v.last == UInt8(ascii: " ")
    guard needs else {
      out.append(contentsOf: v)
      return
    }
    out.append(quote)
    for b in v {
      if b == quote { out.append(quote) }
      out.append(b)
    }
    out.append(quote)
  }
}
