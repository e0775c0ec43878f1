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

  public init(
    ssnArea: Int, ssnGroup: Int, ssnSerial: Int, brand: String, cardDigits: [UInt8], cvv: String, expiryMonth: Int,
    expiryYear: Int
  ) {
    (self.ssnArea, self.ssnGroup, self.ssnSerial) = (ssnArea, ssnGroup, ssnSerial)
    (self.brand, self.cardDigits, self.cvv) = (brand, cardDigits, cvv)
    (self.expiryMonth, self.expiryYear) = (expiryMonth, expiryYear)
  }

  /// The brand keys in the reference's order.
  public static let brands = ["visa", "mastercard", "amex", "discover"]

  /// Brand by `u = stable_u01(pid, "brand")`: visa 55 %, mastercard 30 %, amex 10 %, discover 5 %.
  public static func brand(_ u: Double) -> String { brands[brandOrdinal(u)] }

  /// The index in ``brands`` of the brand for `u`.
  public static func brandOrdinal(_ u: Double) -> Int {
    if u < 0.55 { return 0 }
    if u < 0.85 { return 1 }
    if u < 0.95 { return 2 }
    return 3
  }

  /// The reference script's values for patient key `key` (decimal text of the id).
  public static func reference(key: [UInt8], hash: inout BreachHash, todayYear: Int) -> BreachPatientProfile {
    let mod = UInt64(1) << 63 - 1
    var ssnRNG = PythonRandom(seed: hash.int(key, "ssn", mod))
    var cardRNG = PythonRandom(seed: hash.int(key, "card", mod))
    return reference(
      ssn: &ssnRNG, card: &cardRNG, brandUnit: hash.h(key, "brand") % BreachHash.unitModulus,
      month: hash.h(key, "exp_month"), ahead: hash.h(key, "exp_years_ahead"), todayYear: todayYear)!
  }

  /// The reference values from the patient's two Mersenne Twister streams (seeded by H(key, "ssn")
  /// and H(key, "card") mod 2^63 − 1) and its H values for "brand", "exp_month" and "exp_years_ahead";
  /// nil when a stream runs out (precomputed outputs only).
  public static func reference<S: RandintSource, C: RandintSource>(
    ssn: inout S, card: inout C, brandUnit: UInt64, month: UInt64,
    ahead: UInt64, todayYear: Int
  ) -> BreachPatientProfile? {
    guard let area = ssn.randint(100, 899), let group = ssn.randint(1, 99), let serial = ssn.randint(0, 9999) else {
      return nil
    }
    var digits = [UInt8](repeating: 0, count: 16)
    for i in 0..<16 {
      guard let d = card.randint(0, 9) else { return nil }
      digits[i] = UInt8(d) + 48
    }
    if CardBrand.luhnSum(digits, hasCheckDigit: true) % 10 == 0 {
      digits[15] = (digits[15] - 48 + 5) % 10 + 48
    }
    guard let cvv = card.randint(100, 999) else { return nil }
    return BreachPatientProfile(
      ssnArea: area, ssnGroup: group, ssnSerial: serial, brand: brand(Double(brandUnit) / 1e12), cardDigits: digits,
      cvv: String(cvv), expiryMonth: Int(month % 12) + 1, expiryYear: todayYear + Int(ahead % 5) + 1)
  }

  /// Appends `AAA-GG-SSSS`.
  public func appendSSNFull(to out: inout [UInt8]) { Self.appendSSNFull(ssnArea, ssnGroup, ssnSerial, to: &out) }

  /// Appends `***-**-SSSS`.
  public func appendSSNLast4(to out: inout [UInt8]) { Self.appendSSNLast4(ssnSerial, to: &out) }

  /// Appends the number grouped as ``cardNumber`` shows it.
  public func appendCardNumber(to out: inout [UInt8]) { Self.appendGrouped(cardDigits, to: &out) }

  /// Appends `AAA-GG-SSSS`.
  public static func appendSSNFull(_ area: Int, _ group: Int, _ serial: Int, to out: inout [UInt8]) {
    ValueFormatter.appendPadded(Int64(area), width: 3, to: &out)
    out.append(UInt8(ascii: "-"))
    ValueFormatter.appendPadded(Int64(group), width: 2, to: &out)
    out.append(UInt8(ascii: "-"))
    ValueFormatter.appendPadded(Int64(serial), width: 4, to: &out)
  }

  /// Appends `***-**-SSSS`.
  public static func appendSSNLast4(_ serial: Int, to out: inout [UInt8]) {
    out.append(contentsOf: "***-**-".utf8)
    ValueFormatter.appendPadded(Int64(serial), width: 4, to: &out)
  }

  /// Appends card digits grouped by fours, or 4-6-5 for 15 digits (the Amex grouping).
  public static func appendGrouped(_ digits: [UInt8], to out: inout [UInt8]) {
    let amex = digits.count == 15
    // Built on the stack and appended once: an array append per byte costs a uniqueness and
    // capacity check each.
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * digits.count) { buf in
      var k = 0
      for i in digits.indices {
        if i > 0 && (amex ? (i == 4 || i == 10) : i % 4 == 0) {
          buf[k] = UInt8(ascii: "-")
          k += 1
        }
        buf[k] = digits[i]
        k += 1
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[0..<k]))
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
