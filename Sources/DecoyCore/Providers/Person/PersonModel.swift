/// The latent person behind a row: sex, date of birth, first and last name. Every person column
/// (name, title, email, birth date, age…) recomputes these from the same streams, keyed by
/// (seed, table, entity), so columns agree with each other and adding one changes no other.
public struct PersonModel: Sendable {
  let sexStream: RandomStream
  let ageStream: RandomStream
  let firstStream: RandomStream
  let lastStream: RandomStream
  let data: ReferenceData
  let ageAlias: AliasTable
  let minAge: Int
  let uniform: Bool
  /// Per age (index = age − minAge): first possible birth day, number of possible days, and
  /// 1 January of the later possible birth year (born before it ⇒ the earlier year).
  let earliest: [Int64]
  let span: [UInt64]
  let newYear: [Int64]
  let laterYear: [Int]
  /// Share of females (US 2020 Census: 50.5 %).
  public static let femaleShare = 0.505

  /// Adult age distribution by 5-year band from 15 to 99 (shares of the US resident population,
  /// rounded from the US Census Bureau's 2020 age-by-sex tables; see docs/providers.md).
  static let ageBands: [(lower: Int, weight: Double)] = [
    (15, 6.5), (20, 6.6), (25, 6.9), (30, 6.8), (35, 6.6), (40, 6.2), (45, 6.1), (50, 6.2),
    (55, 6.6), (60, 6.4), (65, 5.5), (70, 4.5), (75, 3.0), (80, 1.9), (85, 1.2), (90, 0.6), (95, 0.2),
  ]

  /// A person model for `(table, entity)`, with ages in `minAge...maxAge` on `today`, distributed like
  /// the US population or, with `uniformAges`, uniformly.
  public init(
    context: GenerationContext, table: String, entity: String, minAge: Int = 18, maxAge: Int = 90,
    uniformAges: Bool = false
  ) {
    let base = context.stream(table, "entity:" + entity)
    sexStream = base.derive("sex")
    ageStream = base.derive("age")
    firstStream = base.derive("first")
    lastStream = base.derive("last")
    data = ReferenceData.shared
    self.minAge = minAge
    uniform = uniformAges
    // Per single year of age: the band's weight spread evenly over its five years.
    var w: [Double] = []
    for age in minAge...maxAge {
      let band = PersonModel.ageBands.last { $0.lower <= age } ?? PersonModel.ageBands[0]
      w.append(uniformAges ? 1 : band.weight / 5)
    }
    ageAlias = AliasTable(weights: w)
    var e: [Int64] = []
    var sp: [UInt64] = []
    var ny: [Int64] = []
    var ly: [Int] = []
    for age in minAge...maxAge {
      let latest = PersonModel.shifted(context.today, years: -age)
      let first = PersonModel.shifted(context.today, years: -(age + 1)) + 1
      e.append(first)
      sp.append(UInt64(latest - first + 1))
      let y = CivilDate(dayNumber: latest).year
      ny.append(CivilDate(year: y, month: 1, day: 1).dayNumber)
      ly.append(y)
    }
    earliest = e
    span = sp
    newYear = ny
    laterYear = ly
  }

  /// 0 = female, 1 = male.
  @inline(__always)
  public func sex(_ i: UInt64) -> Int { sexStream.unit(i) < PersonModel.femaleShare ? 0 : 1 }

  /// Age in whole years on `today`.
  @inline(__always)
  public func age(_ i: UInt64) -> Int { minAge + ageStream.pick(ageAlias, i) }

  /// Date of birth (day number): uniform over the 365/366 days that give the drawn age on `today`.
  @inline(__always)
  public func birthDay(_ i: UInt64) -> Int64 {
    // Born after (today − (a+1) years) and on or before (today − a years).
    let k = ageStream.pick(ageAlias, i)
    return earliest[k] + Int64(ageStream.below(span[k], i, 1))
  }

  static func shifted(_ today: CivilDate, years: Int) -> Int64 {
    var d = today
    d.year += years
    if d.month == 2 && d.day == 29 && !CivilDate.isLeap(d.year) { d.day = 28 }
    return d.dayNumber
  }

  /// Birth year (for name popularity by decade).
  @inline(__always)
  public func birthYear(_ i: UInt64) -> Int {
    let k = ageStream.pick(ageAlias, i)
    let day = earliest[k] + Int64(ageStream.below(span[k], i, 1))
    return day >= newYear[k] ? laterYear[k] : laterYear[k] - 1
  }

  /// Row of the first name in ``ReferenceData/firstNames``.
  @inline(__always)
  public func firstName(_ i: UInt64) -> Int {
    data.firstName(sex: sex(i), birthYear: birthYear(i), bits: firstStream.bits(i))
  }

  /// Identifies ``names(_:)`` for ``BatchCache``: the streams and the age range.
  public var namesKey: UInt64 {
    StableHash.combine(
      StableHash.combine(firstStream.key, lastStream.key),
      UInt64(minAge) << 16 | UInt64(ageAlias.count) | (uniform ? 1 << 40 : 0))
  }

  /// First-name row in the high 32 bits, surname row in the low 32 bits.
  @inline(__always)
  public func names(_ i: UInt64) -> Int64 { Int64(firstName(i)) << 32 | Int64(lastName(i)) }

  /// Appends "First Last".
  public func appendFullName(_ i: UInt64, to out: inout [UInt8]) {
    data.firstNames.append(firstName(i), to: &out)
    out.append(UInt8(ascii: " "))
    data.surnames.append(lastName(i), to: &out)
  }

  /// Row of the surname in ``ReferenceData/surnames``.
  @inline(__always)
  public func lastName(_ i: UInt64) -> Int { lastStream.pick(data.surnameAlias, i) }
}
