import DecoyTestSupport
import Foundation
import Testing

@testable import DecoyCore
@testable import DecoyIO
@testable import DecoyKit
@testable import DecoyScenarios

/// The hospital dataset (specs/healthcare.md §7, items 3–14) checked on every row of a generated
/// dataset, read back from its CSV files.
@Suite struct HealthcareTests {
  static let today = CivilDate(year: 2025, month: 10, day: 14)

  /// Generates `patients` patients as CSV and returns the three tables as header-keyed rows.
  static func generate(
    patients: UInt64, seed: UInt64 = 42, threads: Int = 2, batch: Int = 32_768,
    hospital: HospitalSimulator.Options = .init()
  ) throws -> [String: [[String: String]]] {
    let dir = NSTemporaryDirectory() + "decoy-hc-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let spec = try SpecSource.load("healthcare", seed: seed, today: today, rows: patients, hospital: hospital)
    var job = GenerateJob(spec: spec, seed: seed, today: today, format: .csv, destination: .directory(dir))
    job.engine = Engine.Options(threads: threads, batchSize: batch)
    _ = try job.run()
    var out: [String: [[String: String]]] = [:]
    for t in ["patients", "visits", "billing"] {
      let reader = try CSVReaderForTests(path: "\(dir)/\(t).csv")
      out[t] = reader.rows
    }
    return out
  }

  static func day(_ s: String) -> Int64 { CivilDate(iso: s)!.dayNumber }

  /// Whole years from one YYYY-MM-DD date to another, from the text (independent of the simulator's own).
  static func wholeYears(_ from: String, _ to: String) -> Int {
    let a = from.split(separator: "-").map { Int($0)! }
    let b = to.split(separator: "-").map { Int($0)! }
    return b[0] - a[0] - ((b[1], b[2]) < (a[1], a[2]) ? 1 : 0)
  }

  @Test func everyVisitAndBillHoldsTheSpecRules() throws {
    let data = try Self.generate(patients: 4000)
    let patients = data["patients"]!
    let visits = data["visits"]!
    let billing = data["billing"]!
    #expect(patients.count == 4000)
    #expect(visits.count == billing.count, "one bill per visit")
    let today = Self.today.dayNumber
    var byPatient: [String: [[String: String]]] = [:]
    for v in visits { byPatient[v["patient_id"]!, default: []].append(v) }
    let dob = Dictionary(uniqueKeysWithValues: patients.map { ($0["patient_id"]!, Self.day($0["date_of_birth"]!)) })
    let dobText = Dictionary(uniqueKeysWithValues: patients.map { ($0["patient_id"]!, $0["date_of_birth"]!) })
    let gender = Dictionary(uniqueKeysWithValues: patients.map { ($0["patient_id"]!, $0["gender"]!) })
    let insured = Dictionary(
      uniqueKeysWithValues: patients.map { ($0["patient_id"]!, !$0["insurance_provider"]!.isEmpty) })
    let conditions = Dictionary(uniqueKeysWithValues: Condition.all.map { ($0.name, $0) })
    var followUps = 0
    var followUpOnes = 0
    for (k, v) in visits.enumerated() {
      #expect(Int(v["visit_id"]!) == k + 1, "visit ids contiguous from 1")
      let pid = v["patient_id"]!
      let admission = Self.day(v["date_of_admission"]!)
      let discharge = Self.day(v["date_of_discharge"]!)
      let birth = dob[pid]!
      #expect(birth <= admission && admission <= discharge && discharge <= today, "DOB ≤ admission ≤ discharge ≤ today")
      #expect(admission >= Self.day("2022-01-01"))
      let age = Self.wholeYears(dobText[pid]!, v["date_of_admission"]!)
      #expect(Int(v["age"]!) == age, "age at the visit")
      let c = try #require(conditions[v["condition"]!])
      if c.adultOnly { #expect(age >= 18, "adult-only condition at \(age)") }
      if c.name == "Childbirth" { #expect(gender[pid] == "Female" && (25...50).contains(age)) }
      #expect((v["medication"]!.isEmpty) == (v["treatment"]! != "Medication"), "medication iff treatment is Medication")
      if !v["medication"]!.isEmpty { #expect(c.medications.contains(v["medication"]!)) }
      #expect((v["follow_up_required"]! == "Y") == (c.needsFollowUp || age >= 70))
      let los = Int(discharge - admission)
      let isNew = k == 0 || visits[k - 1]["patient_id"] != pid || visits[k - 1]["condition"] != v["condition"]
      if isNew && admission > birth {
        #expect(c.stay.contains(los), "\(c.name) stay \(los)")
      } else if !isNew {
        followUps += 1
        if los == 1 { followUpOnes += 1 }
        #expect(los == 1 || los == 2 || discharge == today || admission == birth)
      }
      let severity = v["severity"]!
      if c.severityByCoin {
        #expect(isNew ? (severity == "Mild" || severity == "Moderate") : severity == "Normal")
      } else {
        #expect(severity == (los >= 7 ? "Severe" : los >= 4 ? "Moderate" : los >= 1 ? "Mild" : "Normal"))
      }
      let b = billing[k]
      #expect(b["billing_id"] == v["visit_id"] && b["visit_id"] == v["visit_id"] && b["patient_id"] == pid)
      let billed = Self.day(b["billing_date"]!)
      let expected = Self.day(b["expected_payment_date"]!)
      #expect(admission <= billed && billed <= today)
      #expect(expected - billed == (b["payment_plan"] == "Full" ? 30 : 365))
      let total = Int(b["total_charge"]!)!
      let cover = Int(b["insurance_coverage_amount"]!)!
      let resp = Int(b["patient_responsibility_amount"]!)!
      #expect(cover + resp == total && total >= 87)
      #expect(insured[pid]! ? cover >= 1 : cover == 0)
      let status = b["payment_status"]!
      if let actualText = b["actual_payment_date"], !actualText.isEmpty {
        let actual = Self.day(actualText)
        #expect(actual <= today && actual >= billed)
        if status == "Paid" {
          #expect(actual >= expected - 5 && actual <= expected)
        } else {
          #expect(status == "Late-Paid" && actual > expected && actual <= expected + 119)
        }
      } else {
        #expect(status == (today >= expected ? "Late-Unpaid" : "In-progress"))
      }
    }
    for (_, vs) in byPatient {
      #expect((1...18).contains(vs.count))
      #expect(Set(vs.map { $0["condition"]! }).count <= 3)
      #expect(vs.filter { $0["treatment"] == "Bypass Surgery" }.count <= 1)
      var perYear: [String: Int] = [:]
      for v in vs where v["condition"] == "Flu" || v["condition"] == "Pneumonia" {
        perYear[v["condition"]! + v["date_of_admission"]!.prefix(4), default: 0] += 1
      }
      #expect(perYear.values.allSatisfy { $0 <= 3 })
    }
    // Follow-up stays: P(1 day) = 0.85 within 4σ.
    let p = Double(followUpOnes) / Double(followUps)
    let sigma = (0.85 * 0.15 / Double(followUps)).squareRoot()
    #expect(abs(p - 0.85) <= 4 * sigma + 0.01, "follow-up one-day share \(p)")
    // Insured share 0.78, gender 0.5, blood types 1/8 within 4σ.
    let n = Double(patients.count)
    let ins = Double(patients.filter { !$0["insurance_provider"]!.isEmpty }.count) / n
    #expect(abs(ins - 0.78) <= 4 * (0.78 * 0.22 / n).squareRoot())
    #expect(patients.allSatisfy { ($0["insurance_provider"]!.isEmpty) == ($0["insurance_policy_number"]!.isEmpty) })
    #expect(patients.allSatisfy { $0["insurance_policy_number"]!.allSatisfy(\.isNumber) })
    #expect(patients.allSatisfy { $0["zipcode"]!.count == 5 })
    for t in ["Mr.": "Male", "Mrs.": "Female", "Ms.": "Female"] {
      #expect(
        patients.filter { $0["title"] == t.key }.allSatisfy { $0["gender"] == t.value },
        "title \(t.key) agrees with gender")
    }
  }

  /// §7.17: the claims export has one row per bill and every value equals its source.
  @Test func claimsExportIsBillingJoinedWithPatients() throws {
    let data = try Self.generate(patients: 600)
    let dir = NSTemporaryDirectory() + "decoy-cb-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var job = ClaimsBreachJob(directory: dir, seed: 42, today: Self.today)
    job.patients = 600
    let summary = try job.run()
    let claims = try CSVReaderForTests(path: job.exportPath).rows
    let billing = data["billing"]!
    #expect(claims.count == billing.count && summary.rows == billing.count)
    let patients = Dictionary(uniqueKeysWithValues: data["patients"]!.map { ($0["patient_id"]!, $0) })
    let header = try String(contentsOfFile: job.exportPath, encoding: .utf8).prefix { $0 != "\n" }
    #expect(
      header
        == "billing_id,visit_id,patient_id,billing_date,insurance_coverage_amount,patient_responsibility_amount,payment_plan,expected_payment_date,actual_payment_date,payment_status,total_charge,name,date_of_birth,address,city,state,zipcode,insurance_provider,insurance_policy_number,phone_number"
    )
    for (c, b) in zip(claims, billing) {
      for (k, v) in b { #expect(c[k] == v, "\(k)") }
      let p = try #require(patients[c["patient_id"]!])
      for k in [
        "name", "date_of_birth", "address", "city", "state", "zipcode", "insurance_provider", "insurance_policy_number",
        "phone_number",
      ] {
        #expect(c[k] == p[k], "\(k) of patient \(c["patient_id"]!)")
      }
    }
    #expect(FileManager.default.fileExists(atPath: job.enrichedPath))
  }

  /// §7 item 13: calibration against the reference generator at P = 20,000 with default parameters.
  @Test func calibrationMatchesTheReference() throws {
    let data = try Self.generate(patients: 20_000)
    let visits = data["visits"]!
    let billing = data["billing"]!
    let n = Double(visits.count)
    let stays = visits.map { Self.day($0["date_of_discharge"]!) - Self.day($0["date_of_admission"]!) }
    let meanStay = Double(stays.reduce(0, +)) / n
    #expect(abs(meanStay - 1.85) <= 0.10, "mean stay \(meanStay)")
    let sameDay = Double(stays.filter { $0 == 0 }.count) / n * 100
    #expect(abs(sameDay - 7.0) <= 1.0, "same-day \(sameDay) %")
    for (severity, reference) in [("Mild", 64.8), ("Normal", 19.5), ("Moderate", 9.6), ("Severe", 6.1)] {
      let share = Double(visits.filter { $0["severity"] == severity }.count) / n * 100
      #expect(abs(share - reference) <= 2, "\(severity) \(share) %")
    }
    let medication = Double(visits.filter { $0["treatment"] == "Medication" }.count) / n * 100
    #expect(abs(medication - 24.2) <= 2, "Medication \(medication) %")
    let followUp = Double(visits.filter { $0["follow_up_required"] == "Y" }.count) / n * 100
    #expect(abs(followUp - 58.5) <= 2, "follow-up \(followUp) %")
    let totals = billing.map { Int($0["total_charge"]!)! }.sorted()
    let median = Double(totals[totals.count / 2] + totals[(totals.count - 1) / 2]) / 2
    #expect(abs(median - 4_582) <= 458.2, "median total \(median)")
  }

  /// §7 item 16: single-hospital mode has one hospital; locality mode keeps `local-share` of the
  /// patients in the hospital's state; every (zipcode, city, state) exists in the ZIP table.
  @Test func singleHospitalAndLocalityModes() throws {
    var single = HospitalSimulator.Options()
    single.singleHospital = true
    single.hospitalName = "Saint Decoy Hospital"
    let a = try Self.generate(patients: 800, hospital: single)
    #expect(Set(a["visits"]!.map { $0["hospital"]! }) == ["Saint Decoy Hospital"])
    var local = HospitalSimulator.Options()
    local.hospitalState = "NY"
    local.localShare = 0.7
    let b = try Self.generate(patients: 5000, hospital: local)
    let patients = b["patients"]!
    let inState = Double(patients.filter { $0["state"] == "NY" }.count) / Double(patients.count)
    #expect(abs(inState - 0.7) <= 4 * (0.7 * 0.3 / Double(patients.count)).squareRoot(), "in-state share \(inState)")
    #expect(
      Set(b["visits"]!.map { $0["hospital_state"]! }) == ["NY"] && Set(b["visits"]!.map { $0["hospital"]! }).count == 1)
    for p in patients + a["patients"]! {
      let known = try #require(TestSupport.zipTable[p["zipcode"]!], "ZIP \(p["zipcode"]!) exists")
      #expect(known.0 == p["city"]! && known.1 == p["state"]!)
    }
  }

  @Test func sameSeedSameFilesWhateverThreadsAndBatches() throws {
    let a = try Self.generate(patients: 300, threads: 1, batch: 7)
    let b = try Self.generate(patients: 300, threads: 2, batch: 1000)
    #expect(a == b)
    let c = try Self.generate(patients: 300, seed: 43)
    #expect(a["visits"]! != c["visits"]!)
  }
}

/// Reads a CSV file into header-keyed rows with DecoyIO's reader (checked against Python elsewhere).
struct CSVReaderForTests {
  let rows: [[String: String]]
  init(path: String) throws {
    let r = try CSVReader(path: path)
    _ = try r.next()
    let header = (0..<r.fields.count).map { r.string($0) }
    var rows: [[String: String]] = []
    while try r.next() {
      var row: [String: String] = [:]
      for (i, h) in header.enumerated() { row[h] = r.string(i) }
      rows.append(row)
    }
    self.rows = rows
  }
}
