/// How `pandas.read_csv` (default options) types a column, and how `DataFrame.to_csv` then writes
/// its values — the parts the claims-breach compat mode needs (specs/healthcare.md §4.8): the NA
/// tokens become missing; a column of integers without missing values is int64; numbers with
/// missing values, or with a fraction or exponent, are float64 (written as Python's shortest
/// repr, `416290029.0`); anything else is text, written as read.
public struct PandasColumnType: Sendable {
  private var allInteger = true
  private var allNumeric = true
  private var anyMissing = false
  private var anyValue = false

  public init() {}

  /// pandas' default NA tokens (read_csv `na_values` default set), the empty field aside.
  static let naTokens: [[UInt8]] = [
    "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
  ].map { Array($0.utf8) }

  /// Whether pandas reads the field as missing. Most fields are rejected by length or first byte
  /// before any comparison.
  public static func isMissing(_ f: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let first = f.first else { return true }
    guard f.count <= 8 else { return false }
    switch first {
    case UInt8(ascii: "#"), UInt8(ascii: "-"), UInt8(ascii: "1"), UInt8(ascii: "<"), UInt8(ascii: "N"),
      UInt8(ascii: "n"):
      return naTokens.contains { $0.count == f.count && $0.elementsEqual(f) }
    default:
      return false
    }
  }

  /// An optionally signed run of ASCII digits that fits Int64.
  public static func integer(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
    var i = 0
    guard b.count > 0 else { return nil }
    var negative = false
    if b[0] == 45 || b[0] == 43 {
      negative = b[0] == 45
      i = 1
      guard b.count > 1 else { return nil }
    }
    var v: Int64 = 0
    while i < b.count {
      let d = b[i]
      guard d >= 48 && d <= 57 else { return nil }
      let (m, o1) = v.multipliedReportingOverflow(by: 10)
      let (s, o2) = m.addingReportingOverflow(Int64(d - 48))
      if o1 || o2 { return nil }
      v = s
      i += 1
    }
    return negative ? -v : v
  }

  static func double(_ f: UnsafeBufferPointer<UInt8>) -> Double? {
    Double(String(decoding: f, as: UTF8.self))
  }

  /// Takes one field of the column into account.
  public mutating func observe(_ f: UnsafeBufferPointer<UInt8>) {
    if PandasColumnType.isMissing(f) {
      anyMissing = true
      return
    }
    anyValue = true
    if allInteger && PandasColumnType.integer(f) == nil { allInteger = false }
    if !allInteger && allNumeric && PandasColumnType.double(f) == nil { allNumeric = false }
  }

  /// Takes another part of the column into account (the fields `other` observed): the state is a
  /// conjunction over fields, so the order of the parts does not matter.
  public mutating func merge(_ other: PandasColumnType) {
    allInteger = allInteger && other.allInteger
    allNumeric = allNumeric && other.allNumeric
    anyMissing = anyMissing || other.anyMissing
    anyValue = anyValue || other.anyValue
  }

  /// Whether pandas would hold the column as int64.
  public var isInteger: Bool { anyValue && allInteger && !anyMissing }
  /// Whether pandas would hold the column as float64 (an all-missing column is float64 too).
  public var isFloat: Bool { !isInteger && (allNumeric || !anyValue) }

  /// Writes a field as `to_csv` would; `asFloat` when a null assignment upcast an int64 column.
  public func write(_ f: UnsafeBufferPointer<UInt8>, asFloat: Bool, to out: inout [UInt8]) {
    if PandasColumnType.isMissing(f) { return }
    if isInteger, let v = PandasColumnType.integer(f) {
      if asFloat {
        out.append(contentsOf: Double(v).description.utf8)
      } else {
        out.append(contentsOf: String(v).utf8)
      }
    } else if isFloat, let d = PandasColumnType.double(f) {
      out.append(contentsOf: d.description.utf8)
    } else {
      CSVField.append(f, to: &out)
    }
  }
}
