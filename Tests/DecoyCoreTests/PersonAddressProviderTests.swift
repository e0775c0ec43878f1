import DecoyTestSupport
import Foundation
import Testing

@testable import DecoyCore

@Suite struct PersonAddressProviderTests {
  let n = 100_000

  static var zipTable: [String: (String, String)] { TestSupport.zipTable }

  @Test func zipCityAndStateAgreeOnEveryRow() throws {
    let zip = TestSupport.strings(try TestSupport.values("address.zip", rows: n))
    let city = TestSupport.strings(try TestSupport.values("address.city", rows: n))
    let state = TestSupport.strings(try TestSupport.values("address.state", rows: n))
    for i in 0..<n {
      #expect(zip[i].count == 5 && zip[i].allSatisfy(\.isNumber))
      guard let (c, s) = Self.zipTable[zip[i]] else {
        Issue.record("unknown ZIP \(zip[i])")
        continue
      }
      #expect(c == city[i] && s == state[i], "\(zip[i]) \(city[i]) \(state[i])")
    }
    // Population weighting: California (most populous) is the most frequent state.
    var counts: [String: Int] = [:]
    for s in state { counts[s, default: 0] += 1 }
    #expect(counts.max { $0.value < $1.value }?.key == "CA")
    #expect(counts.count == 51)
  }

  @Test func titlesAndFirstNamesAgreeWithSex() throws {
    let sex = TestSupport.strings(try TestSupport.values("person.sex", rows: n))
    let title = TestSupport.strings(try TestSupport.values("person.title", rows: n))
    let first = TestSupport.strings(try TestSupport.values("person.first_name", rows: n))
    let data = ReferenceData.shared
    var femaleNames = Set<String>()
    var maleNames = Set<String>()
    for d in 0..<data.decadeCount {
      for r in data.firstNameRows(sex: 0, decadeIndex: d) { femaleNames.insert(data.firstNames[Int(r)]) }
      for r in data.firstNameRows(sex: 1, decadeIndex: d) { maleNames.insert(data.firstNames[Int(r)]) }
    }
    var females = 0
    for i in 0..<n {
      if sex[i] == "F" {
        females += 1
        #expect(["Ms.", "Mrs.", "Miss", "Dr."].contains(title[i]), "\(title[i]) for F")
        #expect(femaleNames.contains(first[i]))
      } else {
        #expect(sex[i] == "M")
        #expect(["Mr.", "Dr."].contains(title[i]), "\(title[i]) for M")
        #expect(maleNames.contains(first[i]))
      }
    }
    let share = Double(females) / Double(n)
    #expect(abs(share - 0.505) < 4 * (0.25 / Double(n)).squareRoot())
  }

  @Test func birthDatesAgreeWithAgesAndToday() throws {
    let today = CivilDate(year: 2026, month: 12, day: 2)
    let dob = try TestSupport.values("person.birth_date", rows: n, today: today)
    let age = try TestSupport.values("person.age", rows: n, today: today)
    for i in 0..<n {
      let b = CivilDate(dayNumber: dob.ints[i])
      var years = today.year - b.year
      if (today.month, today.day) < (b.month, b.day) { years -= 1 }
      #expect(Int64(years) == age.ints[i], "\(b) age \(age.ints[i])")
      #expect((18...90).contains(years))
    }
  }

  @Test func surnameTopTenShareMatchesTheSource() throws {
    let last = TestSupport.strings(try TestSupport.values("person.last_name", rows: n))
    let data = ReferenceData.shared
    let total = data.surnameWeights.reduce(0, +)
    let top10 = (0..<10).map { data.surnames[$0] }
    let expected = data.surnameWeights.prefix(10).reduce(0, +) / total
    let observed = Double(last.filter { top10.contains($0) }.count) / Double(n)
    #expect(abs(observed - expected) < 4 * (expected * (1 - expected) / Double(n)).squareRoot())
    #expect(top10[0] == "Smith")
  }

  @Test func bloodTypeFrequencies() throws {
    let v = TestSupport.strings(try TestSupport.values("blood_type", rows: n))
    let oPos = Double(v.filter { $0 == "O+" }.count) / Double(n)
    #expect(abs(oPos - 0.374) < 0.01)
    #expect(Set(v) == ["O+", "O-", "A+", "A-", "B+", "B-", "AB+", "AB-"])
  }

  @Test func civilDateRoundTrips() {
    for d in stride(from: Int64(-800_000), through: 800_000, by: 37) {
      #expect(CivilDate(dayNumber: d).dayNumber == d)
    }
    #expect(CivilDate(year: 1970, month: 1, day: 1).dayNumber == 0)
    #expect(CivilDate(year: 2000, month: 3, day: 1).dayNumber == 11_017)
    #expect(CivilDate(iso: "2023-02-29") == nil)
    #expect(CivilDate(iso: "2024-02-29") != nil)
  }
}
