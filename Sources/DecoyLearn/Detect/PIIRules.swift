/// The kinds of personal identifiers Decoy recognises in a sample, and the provider that makes
/// fresh values for each (specs/learned.md §1.3). They are never learned.
public enum PIIKind: String, Sendable, Codable, CaseIterable {
  case email, ssn, phone
  case firstName = "first_name"
  case lastName = "last_name"
  case fullName = "full_name"
  case cardNumber = "card_number"
  case cvv
  case cardExpiry = "card_expiry"
  case cardBrand = "card_brand"
  case street, city, state, zip, address
  case birthDate = "birth_date"
  case driverLicense = "driver_license"
  case ipv4, ipv6, uuid, iban, mac
  case userAgent = "user_agent"
  case username

  /// The Decoy provider that regenerates the column.
  public var provider: String {
    switch self {
    case .email: "person.email"
    case .ssn: "ssn"
    case .phone: "phone"
    case .firstName: "person.first_name"
    case .lastName: "person.last_name"
    case .fullName: "person.full_name"
    case .cardNumber: "card.number"
    case .cvv: "card.cvv"
    case .cardExpiry: "card.expiry"
    case .cardBrand: "card.brand"
    case .street: "address.street"
    case .city: "address.city"
    case .state: "address.state"
    case .zip: "address.zip"
    case .address: "address.full"
    case .birthDate: "person.birth_date"
    case .driverLicense: "driver_license"
    case .ipv4: "net.ipv4"
    case .ipv6: "net.ipv6"
    case .uuid, .iban, .mac: "uuid"
    case .userAgent: "net.user_agent"
    case .username: "person.username"
    }
  }
}

/// Name tokens and value validators for PII detection.
enum PIIRules {
  /// Lower-case alphanumerics of a column name (`First Name` → `firstname`).
  static func squashed(_ name: String) -> String {
    String(
      name.lowercased().unicodeScalars.filter {
        ($0.value >= 97 && $0.value <= 122) || ($0.value >= 48 && $0.value <= 57)
      })
  }

  /// A name's tokens: split on space, `_`, `-`, `.`, else at camelCase boundaries; lower-cased.
  static func tokens(_ name: String) -> [String] {
    var out: [String] = []
    var cur = ""
    var prevLower = false
    for ch in name {
      if ch == " " || ch == "_" || ch == "-" || ch == "." || ch == "/" {
        if !cur.isEmpty { out.append(cur) }
        cur = ""
        prevLower = false
        continue
      }
      if ch.isUppercase && prevLower && !cur.isEmpty {
        out.append(cur)
        cur = ""
      }
      cur += ch.lowercased()
      prevLower = ch.isLowercase || ch.isNumber
    }
    if !cur.isEmpty { out.append(cur) }
    return out
  }

  /// The PII kind a column name suggests, if any (SDV's substring list, its whole-token list, and
  /// Decoy's extra tokens), and whether the hint is strong enough on its own for a string column.
  static func nameHint(_ name: String) -> (kind: PIIKind, strong: Bool)? {
    let s = squashed(name)
    let t = Set(tokens(name))
    let contains: [(String, PIIKind)] = [
      ("phonenumber", .phone), ("email", .email), ("firstname", .firstName), ("lastname", .lastName),
      ("fullname", .fullName), ("surname", .lastName), ("postalcode", .zip), ("zipcode", .zip), ("postcode", .zip),
      ("streetaddress", .street), ("addressline", .street), ("line1", .street), ("ipv4", .ipv4), ("ipv6", .ipv6),
      ("ipaddress", .ipv4), ("macaddress", .mac), ("useragent", .userAgent), ("creditcard", .cardNumber),
      ("cardnumber", .cardNumber), ("licenseplate", .driverLicense), ("driverlicense", .driverLicense),
      ("driverslicense", .driverLicense), ("licence", .driverLicense), ("dateofbirth", .birthDate),
      ("birthdate", .birthDate), ("iban", .iban), ("username", .username), ("socialsecurity", .ssn),
    ]
    for (needle, kind) in contains where s.contains(needle) {
      return (kind, [.firstName, .lastName, .fullName, .street].contains(kind))
    }
    let whole: [(String, PIIKind, Bool)] = [
      ("ssn", .ssn, false), ("sin", .ssn, false), ("nino", .ssn, false), ("taxid", .ssn, false),
      ("email", .email, false), ("mail", .email, false), ("phone", .phone, false), ("mobile", .phone, false),
      ("tel", .phone, false), ("cvv", .cvv, false), ("cvc", .cvv, false), ("pan", .cardNumber, false),
      ("card", .cardNumber, false), ("expiry", .cardExpiry, false), ("city", .city, false),
      ("state", .state, false), ("province", .state, false), ("zip", .zip, false), ("dob", .birthDate, false),
      ("birth", .birthDate, false), ("ip", .ipv4, false), ("mac", .mac, false), ("passport", .driverLicense, false),
      ("license", .driverLicense, false), ("driver", .driverLicense, false), ("address", .address, true),
      ("street", .street, true), ("name", .fullName, true), ("surname", .lastName, true),
      ("account", .iban, false), ("routing", .iban, false), ("uuid", .uuid, false), ("guid", .uuid, false),
    ]
    for (token, kind, strong) in whole where t.contains(token) { return (kind, strong) }
    return nil
  }

  /// The kinds whose values a validator recognises (tried in this order).
  static let validated: [PIIKind] = [.email, .ssn, .cardNumber, .phone, .ipv4, .ipv6, .iban, .uuid]

  /// Whether a value is a plausible identifier of `kind`. `hinted`: the column name suggests the
  /// kind (needed for the weak formats: 9 bare digits for an SSN, 3–4 digits for a CVV).
  static func accepts(_ kind: PIIKind, _ b: ArraySlice<UInt8>, hinted: Bool) -> Bool {
    switch kind {
    case .email: return isEmail(b)
    case .ssn:
      if b.count == 11 {
        return b.enumerated().allSatisfy { i, c in i == 3 || i == 6 ? c == UInt8(ascii: "-") : isDigit(c) }
      }
      return hinted && b.count == 9 && b.allSatisfy(isDigit)
    case .cardNumber:
      guard b.count <= 23, b.allSatisfy({ isDigit($0) || $0 == 32 || $0 == UInt8(ascii: "-") }) else { return false }
      let digits = b.reduce(0) { $0 + (isDigit($1) ? 1 : 0) }
      return digits >= 12 && digits <= 19 && luhn(b)
    case .cvv: return hinted && (b.count == 3 || b.count == 4) && b.allSatisfy(isDigit)
    case .phone: return isPhone(b)
    case .ipv4: return isIPv4(b)
    case .ipv6: return isIPv6(b)
    case .iban: return isIBAN(b)
    case .uuid: return isUUID(b)
    default: return false
    }
  }

  static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

  static func isEmail(_ b: ArraySlice<UInt8>) -> Bool {
    guard let at = b.firstIndex(of: UInt8(ascii: "@")), at > b.startIndex, at < b.endIndex - 3 else { return false }
    let domain = b[(at + 1)...]
    guard !domain.contains(UInt8(ascii: "@")), let dot = domain.lastIndex(of: UInt8(ascii: ".")),
      dot > domain.startIndex, dot < domain.endIndex - 1
    else { return false }
    return !b.contains(32)
  }

  /// The Luhn check over the digits of `b` (other bytes skipped).
  static func luhn(_ b: ArraySlice<UInt8>) -> Bool {
    var sum = 0
    var k = 0
    for c in b.reversed() where isDigit(c) {
      defer { k += 1 }
      var d = Int(c - 48)
      if k % 2 == 1 {
        d *= 2
        if d > 9 { d -= 9 }
      }
      sum += d
    }
    return sum % 10 == 0
  }

  /// NANP: 10 digits (or 11 starting with 1), with the usual punctuation, area and exchange not
  /// starting with 0 or 1.
  static func isPhone(_ b: ArraySlice<UInt8>) -> Bool {
    // Bare 10-digit numbers without punctuation are too ambiguous unless formatted.
    guard b.count > 10, b.count <= 20, b.allSatisfy({ isDigit($0) || " ()-.+".utf8.contains($0) }) else {
      return false
    }
    // The area code's and exchange's first digits, after an optional country code 1.
    var count = 0
    var first: UInt8 = 0
    var area: UInt8 = 0
    var exchange: UInt8 = 0
    for c in b where isDigit(c) {
      if count == 0 { first = c }
      count += 1
      let k = first == 49 ? count - 1 : count  // 1-based position without the country code
      if k == 1 { area = c }
      if k == 4 { exchange = c }
    }
    guard (count == 10 && first != 49) || (count == 11 && first == 49) else { return false }
    return area >= 50 && exchange >= 50
  }

  static func isIPv4(_ b: ArraySlice<UInt8>) -> Bool {
    guard b.count >= 7, b.count <= 15, b.allSatisfy({ isDigit($0) || $0 == UInt8(ascii: ".") }) else { return false }
    let parts = b.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
    guard parts.count == 4 else { return false }
    return parts.allSatisfy { p in
      guard (1...3).contains(p.count), p.allSatisfy(isDigit) else { return false }
      if p.count > 1 && p.first == 48 { return false }
      return Int(String(decoding: p, as: UTF8.self))! <= 255
    }
  }

  static func isIPv6(_ b: ArraySlice<UInt8>) -> Bool {
    guard b.contains(UInt8(ascii: ":")), b.count >= 3, b.count <= 45 else { return false }
    let groups = b.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
    guard groups.count >= 3, groups.count <= 8 else { return false }
    return groups.allSatisfy { g in
      g.count <= 4 && g.allSatisfy { isDigit($0) || ($0 | 32 >= 97 && $0 | 32 <= 102) }
    }
  }

  static func isUUID(_ b: ArraySlice<UInt8>) -> Bool {
    guard b.count == 36 else { return false }
    return b.enumerated().allSatisfy { i, c in
      [8, 13, 18, 23].contains(i) ? c == UInt8(ascii: "-") : isDigit(c) || (c | 32 >= 97 && c | 32 <= 102)
    }
  }

  /// IBAN: two letters, two digits, up to 30 alphanumerics, mod 97 = 1 (spaces allowed).
  static func isIBAN(_ b: ArraySlice<UInt8>) -> Bool {
    guard b.count >= 15, b.count <= 42, let f = b.first, (f | 32) >= 97, (f | 32) <= 122 else { return false }
    let s = b.filter { $0 != 32 }.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 }
    guard s.count >= 15, s.count <= 34, s[0] >= 65, s[0] <= 90, s[1] >= 65, s[1] <= 90, isDigit(s[2]),
      isDigit(s[3])
    else { return false }
    let rotated = Array(s[4...]) + Array(s[..<4])
    var r = 0
    for c in rotated {
      if isDigit(c) {
        r = (r * 10 + Int(c - 48)) % 97
      } else if c >= 65 && c <= 90 {
        r = (r * 100 + Int(c - 55)) % 97
      } else {
        return false
      }
    }
    return r == 1
  }
}
