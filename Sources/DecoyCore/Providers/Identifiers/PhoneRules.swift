/// NANP telephone number rules of specs/identifiers.md §5.
public enum PhoneRules {
  /// Geographic-format area codes: `[2-9][0-8][0-9]` with second digit ≠ third (648 codes).
  public static let geographicNPAs: [Int] = {
    var v: [Int] = []
    for a in 2...9 { for b in 0...8 { for c in 0...9 where b != c { v.append(a * 100 + b * 10 + c) } } }
    return v
  }()
  /// Capacity of the fiction form: 100 lines × 648 area codes.
  public static let fictionCapacity: UInt64 = 64_800

  enum Form: String {
    case fiction
    case reservedNPA = "reserved-npa"
  }

  /// (NPA, exchange, line) for a level and form.
  @inline(__always)
  static func draw(_ level: IdentifierLevel, _ form: Form, _ s: RandomStream, _ i: UInt64) -> (Int, Int, Int) {
    switch (level, form) {
    case (.realistic, _):
      let npa = geographicNPAs[Int(s.below(648, i, 0))]
      var nxx = 200 + Int(s.below(800, i, 1))
      var d: UInt32 = 10
      while nxx % 100 == 11 || nxx == 555 {
        nxx = 200 + Int(s.below(800, i, d))
        d += 1
      }
      return (npa, nxx, Int(s.below(10_000, i, 2)))
    case (_, .reservedNPA):
      let npa = (2 + Int(s.below(8, i, 0))) * 100 + 90 + Int(s.below(10, i, 3))
      var nxx = 200 + Int(s.below(800, i, 1))
      var d: UInt32 = 10
      while nxx % 100 == 11 {
        nxx = 200 + Int(s.below(800, i, d))
        d += 1
      }
      return (npa, nxx, Int(s.below(10_000, i, 2)))
    default:
      return (geographicNPAs[Int(s.below(648, i, 0))], 555, 100 + Int(s.below(100, i, 1)))
    }
  }

  static let definition = ProviderDefinition(
    "phone", "NANP phone: safe = NPA-555-0100…0199 (reserved for fiction)", type: .string,
    parameters: [
      ("format", "dashes (AAA-EEE-LLLL, default), paren ((AAA) EEE-LLLL), e164 (+1AAAEEELLLL) or digits"),
      ("form", "fiction (default) or reserved-npa (N9X area codes, 633 M values)"),
      ("level", "safe, format-valid or realistic"),
      ("unique", "no number repeats within the table (fiction capacity 64,800)"),
    ],
    identifier: .phone
  ) { r in
    let format = r.oneOf("format", ["dashes", "paren", "e164", "digits"]) ?? "dashes"
    let form = Form(rawValue: r.oneOf("form", ["fiction", "reserved-npa"]) ?? "fiction") ?? .fiction
    let override = r.level()
    let unique = r.bool("unique") ?? false
    return { b throws(DecoyError) in
      let level = try b.level(.phone, override: override)
      let s = b.stream()
      var permutation: KeyedPermutation?
      if unique {
        guard level != .realistic && form == .fiction else {
          throw .usage(
            "column \(b.table).\(b.column): unique phones are available for the fiction form only",
            hint: "drop unique: true, or use the safe fiction form (64,800 numbers)")
        }
        let rows = b.tableRows[b.table] ?? 0
        if rows > fictionCapacity {
          throw .capacityExceeded(
            column: "\(b.table).\(b.column)", capacity: fictionCapacity, requested: rows,
            hint: "use form: reserved-npa (633 M numbers), or drop unique: true")
        }
        permutation = KeyedPermutation(n: fictionCapacity, stream: s.derive("unique"))
      }
      let order = permutation
      return StringColumn { i, out in
        let (a, e, l) =
          order.map { p in
            let k = p.apply(i)
            return (geographicNPAs[Int(k / 100)], 555, 100 + Int(k % 100))
          } ?? draw(level, form, s, i)
        switch format {
        case "paren":
          out.append(UInt8(ascii: "("))
          ValueFormatter.appendPadded(Int64(a), width: 3, to: &out)
          out.append(contentsOf: ") ".utf8)
          ValueFormatter.appendPadded(Int64(e), width: 3, to: &out)
          out.append(UInt8(ascii: "-"))
        case "e164", "digits":
          if format == "e164" { out.append(contentsOf: "+1".utf8) }
          ValueFormatter.appendPadded(Int64(a), width: 3, to: &out)
          ValueFormatter.appendPadded(Int64(e), width: 3, to: &out)
        default:
          ValueFormatter.appendPadded(Int64(a), width: 3, to: &out)
          out.append(UInt8(ascii: "-"))
          ValueFormatter.appendPadded(Int64(e), width: 3, to: &out)
          out.append(UInt8(ascii: "-"))
        }
        ValueFormatter.appendPadded(Int64(l), width: 4, to: &out)
      }
    }
  }
}
