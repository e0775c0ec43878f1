/// A tab-separated reference file split into field byte ranges in one pass over its bytes.
///
/// The embedded tables are plain ASCII/UTF-8 with a fixed column count; scanning bytes and
/// building string arenas directly avoids the per-field arrays and Strings that made parsing
/// them the largest part of a short run's start-up. A malformed embedded file is a build bug,
/// so it stops with a precondition naming the row.
struct TSVTable {
  let bytes: [UInt8]
  let columns: Int
  /// Per row and column: start and end byte offsets, row-major.
  private var bounds: [Int] = []
  var rows: Int { bounds.count / (2 * columns) }

  init(_ text: String, columns: Int) {
    bytes = Array(text.utf8)
    self.columns = columns
    bounds.reserveCapacity(bytes.count / 4)
    var start = 0
    var field = 0
    var row = 0
    for (i, b) in bytes.enumerated() where b == 9 || b == 10 {
      bounds.append(start)
      bounds.append(i)
      start = i + 1
      field += 1
      if b == 10 {
        precondition(field == columns, "reference row \(row + 1): \(field) fields, expected \(columns)")
        field = 0
        row += 1
      }
    }
    if start < bytes.count {
      bounds.append(start)
      bounds.append(bytes.count)
      field += 1
    }
    precondition(field == 0 || field == columns, "reference row \(row + 1): \(field) fields, expected \(columns)")
  }

  private func range(_ row: Int, _ column: Int) -> (Int, Int) {
    let k = 2 * (row * columns + column)
    return (bounds[k], bounds[k + 1])
  }

  /// Column `column` of every row as one string arena.
  func strings(_ column: Int) -> StringTable {
    var arena: [UInt8] = []
    var starts = [0]
    starts.reserveCapacity(rows + 1)
    for r in 0..<rows {
      let (a, b) = range(r, column)
      arena.append(contentsOf: bytes[a..<b])
      starts.append(arena.count)
    }
    return StringTable(arena: arena, starts: starts)
  }

  /// Column `column` as non-negative decimal integers.
  func integers(_ column: Int) -> [Int] {
    (0..<rows).map { r in
      let (a, b) = range(r, column)
      precondition(a < b, "reference row \(r + 1): empty number")
      var v = 0
      for k in a..<b {
        let d = Int(bytes[k]) - 48
        precondition(d >= 0 && d <= 9, "reference row \(r + 1): not a whole number")
        v = v * 10 + d
      }
      return v
    }
  }

  /// Column `column` as weights (whole counts in every embedded file; exact as Doubles).
  func numbers(_ column: Int) -> [Double] { integers(column).map { Double($0) } }

  /// The first byte of a field.
  func firstByte(_ row: Int, _ column: Int) -> UInt8 { bytes[range(row, column).0] }

  /// A two-byte field as a 16-bit key (state codes).
  func key16(_ row: Int, _ column: Int) -> Int {
    let (a, b) = range(row, column)
    precondition(b - a == 2, "reference row \(row + 1): expected a two-letter code")
    return Int(bytes[a]) << 8 | Int(bytes[a + 1])
  }
}
