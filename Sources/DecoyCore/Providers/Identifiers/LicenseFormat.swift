/// A driver licence number shape, written in a small pattern language: space-separated tokens,
/// each a class letter with an optional count or range — `L` letter, `D` digit, `A` letter or
/// digit, `*` letter, digit or asterisk — or a literal introduced by `=`. Examples: `L D8`
/// (one letter, eight digits), `D7-8`, `=H D8`, `L2 D6 L`.
public struct LicenseFormat: Sendable, CustomStringConvertible {
  enum Token: Sendable {
    case cls(UInt8, min: Int, max: Int)
    case literal([UInt8])
  }
  let tokens: [Token]
  public let description: String

  public init(_ text: String) {
    description = text
    tokens = text.split(separator: " ").map { t in
      if t.first == "=" { return .literal(Array(t.dropFirst().utf8)) }
      let c = t.utf8.first!
      let rest = t.dropFirst()
      if rest.isEmpty { return .cls(c, min: 1, max: 1) }
      let parts = rest.split(separator: "-").map { Int($0)! }
      return .cls(c, min: parts[0], max: parts.count > 1 ? parts[1] : parts[0])
    }
  }

  static func classMatches(_ c: UInt8, _ b: UInt8) -> Bool {
    let digit = b >= 48 && b <= 57
    let letter = b >= 65 && b <= 90
    switch c {
    case UInt8(ascii: "D"): return digit
    case UInt8(ascii: "L"): return letter
    case UInt8(ascii: "A"): return digit || letter
    default: return digit || letter || b == UInt8(ascii: "*")
    }
  }

  /// Whether `value` (after removing spaces and hyphens) has this shape.
  public func matches(_ value: String) -> Bool {
    matches(bytes: ArraySlice(value.utf8.filter { $0 != 32 && $0 != 45 }))
  }

  /// Whether ASCII bytes (no separators) have this shape; allocation-free.
  public func matches(bytes v: ArraySlice<UInt8>) -> Bool { match(v, v.startIndex, 0) }

  private func match(_ v: ArraySlice<UInt8>, _ pos: Int, _ t: Int) -> Bool {
    if t == tokens.count { return pos == v.endIndex }
    switch tokens[t] {
    case .literal(let lit):
      guard v.endIndex - pos >= lit.count, v[pos..<pos + lit.count].elementsEqual(lit) else { return false }
      return match(v, pos + lit.count, t + 1)
    case .cls(let c, let lo, let hi):
      var n = 0
      while n < hi && pos + n < v.endIndex && LicenseFormat.classMatches(c, v[pos + n]) { n += 1 }
      if n < lo { return false }
      while n >= lo {
        if match(v, pos + n, t + 1) { return true }
        n -= 1
      }
      return false
    }
  }

  /// Appends a random value of this shape (counts in a range drawn uniformly).
  func generate(_ s: RandomStream, _ i: UInt64, draw: UInt32, to out: inout [UInt8]) {
    var d = draw &* 64
    for tok in tokens {
      switch tok {
      case .literal(let lit): out.append(contentsOf: lit)
      case .cls(let c, let lo, let hi):
        let n = lo + Int(s.below(UInt64(hi - lo + 1), i, d))
        d &+= 1
        for _ in 0..<n {
          let x = s.below(36, i, d)
          d &+= 1
          switch c {
          case UInt8(ascii: "D"): out.append(48 + UInt8(x % 10))
          case UInt8(ascii: "L"): out.append(65 + UInt8(x % 26))
          default: out.append(x < 10 ? 48 + UInt8(x) : 55 + UInt8(x))
          }
        }
      }
    }
  }
}

/// Per-state licence formats of specs/identifiers.md §9 ("Generate" and "Also accepted").
public enum LicenseFormats {
  /// (state, generate formats, also-accepted formats).
  public static let table: [(state: String, generate: [String], accepted: [String])] = [
    ("AL", ["D7-8"], ["D1-8"]), ("AK", ["D7"], ["D1-7"]), ("AZ", ["L D8"], ["D9"]), ("AR", ["D9"], ["D4-9"]),
    ("CA", ["L D7"], []), ("CO", ["D9"], ["L D3-6", "L2 D2-5"]), ("CT", ["D9"], []), ("DE", ["D1-7"], []),
    ("DC", ["D7"], ["D9"]), ("FL", ["L D12"], []), ("GA", ["D7", "D9"], ["D7-9"]), ("HI", ["=H D8", "D9"], ["L D8"]),
    ("ID", ["L2 D6 L", "D9"], []), ("IL", ["L D11"], ["L D12"]), ("IN", ["D10"], ["L D9", "D9"]),
    ("IA", ["D9", "D3 L2 D4"], []), ("KS", ["=K D8"], ["L D L D L", "L D8", "D9"]), ("KY", ["L D8"], ["L D9", "D9"]),
    ("LA", ["=0 D8"], ["D1-9"]), ("ME", ["D7"], ["D7 L", "D8"]), ("MD", ["L D12"], []),
    ("MA", ["=S D8", "=SA D7", "D9"], ["L D8"]), ("MI", ["L D12"], ["L D10"]), ("MN", ["L D12"], []),
    ("MS", ["D9"], []),
    ("MO", ["L D9"], ["L D5-9", "L D6 =R", "D8 L2", "D9 L", "D9"]), ("MT", ["A13", "D9"], ["L D8", "D13", "D14"]),
    ("NE", ["L D8"], ["L D6-8"]), ("NV", ["D9", "D10", "D12"], ["=X D8"]), ("NH", ["D2 L3 D5"], []),
    ("NJ", ["L D14"], []),
    ("NM", ["D9"], ["D8"]), ("NY", ["D9"], ["L D7", "L D18", "D8", "D16", "L8"]), ("NC", ["D12"], ["D1-12"]),
    ("ND", ["L3 D6", "D9"], []), ("OH", ["L2 D6"], ["L D4-8", "L2 D3-7", "D8"]), ("OK", ["L D9", "D9"], []),
    ("OR", ["L D6-7"], ["D1-9"]), ("PA", ["D8"], []), ("RI", ["D7", "=V D6"], ["L D6"]), ("SC", ["D6-11"], ["D5-11"]),
    ("SD", ["D8"], ["D6-10", "D12"]), ("TN", ["D9"], ["D7-9"]), ("TX", ["D8"], ["D7"]), ("UT", ["D7-10"], ["D4-10"]),
    ("VT", ["D8", "D7 =A"], []), ("VA", ["L D8"], ["L D8-11", "D9"]), ("WA", ["=WDL A9"], ["L *11"]),
    ("WV", ["D7", "L1-2 D5-6"], []), ("WI", ["L D13"], []), ("WY", ["D9"], ["D9-10"]),
  ]

  struct StateFormats: Sendable {
    let generate: [LicenseFormat]
    let all: [LicenseFormat]
  }

  /// Formats by state index of ``ReferenceData/stateCodes``.
  static let byState: [StateFormats] = {
    ReferenceData.shared.stateCodeList.map { code in
      let row = table.first { $0.state == code }!
      let gen = row.generate.map(LicenseFormat.init)
      return StateFormats(generate: gen, all: gen + row.accepted.map(LicenseFormat.init))
    }
  }()

  /// Whether a number matches any accepted format of a state.
  public static func isAccepted(_ number: String, state: String) -> Bool {
    guard let i = ReferenceData.shared.stateIndex(of: state) else { return false }
    return byState[i].all.contains { $0.matches(number) }
  }

  /// Whether a number matches one of the state's "Generate" formats.
  public static func isGenerateFormat(_ number: String, state: String) -> Bool {
    guard let i = ReferenceData.shared.stateIndex(of: state) else { return false }
    return byState[i].generate.contains { $0.matches(number) }
  }

  /// Appends a licence number for the state at `stateIndex`.
  static func append(
    state stateIndex: Int, level: IdentifierLevel, _ s: RandomStream, _ i: UInt64, to out: inout [UInt8]
  ) {
    let f = byState[stateIndex]
    let start = out.count
    let pick = Int(s.below(UInt64(f.generate.count), i, 0))
    if level != .safe {
      f.generate[pick].generate(s, i, draw: 1, to: &out)
      return
    }
    // Safe: the generate shape plus one extra digit, re-drawn while it matches any accepted format.
    // Where every such value is still accepted (SD accepts 6–10 and 12 digits), each further four
    // attempts append one more digit, so the loop always ends.
    var attempt: UInt32 = 1
    while true {
      out.removeSubrange(start...)
      f.generate[(pick + Int(attempt)) % f.generate.count].generate(s, i, draw: attempt, to: &out)
      let extra = 1 + Int(attempt / 4)
      for k in 0..<extra { out.append(48 + UInt8(s.below(10, i, 10_000 + attempt * 16 + UInt32(k)))) }
      if !f.all.contains(where: { $0.matches(bytes: out[start...]) }) { return }
      attempt += 1
    }
  }

  static let definition = ProviderDefinition(
    "driver_license", "US driver licence number in the format of the address's state; safe = no accepted format",
    type: .string,
    parameters: [
      ("level", "safe, format-valid or realistic"), ("address", "address entity giving the state (default address)"),
      ("of", "row (default) or parent"),
    ],
    identifier: .license
  ) { r in
    let override = r.level()
    let entity = r.string("address") ?? "address"
    let ofParent = r.oneOf("of", ["row", "parent"]) == "parent"
    return { b throws(DecoyError) in
      let level = try b.level(.license, override: override)
      let address = AddressModel(context: b.context, table: ofParent ? b.entityTable : b.table, entity: entity)
      let s = b.stream()
      return StringColumn(indexing: ofParent ? .parent : .row) { i, out in
        append(state: address.stateIndex(i), level: level, s, i, to: &out)
      }
    }
  }
}
