import DecoyTestSupport
import Testing

@testable import DecoyCore

/// Identifier rules of specs/identifiers.md, checked on 100,000 values each with validators
/// written here from the spec (not from the generators).
@Suite struct IdentifierProviderTests {
  let n = 100_000

  func policy(_ s: String) -> IdentifierPolicy { try! IdentifierPolicy.parse(s) }

  func digits(_ s: Substring) -> Int { Int(s)! }

  @Test func safeSSNsAreNeverIssuable() throws {
    let v = TestSupport.strings(try TestSupport.values("ssn", rows: n))
    let itinLike: (Int) -> Bool = { g in
      (50...65).contains(g) || (70...88).contains(g) || (90...92).contains(g) || (94...99).contains(g) || g == 93
        || (1...10).contains(g) || (17...19).contains(g) || (28...29).contains(g) || (37...39).contains(g)
    }
    for s in v {
      let p = s.split(separator: "-")
      #expect(p.count == 3 && p[0].count == 3 && p[1].count == 2 && p[2].count == 4, "\(s)")
      let (a, g, ser) = (digits(p[0]), digits(p[1]), digits(p[2]))
      let issuable = (1...665).contains(a) || (667...899).contains(a)
      #expect(!(issuable && g != 0 && ser != 0), "\(s) is issuable")
      #expect(!(a >= 900 && itinLike(g)), "\(s) has an IRS group")
      #expect(!["078-05-1120", "219-09-9999", "457-55-5462"].contains(s))
    }
    #expect(Set(v).count > n * 99 / 100)
  }

  @Test func formatValidSSNsUseNeverAssignedAreas() throws {
    let v = TestSupport.strings(try TestSupport.values("ssn", rows: n, identifiers: policy("ssn=format-valid")))
    for s in v {
      let p = s.split(separator: "-")
      let a = digits(p[0])
      #expect((734...749).contains(a) || (773...899).contains(a), "\(s)")
      #expect(digits(p[1]) != 0 && digits(p[2]) != 0)
    }
  }

  func luhn(_ s: String) -> Bool { TestSupport.luhn(s) }

  /// Brand rules from the spec table (independent of CardBrand).
  func brandOK(_ brand: String, _ num: String) -> Bool {
    func pre(_ k: Int) -> Int { Int(num.prefix(k))! }
    switch brand {
    case "Visa": return num.first == "4" && [13, 16, 19].contains(num.count)
    case "Mastercard": return num.count == 16 && ((51...55).contains(pre(2)) || (2221...2720).contains(pre(4)))
    case "American Express": return num.count == 15 && [34, 37].contains(pre(2))
    case "Discover":
      return num.count == 16
        && (pre(4) == 6011 || (644...649).contains(pre(3)) || pre(2) == 65 || (622126...622925).contains(pre(6)))
    default: return false
    }
  }

  func cards(_ level: String, rows: Int) throws -> [(String, String, String, String)] {
    let p = policy("card=\(level)")
    let num = TestSupport.strings(try TestSupport.values("card.number", rows: rows, identifiers: p))
    let brand = TestSupport.strings(try TestSupport.values("card.brand", rows: rows, identifiers: p))
    let cvv = TestSupport.strings(try TestSupport.values("card.cvv", rows: rows, identifiers: p))
    let exp = TestSupport.strings(
      try TestSupport.values("card.expiry", params: "{format: MM/YYYY}", rows: rows, identifiers: p))
    return (0..<rows).map { (num[$0], brand[$0], cvv[$0], exp[$0]) }
  }

  @Test func safeCardsAreBrandCorrectAndLuhnInvalidWithUniformWrongCheckDigits() throws {
    let rows = try cards("safe", rows: n)
    var wrongChecks = [Int: Int]()
    var brands = [String: Int]()
    for (num, brand, cvv, exp) in rows {
      #expect(!luhn(num), "\(num) passes Luhn")
      #expect(brandOK(brand, num), "\(brand) \(num)")
      #expect(cvv.count == (brand == "American Express" ? 4 : 3) && cvv.allSatisfy(\.isNumber))
      let parts = exp.split(separator: "/")
      let (m, y) = (Int(parts[0])!, Int(parts[1])!)
      #expect((1...12).contains(m) && (2027...2031).contains(y), "\(exp) is not after 2026-01-01 within 5 years")
      brands[brand, default: 0] += 1
      // Which wrong check digit was used: offset from the valid one.
      let body = String(num.dropLast())
      let valid = (0...9).first { luhn(body + String($0)) }!
      wrongChecks[(Int(String(num.last!))! - valid + 10) % 10, default: 0] += 1
    }
    #expect(wrongChecks[0] == nil)
    let p = 1.0 / 9
    let sigma = (Double(n) * p * (1 - p)).squareRoot()
    for k in 1...9 { #expect(abs(Double(wrongChecks[k] ?? 0) - Double(n) * p) < 4 * sigma, "offset \(k)") }
    for (b, w) in [("Visa", 55.0), ("Mastercard", 30), ("American Express", 10), ("Discover", 5)] {
      #expect(abs(Double(brands[b] ?? 0) / Double(n) * 100 - w) < 1, "\(b) share")
    }
  }

  @Test func formatValidCardsPassLuhnWithTestIINs() throws {
    let iins: Set<String> = [
      "424242", "401288", "400005", "555555", "222300", "520082", "510510", "378282", "371449",
      "601111", "601100", "601198", "305693", "362272", "356600", "620000", "620550",
    ]
    for (num, brand, _, _) in try cards("format-valid", rows: n) {
      #expect(luhn(num), "\(num)")
      #expect(brandOK(brand, num))
      #expect(iins.contains(String(num.prefix(6))))
    }
  }

  @Test func realisticCardsPassLuhn() throws {
    for (num, brand, _, _) in try cards("realistic", rows: 20_000) {
      #expect(luhn(num) && brandOK(brand, num))
    }
  }

  @Test func testPANFormUsesPublishedNumbersOnly() throws {
    let published: Set<String> = [
      "4242424242424242", "4012888888881881", "4000056655665556", "5555555555554444", "2223003122003222",
      "5200828282828210", "5105105105105100", "378282246310005", "371449635398431", "6011111111111117",
      "6011000990139424", "6011981111111113",
    ]
    let v = TestSupport.strings(try TestSupport.values("card.number", params: "{form: test-pan}", rows: 10_000))
    #expect(v.allSatisfy { published.contains($0) })
  }

  @Test func safePhonesAreInTheFictionRange() throws {
    for s in TestSupport.strings(try TestSupport.values("phone", rows: n)) {
      let b = Array(s.utf8).map { Int($0) - 48 }
      #expect(s.count == 12 && s.dropFirst(3).hasPrefix("-555-01"), "\(s)")
      #expect((2...9).contains(b[0]) && (0...8).contains(b[1]) && b[1] != b[2], "\(s)")
    }
    for s in TestSupport.strings(try TestSupport.values("phone", params: "{form: reserved-npa}", rows: 10_000)) {
      #expect(Array(s)[1] == "9", "\(s)")
    }
  }

  @Test func safeEmailsUseReservedDomains() throws {
    for s in TestSupport.strings(try TestSupport.values("person.email", rows: n)) {
      let parts = s.split(separator: "@")
      #expect(parts.count == 2)
      let domain = String(parts[1])
      let ok =
        ["example.com", "example.net", "example.org"].contains { domain == $0 || domain.hasSuffix("." + $0) }
        || domain.hasSuffix(".test") || domain.hasSuffix(".example") || domain.hasSuffix(".invalid")
      #expect(ok, "\(s)")
      #expect(parts[0].utf8.count <= 64 && s.utf8.count <= 254)
      #expect(parts[0].allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || "._-".contains($0)) }, "\(s)")
    }
  }

  @Test func emailIsDerivedFromTheName() throws {
    let first = TestSupport.strings(try TestSupport.values("person.first_name", rows: 20_000))
    let last = TestSupport.strings(try TestSupport.values("person.last_name", rows: 20_000))
    let email = TestSupport.strings(try TestSupport.values("person.email", rows: 20_000))
    func slug(_ s: String) -> String { String(s.lowercased().filter { $0.isLetter || $0.isNumber }) }
    for i in 0..<20_000 {
      let local = email[i].split(separator: "@")[0]
      #expect(local.contains(slug(first[i])) || local.contains(slug(last[i])), "\(email[i]) vs \(first[i]) \(last[i])")
    }
  }

  @Test func safeIPsAreDocumentationAddresses() throws {
    for s in TestSupport.strings(try TestSupport.values("net.ipv4", rows: n)) {
      #expect(s.hasPrefix("192.0.2.") || s.hasPrefix("198.51.100.") || s.hasPrefix("203.0.113."), "\(s)")
      let last = Int(s.split(separator: ".")[3])!
      #expect((1...254).contains(last))
    }
    for s in TestSupport.strings(try TestSupport.values("net.ipv6", rows: 10_000)) {
      #expect(s.hasPrefix("2001:db8:") && s.split(separator: ":").count == 8, "\(s)")
    }
  }

  @Test func driverLicencesFollowTheirStateRules() throws {
    let states = TestSupport.strings(try TestSupport.values("address.state", rows: n))
    let safe = TestSupport.strings(try TestSupport.values("driver_license", rows: n))
    let valid = TestSupport.strings(
      try TestSupport.values("driver_license", rows: n, identifiers: policy("license=format-valid")))
    for i in 0..<n {
      #expect(!LicenseFormats.isAccepted(safe[i], state: states[i]), "safe \(safe[i]) is a valid \(states[i]) licence")
      #expect(LicenseFormats.isGenerateFormat(valid[i], state: states[i]), "\(valid[i]) not in \(states[i]) format")
    }
  }

  @Test func licencePatternMatcher() {
    #expect(LicenseFormat("L D8").matches("A12345678"))
    #expect(!LicenseFormat("L D8").matches("A1234567"))
    #expect(LicenseFormat("D7-8").matches("1234567") && LicenseFormat("D7-8").matches("12345678"))
    #expect(LicenseFormat("=WDL A9").matches("WDL12AB34CD5"))
    #expect(LicenseFormat("L2 D6 L").matches("AB-123456-C"))
    #expect(!LicenseFormat("D9").matches("12345678A"))
  }

  @Test func realisticNeedsAnExplicitRunOption() throws {
    let yaml = """
      version: 1
      tables:
        - name: t
          rows: 3
          columns:
            - {name: ssn, provider: ssn, level: realistic}
      """
    let spec = try SpecDecoder.decode(yaml)
    let plan = try Plan(spec: spec, context: GenerationContext(seed: 1, today: CivilDate(year: 2026, month: 1, day: 1)))
    #expect(throws: DecoyError.self) { try Engine(plan: plan).generators(for: plan.tables[0]) }
    // A spec may not switch realistic on for the run either.
    #expect(throws: DecoyError.self) {
      try SpecDecoder.decode(
        "version: 1\nidentifiers: realistic\ntables: [{name: t, rows: 1, columns: [{name: a, sequence: 1}]}]")
    }
  }
}

@Suite struct UniqueIdentifierTests {
  func spec(_ provider: String, rows: Int) -> String {
    "version: 1\ntables:\n  - name: t\n    rows: \(rows)\n    columns:\n      - {name: c, provider: \(provider), unique: true}\n"
  }

  func generate(_ yaml: String) throws -> [String] {
    let spec = try SpecDecoder.decode(yaml)
    let plan = try Plan(spec: spec, context: GenerationContext(seed: 5, today: CivilDate(year: 2026, month: 1, day: 1)))
    let gen = try Engine(plan: plan).generators(for: plan.tables[0])[0]
    let n = Int(plan.tables[0].totalRows)
    let buf = ColumnBuffer(type: gen.type, capacity: n)
    gen.fill(buf, batch: BatchView(rows: 0..<UInt64(n)))
    return TestSupport.strings(buf)
  }

  @Test func allFictionPhonesAreDistinctUpToCapacityAndOneMoreFailsBeforeWriting() throws {
    let v = try generate(spec("phone", rows: 64_800))
    #expect(Set(v).count == 64_800)
    #expect(v.allSatisfy { $0.dropFirst(3).hasPrefix("-555-01") })
    #expect(throws: DecoyError.self) { try generate(spec("phone", rows: 64_801)) }
  }

  @Test func uniqueSafeSSNsAreDistinctAndSafe() throws {
    let v = try generate(spec("ssn", rows: 200_000))
    #expect(Set(v).count == 200_000)
    for s in v.prefix(20_000) {
      let p = s.split(separator: "-").map { Int($0)! }
      #expect(p[0] >= 900 && SSNRules.safeGroups.contains(p[1]) && p[2] >= 1)
    }
    #expect(SSNRules.safeCapacity == 35_996_400)
  }
}

@Suite struct CardGroupingTests {
  @Test(arguments: [
    ("4242424242424242", "4242 4242 4242 4242"), ("378282246310005", "3782 822463 10005"),
    ("36227206271667", "3622 720627 1667"), ("6205500000000000004", "6205 5000 0000 0000 004"),
  ])
  func groupsDigitsByLength(_ digits: String, _ grouped: String) {
    var out = Array("x".utf8) + Array(digits.utf8)
    CardProviders.group(&out, from: 1)
    #expect(String(decoding: out, as: UTF8.self) == "x" + grouped)
  }
}
