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

  public func header(_ layout: TableLayout) -> [UInt8] {
    guard header, layout.shard.index == 0 else { return [] }
    var out: [UInt8] = []
    for (i, c) in layout.columns.enumerated() {
      if i > 0 { out.append(delimiter) }
      appendField(Array(c.utf8)[...], to: &out)
    }
    out.append(contentsOf: lineEnding)
    return out
  }

  func appendField(_ bytes: ArraySlice<UInt8>, to out: inout [UInt8]) {
    bytes.withUnsafeBufferPointer { appendField($0, to: &out) }
  }

  @inline(__always)
  func needsQuoting(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let d = delimiter
    for b in bytes where b == d || b == 34 || b == 10 || b == 13 { return true }
    return false
  }

  @inline(__always)
  func appendField(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
    CSVField.append(bytes, delimiter: delimiter, to: &out)
  }

  /// Two passes, so that the per-cell work touches only flat byte buffers: first every column's
  /// cells are rendered (quoted where needed) into one arena, column by column; then rows are
  /// assembled by copying cell slices into the output through raw pointers.
  public func encode(_ layout: TableLayout, columns: [ColumnBuffer], rows: Range<UInt64>, into out: inout [UInt8]) {
    let rowCount = rows.count
    guard rowCount > 0 else { return }
    let stride = rowCount + 1
    var arena: [UInt8] = []
    arena.reserveCapacity(rowCount * columns.count * 10)
    var offsets = [Int](repeating: 0, count: columns.count * stride)
    for (ci, c) in columns.enumerated() {
      let base = ci * stride
      offsets[base] = arena.count
      let hasNulls = c.hasNulls
      let nulls = c.nulls
      switch c.type {
      case .string:
        let ends = c.ends
        c.bytes.withUnsafeBufferPointer { bp in
          // Fast path: no nulls and no byte that needs quoting anywhere in the column — copy the
          // column's bytes in one go and shift its end offsets.
          let used = rowCount > 0 ? ends[rowCount - 1] : 0
          if !hasNulls && !needsQuoting(UnsafeBufferPointer(rebasing: bp[0..<used])) {
            let shift = arena.count
            arena.append(contentsOf: UnsafeBufferPointer(rebasing: bp[0..<used]))
            for r in 0..<rowCount { offsets[base + r + 1] = ends[r] + shift }
            return
          }
          var start = 0
          for r in 0..<rowCount {
            let end = ends[r]
            if !(hasNulls && r < nulls.count && nulls[r]) {
              appendField(UnsafeBufferPointer(rebasing: bp[start..<end]), to: &arena)
            }
            start = end
            offsets[base + r + 1] = arena.count
          }
        }
      default:
        for r in 0..<rowCount {
          if !(hasNulls && r < nulls.count && nulls[r]) && !(c.type == .double && !c.doubles[r].isFinite) {
            ValueFormatter.append(c, r, to: &arena)
          }
          offsets[base + r + 1] = arena.count
        }
      }
    }
    let total = arena.count + rowCount * (columns.count - 1 + lineEnding.count)
    let outStart = out.count
    out.append(contentsOf: repeatElement(0, count: total))
    let delimiter = self.delimiter
    let lineEnding = self.lineEnding
    let columnCount = columns.count
    out.withUnsafeMutableBufferPointer { dst in
      arena.withUnsafeBufferPointer { src in
        offsets.withUnsafeBufferPointer { off in
          var w = outStart
          for r in 0..<rowCount {
            for ci in 0..<columnCount {
              if ci > 0 {
                dst[w] = delimiter
                w += 1
              }
              let a = off[ci * stride + r]
              let n = off[ci * stride + r + 1] - a
              if n > 24 {
                (dst.baseAddress! + w).update(from: src.baseAddress! + a, count: n)
                w += n
              } else {
                // Most cells are short: an inline loop beats a memmove call.
                for k in 0..<n { dst[w + k] = src[a + k] }
                w += n
              }
            }
            for b in lineEnding {
              dst[w] = b
              w += 1
            }
          }
        }
      }
    }
  }

  public func footer(_ layout: TableLayout) -> [UInt8] { [] }
}
