/// Hand-written formatting of values into byte buffers (Foundation's formatters are ~100× slower
/// and allocate). Shared by every text writer so that all formats print the same text.
public enum ValueFormatter {
  /// Appends a signed decimal integer.
  @inlinable @inline(__always)
  public static func appendInt(_ v: Int64, to out: inout [UInt8]) {
    if v < 0 {
      out.append(UInt8(ascii: "-"))
      appendUInt(v == Int64.min ? UInt64(Int64.max) + 1 : UInt64(-v), to: &out)
    } else {
      appendUInt(UInt64(v), to: &out)
    }
  }

  /// Appends an unsigned decimal integer.
  @inlinable @inline(__always)
  public static func appendUInt(_ v: UInt64, to out: inout [UInt8]) {
    if v < 10 {
      out.append(UInt8(truncatingIfNeeded: v) &+ 48)
      return
    }
    var digits:
      (
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
      ) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var n = v
    var len = 0
    withUnsafeMutableBytes(of: &digits) { buf in
      while n > 0 {
        buf[19 - len] = UInt8(truncatingIfNeeded: n % 10) &+ 48
        n /= 10
        len += 1
      }
      out.append(contentsOf: buf[(20 - len)..<20])
    }
  }

  /// Appends `v` zero-padded to `width` digits (v must be non-negative).
  @inlinable @inline(__always)
  public static func appendPadded(_ v: Int64, width: Int, to out: inout [UInt8]) {
    var w = width - 1
    var p: Int64 = 1
    while w > 0 {
      p *= 10
      w -= 1
    }
    var x = v
    while p > 0 {
      out.append(UInt8(truncatingIfNeeded: (x / p) % 10) &+ 48)
      x %= p
      p /= 10
    }
  }

  /// Appends a fixed-point number stored as `v / 10^scale`.
  @inlinable
  public static func appendDecimal(_ v: Int64, scale: Int, to out: inout [UInt8]) {
    if scale == 0 {
      appendInt(v, to: &out)
      return
    }
    var p: Int64 = 1
    for _ in 0..<scale { p *= 10 }
    if v < 0 { out.append(UInt8(ascii: "-")) }
    let a = v.magnitude
    appendUInt(a / UInt64(p), to: &out)
    out.append(UInt8(ascii: "."))
    appendPadded(Int64(a % UInt64(p)), width: scale, to: &out)
  }

  /// `v` rounded to `digits` decimals as C's `%.Nf` and Python's `:.Nf` round it: the exact binary
  /// value to the nearest, ties to even. `digits` is 0...15 and |v|·10^digits must be below 2^52
  /// (nil otherwise, and for non-finite values).
  public static func fixed(_ v: Double, digits: Int) -> String? {
    guard (0...15).contains(digits), v.isFinite else { return nil }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }  // exact: 10^15 < 2^53
    // |v|·scale = p + err exactly (err from a fused multiply-add, |err| ≤ ulp(p)/2). Below 2^52
    // p's fraction and 0.5 are whole ulps apart or equal, so the fraction alone decides unless it
    // is exactly 0.5; then err's sign does, and a true tie goes to the even neighbour.
    let x = abs(v)
    let p = x * scale
    guard p < 0x1p52 else { return nil }
    let err = (-p).addingProduct(x, scale)
    let f = p.rounded(.down)
    let frac = p - f
    var n = Int64(f)
    if frac > 0.5 || frac == 0.5 && (err > 0 || err == 0 && n % 2 == 1) { n += 1 }
    var out: [UInt8] = []
    if v.sign == .minus { out.append(UInt8(ascii: "-")) }  // as printf: -0.001 is "-0.00"
    appendDecimal(n, scale: digits, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// Appends a day number as `YYYY-MM-DD`.
  @inlinable
  public static func appendDate(_ dayNumber: Int64, to out: inout [UInt8]) {
    let d = CivilDate(dayNumber: dayNumber)
    if d.year < 0 { out.append(UInt8(ascii: "-")) }
    appendPadded(Int64(abs(d.year)), width: 4, to: &out)
    out.append(UInt8(ascii: "-"))
    appendPadded(Int64(d.month), width: 2, to: &out)
    out.append(UInt8(ascii: "-"))
    appendPadded(Int64(d.day), width: 2, to: &out)
  }

  /// Appends seconds since the epoch as ISO 8601 `YYYY-MM-DDTHH:MM:SSZ`.
  @inlinable
  public static func appendTimestamp(_ seconds: Int64, to out: inout [UInt8]) {
    var days = seconds / 86_400
    var rem = seconds % 86_400
    if rem < 0 {
      rem += 86_400
      days -= 1
    }
    appendDate(days, to: &out)
    out.append(UInt8(ascii: "T"))
    appendPadded(rem / 3600, width: 2, to: &out)
    out.append(UInt8(ascii: ":"))
    appendPadded((rem / 60) % 60, width: 2, to: &out)
    out.append(UInt8(ascii: ":"))
    appendPadded(rem % 60, width: 2, to: &out)
    out.append(UInt8(ascii: "Z"))
  }

  /// Appends a double in Swift's shortest round-trip form (`1.5`, `1e-07`); non-finite values as
  /// `NaN`/`inf`, which the JSON writer turns into null.
  public static func appendDouble(_ v: Double, to out: inout [UInt8]) {
    if v == v.rounded(), abs(v) < 1e15 {
      appendInt(Int64(v), to: &out)
      return
    }
    out.append(contentsOf: v.description.utf8)
  }

  /// Appends value `i` of a column as text (no quoting or escaping).
  @inlinable
  public static func append(_ c: ColumnBuffer, _ i: Int, to out: inout [UInt8]) {
    switch c.type {
    case .string: out.append(contentsOf: c.bytes[c.stringRange(i)])
    case .int: appendInt(c.ints[i], to: &out)
    case .decimal(let s): appendDecimal(c.ints[i], scale: s, to: &out)
    case .date: appendDate(c.ints[i], to: &out)
    case .timestamp: appendTimestamp(c.ints[i], to: &out)
    case .bool: out.append(contentsOf: c.ints[i] != 0 ? "true".utf8 : "false".utf8)
    case .double: appendDouble(c.doubles[i], to: &out)
    }
  }
}
