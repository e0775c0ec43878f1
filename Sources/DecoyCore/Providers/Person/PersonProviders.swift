/// Providers describing the person behind a row.
enum PersonProviders {
  /// Parameters shared by every person column: which entity, whose row, and the age range.
  struct Options: Sendable {
    var entity = "person"
    var ofParent = false
    var minAge = 18
    var maxAge = 90
    var uniformAges = false

    init(_ r: inout MapReader) {
      if let a = r.oneOf("ages", ["us", "uniform"]) { uniformAges = a == "uniform" }
      if let e = r.string("entity") { entity = e }
      if let of = r.oneOf("of", ["row", "parent"]) { ofParent = of == "parent" }
      if let a = r.int("min_age") { minAge = Int(a) }
      if let b = r.int("max_age") { maxAge = Int(b) }
      if minAge < 0 || maxAge > 110 || minAge > maxAge {
        r.issues.add(
          r.path, "age range \(minAge)...\(maxAge) is impossible", hint: "use 0 <= min_age <= max_age <= 110",
          at: r.mark)
        minAge = 18
        maxAge = 90
      }
    }

    func model(_ b: ColumnBuildContext) -> (PersonModel, EntityIndexing) {
      let table = ofParent ? b.entityTable : b.table
      return (
        PersonModel(
          context: b.context, table: table, entity: entity, minAge: minAge, maxAge: maxAge, uniformAges: uniformAges),
        ofParent ? .parent : .row
      )
    }
  }

  static let common: [(name: String, help: String)] = [
    ("entity", "name of the person when a row holds several (default person)"),
    ("of", "row (default) or parent: describe the parent row's person"),
    ("ages", "us (default: US population by age) or uniform over min_age…max_age"),
    ("min_age", "youngest age on --today (default 18)"), ("max_age", "oldest age (default 90)"),
  ]

  static let all: [ProviderDefinition] = [
    ProviderDefinition(
      "person.first_name", "first name by sex and birth decade (SSA)", type: .string, parameters: common
    ) { r in
      let o = Options(&r)
      return { b in
        let (m, ix) = o.model(b)
        let names = ReferenceData.shared.firstNames
        return LatentStringColumn(indexing: ix, key: m.namesKey, latent: m.names) { l, _, out in
          names.append(Int(l >> 32), to: &out)
        }
      }
    },
    ProviderDefinition("person.last_name", "surname by US frequency (Census 2010)", type: .string, parameters: common) {
      r in
      let o = Options(&r)
      return { b in
        let (m, ix) = o.model(b)
        let names = ReferenceData.shared.surnames
        return LatentStringColumn(indexing: ix, key: m.namesKey, latent: m.names) { l, _, out in
          names.append(Int(l & 0xffff_ffff), to: &out)
        }
      }
    },
    ProviderDefinition(
      "person.full_name", "first and last name", type: .string,
      parameters: common + [("order", "first-last (default) or last-first")]
    ) { r in
      let o = Options(&r)
      let lastFirst = r.oneOf("order", ["first-last", "last-first"]) == "last-first"
      return { b in
        let (m, ix) = o.model(b)
        let d = ReferenceData.shared
        return LatentStringColumn(indexing: ix, key: m.namesKey, latent: m.names) { l, _, out in
          let first = Int(l >> 32)
          let last = Int(l & 0xffff_ffff)
          if lastFirst {
            d.surnames.append(last, to: &out)
            out.append(contentsOf: ", ".utf8)
            d.firstNames.append(first, to: &out)
          } else {
            d.firstNames.append(first, to: &out)
            out.append(UInt8(ascii: " "))
            d.surnames.append(last, to: &out)
          }
        }
      }
    },
    ProviderDefinition(
      "person.sex", "F or M (US 2020 Census shares)", type: .string,
      parameters: common + [("format", "letter (F/M, default) or word (Female/Male)")]
    ) { r in
      let o = Options(&r)
      let word = r.oneOf("format", ["letter", "word"]) == "word"
      return { b in
        let (m, ix) = o.model(b)
        return StringColumn(indexing: ix) { i, out in
          let f = m.sex(i) == 0
          out.append(contentsOf: word ? (f ? "Female" : "Male").utf8 : (f ? "F" : "M").utf8)
        }
      }
    },
    ProviderDefinition("person.title", "courtesy title consistent with sex", type: .string, parameters: common) { r in
      let o = Options(&r)
      return { b in
        let (m, ix) = o.model(b)
        let s = b.stream("title")
        let female = AliasTable(weights: [45, 40, 10, 5])  // Ms., Mrs., Miss, Dr.
        let male = AliasTable(weights: [95, 5])  // Mr., Dr.
        return StringColumn(indexing: ix) { i, out in
          if m.sex(i) == 0 {
            switch s.pick(female, i) {
            case 0: out.append(contentsOf: "Ms.".utf8)
            case 1: out.append(contentsOf: "Mrs.".utf8)
            case 2: out.append(contentsOf: "Miss".utf8)
            default: out.append(contentsOf: "Dr.".utf8)
            }
          } else {
            out.append(contentsOf: (s.pick(male, i) == 0 ? "Mr." : "Dr.").utf8)
          }
        }
      }
    },
    ProviderDefinition(
      "person.birth_date", "date of birth from the US adult age distribution", type: .date, parameters: common
    ) { r in
      let o = Options(&r)
      return { b in
        let (m, ix) = o.model(b)
        return IntColumn(.date, indexing: ix) { i in m.birthDay(i) }
      }
    },
    ProviderDefinition(
      "person.hire_date", "hire date after the 18th birthday, within the last 40 years, not after --today", type: .date,
      parameters: common
    ) { r in
      let o = Options(&r)
      return { b in
        let (m, ix) = o.model(b)
        let s = b.stream()
        let today = b.context.today
        let floor = PersonModel.shifted(today, years: -40)
        return IntColumn(.date, indexing: ix) { i in
          let birth = CivilDate(dayNumber: m.birthDay(i))
          let adult = PersonModel.shifted(birth, years: 18)
          let earliest = max(adult, floor)
          return s.int(in: earliest...max(earliest, today.dayNumber), i)
        }
      }
    },
    ProviderDefinition(
      "person.username", "user id from the name: initial + surname + entity number (unique)", type: .string,
      parameters: common
    ) { r in
      let o = Options(&r)
      return { b in
        let (m, ix) = o.model(b)
        let d = ReferenceData.shared
        return LatentStringColumn(indexing: ix, key: m.namesKey, latent: m.names) { l, i, out in
          out.append(d.firstNames.initialLower(Int(l >> 32)))
          d.surnames.appendSlug(Int(l & 0xffff_ffff), to: &out)
          ValueFormatter.appendUInt(i + 1, to: &out)
        }
      }
    },
    ProviderDefinition(
      "person.age", "age in whole years on --today (agrees with birth_date)", type: .int, parameters: common
    ) { r in
      let o = Options(&r)
      return { b in
        let (m, ix) = o.model(b)
        return IntColumn(.int, indexing: ix) { i in Int64(m.age(i)) }
      }
    },
    ProviderDefinition(
      "person.email", "email derived from the name; reserved domains unless realistic", type: .string,
      parameters: common + [
        ("unique", "append the entity number so addresses never repeat"), ("level", "safe, format-valid or realistic"),
        ("domain", "one domain for every address, e.g. corp.example.com (must be reserved unless realistic)"),
      ],
      identifier: .email
    ) { r in
      let o = Options(&r)
      let unique = r.bool("unique") ?? false
      let override = r.level()
      let domain = r.string("domain")
      if let domain, !EmailRules.isReserved(domain) {
        r.issues.add(
          r.sub("domain"), "'\(domain)' is not a reserved domain, so mail could reach a real inbox",
          hint:
            "use example.com, example.net, example.org or a subdomain of them, or a name under .test, .example or .invalid",
          at: r.mark)
      }
      return { b throws(DecoyError) in
        let (m, ix) = o.model(b)
        let level = try b.level(.email, override: override)
        let s = b.context.stream(o.ofParent ? b.entityTable : b.table, "entity:" + o.entity, "email")
        let maker = EmailMaker(stream: s, level: level, domain: domain, unique: unique)
        return LatentStringColumn(indexing: ix, key: m.namesKey, latent: m.names) { l, i, out in
          maker.append(first: Int(l >> 32), last: Int(l & 0xffff_ffff), index: i, to: &out)
        }
      }
    },
  ]
}

/// Makes e-mail addresses from a first-name and a surname row: one of six styles, an optional
/// number, and a domain by identifier level (reserved domains unless realistic). Shared by
/// `person.email` and learned synthesis, whose names follow a learned sex column.
public struct EmailMaker: Sendable {
  let s: RandomStream
  let domains: StringTable
  let unique: Bool
  let styles = AliasTable(weights: [40, 15, 15, 10, 10, 10])
  let d = ReferenceData.shared

  /// `stream` is the entity's e-mail stream; `domain` one fixed domain (checked by the caller).
  public init(stream: RandomStream, level: IdentifierLevel, domain: String? = nil, unique: Bool = false) {
    s = stream
    domains = StringTable(
      domain.map { [$0] } ?? (level == .realistic ? EmailRules.realisticDomains : EmailRules.safeDomains))
    self.unique = unique
  }

  /// Appends the address of entity `i`.
  public func append(first: Int, last: Int, index i: UInt64, to out: inout [UInt8]) {
    switch s.pick(styles, i) {
    case 0:
      d.firstNames.appendSlug(first, to: &out)
      out.append(UInt8(ascii: "."))
      d.surnames.appendSlug(last, to: &out)
    case 1:
      d.firstNames.appendSlug(first, to: &out)
      d.surnames.appendSlug(last, to: &out)
    case 2:
      out.append(d.firstNames.initialLower(first))
      d.surnames.appendSlug(last, to: &out)
    case 3:
      d.firstNames.appendSlug(first, to: &out)
      out.append(UInt8(ascii: "_"))
      d.surnames.appendSlug(last, to: &out)
    case 4:
      d.surnames.appendSlug(last, to: &out)
      out.append(UInt8(ascii: "."))
      d.firstNames.appendSlug(first, to: &out)
    default:
      d.firstNames.appendSlug(first, to: &out)
      out.append(UInt8(ascii: "."))
      out.append(d.surnames.initialLower(last))
    }
    if unique {
      out.append(UInt8(ascii: "."))
      ValueFormatter.appendUInt(i + 1, to: &out)
    } else if s.unit(i, 1) < 0.4 {
      ValueFormatter.appendUInt(s.below(99, i, 2) + 1, to: &out)
    }
    out.append(UInt8(ascii: "@"))
    domains.append(Int(s.below(UInt64(domains.count), i, 3)), to: &out)
  }
}

/// Email domain rules of specs/identifiers.md §6.
public enum EmailRules {
  /// Reserved names (RFC 2606): used by `safe` and `format-valid`.
  public static let safeDomains = ["example.com", "example.net", "example.org", "mail.example.com"]
  /// Real consumer domains: `realistic` only.
  public static let realisticDomains = [
    "gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "icloud.com", "aol.com",
  ]

  /// Whether a domain is reserved by RFC 2606 (so no mail can reach a real inbox).
  public static func isReserved(_ domain: String) -> Bool {
    let d = domain.lowercased()
    return ["example.com", "example.net", "example.org"].contains { d == $0 || d.hasSuffix("." + $0) }
      || [".test", ".example", ".invalid"].contains { d.hasSuffix($0) } || ["test", "example", "invalid"].contains(d)
  }
}
