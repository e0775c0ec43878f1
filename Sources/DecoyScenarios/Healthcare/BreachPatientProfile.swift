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

  public init(ssnArea: Int, ssnGroup: Int, ssnSerial: Int, brand: String, cardDigits: [UInt8], cvv: String, expiryMonth: Int, expiryYear: Int) {
    (self.ssnArea, self.ssnGroup, self.ssnSerial) = (ssnArea, ssnGroup, ssnSerial)
    (self.brand, self.cardDigits, self.cvv) = (brand, cardDigits, cvv)
    (self.expiryMonth, self.expiryYear) = (expiryMonth, expiryYear)
  }

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
    var cardRNG = PythonRandom(seed: hash.int(key, "card", mod))
    return reference(ssn: &ssnRNG, card: &cardRNG, brandUnit: hash.h(key, "brand") % BreachHash.unitModulus,
      month: hash.h(key, "exp_month"), ahead: hash.h(key, "exp_years_ahead"), todayYear: todayYear)!
  }

  /// The reference values from the patient's two Mersenne Twister streams (seeded by H(key, "ssn")
  /// and H(key, "card") mod 2^63 − 1) and its H values for "brand", "exp_month" and "exp_years_ahead";
  /// nil when a stream runs out (precomputed outputs only).
  public static func reference<S: RandintSource, C: RandintSource>(ssn: inout S, card: inout C, brandUnit: UInt64, month: UInt64,
                                                                   ahead: UInt64, todayYear: Int) -> BreachPatientProfile? {
    guard let area = ssn.randint(100, 899), let group = ssn.randint(1, 99), let serial = ssn.randint(0, 9999) else { return nil }
    var digits = [UInt8](repeating: 0, count: 16)
    for i in 0..<16 {
      guard let d = card.randint(0, 9) else { return nil }
      digits[i] = UInt8(d) + 48
    }
    if CardBrand.luhnSum(digits, hasCheckDigit: true) % 10 == 0 {
      digits[15] = (digits[15] - 48 + 5) % 10 + 48
    }
    guard let cvv = card.randint(100, 999) else { return nil }
    return BreachPatientProfile(ssnArea: area, ssnGroup: group, ssnSerial: serial, brand: brand(Double(brandUnit) / 1e12), cardDigits: digits,
      cvv: String(cvv), expiryMonth: Int(month % 12) + 1, expiryYear: todayYear + Int(ahead % 5) + 1)
  }

  /// Clean values: SSN and card number at the policy's levels, CVV of the brand's length; brand and
  /// expiry as the reference draws them. `entity` is the patient's numeric id.
  public static func clean(reference r: BreachPatientProfile, entity: UInt64, ssn: SSNSource, cards: CardModel,
                           brandIndex: Int? = nil) -> BreachPatientProfile {
    var p = r
    (p.ssnArea, p.ssnGroup, p.ssnSerial) = ssn.draw(entity)
    let bi = brandIndex ?? cards.brands.firstIndex { $0.key == r.brand } ?? 0
    var digits: [UInt8] = []
    cards.appendNumber(brand: bi, entity, to: &digits)
    p.cardDigits = digits
    var cvv: [UInt8] = []
    cards.appendCVV(brand: bi, entity, to: &cvv)
    p.cvv = String(decoding: cvv, as: UTF8.self)
    return p
  }

  /// Appends `AAA-GG-SSSS`.
  public func appendSSNFull(to out: inout [UInt8]) {
    ValueFormatter.appendPadded(Int64(ssnArea), width: 3, to: &out)
    out.append(UInt8(ascii: "-"))
    ValueFormatter.appendPadded(Int64(ssnGroup), width: 2, to: &out)
    out.append(UInt8(ascii: "-"))
    ValueFormatter.appendPadded(Int64(ssnSerial), width: 4, to: &out)
  }

  /// Appends `***-**-SSSS`.
  public func appendSSNLast4(to out: inout [UInt8]) {
    out.append(contentsOf: "***-**-".utf8)
    ValueFormatter.appendPadded(Int64(ssnSerial), width: 4, to: &out)
  }

  /// Appends the number grouped as ``cardNumber`` shows it: by fours, or 4-6-5 for 15 digits.
  public func appendCardNumber(to out: inout [UInt8]) {
    let cuts = cardDigits.count == 15 ? [4, 10] : Array(stride(from: 4, to: cardDigits.count, by: 4))
    var next = 0
    for (i, d) in cardDigits.enumerated() {
      if next < cuts.count && i == cuts[next] {
        out.append(UInt8(ascii: "-"))
        next += 1
      }
      out.append(d)
    }
  }

  /// `AAA-GG-SSSS`.
  public var ssnFull: String { text(appendSSNFull) }
  /// `***-**-SSSS`.
  public var ssnLast4: String { text(appendSSNLast4) }
  /// Digits grouped by fours (`####-####-####-####`; 15 digits as 4-6-5, the Amex grouping).
  public var cardNumber: String { text(appendCardNumber) }

  private func text(_ append: (inout [UInt8]) -> Void) -> String {
    var out: [UInt8] = []
    append(&out)
    return String(decoding: out, as: UTF8.self)
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

/// A source of `random.randint` draws: a live ``PythonRandom``, or a precomputed run of outputs that
/// can run out (nil).
public protocol RandintSource {
  mutating func randint(_ a: Int, _ b: Int) -> Int?
}

extension PythonRandom: RandintSource {
  public mutating func randint(_ a: Int, _ b: Int) -> Int? { Optional(randint(a, b) as Int) }
}

extension PythonRandomOutputs: RandintSource {}
