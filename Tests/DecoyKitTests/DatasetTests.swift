import DecoyTestSupport
import Foundation
import Testing

@testable import DecoyCore
@testable import DecoyKit

/// Property tests of the built-in PCI and employee datasets on 100,000 rows.
@Suite struct DatasetTests {
  static let today = CivilDate(year: 2026, month: 12, day: 2)

  /// Rows of a built-in dataset as dictionaries (these datasets never need CSV quoting: checked).
  func rows(_ name: String, identifiers: String? = nil, n: UInt64 = 100_000) throws -> [[String: String]] {
    let dir = NSTemporaryDirectory() + "decoy-ds-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var job = GenerateJob(
      spec: try SpecSource.load(name), today: Self.today,
      identifiers: try identifiers.map { s throws(DecoyError) in try IdentifierPolicy.parse(s) },
      destination: .directory(dir))
    job.rows = n
    let summary = try job.run()
    let text = try String(contentsOfFile: summary.files[0].path, encoding: .utf8)
    #expect(!text.contains("\""))
    let lines = text.split(separator: "\n")
    let header = lines[0].split(separator: ",").map(String.init)
    return lines.dropFirst().map { line in
      let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      return Dictionary(uniqueKeysWithValues: zip(header, cells))
    }
  }

  func luhn(_ s: String) -> Bool { TestSupport.luhn(s) }

  func checkPCI(_ r: [String: String], luhnValid: Bool) {
    let num = r["card_number"]!
    let brand = r["card_brand"]!
    #expect(luhn(num) == luhnValid, "\(num)")
    let lengths = ["Visa": 16, "Mastercard": 16, "American Express": 15, "Discover": 16]
    #expect(num.count == lengths[brand], "\(brand) \(num)")
    #expect(r["cvv"]!.count == (brand == "American Express" ? 4 : 3) && r["cvv"]!.allSatisfy(\.isNumber))
    let exp = r["expiration"]!.split(separator: "/").map { Int($0)! }
    #expect(exp.count == 2 && (1...12).contains(exp[0]))
    #expect(2000 + exp[1] > Self.today.year, "\(r["expiration"]!) is not after \(Self.today)")
    #expect(r["billing_zip"]!.count == 5)
  }

  @Test func pciSafeAndFormatValid() throws {
    let zips = TestSupport.zipTable
    for r in try rows("pci") {
      checkPCI(r, luhnValid: false)
      let (city, state) = zips[r["billing_zip"]!]!
      #expect(city == r["billing_city"] && state == r["billing_state"])
      #expect(!(r["cardholder_name"]!.isEmpty))
    }
    for r in try rows("pci", identifiers: "card=format-valid", n: 20_000) { checkPCI(r, luhnValid: true) }
  }

  @Test func employeesAreConsistent() throws {
    var formatValid = try rows("employees", identifiers: "license=format-valid", n: 20_000)
    for r in formatValid {
      #expect(
        LicenseFormats.isGenerateFormat(r["driver_license"]!, state: r["state"]!),
        "\(r["driver_license"]!) \(r["state"]!)")
    }
    formatValid.removeAll()
    let all = try rows("employees")
    var ssns = Set<String>()
    for r in all {
      #expect(!LicenseFormats.isAccepted(r["driver_license"]!, state: r["state"]!))
      let birth = CivilDate(iso: r["date_of_birth"]!)!
      let hire = CivilDate(iso: r["hire_date"]!)!
      var eighteen = birth
      eighteen.year += 18
      if eighteen.month == 2 && eighteen.day == 29 { eighteen.day = 28 }
      #expect(hire >= eighteen && hire <= Self.today, "born \(birth), hired \(hire)")
      var age = Self.today.year - birth.year
      if (Self.today.month, Self.today.day) < (birth.month, birth.day) { age -= 1 }
      #expect((18...67).contains(age))
      let local = r["work_email"]!.split(separator: "@")
      #expect(local[1] == "corp.example.com")
      let first = r["first_name"]!.lowercased().filter(\.isLetter)
      let last = r["last_name"]!.lowercased().filter { $0.isLetter || $0.isNumber }
      #expect(local[0].contains(first) || local[0].contains(last), "\(r["work_email"]!)")
      #expect(r["user_id"]!.hasPrefix(String(first.prefix(1)) + last))
      #expect(["Female", "Male"].contains(r["gender"]!))
      #expect(["O+", "O-", "A+", "A-", "B+", "B-", "AB+", "AB-"].contains(r["blood_group"]!))
      ssns.insert(r["ssn"]!)
      // Title, band and salary agree with the department and level tables.
      let dept = JobModel.departments.first { $0.name == r["department"] }!
      let title = r["job_title"]!
      #expect(
        title == "Director of \(dept.name)" || dept.roles.contains { title.hasSuffix($0) }, "\(title) in \(dept.name)")
      let level = JobModel.levels.first { $0.band == r["salary_band"] }!
      let salary = Double(r["salary"]!)!
      #expect(salary >= Double(level.low) && salary <= Double(level.high))
    }
    #expect(ssns.count == all.count)
  }
}

@Suite struct DataDictionaryTests {
  @Test func everyBuiltInColumnIsDescribedWithCategoryAndLevel() throws {
    for (name, _, _) in BuiltInSpecs.all {
      let spec = try SpecSource.load(name)
      let dict = DataDictionary(spec: spec)
      #expect(dict.entries.count == spec.tables.reduce(0) { $0 + $1.columns.count })
      #expect(dict.entries.allSatisfy { !$0.description.isEmpty })
      // Every identifier column is reported safe by default; non-identifiers say n/a.
      for (e, c) in zip(dict.entries, spec.tables.flatMap(\.columns)) {
        #expect(e.safetyLevel == (c.identifierKind == nil ? "n/a" : "safe"), "\(name).\(e.column)")
      }
      let json = try JSONSerialization.jsonObject(with: Data(dict.json.utf8)) as! [String: Any]
      #expect((json["columns"] as! [Any]).count == dict.entries.count)
      #expect(dict.markdown.contains("| column | type | description | PII category | safety level | null rate |"))
    }
    let employees = DataDictionary(spec: try SpecSource.load("employees"))
    #expect(employees.entries.first { $0.column == "ssn" }?.pii == "government id")
    #expect(employees.entries.first { $0.column == "salary" }?.pii == "employment")
  }
}
