/// A minimal writer of the Thrift compact protocol, enough for Parquet's footer and page headers.
struct ThriftCompactWriter {
  enum FieldType: UInt8 {
    case boolTrue = 1
    case boolFalse = 2
    case i32 = 5
    case i64 = 6
    case binary = 8
    case list = 9
    case structure = 12
  }

  private(set) var bytes: [UInt8] = []
  private var lastField: [Int16] = [0]

  mutating func varint(_ v: UInt64) {
    var x = v
    while x >= 0x80 {
      bytes.append(UInt8(x & 0x7f) | 0x80)
      x >>= 7
    }
    bytes.append(UInt8(x))
  }

  mutating func zigzag(_ v: Int64) { varint(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }

  mutating func fieldHeader(_ id: Int16, _ type: FieldType) {
    let delta = id - lastField[lastField.count - 1]
    if delta > 0 && delta <= 15 {
      bytes.append(UInt8(delta) << 4 | type.rawValue)
    } else {
      bytes.append(type.rawValue)
      zigzag(Int64(id))
    }
    lastField[lastField.count - 1] = id
  }

  mutating func i32(_ id: Int16, _ v: Int32) {
    fieldHeader(id, .i32)
    zigzag(Int64(v))
  }

  mutating func i64(_ id: Int16, _ v: Int64) {
    fieldHeader(id, .i64)
    zigzag(v)
  }

  mutating func bool(_ id: Int16, _ v: Bool) { fieldHeader(id, v ? .boolTrue : .boolFalse) }

  mutating func string(_ id: Int16, _ s: String) {
    fieldHeader(id, .binary)
    let u = Array(s.utf8)
    varint(UInt64(u.count))
    bytes.append(contentsOf: u)
  }

  /// Starts a nested struct field; close with ``endStruct()``.
  mutating func beginStruct(_ id: Int16) {
    fieldHeader(id, .structure)
    lastField.append(0)
  }

  /// Ends a struct (a nested field, or the top-level one).
  mutating func endStruct() {
    bytes.append(0)
    if lastField.count > 1 { lastField.removeLast() }
  }

  /// A list field header; the elements follow (structs via ``beginListStruct()``/``endStruct()``).
  mutating func listHeader(_ id: Int16, count: Int, element: FieldType) {
    fieldHeader(id, .list)
    if count < 15 {
      bytes.append(UInt8(count) << 4 | element.rawValue)
    } else {
      bytes.append(0xf0 | element.rawValue)
      varint(UInt64(count))
    }
  }

  /// Starts a struct that is a list element.
  mutating func beginListStruct() { lastField.append(0) }

  mutating func listI32(_ v: Int32) { zigzag(Int64(v)) }

  mutating func listString(_ s: String) {
    let u = Array(s.utf8)
    varint(UInt64(u.count))
    bytes.append(contentsOf: u)
  }
}
