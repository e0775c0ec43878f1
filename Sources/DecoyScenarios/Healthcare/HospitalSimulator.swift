public import DecoyCore
import Foundation

/// The hospital dataset's scenario logic (specs/healthcare.md §2, with the fixes of §6): the
/// hospital and doctor pools, and each patient's visit history with its bills, as a pure function
/// of (seed, patient index). Patients are simulated independently, so any batch of patients can be
/// generated on any thread and the output never depends on threads or batch sizes.
public struct HospitalSimulator: Sendable {
  /// Dataset parameters.
  public struct Options: Sendable {
    /// Base chance of a same-day stay for minor and chronic conditions.
    public var minorSameDayRate = 0.425
    public var hospitals = 250
    public var doctors = 1_200
    /// First admission date considered.
    public var firstAdmission = CivilDate(year: 2022, month: 1, day: 1)
    /// Every visit at one hospital (`hospitalName`, else the pool's first).
    public var singleHospital = false
    public var hospitalName: String?
    /// Locality mode (implies a single hospital): the hospital's state and optionally its ZIP.
    public var hospitalState: String?
    public var hospitalZip: String?
    /// Share of patients living in the hospital's state.
    public var localShare = 0.83
    /// Catchment: the in-state ZIPs numerically closest to the hospital's (at least 10).
    public var localTopN = 600
    /// Catchment weight exp(−|zip − hospital zip| / decay), × 2.5 within the hospital's 3-digit prefix.
    public var localDecay = 300.0
    /// Share of out-of-state patients from neighbouring states (defined for NY only, as the reference).
    public var outstateNeighborShare = 0.6
    public init() {}
  }

  /// Locality mode, resolved against the ZIP table.
  struct Locality: Sendable {
    let state: Int
    let catchment: [Int]
    let catchmentAlias: AliasTable
    let neighbours: [Int]
    let others: [Int]
  }

  /// A hospital of the pool.
  public struct Hospital: Sendable {
    public var name: String
    public var zipRow: Int
    public var state: Int
    let sameDayBias: Double
    let lateMultiplier: Double
    let chargeMultiplier: Double
  }

  /// A doctor of the pool.
  public struct Doctor: Sendable {
    public var name: String
    let style: Double
    let rxBias: Double
  }

  /// One visit with its bill.
  public struct Visit: Sendable {
    public var condition: Int
    public var severity: String
    public var treatment: String
    public var medication: String?
    public var dosage: String?
    public var frequency: String?
    public var testResult: String
    public var doctor: Int
    public var hospital: Int
    public var room: Int
    public var admission: Int64
    public var discharge: Int64
    public var ageAtVisit: Int
    public var followUp: Bool
    // Billing
    public var billingDate: Int64
    public var coverage: Int64
    public var responsibility: Int64
    public var total: Int64
    public var incremental: Bool
    public var expected: Int64
    public var actual: Int64?
    public var status: String
  }

  public let context: GenerationContext
  public let options: Options
  public let person: PersonModel
  public let address: AddressModel
  public let hospitals: [Hospital]
  public let doctors: [Doctor]
  /// Doctors working at each hospital (every hospital has at least one).
  let staff: [[Int]]
  /// Hospitals per state index.
  /// Hospitals of each state (index: state).
  let hospitalsByState: [[Int]]
  let history: RandomStream
  /// Streams of the patient-level draws outside the visit history (derived once).
  let countStream: RandomStream, localityStream: RandomStream, hospitalStream: RandomStream
  let insuranceStream: RandomStream
  let today: Int64
  /// The one hospital of single-hospital and locality mode.
  let onlyHospital: Int?
  let locality: Locality?

  public static let table = "patients"
  /// Patients' ages on the reference date, uniform (the names, birth dates and sexes follow them).
  public static let ages = 0...90

  /// "<City> <kind>", the city of the hospital's ZIP row.
  static func hospitalName(_ address: AddressModel, zip: Int, _ kind: String) -> String {
    var name: [UInt8] = []
    address.appendCity(row: zip, to: &name)
    return String(decoding: name, as: UTF8.self).capitalized + " " + kind
  }

  public init(context: GenerationContext, options: Options = Options()) throws(DecoyError) {
    for (name, share) in [
      ("--local-share", options.localShare), ("--outstate-neighbor-share", options.outstateNeighborShare),
      ("--minor-same-day-rate", options.minorSameDayRate),
    ] where !(0...1).contains(share) {
      throw .usage("\(name) must be between 0 and 1, got \(share)", hint: nil)
    }
    guard options.localDecay > 0 else { throw .usage("--local-decay must be positive", hint: nil) }
    self.context = context
    self.options = options
    person = PersonModel(
      context: context, table: HospitalSimulator.table, entity: "person", minAge: HospitalSimulator.ages.lowerBound,
      maxAge: HospitalSimulator.ages.upperBound, uniformAges: true)
    address = AddressModel(context: context, table: HospitalSimulator.table, entity: "address")
    history = context.stream(HospitalSimulator.table, "history")
    insuranceStream = context.stream(HospitalSimulator.table, "insurance")
    (countStream, localityStream, hospitalStream) = (
      history.derive("count"), history.derive("locality"), history.derive("hospital")
    )
    today = context.today.dayNumber

    let hs = context.stream("hospitals", "profile")
    let hAddress = AddressModel(context: context, table: "hospitals", entity: "address")
    let kinds = [
      "General Hospital", "Memorial Hospital", "Regional Medical Center", "Community Hospital", "Medical Center",
    ]
    var pool: [Hospital] = []
    for h in 0..<options.hospitals {
      let i = UInt64(h)
      let zip = hAddress.zipRow(i)
      let title = HospitalSimulator.hospitalName(hAddress, zip: zip, kinds[Int(hs.below(UInt64(kinds.count), i, 0))])
      pool.append(
        Hospital(
          name: title, zipRow: zip, state: hAddress.stateIndex(row: zip),
          sameDayBias: min(0.15, max(-0.15, hs.normal(mean: 0, sd: 0.075, i, 1))),
          lateMultiplier: min(1.5, max(0.7, hs.logNormal(mu: 0, sigma: 0.25, i, 2))),
          chargeMultiplier: hs.uniform(0.9, 1.2, i, 3)))
    }
    let data = ReferenceData.shared
    var resolved: Locality?
    if let code = options.hospitalState {
      guard let state = data.stateCodeList.firstIndex(of: code.uppercased()) else {
        throw .usage("--hospital-state '\(code)' is not a US state code", hint: "use a two-letter code such as NY")
      }
      let inState = data.zipCodes.indices.filter { Int(data.zipStates[$0]) == state && data.zipWeights[$0] > 0 }
      var hospitalZip: Int
      if let z = options.hospitalZip {
        guard let zipValue = Int32(z), let row = inState.first(where: { data.zipCodes[$0] == zipValue }) else {
          throw .usage(
            "--hospital-zipcode \(z) is not a ZIP code of \(code.uppercased())",
            hint: "give a 5-digit ZIP of the hospital's state")
        }
        hospitalZip = row
      } else {
        let s = context.stream("hospitals", "locality")
        let hundred = inState.filter { data.zipCodes[$0] / 100 == 100 }  // 100xx, as the reference prefers
        let from = hundred.isEmpty ? inState : hundred
        hospitalZip = from[Int(s.below(UInt64(from.count), 0))]
      }
      let hz = Int(data.zipCodes[hospitalZip])
      let near = inState.sorted { (abs(Int(data.zipCodes[$0]) - hz), $0) < (abs(Int(data.zipCodes[$1]) - hz), $1) }
        .prefix(max(10, options.localTopN))
      let weights = near.map { r -> Double in
        let z = Int(data.zipCodes[r])
        return exp(-Double(abs(z - hz)) / options.localDecay) * (z / 100 == hz / 100 ? 2.5 : 1)
      }
      let neighbourCodes = code.uppercased() == "NY" ? ["NJ", "CT", "PA", "MA", "VT", "NH", "RI"] : []
      let neighbourStates = Set(neighbourCodes.compactMap { data.stateCodeList.firstIndex(of: $0) })
      let outside = data.zipCodes.indices.filter { Int(data.zipStates[$0]) != state && data.zipWeights[$0] > 0 }
      resolved = Locality(
        state: state, catchment: Array(near), catchmentAlias: AliasTable(weights: weights),
        neighbours: outside.filter { neighbourStates.contains(Int(data.zipStates[$0])) }, others: outside)
      pool[0].zipRow = hospitalZip
      pool[0].state = state
      if options.hospitalName == nil {
        pool[0].name = HospitalSimulator.hospitalName(hAddress, zip: hospitalZip, kinds[0])
      }
    }
    if let name = options.hospitalName { pool[0].name = name }
    locality = resolved
    onlyHospital = options.singleHospital || resolved != nil ? 0 : nil
    hospitals = pool
    var byState = [[Int]](repeating: [], count: ReferenceData.shared.stateCodeList.count)
    for (k, h) in pool.enumerated() { byState[h.state].append(k) }
    hospitalsByState = byState

    let ds = context.stream("doctors", "profile")
    let dPerson = PersonModel(context: context, table: "doctors", entity: "person", minAge: 30, maxAge: 70)
    var docs: [Doctor] = []
    var staff = [[Int]](repeating: [], count: options.hospitals)
    for d in 0..<options.doctors {
      let i = UInt64(d)
      var name: [UInt8] = Array("Dr. ".utf8)
      dPerson.appendFullName(i, to: &name)
      docs.append(
        Doctor(
          name: String(decoding: name, as: UTF8.self), style: min(0.15, max(-0.15, ds.normal(mean: 0, sd: 0.07, i, 0))),
          rxBias: min(0.10, max(-0.10, ds.normal(mean: 0, sd: 0.05, i, 1)))))
      // 1–3 hospitals without replacement; the first cycles through the pool so every hospital has staff.
      var works = [d % options.hospitals]
      let k = 1 + Int(ds.below(3, i, 2))
      var draw: UInt32 = 3
      while works.count < min(k, options.hospitals) {
        let h = Int(ds.below(UInt64(options.hospitals), i, draw))
        draw += 1
        if !works.contains(h) { works.append(h) }
      }
      for h in works { staff[h].append(d) }
    }
    doctors = docs
    self.staff = staff
  }

  // MARK: Patient-level facts

  /// 0 female, 1 male.
  public func sex(_ p: UInt64) -> Int { person.sex(p) }
  public func birthDay(_ p: UInt64) -> Int64 { person.birthDay(p) }
  /// Insured with probability 0.78.
  public func insured(_ p: UInt64) -> Bool { insuranceStream.unit(p, 0) < 0.78 }
  /// The insurer (uniform over 1,200 synthetic names) and a policy number of 4–9 digits.
  public func insurer(_ p: UInt64) -> Int { Int(insuranceStream.below(1_200, p, 1)) }
  public func policyNumber(_ p: UInt64) -> Int64 {
    let digits = insuranceStream.unit(p, 2) < 0.88 ? 9 : 4 + Int(insuranceStream.below(5, p, 3))
    var lo: Int64 = 1
    for _ in 1..<digits { lo *= 10 }
    return lo + Int64(insuranceStream.below(UInt64(lo * 9), p, 4))
  }

  /// Whole years from `birth` to `day`.
  static func age(from birth: Int64, to day: Int64) -> Int {
    let b = CivilDate(dayNumber: birth)
    let d = CivilDate(dayNumber: day)
    var a = d.year - b.year
    if (d.month, d.day) < (b.month, b.day) { a -= 1 }
    return max(0, a)
  }

  /// Row of the patient's ZIP in the ZIP table: population-weighted, or in locality mode local with
  /// `localShare` (catchment weights), else a neighbour state's or any other state's ZIP.
  public func zipRow(_ p: UInt64) -> Int {
    guard let l = locality else { return address.zipRow(p) }
    let s = localityStream
    if s.unit(p, 0) < options.localShare { return l.catchment[s.pick(l.catchmentAlias, p, 1)] }
    let useNeighbour = !l.neighbours.isEmpty && s.unit(p, 2) < options.outstateNeighborShare
    let from = useNeighbour ? l.neighbours : l.others
    return from[Int(s.below(UInt64(from.count), p, 3))]
  }

  /// The patient's hospital: the only one in single-hospital mode, else one in the patient's state
  /// when there is one, else any.
  func hospital(_ p: UInt64) -> Int {
    if let h = onlyHospital { return h }
    let state = address.stateIndex(p)
    let local = hospitalsByState[state]
    let pick = hospitalStream
    return local.isEmpty ? Int(pick.below(UInt64(hospitals.count), p)) : local[Int(pick.below(UInt64(local.count), p))]
  }

  /// First condition and visit count (cheap: used for every patient when planning row counts).
  func firstConditionAndCount(_ p: UInt64) -> (Int, Int) {
    var r = Draws(s: countStream, i: p)
    let age = HospitalSimulator.age(from: birthDay(p), to: today)
    let sex = sex(p)
    let weights = Condition.all.map { $0.eligible(age: age, sex: sex) ? $0.weight : 0 }
    let first = r.weighted(weights)
    let complex = Condition.all[first].category == .complex
    let bucket = r.weighted(complex ? [30, 30, 25, 15] : [52, 28, 15, 5])
    let ranges = [1...3, 4...7, 8...12, 13...18]
    return (first, r.int(ranges[bucket]))
  }

  /// Visits of patient `p`.
  public func visitCount(_ p: UInt64) -> Int { firstConditionAndCount(p).1 }

  /// Dosage, frequency and test-result values (drawn uniformly).
  static let insulinDoses = ["5 units", "10 units", "20 units"]
  static let insulinFrequencies = ["once daily", "twice daily", "before meals", "at bedtime"]
  static let doses = ["5 mg", "10 mg", "20 mg", "25 mg", "50 mg", "100 mg"]
  static let frequencies = ["once daily", "twice daily", "every 8 hours", "with food", "as needed"]
  static let testResults = ["Positive", "Negative", "Inconclusive"]

  /// Analytic mean visits per patient (for batch sizing).
  public static let meanVisits = 5.3

  // MARK: The history

  /// The patient's visits in admission order, with bills.
  public func visits(_ p: UInt64) -> [Visit] {
    let (first, n) = firstConditionAndCount(p)
    var r = Draws(s: history, i: p)
    let birth = birthDay(p)
    let sex = sex(p)
    let insured = insured(p)
    let hospitalIndex = hospital(p)
    let hospital = hospitals[hospitalIndex]
    let staff = staff[hospitalIndex]
    let start = max(options.firstAdmission.dayNumber, birth)
    let span = UInt64(max(0, today - start) + 1)
    var days = (0..<n).map { _ in start + Int64(r.below(Int(span))) }
    days.sort()
    let cap = r.weighted([55, 35, 10]) + 1
    var had: [Int] = []
    var visits: [Visit] = []
    var childbirthEpisodes = 0
    var bypass = false
    var respiratory: [Int: Int] = [:]  // (condition * 10_000 + year) → visits; lookups only
    var doctor = staff[0]
    var prevCharge = 0.0
    var firstCharge = 0.0
    for (k, day) in days.enumerated() {
      let age = HospitalSimulator.age(from: birth, to: day)
      var c: Int
      // Conditions are eligible at the visit's age (the first was drawn at today's age, so an early
      // first visit of a young patient may need another).
      let eligibleNow = Condition.all.map { $0.eligible(age: age, sex: sex) ? $0.weight : 0 }
      if k == 0 {
        c = Condition.all[first].eligible(age: age, sex: sex) ? first : r.weighted(eligibleNow)
      } else {
        let prev = visits[k - 1]
        let repeatP =
          prev.severity == "Severe" || prev.severity == "Moderate" ? 0.75 : prev.severity == "Mild" ? 0.5 : 0.4
        if r.chance(repeatP) && Condition.all[prev.condition].eligible(age: age, sex: sex) {
          c = prev.condition
        } else {
          var w = eligibleNow
          if had.count >= cap { for j in w.indices where !had.contains(j) { w[j] = 0 } }
          if w.allSatisfy({ $0 == 0 }) { w = eligibleNow }
          c = r.weighted(w)
        }
      }
      // Flu and Pneumonia: at most 3 visits per calendar year; Childbirth: at most 2 episodes.
      let year = CivilDate(dayNumber: day).year
      let flu = Condition.flu
      let pneumonia = Condition.pneumonia
      let birthIndex = Condition.childbirth
      if c == flu || c == pneumonia, respiratory[c * 10_000 + year, default: 0] >= 3 {
        let others = had.filter { $0 != flu && $0 != pneumonia && Condition.all[$0].eligible(age: age, sex: sex) }
        c = others.isEmpty ? Condition.allergies : others[r.below(others.count)]
      }
      let newEpisode = k == 0 || visits[k - 1].condition != c
      if c == birthIndex && newEpisode {
        if childbirthEpisodes >= 2 {
          c = had.first { $0 != birthIndex && Condition.all[$0].eligible(age: age, sex: sex) } ?? Condition.allergies
        } else {
          childbirthEpisodes += 1
        }
      }
      if c == flu || c == pneumonia { respiratory[c * 10_000 + year, default: 0] += 1 }
      if !had.contains(c) { had.append(c) }
      let cond = Condition.all[c]
      let isNew = k == 0 || visits[k - 1].condition != c
      if isNew { doctor = staff[r.below(staff.count)] }
      let doc = doctors[doctor]
      // Length of stay.
      var los: Int
      if isNew {
        los = r.int(cond.stay)
        if cond.sameDayCapable && cond.stay.lowerBound == 0 {
          let base = cond.category == .minor || cond.category == .chronic ? options.minorSameDayRate : 0.20
          if r.chance(min(0.95, max(0, base + hospital.sameDayBias + doc.style))) { los = 0 }
        }
      } else {
        los = r.chance(0.85) ? 1 : 2
      }
      // All dates on or before today: admission ≤ today − LOS, and never before birth.
      var admission = min(day, today - Int64(los))
      if admission < birth {
        admission = birth
        los = Int(min(Int64(los), today - birth))
      }
      let discharge = admission + Int64(los)
      // Severity.
      let severity: String
      if cond.severityByCoin {
        severity = isNew ? (r.chance(0.5) ? "Mild" : "Moderate") : "Normal"
      } else {
        severity = los >= 7 ? "Severe" : los >= 4 ? "Moderate" : los >= 1 ? "Mild" : "Normal"
      }
      // Treatment.
      var treatment: String
      if cond.isChildbirth && !isNew {
        treatment = ["Postpartum Checkup", "Monitoring", "Lactation Support"][r.weighted([0.6, 0.3, 0.1])]
      } else {
        let options = [cond.treatments.0, cond.treatments.1, "Monitoring"]
        var w = isNew ? [0.70, 0.26, severity == "Normal" || severity == "Mild" ? 0.04 : 0] : [0.50, 0.20, 0.30]
        for j in 0..<2 where options[j] == "Medication" { w[j] = max(0, w[j] + doc.rxBias) }
        treatment = options[r.weighted(w)]
      }
      if treatment == "Bypass Surgery" {
        if bypass { treatment = r.chance(0.6) ? "Medication" : "Monitoring" }
        bypass = true
      }
      var medication: String?
      var dosage: String?
      var frequency: String?
      if treatment == "Medication" && !cond.medications.isEmpty {
        let drug = cond.medications[r.below(cond.medications.count)]
        medication = drug
        if drug.hasPrefix("Insulin") {
          dosage = HospitalSimulator.insulinDoses[r.below(3)]
          frequency = HospitalSimulator.insulinFrequencies[r.below(4)]
        } else {
          dosage = HospitalSimulator.doses[r.below(6)]
          frequency = HospitalSimulator.frequencies[r.below(5)]
        }
      } else if treatment == "Medication" {
        treatment = "Monitoring"
      }
      let test = HospitalSimulator.testResults[r.below(3)]
      let room = r.int(1...2000)
      let visitAge = HospitalSimulator.age(from: birth, to: admission)
      // Base charge.
      var charge: Double
      if isNew {
        charge = (Double(r.int(cond.chargeRange)) * hospital.chargeMultiplier).rounded(.towardZero)
        firstCharge = charge
      } else {
        let decays = cond.category == .complex || cond.category == .chronic || cond.category == .depression
        var f = decays ? r.uniform(0.6, 0.9) : r.uniform(0.3, 0.7)
        if r.chance(0.18) { f = r.uniform(1.05, 1.15) }
        charge = (min((prevCharge * f).rounded(.towardZero), firstCharge) * hospital.chargeMultiplier).rounded(
          .towardZero)
      }
      prevCharge = charge
      let total = HospitalSimulator.total(charge: charge, days: max(1, Int(discharge - admission)))
      // Coverage on the final total (fix 8): insured ⇒ at least 1; coverage + responsibility = total.
      var coverage: Int64 = 0
      if insured {
        let rate = r.chance(0.35) ? r.uniform(0.4, 0.7) : r.uniform(0.6, 0.9)
        coverage = max(1, Int64((Double(total) * rate).rounded(.towardZero)))
      }
      let billingDate = min(admission + Int64(r.int(0...5)), today)
      var pIncremental = charge >= 20_000 ? 0.8 : charge >= 8_000 ? 0.6 : 0.4
      if !insured { pIncremental = min(0.95, pIncremental + 0.15) }
      let incremental = r.chance(pIncremental)
      let expected = billingDate + (incremental ? 365 : 30)
      // Status with as-of semantics (fix 7).
      var pOnTime = insured ? 0.45 : 0.30
      var pLate = min(0.35, max(0.05, cond.latePaidBase))
      if !insured && charge > 10_000 {
        pLate = min(0.50, max(0.05, pLate + 0.10))
        pOnTime = max(0.05, pOnTime - 0.05)
      }
      let unpaid0 = min(0.65, max(0.02, cond.unpaidBase * hospital.lateMultiplier * (insured ? 0.9 : 1.5)))
      let pUnpaid = min(max(0.05, 1 - pOnTime - pLate), max(0.02, unpaid0))
      let outcome = r.weighted([pOnTime, pLate, pUnpaid])
      var actual: Int64? =
        outcome == 0 ? expected - Int64(r.int(0...5)) : outcome == 1 ? expected + Int64(r.int(1...119)) : nil
      if let a = actual, a > today { actual = nil }
      let status =
        actual != nil ? (outcome == 0 ? "Paid" : "Late-Paid") : (today >= expected ? "Late-Unpaid" : "In-progress")
      visits.append(
        Visit(
          condition: c, severity: severity, treatment: treatment, medication: medication, dosage: dosage,
          frequency: frequency, testResult: test, doctor: doctor, hospital: hospitalIndex, room: room,
          admission: admission, discharge: discharge,
          ageAtVisit: visitAge, followUp: cond.needsFollowUp || visitAge >= 70, billingDate: billingDate,
          coverage: coverage,
          responsibility: total - coverage, total: total, incremental: incremental, expected: expected, actual: actual,
          status: status))
    }
    return visits
  }

  /// The wrapper's escalation rescale (§2.5): numpy-style half-to-even rounding.
  static func total(charge c: Double, days l: Int) -> Int64 {
    let days = Double(l)
    let daily = max(40, (0.85 * c / days).rounded(.toNearestOrEven))
    let base = max(20, (0.10 * c).rounded(.toNearestOrEven))
    let esc = l > 1 ? max(10, (2 * (c - base - daily * days) / (days * (days - 1))).rounded(.toNearestOrEven)) : 0
    return Int64(max(87, (base + daily * days + esc * days * (days - 1) / 2).rounded(.toNearestOrEven)))
  }
}
