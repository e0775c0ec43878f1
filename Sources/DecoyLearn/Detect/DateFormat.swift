import DecoyCore

/// A date or date-time layout detected in a sample column, kept so that synthetic values are
/// written exactly as the sample wrote them (`08/31/2004` stays month/day/year with slashes and
/// padding). Layouts: ISO `YYYY-MM-DD`, `MM/DD/YYYY`, `DD/MM/YYYY`, `YYYY/MM/DD`, `DD.MM.YYYY`
/// (`-` or `/` separators, padded or not), optionally followed by a time `HH:MM[:SS[.f…]]` after
/// `T` or a space and an optional `Z`.
public struct DateFormat: Sendable, Hashable, Codable, CustomStringConvertible {
  /// Field order of the date part.
  public enum Order: String, Sendable, Codable { case ymd, mdy, dmy }
  public var order: Order
  /// The date separator byte (`-`, `/` or `.`).
  public var separator: UInt8
  /// Month and day written with two digits.
  public var padded: Bool
  /// The time part: nil (a date), or its layout.
  public var time: TimeLayout?

  /// A time-of-day layout.
  public struct TimeLayout: Sendable, Hashable, Codable {
    /// `T` or a space between date and time.
    public var separator: UInt8
    /// Seconds present.
    public var seconds: Bool
    /// Fraction digits after the seconds (0: none).
    public var fraction: Int
    /// A trailing `Z`.
    public var utc: Bool
  }

  public init(order: Order, separator: UInt8, padded: Bool, time: TimeLayout? = nil) {
    self.order = order
    self.separator = separator
    self.padded = padded
    self.time = time
  }

  /// ISO 8601 date (`YYYY-MM-DD`).
  public static let isoDate = DateFormat(order: .ymd, separator: UInt8(ascii: "-"), padded: true)

  /// Whether the layout is ISO 8601 as the writers print it (so the column can be typed).
  public var isISO: Bool {
    guard order == .ymd && separator == UInt8(ascii: "-") && padded else { return false }
    guard let t = time else { return true }
    return t.separator == UInt8(ascii: "T") && t.seconds && t.fraction == 0 && t.utc
  }

  /// strftime-style rendering, for people and for SDMetrics' `datetime_format`.
  public var description: String {
    let s = String(UnicodeScalar(separator))
    let (m, d) = padded ? ("%m", "%d") : ("%-m", "%-d")
    var out: String
    switch order {
    case .ymd: out = "%Y\(s)\(m)\(s)\(d)"
    case .mdy: out = "\(m)\(s)\(d)\(s)%Y"
    case .dmy: out = "\(d)\(s)\(m)\(s)%Y"
    }
    if let t = time {
      out += t.separator == UInt8(ascii: "T") ? "T" : " "
      out += "%H:%M"
      if t.seconds { out += ":%S" }
      if t.fraction > 0 { out += ".%f" }
      if t.utc { out += "Z" }
    }
    return out
  }

  /// The parts of one parsed value: the three date fields in written order and the seconds of the
  /// day (nil without a time).
  public struct Parsed {
    public var fields: (Int, Int, Int)
    public var firstWidth: Int
    public var separator: UInt8
    public var padded: Bool
    public var seconds: Double?
    public var time: TimeLayout?
  }

  /// Splits a candidate value into its parts (no calendar check yet).
  public static func parse(_ b: ArraySlice<UInt8>) -> Parsed? {
    var i = b.startIndex
    let end = b.endIndex
    func number(_ maxDigits: Int) -> (Int, Int)? {
      var v = 0
      var n = 0
      while i < end, n < maxDigits, b[i] >= 48, b[i] <= 57 {
        v = v * 10 + Int(b[i] - 48)
        n += 1
        i += 1
      }
      return n == 0 ? nil : (v, n)
    }
    guard let (a, wa) = number(4) else { return nil }
    guard i < end else { return nil }
    let sep = b[i]
    guard sep == UInt8(ascii: "-") || sep == UInt8(ascii: "/") || sep == UInt8(ascii: ".") else { return nil }
    i += 1
    guard let (m, wm) = number(2), i < end, b[i] == sep else { return nil }
    i += 1
    guard let (c, wc) = number(4) else { return nil }
    // Year first (4 digits) or last (4 digits).
    if wa == 4 {
      guard wc <= 2 else { return nil }
    } else {
      guard wa <= 2, wc == 4 else { return nil }
    }
    let dayWidth = wa == 4 ? wc : wa
    let padded = wm == 2 && dayWidth == 2
    var parsed = Parsed(fields: (a, m, c), firstWidth: wa, separator: sep, padded: padded, seconds: nil, time: nil)
    if i == end { return parsed }
    guard wa == 4, sep == UInt8(ascii: "-") || sep == UInt8(ascii: "/") else { return nil }
    let tsep = b[i]
    guard tsep == UInt8(ascii: "T") || tsep == UInt8(ascii: " ") else { return nil }
    i += 1
    guard let (hh, wh) = number(2), wh == 2, i < end, b[i] == UInt8(ascii: ":") else { return nil }
    i += 1
    guard let (mm, wmm) = number(2), wmm == 2, hh < 24, mm < 60 else { return nil }
    var secs = Double(hh * 3600 + mm * 60)
    var layout = TimeLayout(separator: tsep, seconds: false, fraction: 0, utc: false)
    if i < end && b[i] == UInt8(ascii: ":") {
      i += 1
      guard let (ss, ws) = number(2), ws == 2, ss < 60 else { return nil }
      secs += Double(ss)
      layout.seconds = true
      if i < end && b[i] == UInt8(ascii: ".") {
        i += 1
        var scale = 0.1
        var n = 0
        while i < end, b[i] >= 48, b[i] <= 57, n < 9 {
          secs += Double(b[i] - 48) * scale
          scale /= 10
          n += 1
          i += 1
        }
        guard n > 0 else { return nil }
        layout.fraction = n
      }
    }
    if i < end && b[i] == UInt8(ascii: "Z") {
      layout.utc = true
      i += 1
    }
    guard i == end else { return nil }
    parsed.seconds = secs
    parsed.time = layout
    return parsed
  }

  /// The day number of a parsed value under an order, or nil if it is no calendar date.
  public static func day(_ p: Parsed, _ order: Order) -> Int64? {
    let (a, b, c) = p.fields
    let (y, m, d): (Int, Int, Int)
    switch order {
    case .ymd: (y, m, d) = (a, b, c)
    case .mdy: (y, m, d) = (c, a, b)
    case .dmy: (y, m, d) = (c, b, a)
    }
    guard m >= 1, m <= 12, d >= 1, d <= CivilDate.daysIn(month: m, year: y), y >= 1 else { return nil }
    return CivilDate(year: y, month: m, day: d).dayNumber
  }

  /// Parses one value in this layout: day number and seconds of the day, or nil.
  public func value(_ b: ArraySlice<UInt8>) -> (day: Int64, seconds: Double)? {
    guard let p = DateFormat.parse(b), p.separator == separator, (p.firstWidth == 4) == (order == .ymd) else {
      return nil
    }
    guard (p.time == nil) == (time == nil) else { return nil }
    guard let d = DateFormat.day(p, order) else { return nil }
    return (d, p.seconds ?? 0)
  }

  /// Appends a date (day number) and, for date-times, the seconds of the day in this layout.
  public func append(day: Int64, seconds: Int64, fraction: Double = 0, to out: inout [UInt8]) {
    let c = CivilDate(dayNumber: day)
    func two(_ v: Int) {
      if padded || v >= 10 {
        ValueFormatter.appendPadded(Int64(v), width: 2, to: &out)
      } else {
        ValueFormatter.appendInt(Int64(v), to: &out)
      }
    }
    switch order {
    case .ymd:
      ValueFormatter.appendPadded(Int64(c.year), width: 4, to: &out)
      out.append(separator)
      two(c.month)
      out.append(separator)
      two(c.day)
    case .mdy, .dmy:
      if order == .mdy { two(c.month) } else { two(c.day) }
      out.append(separator)
      if order == .mdy { two(c.day) } else { two(c.month) }
      out.append(separator)
      ValueFormatter.appendPadded(Int64(c.year), width: 4, to: &out)
    }
    guard let t = time else { return }
    out.append(t.separator)
    ValueFormatter.appendPadded(seconds / 3600, width: 2, to: &out)
    out.append(UInt8(ascii: ":"))
    ValueFormatter.appendPadded(seconds / 60 % 60, width: 2, to: &out)
    if t.seconds {
      out.append(UInt8(ascii: ":"))
      ValueFormatter.appendPadded(seconds % 60, width: 2, to: &out)
      if t.fraction > 0 {
        out.append(UInt8(ascii: "."))
        var f = Int64((fraction * pow10(t.fraction)).rounded(.down))
        f = min(max(f, 0), Int64(pow10(t.fraction)) - 1)
        ValueFormatter.appendPadded(f, width: t.fraction, to: &out)
      }
    }
    if t.utc { out.append(UInt8(ascii: "Z")) }
  }

  func pow10(_ n: Int) -> Double {
    var v = 1.0
    for _ in 0..<n { v *= 10 }
    return v
  }
}
