/// The latent payment card behind a row: brand, number, security code and expiry, recomputed from
/// the same streams by every card column so that brand, prefix, length and CVV length agree.
public struct CardModel: Sendable {
  /// Safe forms of §8.2.
  public enum SafeForm: String, Sendable {
    case luhnInvalid = "luhn-invalid"
    case testPAN = "test-pan"
  }

  public let brands: [CardBrand]
  let brandAlias: AliasTable
  let rangeAliases: [AliasTable]
  let iinValues: [[UInt64]]
  let level: IdentifierLevel
  let form: SafeForm
  let brandStream: RandomStream
  let numberStream: RandomStream
  let cvvStream: RandomStream
  let expiryStream: RandomStream
  let todayYear: Int

  public init(
    context: GenerationContext, table: String, entity: String, mix: [(String, Double)], level: IdentifierLevel,
    form: SafeForm
  ) {
    brands = mix.map { CardBrand.named($0.0)! }
    brandAlias = AliasTable(weights: mix.map(\.1))
    rangeAliases = brands.map { AliasTable(weights: $0.ranges.map(\.weight)) }
    iinValues = brands.map { $0.testIINs.map { UInt64($0)! } }
    self.level = level
    self.form = form
    let base = context.stream(table, "entity:" + entity)
    brandStream = base.derive("brand")
    numberStream = base.derive("number")
    cvvStream = base.derive("cvv")
    expiryStream = base.derive("expiry")
    todayYear = context.today.year
  }

  /// Index into ``brands``.
  @inline(__always)
  public func brandIndex(_ i: UInt64) -> Int { brandStream.pick(brandAlias, i) }

  /// Identifies ``brandIndex(_:)`` for ``BatchCache``: the brand stream and the mix.
  public var brandKey: UInt64 {
    var k = brandStream.key
    for (b, w) in zip(brands, brandAlias.weights) { k = StableHash.combine(k, StableHash.string(b.key) ^ w.bitPattern) }
    return k
  }

  /// Appends the card number's digits.
  @inline(__always)
  public func appendNumber(_ i: UInt64, to out: inout [UInt8]) { appendNumber(brand: brandIndex(i), i, to: &out) }

  /// Appends the digits of a card of brand `bi` (index into ``brands``).
  @inline(__always)
  public func appendNumber(brand bi: Int, _ i: UInt64, to out: inout [UInt8]) {
    let brand = brands[bi]
    let s = numberStream
    if level == .safe && (form == .testPAN || !brand.luhnRequired) {
      out.append(contentsOf: brand.testPANs[Int(s.below(UInt64(brand.testPANs.count), i, 0))].utf8)
      return
    }
    // Prefix and body are drawn as integers, written as digits into a small stack buffer, and
    // the Luhn sum is taken over that buffer (no allocation, no generic collection walks).
    var prefix: UInt64
    var prefixDigits: Int
    if level == .formatValid {
      let iins = iinValues[bi]
      prefix = iins[Int(s.below(UInt64(iins.count), i, 0))]
      prefixDigits = 6
    } else {
      let r = brand.ranges[s.pick(rangeAliases[bi], i, 0)]
      prefix = UInt64(r.first) + s.below(UInt64(r.last - r.first + 1), i, 1)
      prefixDigits = r.digits
    }
    let bodyLength = brand.length - 1 - prefixDigits
    var body = s.below(CardModel.powersOfTen[bodyLength], i, 2)
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buf in
      let n = brand.length
      var k = n - 2
      for _ in 0..<bodyLength {
        buf[k] = UInt8(body % 10)
        body /= 10
        k -= 1
      }
      for _ in 0..<prefixDigits {
        buf[k] = UInt8(prefix % 10)
        prefix /= 10
        k -= 1
      }
      // Luhn: from the digit left of the check digit, double every second digit.
      var sum = 0
      var double = true
      var j = n - 2
      while j >= 0 {
        var d = Int(buf[j])
        if double {
          d &*= 2
          if d > 9 { d -= 9 }
        }
        sum &+= d
        double.toggle()
        j -= 1
      }
      let valid = (10 - sum % 10) % 10
      // Safe: one of the nine wrong check digits, uniformly (no "+5" tell).
      buf[n - 1] = UInt8(level == .safe ? (valid + 1 + Int(s.below(9, i, 3))) % 10 : valid)
      for j in 0..<n { buf[j] &+= 48 }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[0..<n]))
    }
  }

  static let powersOfTen: [UInt64] = (0...19).map { k in (0..<k).reduce(1) { acc, _ in acc * 10 } }

  /// Appends the security code: uniform digits, 4 for Amex, 3 otherwise.
  @inline(__always)
  public func appendCVV(_ i: UInt64, to out: inout [UInt8]) { appendCVV(brand: brandIndex(i), i, to: &out) }

  /// Appends the security code of a card of brand `bi`.
  @inline(__always)
  public func appendCVV(brand bi: Int, _ i: UInt64, to out: inout [UInt8]) {
    let n = brands[bi].cvvLength
    ValueFormatter.appendPadded(Int64(cvvStream.below(n == 4 ? 10_000 : 1000, i)), width: n, to: &out)
  }

  /// Expiry (month, year): year today+1…today+5, or today−5…today−1 when `expired`.
  @inline(__always)
  public func expiry(_ i: UInt64, expired: Bool) -> (month: Int, year: Int) {
    let m = 1 + Int(expiryStream.below(12, i, 0))
    let y =
      expired ? todayYear - 5 + Int(expiryStream.below(5, i, 1)) : todayYear + 1 + Int(expiryStream.below(5, i, 1))
    return (m, y)
  }
}

enum CardProviders {
  struct Options: Sendable {
    var entity = "card"
    var ofParent = false
    var mix = defaultBrandMix
    var level: IdentifierLevel?
    var form = CardModel.SafeForm.luhnInvalid

    init(_ r: inout MapReader) {
      if let e = r.string("entity") { entity = e }
      if let of = r.oneOf("of", ["row", "parent"]) { ofParent = of == "parent" }
      level = r.level()
      if let f = r.oneOf("form", ["luhn-invalid", "test-pan"]) { form = CardModel.SafeForm(rawValue: f)! }
      if let n = r.node("brands") {
        var m = MapReader(n, path: r.sub("brands"), issues: r.issues)
        var mix: [(String, Double)] = []
        let keys = CardBrand.all.map(\.key)
        for k in m.keys {
          guard keys.contains(k) else { continue }
          if let w = m.double(k) {
            if w < 0 {
              r.issues.add(m.sub(k), "brand weight must not be negative", at: m.mark)
            } else {
              mix.append((k, w))
            }
          }
        }
        m.finish()
        if mix.reduce(0, { $0 + $1.1 }) <= 0 {
          r.issues.add(
            r.sub("brands"), "brand weights must have a positive sum",
            hint: "e.g. {visa: 55, mastercard: 30, amex: 10, discover: 5}", at: n.mark)
        } else {
          self.mix = mix
        }
      }
    }

    func model(_ b: ColumnBuildContext) throws(DecoyError) -> (CardModel, EntityIndexing) {
      let level = try b.level(.card, override: level)
      return (
        CardModel(
          context: b.context, table: ofParent ? b.entityTable : b.table, entity: entity, mix: mix, level: level,
          form: form),
        ofParent ? .parent : .row
      )
    }
  }

  static let common: [(name: String, help: String)] = [
    ("brands", "brand weights, e.g. {visa: 55, mastercard: 30, amex: 10, discover: 5} (the default)"),
    ("level", "safe (Luhn-invalid or test numbers), format-valid or realistic"),
    ("form", "safe form: luhn-invalid (default) or test-pan"),
    ("entity", "name of the card when a row holds several (default card)"), ("of", "row (default) or parent"),
  ]

  static let all: [ProviderDefinition] = [
    ProviderDefinition(
      "card.number", "card number with the brand's IIN and length; safe = Luhn-invalid", type: .string,
      parameters: common + [("grouping", "digits (default) or spaced (4-4-4-4, Amex 4-6-5)")], identifier: .card
    ) { r in
      let o = Options(&r)
      let spaced = r.oneOf("grouping", ["digits", "spaced"]) == "spaced"
      return { b throws(DecoyError) in
        let (m, ix) = try o.model(b)
        return LatentStringColumn(indexing: ix, key: m.brandKey, latent: { Int64(m.brandIndex($0)) }) { bi, i, out in
          let start = out.count
          m.appendNumber(brand: Int(bi), i, to: &out)
          if spaced { CardProviders.group(&out, from: start) }
        }
      }
    },
    ProviderDefinition(
      "card.brand", "brand name (Visa, Mastercard, American Express, …)", type: .string, parameters: common,
      identifier: .card
    ) { r in
      let o = Options(&r)
      return { b throws(DecoyError) in
        let (m, ix) = try o.model(b)
        let names = StringTable(m.brands.map(\.display))
        return LatentStringColumn(indexing: ix, key: m.brandKey, latent: { Int64(m.brandIndex($0)) }) { bi, _, out in
          names.append(Int(bi), to: &out)
        }
      }
    },
    ProviderDefinition(
      "card.cvv", "security code: 4 digits for Amex, 3 otherwise", type: .string, parameters: common, identifier: .card
    ) { r in
      let o = Options(&r)
      return { b throws(DecoyError) in
        let (m, ix) = try o.model(b)
        return LatentStringColumn(indexing: ix, key: m.brandKey, latent: { Int64(m.brandIndex($0)) }) { bi, i, out in
          m.appendCVV(brand: Int(bi), i, to: &out)
        }
      }
    },
    ProviderDefinition(
      "card.expiry", "expiry MM/YY one to five years after --today", type: .string,
      parameters: common + [
        ("format", "MM/YY (default) or MM/YYYY"), ("expired", "true for dates in the past (negative tests)"),
      ],
      identifier: .card
    ) { r in
      let o = Options(&r)
      let long = r.oneOf("format", ["MM/YY", "MM/YYYY"]) == "MM/YYYY"
      let expired = r.bool("expired") ?? false
      return { b throws(DecoyError) in
        let (m, ix) = try o.model(b)
        return StringColumn(indexing: ix) { i, out in
          let (mo, y) = m.expiry(i, expired: expired)
          ValueFormatter.appendPadded(Int64(mo), width: 2, to: &out)
          out.append(UInt8(ascii: "/"))
          ValueFormatter.appendPadded(Int64(long ? y : y % 100), width: long ? 4 : 2, to: &out)
        }
      }
    },
  ]

  /// Inserts group spaces into the digits appended since `start` (16: 4-4-4-4, 15: 4-6-5, 14: 4-6-4,
  /// 19: 4-4-4-4-3), working backwards in place so nothing is allocated.
  static func group(_ out: inout [UInt8], from start: Int) {
    let n = out.count - start
    // Cut positions (digit counts before each space), at most four.
    let cuts: (Int, Int, Int, Int) = n == 15 || n == 14 ? (4, 10, 0, 0) : n == 19 ? (4, 8, 12, 16) : (4, 8, 12, 0)
    let spaces = cuts.3 > 0 ? 4 : cuts.2 > 0 ? 3 : 2
    out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: spaces))
    var src = start + n - 1
    var dst = out.count - 1
    var remaining = spaces
    func cut(_ k: Int) -> Int {
      switch k {
      case 0: cuts.0
      case 1: cuts.1
      case 2: cuts.2
      default: cuts.3
      }
    }
    while src >= start {
      out[dst] = out[src]
      dst -= 1
      if remaining > 0 && src - start == cut(remaining - 1) {
        out[dst] = UInt8(ascii: " ")
        dst -= 1
        remaining -= 1
      }
      src -= 1
    }
  }

}
