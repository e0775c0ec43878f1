/// Blood types and organisation names.
enum MiscProviders {
  /// ABO/Rh shares in the US population (American Red Cross / AABB figures, percent).
  public static let bloodTypes: [(String, Double)] = [
    ("O+", 37.4), ("O-", 6.6), ("A+", 35.7), ("A-", 6.3), ("B+", 8.5), ("B-", 1.5), ("AB+", 3.4), ("AB-", 0.6),
  ]

  static let companyWords = [
    "Acme", "Apex", "Summit", "Pioneer", "Harbor", "Keystone", "Granite", "Beacon", "Cascade", "Meridian", "Northwind",
    "Bluebird", "Silverline", "Ironwood", "Redwood", "Lakeside", "Prairie", "Horizon", "Evergreen", "Copperfield",
  ]
  static let companyNouns = [
    "Systems", "Logistics", "Foods", "Analytics", "Holdings", "Partners", "Labs", "Works", "Supply", "Solutions",
  ]
  static let companySuffixes = ["Inc.", "LLC", "Co.", "Group", "Corp."]
  static let hospitalKinds = [
    "General Hospital", "Memorial Hospital", "Regional Medical Center", "Community Hospital", "Medical Center",
  ]
  static let saints = [
    "Anne", "Luke", "Mary", "Joseph", "Francis", "Vincent", "Catherine", "Elizabeth", "Jude", "Clare",
  ]
  static let insurerFirst = [
    "Keystone", "Harborview", "Summit", "Prairie", "Lakeshore", "Pinecrest", "Riverbend", "Clearwater", "Sunridge",
    "Oakmont",
  ]
  static let insurerLast = [
    "Health Plan", "Mutual Insurance", "Health Partners", "Benefit Company", "Assurance", "Care Plan",
  ]

  static let definitions: [ProviderDefinition] = [
    ProviderDefinition("blood_type", "ABO/Rh blood type by US frequency", type: .string) { _ in
      { b in
        let s = b.stream()
        let alias = AliasTable(weights: bloodTypes.map(\.1))
        let names = StringTable(bloodTypes.map(\.0))
        return StringColumn { i, out in names.append(s.pick(alias, i), to: &out) }
      }
    },
    ProviderDefinition("company.name", "synthetic company name (surname or word + trade + suffix)", type: .string) {
      _ in
      { b in
        let s = b.stream()
        let d = ReferenceData.shared
        let w = StringTable(companyWords)
        let n = StringTable(companyNouns)
        let x = StringTable(companySuffixes)
        return StringColumn { i, out in
          if s.unit(i, 0) < 0.5 {
            d.surnames.append(s.pick(d.surnameAlias, i, 1), to: &out)
            out.append(contentsOf: " & ".utf8)
            d.surnames.append(s.pick(d.surnameAlias, i, 2), to: &out)
          } else {
            w.append(Int(s.below(UInt64(w.count), i, 1)), to: &out)
            out.append(UInt8(ascii: " "))
            n.append(Int(s.below(UInt64(n.count), i, 2)), to: &out)
          }
          out.append(UInt8(ascii: " "))
          x.append(Int(s.below(UInt64(x.count), i, 3)), to: &out)
        }
      }
    },
    ProviderDefinition("hospital.name", "synthetic hospital name (city or saint + kind)", type: .string) { _ in
      { b in
        let s = b.stream()
        let d = ReferenceData.shared
        let kinds = StringTable(hospitalKinds)
        let saintNames = StringTable(saints)
        return StringColumn { i, out in
          if s.unit(i, 0) < 0.7 {
            d.zipCities.append(d.zipRow(bits: s.bits(i, 1)), to: &out)
          } else {
            out.append(contentsOf: "St. ".utf8)
            saintNames.append(Int(s.below(UInt64(saintNames.count), i, 1)), to: &out)
          }
          out.append(UInt8(ascii: " "))
          kinds.append(Int(s.below(UInt64(kinds.count), i, 2)), to: &out)
        }
      }
    },
    ProviderDefinition("insurer.name", "synthetic health insurer name", type: .string) { _ in
      { b in
        let s = b.stream()
        let f = StringTable(insurerFirst)
        let l = StringTable(insurerLast)
        return StringColumn { i, out in
          f.append(Int(s.below(UInt64(f.count), i, 0)), to: &out)
          out.append(UInt8(ascii: " "))
          l.append(Int(s.below(UInt64(l.count), i, 1)), to: &out)
        }
      }
    },
  ]
}

/// Every built-in provider, sorted by name.
public enum ProviderRegistry {
  public static let all: [ProviderDefinition] =
    (PersonProviders.all + AddressProviders.all + CardProviders.all
    + [SSNProvider.definition, PhoneRules.definition, LicenseFormats.definition] + NetworkRules.definitions
    + MiscProviders.definitions + WorkProviders.all).sorted { $0.name < $1.name }

  /// Names of all providers.
  public static var names: [String] { all.map(\.name) }

  /// The provider with a name.
  public static func named(_ name: String) -> ProviderDefinition? { all.first { $0.name == name } }
}
