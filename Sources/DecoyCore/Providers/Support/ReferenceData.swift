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
    // Split on bytes: the tables are plain tab-separated text, and splitting the String itself
    // walks grapheme clusters (a tenth of a second at every start-up).
    func rows(_ text: String) -> [[Substring]] {
      text.utf8.split(separator: 10).map { line in
        line.split(separator: 9, omittingEmptySubsequences: false).map { Substring($0) }
      }
    }
    let sn = rows(EmbeddedData.surnames)
    surnames = StringTable(sn.map { String($0[0]) })
    surnameWeights = sn.map { Double($0[1])! }
    surnameAlias = AliasTable(weights: surnameWeights)

    let fn = rows(EmbeddedData.firstNames)
    firstNames = StringTable(fn.map { String($0[2]) })
    let decades = fn.map { Int($0[1])! }
    firstDecade = decades.min()!
    decadeCount = (decades.max()! - firstDecade) / 10 + 1
    var buckets = [[[Int32]]](repeating: [[Int32]](repeating: [], count: decadeCount), count: 2)
    var weights = [[[Double]]](repeating: [[Double]](repeating: [], count: decadeCount), count: 2)
    for (i, r) in fn.enumerated() {
      let sex = r[0] == "F" ? 0 : 1
      let d = (decades[i] - firstDecade) / 10
      buckets[sex][d].append(Int32(i))
      weights[sex][d].append(Double(r[3])!)
    }
    firstNameRows = buckets
    firstNameAlias = weights.map { $0.map { AliasTable(weights: $0) } }

    let st = rows(EmbeddedData.states)
    stateCodeList = st.map { String($0[0]) }
    stateCodes = StringTable(stateCodeList)
    stateNames = StringTable(st.map { String($0[1]) })
    var stateIndex: [Substring: UInt8] = [:]
    for (i, c) in stateCodeList.enumerated() { stateIndex[Substring(c)] = UInt8(i) }

    let zp = rows(EmbeddedData.zips)
    zipCodes = zp.map { Int32($0[0])! }
    zipCities = StringTable(zp.map { String($0[1]) })
    zipStates = zp.map { stateIndex[$0[2]]! }
    let zw = zp.map { Double($0[3])! }
    zipWeights = zw
    let populated = zw.indices.filter { zw[$0] > 0 }
    zipRows = populated.map { Int32($0) }
    zipAlias = AliasTable(weights: populated.map { zw[$0] })

    streetNames = StringTable(rows(EmbeddedData.streetNames).map { String($0[0]) })
    let sf = rows(EmbeddedData.streetSuffixes)
    streetSuffixes = StringTable(sf.map { String($0[0]) })
    streetSuffixAlias = AliasTable(weights: sf.map { Double($0[1])! })
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
