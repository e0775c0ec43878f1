/// The logical type of a column. Writers choose their physical encoding from it.
public enum ValueType: Sendable, Hashable, CustomStringConvertible {
  /// 64-bit signed integer.
  case int
  /// Binary floating point.
  case double
  /// Fixed-point number stored as an integer scaled by 10^scale (money: scale 2).
  case decimal(scale: Int)
  /// UTF-8 text.
  case string
  /// Calendar date, stored as days since 1970-01-01.
  case date
  /// Instant with second precision, stored as seconds since 1970-01-01T00:00:00Z.
  case timestamp
  /// true / false.
  case bool

  public var description: String {
    switch self {
    case .int: "int"
    case .double: "double"
    case .decimal(let s): "decimal(\(s))"
    case .string: "string"
    case .date: "date"
    case .timestamp: "timestamp"
    case .bool: "bool"
    }
  }

  /// Whether values live in ``ColumnBuffer/ints``.
  public var isIntegerBacked: Bool {
    switch self {
    case .int, .decimal, .date, .timestamp, .bool: true
    case .double, .string: false
    }
  }
}
