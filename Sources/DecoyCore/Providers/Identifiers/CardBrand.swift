/// A payment card brand with its IIN ranges, length, security-code length and published test
/// numbers (specs/identifiers.md §8).
public struct CardBrand: Sendable {
  /// Key used in specs (`visa`, `mastercard`, `amex`, `discover`, `jcb`, `diners`, `unionpay`).
  public let key: String
  /// Name printed in brand columns.
  public let display: String
  /// Length of generated numbers.
  public let length: Int
  /// Security code length (Amex 4, others 3).
  public let cvvLength: Int
  /// IIN ranges as (first, last, digits, weight): any prefix in `first...last` of `digits` digits.
  public let ranges: [(first: Int, last: Int, digits: Int, weight: Double)]
  /// Leading six digits of the published test numbers (the `format-valid` IINs).
  public let testIINs: [String]
  /// Published processor test numbers (the `safe` form `test-pan`).
  public let testPANs: [String]
  /// Whether issued numbers of the brand satisfy Luhn (UnionPay: not guaranteed).
  public let luhnRequired: Bool

  public static let all: [CardBrand] = [
    CardBrand(
      key: "visa", display: "Visa", length: 16, cvvLength: 3, ranges: [(4, 4, 1, 1)],
      testIINs: ["424242", "401288", "400005"], testPANs: ["4242424242424242", "4012888888881881", "4000056655665556"],
      luhnRequired: true),
    CardBrand(
      key: "mastercard", display: "Mastercard", length: 16, cvvLength: 3,
      ranges: [(51, 55, 2, 0.8), (2221, 2720, 4, 0.2)],
      testIINs: ["555555", "222300", "520082", "510510"],
      testPANs: ["5555555555554444", "2223003122003222", "5200828282828210", "5105105105105100"], luhnRequired: true),
    CardBrand(
      key: "amex", display: "American Express", length: 15, cvvLength: 4, ranges: [(34, 34, 2, 0.5), (37, 37, 2, 0.5)],
      testIINs: ["378282", "371449"], testPANs: ["378282246310005", "371449635398431"], luhnRequired: true),
    CardBrand(
      key: "discover", display: "Discover", length: 16, cvvLength: 3,
      ranges: [(6011, 6011, 4, 0.6), (644, 649, 3, 0.1), (65, 65, 2, 0.3)],
      testIINs: ["601111", "601100", "601198"], testPANs: ["6011111111111117", "6011000990139424", "6011981111111113"],
      luhnRequired: true),
    CardBrand(
      key: "jcb", display: "JCB", length: 16, cvvLength: 3, ranges: [(3528, 3589, 4, 1)],
      testIINs: ["356600"], testPANs: ["3566002020360505"], luhnRequired: true),
    CardBrand(
      key: "diners", display: "Diners Club", length: 14, cvvLength: 3,
      ranges: [(300, 305, 3, 0.3), (36, 36, 2, 0.5), (38, 39, 2, 0.2)],
      testIINs: ["305693", "362272"], testPANs: ["3056930009020004", "36227206271667"], luhnRequired: true),
    CardBrand(
      key: "unionpay", display: "UnionPay", length: 16, cvvLength: 3, ranges: [(62, 62, 2, 1)],
      testIINs: ["620000", "620550"], testPANs: ["6200000000000005", "6200000000000047", "6205500000000000004"],
      luhnRequired: false),
  ]

  /// The brand with a spec key.
  public static func named(_ key: String) -> CardBrand? { all.first { $0.key == key } }

  /// Whether `digits` (ASCII) passes the Luhn check.
  public static func luhnValid<C: Collection>(_ digits: C) -> Bool where C.Element == UInt8 {
    luhnSum(digits, hasCheckDigit: true) % 10 == 0
  }

  /// Luhn sum over ASCII digits. With `hasCheckDigit` the last digit is the check digit (not doubled).
  public static func luhnSum<C: Collection>(_ digits: C, hasCheckDigit: Bool) -> Int where C.Element == UInt8 {
    var sum = 0
    var double = !hasCheckDigit
    for b in digits.reversed() {
      var d = Int(b) - 48
      if double {
        d *= 2
        if d > 9 { d -= 9 }
      }
      sum += d
      double.toggle()
    }
    return sum
  }

  /// Whether an ASCII number starts with one of the brand's IIN ranges and has a valid length.
  public func matchesPrefix(_ number: String) -> Bool {
    ranges.contains { r in
      guard number.count >= r.digits, let p = Int(number.prefix(r.digits)) else { return false }
      return p >= r.first && p <= r.last
    }
  }
}

/// The default brand mix of the healthcare reference: Visa 55, Mastercard 30, Amex 10, Discover 5.
public let defaultBrandMix: [(String, Double)] = [("visa", 55), ("mastercard", 30), ("amex", 10), ("discover", 5)]
