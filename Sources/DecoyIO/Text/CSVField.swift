/// One CSV field, quoted only when it must be (RFC 4180 and Python's QUOTE_MINIMAL agree on this):
/// when it holds a comma, a double quote, CR or LF — or, for clean output, when it was a quoted
/// empty string (an empty string, not a missing value).
public enum CSVField {
  @inline(__always)
  public static func append<C: Collection>(
    _ field: C, delimiter: UInt8 = 44, quoted forceQuotes: Bool = false, to out: inout [UInt8]
  )
  where C.Element == UInt8 {
    if field.withContiguousStorageIfAvailable({ append($0, delimiter: delimiter, quoted: forceQuotes, to: &out) })
      == nil
    {
      Array(field).withUnsafeBufferPointer { append($0, delimiter: delimiter, quoted: forceQuotes, to: &out) }
    }
  }

  /// The same over raw bytes, not generic (the enrichment's hot path calls it from another module).
  public static func append(
    _ field: UnsafeBufferPointer<UInt8>, delimiter: UInt8 = 44, quoted forceQuotes: Bool = false, to out: inout [UInt8]
  ) {
    var needs = forceQuotes && field.isEmpty
    if !needs {
      for b in field where b == delimiter || b == 34 || b == 10 || b == 13 {
        needs = true
        break
      }
    }
    guard needs else {
      out.append(contentsOf: field)
      return
    }
    out.append(34)
    for b in field {
      if b == 34 { out.append(34) }
      out.append(b)
    }
    out.append(34)
  }
}
