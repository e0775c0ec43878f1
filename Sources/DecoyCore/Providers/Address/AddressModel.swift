import Foundation

/// The latent postal address behind a row: a real (ZIP, city, state) triple drawn by population,
/// with a synthetic street line. All address columns recompute from the same streams, so city,
/// state and ZIP always agree.
public struct AddressModel: Sendable {
  let zipStream: RandomStream
  let streetStream: RandomStream
  let data: ReferenceData

  public init(context: GenerationContext, table: String, entity: String) {
    let base = context.stream(table, "entity:" + entity)
    zipStream = base.derive("zip")
    streetStream = base.derive("street")
    data = ReferenceData.shared
  }

  /// Row in the ZIP table.
  @inline(__always)
  public func zipRow(_ i: UInt64) -> Int { data.zipRow(bits: zipStream.bits(i)) }

  /// State index (into ``ReferenceData/stateCodes``).
  @inline(__always)
  public func stateIndex(_ i: UInt64) -> Int { Int(data.zipStates[zipRow(i)]) }

  /// Appends `1234 Maple Avenue` (house numbers are log-uniform on 1…19,999).
  @inline(__always)
  public func appendStreet(_ i: UInt64, to out: inout [UInt8]) {
    let n = UInt64(Foundation.exp(streetStream.unit(i, 0) * 9.9034875525))  // ln(20000)
    ValueFormatter.appendUInt(Swift.max(1, n), to: &out)
    out.append(UInt8(ascii: " "))
    data.streetNames.append(Int(streetStream.below(UInt64(data.streetNames.count), i, 1)), to: &out)
    out.append(UInt8(ascii: " "))
    data.streetSuffixes.append(streetStream.pick(data.streetSuffixAlias, i, 2), to: &out)
  }

  /// Appends the city of ZIP row `zip`.
  public func appendCity(row zip: Int, to out: inout [UInt8]) { data.zipCities.append(zip, to: &out) }

  /// Appends the two-letter state code of ZIP row `zip`.
  public func appendState(row zip: Int, to out: inout [UInt8]) {
    data.stateCodes.append(Int(data.zipStates[zip]), to: &out)
  }

  /// The state index of ZIP row `zip`.
  public func stateIndex(row zip: Int) -> Int { Int(data.zipStates[zip]) }

  /// Appends the 5-digit ZIP of row `zip`.
  @inline(__always)
  public func appendZip(row zip: Int, to out: inout [UInt8]) {
    ValueFormatter.appendPadded(Int64(data.zipCodes[zip]), width: 5, to: &out)
  }
}

/// Providers of address columns.
enum AddressProviders {
  struct Options: Sendable {
    var entity = "address"
    var ofParent = false
    init(_ r: inout MapReader) {
      if let e = r.string("entity") { entity = e }
      if let of = r.oneOf("of", ["row", "parent"]) { ofParent = of == "parent" }
    }
    func model(_ b: ColumnBuildContext) -> (AddressModel, EntityIndexing) {
      (
        AddressModel(context: b.context, table: ofParent ? b.entityTable : b.table, entity: entity),
        ofParent ? .parent : .row
      )
    }
  }

  static let common: [(name: String, help: String)] = [
    ("entity", "name of the address when a row holds several (default address)"),
    ("of", "row (default) or parent: the parent row's address"),
  ]

  /// An address column; `body` gets the model, the ZIP row (computed once per batch) and the index.
  static func make(
    _ name: String, _ summary: String, _ body: @escaping @Sendable (AddressModel, Int, UInt64, inout [UInt8]) -> Void
  ) -> ProviderDefinition {
    ProviderDefinition(name, summary, type: .string, parameters: common) { r in
      let o = Options(&r)
      return { b in
        let (m, ix) = o.model(b)
        return LatentStringColumn(indexing: ix, key: m.zipStream.key, latent: { Int64(m.zipRow($0)) }) { z, i, out in
          body(m, Int(z), i, &out)
        }
      }
    }
  }

  static let all: [ProviderDefinition] = [
    make("address.street", "house number, synthetic street name and suffix") { m, _, i, out in
      m.appendStreet(i, to: &out)
    },
    make("address.city", "city of the address's ZIP (USPS)") { m, z, _, out in m.data.zipCities.append(z, to: &out) },
    make("address.state", "two-letter state code of the address's ZIP") { m, z, _, out in
      m.data.stateCodes.append(Int(m.data.zipStates[z]), to: &out)
    },
    make("address.state_name", "state name of the address's ZIP") { m, z, _, out in
      m.data.stateNames.append(Int(m.data.zipStates[z]), to: &out)
    },
    make("address.zip", "5-digit ZIP code (text, leading zeros kept), weighted by population") { m, z, _, out in
      m.appendZip(row: z, to: &out)
    },
    make("address.full", "one-line address: street, city, state ZIP") { m, z, i, out in
      m.appendStreet(i, to: &out)
      out.append(contentsOf: ", ".utf8)
      m.data.zipCities.append(z, to: &out)
      out.append(contentsOf: ", ".utf8)
      m.data.stateCodes.append(Int(m.data.zipStates[z]), to: &out)
      out.append(UInt8(ascii: " "))
      m.appendZip(row: z, to: &out)
    },
  ]
}
