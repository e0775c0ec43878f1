import DecoyCore

/// Ids such as `user_` + 12 hex digits: a 48-bit keyed permutation of an index, so ids are unique,
/// reproducible from the seed, and carry nothing about the index (or the class behind it).
struct PrefixedID: Sendable {
  let prefix: [UInt8]
  let permutation: KeyedPermutation
  static let digits = Array("0123456789abcdef".utf8)

  init(_ prefix: String, _ stream: RandomStream) {
    self.prefix = Array(prefix.utf8)
    permutation = KeyedPermutation(n: 1 << 48, stream: stream)
  }

  func append(_ i: UInt64, to out: inout [UInt8]) {
    out.append(contentsOf: prefix)
    let v = permutation.apply(i)
    for k in stride(from: 44, through: 0, by: -4) { out.append(PrefixedID.digits[Int((v >> UInt64(k)) & 15)]) }
  }

  /// Appends the id of `i` as one string value.
  func write(_ i: UInt64, to out: ColumnBuffer) {
    append(i, to: &out.bytes)
    out.endString()
  }

  func string(_ i: UInt64) -> String {
    var out: [UInt8] = []
    append(i, to: &out)
    return String(decoding: out, as: UTF8.self)
  }
}
