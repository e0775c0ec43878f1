/// A reusable, typed, columnar buffer for one column of one batch.
///
/// Storage is chosen by ``ValueType``: integer-backed types (int, decimal, date, timestamp, bool) use
/// ``ints``; doubles use ``doubles``; strings are one contiguous UTF-8 byte array with end offsets,
/// so filling a column never allocates per value. Buffers are cleared and refilled batch after batch.
public final class ColumnBuffer: @unchecked Sendable {
  /// Logical type of the values.
  public let type: ValueType
  /// Integer-backed values (see ``ValueType/isIntegerBacked``).
  public var ints: [Int64] = []
  /// Double values.
  public var doubles: [Double] = []
  /// Concatenated UTF-8 bytes of all string values.
  public var bytes: [UInt8] = []
  /// End offset in ``bytes`` of each string value (value `i` spans `ends[i-1]..<ends[i]`).
  public var ends: [Int] = []
  /// Null flags (only meaningful when ``hasNulls``).
  public var nulls: [Bool] = []
  /// Whether any value in the batch is null.
  public var hasNulls = false
  /// Number of values.
  public private(set) var count = 0

  public init(type: ValueType, capacity: Int = 0) {
    self.type = type
    switch type {
    case .string:
      ends.reserveCapacity(capacity)
      bytes.reserveCapacity(capacity * 12)
    case .double: doubles.reserveCapacity(capacity)
    default: ints.reserveCapacity(capacity)
    }
  }

  /// Empties the buffer, keeping its capacity.
  public func reset() {
    ints.removeAll(keepingCapacity: true)
    doubles.removeAll(keepingCapacity: true)
    bytes.removeAll(keepingCapacity: true)
    ends.removeAll(keepingCapacity: true)
    nulls.removeAll(keepingCapacity: true)
    hasNulls = false
    count = 0
  }

  @inline(__always)
  public func appendInt(_ v: Int64) {
    ints.append(v)
    count += 1
  }

  @inline(__always)
  public func appendDouble(_ v: Double) {
    doubles.append(v)
    count += 1
  }

  /// Sets the value count after a generator filled the storage arrays directly.
  public func setCount(_ n: Int) { count = n }

  /// Closes the string value whose bytes were appended to ``bytes`` since the previous value.
  @inline(__always)
  public func endString() {
    ends.append(bytes.count)
    count += 1
  }

  /// Appends a complete string value.
  public func appendString(_ s: String) {
    bytes.append(contentsOf: s.utf8)
    endString()
  }

  /// Appends a typed placeholder and marks it null.
  public func appendNull() {
    switch type {
    case .string: endString()
    case .double: appendDouble(0)
    default: appendInt(0)
    }
    markNull(count - 1)
  }

  /// Marks value `i` as null (its stored value is kept but must be ignored by readers).
  public func markNull(_ i: Int) {
    if !hasNulls {
      nulls = [Bool](repeating: false, count: count)
      hasNulls = true
    }
    while nulls.count < count { nulls.append(false) }
    nulls[i] = true
  }

  /// Whether value `i` is null.
  @inlinable @inline(__always)
  public func isNull(_ i: Int) -> Bool { hasNulls && i < nulls.count && nulls[i] }

  /// Byte range of string value `i`.
  @inlinable @inline(__always)
  public func stringRange(_ i: Int) -> Range<Int> { (i == 0 ? 0 : ends[i - 1])..<ends[i] }

  /// String value `i` (allocates; for tests, templates and small outputs only).
  public func string(_ i: Int) -> String {
    String(decoding: bytes[stringRange(i)], as: UTF8.self)
  }

  /// An independent copy of the buffer (for holding batches beyond the engine's reuse of them).
  public func copy() -> ColumnBuffer {
    let c = ColumnBuffer(type: type)
    c.ints = ints
    c.doubles = doubles
    c.bytes = bytes
    c.ends = ends
    c.nulls = nulls
    c.hasNulls = hasNulls
    c.count = count
    return c
  }

  /// A human-readable rendering of value `i`, as the text formats print it (allocates).
  public func text(_ i: Int) -> String {
    var out: [UInt8] = []
    ValueFormatter.append(self, i, to: &out)
    return String(decoding: out, as: UTF8.self)
  }
}
