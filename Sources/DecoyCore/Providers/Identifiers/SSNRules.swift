/// US Social Security number rules of specs/identifiers.md §4.
public enum SSNRules {
  /// Groups outside every ITIN, ATIN and IRSN range (36 groups): the `safe` form `itin-gap`.
  public static let safeGroups: [Int] =
    Array(11...16) + Array(20...27) + Array(30...36) + Array(40...49) + Array(66...69) + [89]
  /// Areas never assigned before the 2011 randomisation: the `format-valid` range.
  public static let formatValidAreas: [Int] = Array(734...749) + Array(773...899)
  /// Publicly misused numbers, never emitted at any level.
  public static let denyList: [Int] = [78_05_1120, 219_09_9999, 457_55_5462]

  /// Capacity of the default safe form (100 areas × 36 groups × 9,999 serials).
  public static let safeCapacity: UInt64 = 100 * 36 * 9999

  /// Whether an area-9xx group belongs to an ITIN, ATIN or IRSN range.
  public static func isIRSGroup(_ g: Int) -> Bool {
    (50...65).contains(g) || (70...88).contains(g) || (90...92).contains(g) || (94...99).contains(g) || g == 93
      || (1...10).contains(g) || (17...19).contains(g) || (28...29).contains(g) || (37...39).contains(g)
  }

  /// Whether SSA could have issued the number (area not 000/666/9xx, group not 00, serial not 0000).
  public static func isIssuable(area: Int, group: Int, serial: Int) -> Bool {
    area >= 1 && area <= 899 && area != 666 && group != 0 && serial != 0
  }

  /// The `k`-th value of a level's space (for unique draws through a permutation of the space).
  static func decode(_ level: IdentifierLevel, _ k: UInt64) -> (Int, Int, Int) {
    let serial = 1 + Int(k % 9999)
    let rest = k / 9999
    switch level {
    case .safe: return (900 + Int(rest / 36), safeGroups[Int(rest % 36)], serial)
    case .formatValid: return (formatValidAreas[Int(rest / 99)], 1 + Int(rest % 99), serial)
    case .realistic:  // not used: unique realistic SSNs are refused
      return (1 + Int(rest / 99), 1 + Int(rest % 99), serial)
    }
  }

  /// Draws (area, group, serial) for a level.
  @inline(__always)
  public static func draw(_ level: IdentifierLevel, _ s: RandomStream, _ i: UInt64) -> (Int, Int, Int) {
    switch level {
    case .safe:
      return (900 + Int(s.below(100, i, 0)), safeGroups[Int(s.below(36, i, 1))], 1 + Int(s.below(9999, i, 2)))
    case .formatValid:
      return (formatValidAreas[Int(s.below(143, i, 0))], 1 + Int(s.below(99, i, 1)), 1 + Int(s.below(9999, i, 2)))
    case .realistic:
      var draw: UInt32 = 0
      while true {
        var area = 1 + Int(s.below(898, i, draw))
        if area >= 666 { area += 1 }
        let v = (area, 1 + Int(s.below(99, i, draw + 1)), 1 + Int(s.below(9999, i, draw + 2)))
        if !denyList.contains(v.0 * 1_000_000 + v.1 * 10_000 + v.2) { return v }
        draw += 3
      }
    }
  }
}

enum SSNProvider {
  static let definition = ProviderDefinition(
    "ssn", "US SSN: safe = area 9xx with a group outside every IRS range", type: .string,
    parameters: [
      ("format", "dashed (AAA-GG-SSSS, default), digits or masked (***-**-SSSS)"),
      ("level", "safe, format-valid or realistic"),
      ("unique", "no value repeats within the table (safe capacity 35,996,400)"),
    ],
    identifier: .ssn
  ) { r in
    let format = r.oneOf("format", ["dashed", "digits", "masked"]) ?? "dashed"
    let override = r.level()
    let unique = r.bool("unique") ?? false
    return { b throws(DecoyError) in
      let level = try b.level(.ssn, override: override)
      let s = b.stream()
      var permutation: KeyedPermutation?
      if unique {
        // Realistic unique values could not skip the deny list without breaking uniqueness.
        guard level != .realistic else {
          throw .usage(
            "column \(b.table).\(b.column): unique realistic SSNs are not offered",
            hint: "use format-valid (141.6 M values) or drop unique: true")
        }
        let capacity: UInt64 = level == .safe ? SSNRules.safeCapacity : 143 * 99 * 9999
        let rows = b.tableRows[b.table] ?? 0
        if rows > capacity {
          throw .capacityExceeded(
            column: "\(b.table).\(b.column)", capacity: capacity, requested: rows,
            hint: level == .safe ? "use --identifiers ssn=format-valid, or drop unique: true" : "drop unique: true")
        }
        permutation = KeyedPermutation(n: capacity, stream: s.derive("unique"))
      }
      let order = permutation
      return StringColumn { i, out in
        let (a, g, n) = order.map { SSNRules.decode(level, $0.apply(i)) } ?? SSNRules.draw(level, s, i)
        switch format {
        case "digits":
          ValueFormatter.appendPadded(Int64(a), width: 3, to: &out)
          ValueFormatter.appendPadded(Int64(g), width: 2, to: &out)
          ValueFormatter.appendPadded(Int64(n), width: 4, to: &out)
        case "masked":
          out.append(contentsOf: "***-**-".utf8)
          ValueFormatter.appendPadded(Int64(n), width: 4, to: &out)
        default:
          ValueFormatter.appendPadded(Int64(a), width: 3, to: &out)
          out.append(UInt8(ascii: "-"))
          ValueFormatter.appendPadded(Int64(g), width: 2, to: &out)
          out.append(UInt8(ascii: "-"))
          ValueFormatter.appendPadded(Int64(n), width: 4, to: &out)
        }
      }
    }
  }
}
