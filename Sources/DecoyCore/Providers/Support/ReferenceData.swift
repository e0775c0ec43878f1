/// The parsed US reference data (see data/SOURCES.md), loaded once per process on first use.
public final class ReferenceData: Sendable {
  /// The shared instance (parsing takes a few milliseconds).
  public static let shared = ReferenceData()

  /// Surnames with their Census 2010 counts.
  public let surnames: StringTable
  public let surnameWeights: [Double]
  public let surnameAlias: AliasTable

  /// First names: one arena of every (sex, decade, name) row.
  public let firstNames: StringTable
  /// First decade with data (e.g. 1920) and the number of decades.
  public let firstDecade: Int
  public let decadeCount: Int
  /// Per sex (0 = female, 1 = male) and decade: alias table over the rows of `firstNameRows`.
  let firstNameAlias: [[AliasTable]]
  let firstNameRows: [[[Int32]]]

  /// ZIP codes (as integers; print zero-padded to 5), with city and state of each.
  public let zipCodes: [Int32]
  public let zipCities: StringTable
  public let zipStates: [UInt8]  // index into stateCodes
  public let zipWeights: [Double]
  /// Alias table over the ZIPs that have a positive population weight.
  let zipAlias: AliasTable
  let zipRows: [Int32]

  /// States (50 + DC) sorted by code.
  public let stateCodes: StringTable
  public let stateNames: StringTable
  public let stateCodeList: [String]

  /// Street base names and suffixes.
  public let streetNames: StringTable
  public let streetSuffixes: StringTable
  public let streetSuffixAlias: AliasTable

  init() {
    let sn = TSVTable(EmbeddedData.surnames, columns: 2)
    surnames = sn.strings(0)
    surnameWeights = sn.numbers(1)
    surnameAlias = AliasTable(weights: surnameWeights)

    let fn = TSVTable(EmbeddedData.firstNames, columns: 4)
    firstNames = fn.strings(2)
    let decades = fn.integers(1)
    firstDecade = decades.min()!
    decadeCount = (decades.max()! - firstDecade) / 10 + 1
    let counts = fn.numbers(3)
    var buckets = [[[Int32]]](repeating: [[Int32]](repeating: [], count: decadeCount), count: 2)
    var weights = [[[Double]]](repeating: [[Double]](repeating: [], count: decadeCount), count: 2)
    for i in 0..<fn.rows {
      let sex = fn.firstByte(i, 0) == UInt8(ascii: "F") ? 0 : 1
      let d = (decades[i] - firstDecade) / 10
      buckets[sex][d].append(Int32(i))
      weights[sex][d].append(counts[i])
    }
    firstNameRows = buckets
    firstNameAlias = weights.map { $0.map { AliasTable(weights: $0) } }

    let st = TSVTable(EmbeddedData.states, columns: 3)
    let codes = st.strings(0)
    stateCodes = codes
    stateCodeList = (0..<codes.count).map { codes[$0] }
    stateNames = st.strings(1)
    // State codes are two ASCII letters: key them as a 16-bit number.
    var stateIndex = [UInt8](repeating: .max, count: 1 << 16)
    for i in 0..<st.rows { stateIndex[st.key16(i, 0)] = UInt8(i) }

    let zp = TSVTable(EmbeddedData.zips, columns: 4)
    zipCodes = zp.integers(0).map { Int32($0) }
    zipCities = zp.strings(1)
    zipStates = (0..<zp.rows).map { i in
      let s = stateIndex[zp.key16(i, 2)]
      precondition(s != .max, "zips.tsv row \(i + 1): unknown state")
      return s
    }
    let zw = zp.numbers(3)
    zipWeights = zw
    let populated = zw.indices.filter { zw[$0] > 0 }
    zipRows = populated.map { Int32($0) }
    zipAlias = AliasTable(weights: populated.map { zw[$0] })

    streetNames = TSVTable(EmbeddedData.streetNames, columns: 1).strings(0)
    let sf = TSVTable(EmbeddedData.streetSuffixes, columns: 2)
    streetSuffixes = sf.strings(0)
    streetSuffixAlias = AliasTable(weights: sf.numbers(1))
  }

  /// A first-name row for a sex (0 female, 1 male) and birth year, drawn from 64 random bits.
  @inline(__always)
  public func firstName(sex: Int, birthYear: Int, bits: UInt64) -> Int {
    var d = (birthYear - firstDecade) / 10
    if birthYear < firstDecade { d = 0 }
    if d >= decadeCount { d = decadeCount - 1 }
    return Int(firstNameRows[sex][d][firstNameAlias[sex][d].sample(bits)])
  }

  /// A ZIP row drawn with population weights.
  @inline(__always)
  public func zipRow(bits: UInt64) -> Int { Int(zipRows[zipAlias.sample(bits)]) }

  /// Index of a state code, or nil.
  public func stateIndex(of code: String) -> Int? { stateCodeList.firstIndex(of: code) }

  /// The first-name rows of one sex and decade (for tests).
  public func firstNameRows(sex: Int, decadeIndex: Int) -> [Int32] { firstNameRows[sex][decadeIndex] }
}
