public import DecoyCore

/// What the enrichment attaches to one patient (specs/healthcare.md §4.3–4.4): an SSN, and a card
/// with brand, number, CVV and expiry. The reference values come from CPython's Mersenne Twister
/// seeded by hashes of the patient key; clean values follow the identifier rules of
/// specs/identifiers.md (safe by default) but keep the reference's brand and expiry draws.
public struct BreachPatientProfile: Sendable, Equatable {
  public var ssnArea: Int
  public var ssnGroup: Int
  public var ssnSerial: Int
  /// Lower-case brand key: visa, mastercard, amex, discover.
  public var brand: String
  /// Digits only, no separators.
  public var cardDigits: [UInt8]
  /// Security-code digits.
  public var cvv: String
  public var expiryMonth: Int
  /// Four-digit year.
  public var expiryYear: Int

  /// Brand by `u = stable_u01(pid, "brand")`: visa 55 %, mastercard 30 %, amex 10 %, discover 5 %.
  public static func brand(_ u: Double) -> String {
    if u < 0.55 { return "visa" }
    if u < 0.85 { return "mastercard" }
    if u < 0.95 { return "amex" }
    return "discover"
  }

  /// The reference script's values for patient key `key` (decimal text of the id).
  public static func reference(key: [UInt8], hash: inout BreachHash, todayYear: Int) -> BreachPatientProfile {
    let mod = UInt64(1) << 63 - 1
    var ssnRNG = PythonRandom(seed: hash.int(key, "ssn", mod))
    let area = ssnRNG.randint(100, 899)
    let group = ssnRNG.randint(1, 99)
    let serial = ssnRNG.randint(0, 9999)
    var cardRNG = PythonRandom(seed: hash.int(key, "card", mod))
    var digits: [UInt8] = (0..<16).map { _ in UInt8(cardRNG.randint(0, 9)) }
    if CardBrand.luhnSum(digits.map { $0 + 48 }, hasCheckDigit: true) % 10 == 0 {
      digits[15] = (digits[15] + 5) % 10
    }
    let cvv = cardRNG.randint(100, 999)
    let brand = brand(hash.u01(key, "brand"))
    let month = Int(hash.int(key, "exp_month", 12)) + 1
    let ahead = Int(hash.int(key, "exp_years_ahead", 5)) + 1
    return BreachPatientProfile(ssnArea: area, ssnGroup: group, ssnSerial: serial, brand: brand, cardDigits: digits.map { $0 + 48 },
      cvv: String(cvv), expiryMonth: month, expiryYear: todayYear + ahead)
  }

  /// Clean values: SSN and card number at the policy's levels, CVV of the brand's length; brand and
  /// expiry as the reference draws them. `entity` is the patient's numeric id.
  public static func clean(reference r: BreachPatientProfile, entity: UInt64, ssn: SSNSource, cards: CardModel) -> BreachPatientProfile {
    var p = r
    (p.ssnArea, p.ssnGroup, p.ssnSerial) = ssn.draw(entity)
    let bi = cards.brands.firstIndex { $0.key == r.brand } ?? 0
    var digits: [UInt8] = []
    cards.appendNumber(brand: bi, entity, to: &digits)
    p.cardDigits = digits
    var cvv: [UInt8] = []
    cards.appendCVV(brand: bi, entity, to: &cvv)
    p.cvv = String(decoding: cvv, as: UTF8.self)
    return p
  }

  /// `AAA-GG-SSSS`.
  public var ssnFull: String { pad(ssnArea, 3) + "-" + pad(ssnGroup, 2) + "-" + pad(ssnSerial, 4) }
  /// `***-**-SSSS`.
  public var ssnLast4: String { "***-**-" + pad(ssnSerial, 4) }

  /// Digits grouped by fours (`####-####-####-####`; 15 digits as 4-6-5, the Amex grouping).
  public var cardNumber: String {
    let d = String(decoding: cardDigits, as: UTF8.self)
    let cuts = cardDigits.count == 15 ? [4, 6, 5] : Array(repeating: 4, count: (cardDigits.count + 3) / 4)
    var parts: [Substring] = []
    var i = d.startIndex
    for c in cuts where i < d.endIndex {
      let j = d.index(i, offsetBy: c, limitedBy: d.endIndex) ?? d.endIndex
      parts.append(d[i..<j])
      i = j
    }
    return parts.joined(separator: "-")
  }

  func pad(_ v: Int, _ width: Int) -> String {
    let s = String(v)
    return String(repeating: "0", count: max(0, width - s.count)) + s
  }
}

/// SSNs at one safety level from one keyed stream.
public struct SSNSource: Sendable {
  let level: IdentifierLevel
  let stream: RandomStream

  public init(level: IdentifierLevel, stream: RandomStream) {
    self.level = level
    self.stream = stream
  }

  /// (area, group, serial) for entity `i`.
  public func draw(_ i: UInt64) -> (Int, Int, Int) { SSNRules.draw(level, stream, i) }
}
