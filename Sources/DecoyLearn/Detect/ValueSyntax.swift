/// The lexical classes of a sample value, from bytes, without allocating.
enum ValueSyntax {
  /// A number as written: its value, whether it is a whole number written without a point or
  /// exponent, and its digits after the point (nil with an exponent).
  struct Number {
    var value: Double
    var integer: Bool
    var fractionDigits: Int?
  }

  /// Parses a plain decimal number (`-12`, `3.50`, `1e-3`). Numbers with a leading zero before
  /// other digits (`007`, ZIP-like codes) are not numbers: their spelling would be lost.
  static func number(_ b: ArraySlice<UInt8>) -> Number? {
    var i = b.startIndex
    let end = b.endIndex
    guard i < end else { return nil }
    var negative = false
    if b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") {
      negative = b[i] == UInt8(ascii: "-")
      i += 1
    }
    let intStart = i
    var mantissa: UInt64 = 0
    var digits = 0
    var overflow = false
    while i < end, b[i] >= 48, b[i] <= 57 {
      if digits < 19 { mantissa = mantissa * 10 + UInt64(b[i] - 48) } else { overflow = true }
      digits += 1
      i += 1
    }
    let intDigits = i - intStart
    if intDigits > 1 && b[intStart] == 48 { return nil }
    var fraction = 0
    var hasPoint = false
    if i < end && b[i] == UInt8(ascii: ".") {
      hasPoint = true
      i += 1
      while i < end, b[i] >= 48, b[i] <= 57 {
        if digits < 19 {
          mantissa = mantissa * 10 + UInt64(b[i] - 48)
          digits += 1
          fraction += 1
        } else {
          fraction += 1
          overflow = true
        }
        i += 1
      }
    }
    if intDigits == 0 && fraction == 0 { return nil }
    var exponent: Int?
    if i < end && (b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E")) {
      i += 1
      var eneg = false
      if i < end && (b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+")) {
        eneg = b[i] == UInt8(ascii: "-")
        i += 1
      }
      var e = 0
      let e0 = i
      while i < end, b[i] >= 48, b[i] <= 57, e < 10_000 {
        e = e * 10 + Int(b[i] - 48)
        i += 1
      }
      if i == e0 { return nil }
      exponent = eneg ? -e : e
    }
    guard i == end else { return nil }
    let value: Double
    if overflow || exponent != nil {
      // Rare: let the standard library parse it exactly.
      guard let v = Double(String(decoding: b, as: UTF8.self)), v.isFinite else { return nil }
      value = v
    } else {
      var v = Double(mantissa)
      var scale = 1.0
      for _ in 0..<fraction { scale *= 10 }
      v /= scale
      value = negative ? -v : v
      if fraction > 0 {
        // Division by an exact power of ten is correctly rounded for up to 15 digits; beyond,
        // parse the text.
        if digits > 15, let exact = Double(String(decoding: b, as: UTF8.self)) {
          return Number(value: exact, integer: false, fractionDigits: fraction)
        }
      }
    }
    let integer = !hasPoint && exponent == nil && !overflow
    return Number(value: value, integer: integer, fractionDigits: exponent == nil ? fraction : nil)
  }

  /// Lower-cased ASCII comparison.
  static func equalsLower(_ b: ArraySlice<UInt8>, _ s: StaticString) -> Bool {
    guard b.count == s.utf8CodeUnitCount else { return false }
    var k = 0
    let p = s.utf8Start
    for c in b {
      let l = c >= 65 && c <= 90 ? c + 32 : c
      if l != p[k] { return false }
      k += 1
    }
    return true
  }

  /// Whether the value is one of the default null tokens: empty, `NA`, `N/A`, `null`, `NaN`, `None`
  /// (any case) or only spaces.
  static func isNullToken(_ b: ArraySlice<UInt8>) -> Bool {
    if b.isEmpty { return true }
    if b.count > 4 {
      return b.allSatisfy { $0 == 32 }
    }
    return equalsLower(b, "na") || equalsLower(b, "n/a") || equalsLower(b, "null") || equalsLower(b, "nan")
      || equalsLower(b, "none") || b.allSatisfy { $0 == 32 }
  }

  /// A boolean spelling: its value and which pair it belongs to (0 true/false, 1 t/f, 2 yes/no,
  /// 3 y/n, 4 1/0).
  static func boolean(_ b: ArraySlice<UInt8>) -> (value: Bool, pair: Int)? {
    if equalsLower(b, "true") { return (true, 0) }
    if equalsLower(b, "false") { return (false, 0) }
    if equalsLower(b, "t") { return (true, 1) }
    if equalsLower(b, "f") { return (false, 1) }
    if equalsLower(b, "yes") { return (true, 2) }
    if equalsLower(b, "no") { return (false, 2) }
    if equalsLower(b, "y") { return (true, 3) }
    if equalsLower(b, "n") { return (false, 3) }
    if b.count == 1 && b.first == 49 { return (true, 4) }
    if b.count == 1 && b.first == 48 { return (false, 4) }
    return nil
  }
}
