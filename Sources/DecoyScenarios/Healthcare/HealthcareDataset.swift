public import DecoyCore

/// `decoy generate healthcare`: the hospital dataset of specs/healthcare.md §2 as a dataset spec —
/// `patients` from Decoy's person and address providers plus scenario columns, and `visits` and
/// `billing` as child tables of `patients` whose per-patient row counts and values come from
/// ``HospitalSimulator``. Both child tables have the same count per patient, so billing row k is
/// visit row k and `billing_id = visit_id`.
public enum HealthcareDataset {
  /// The default reference date of the healthcare scenario.
  public static let defaultToday = GenerationContext.defaultToday

  /// The person provider options of every patient column: the simulator's uniform ages.
  static let ages =
    "min_age: \(HospitalSimulator.ages.lowerBound), max_age: \(HospitalSimulator.ages.upperBound), ages: uniform"

  static let patientsYAML = """
    version: 1
    name: healthcare
    description: Hospital patients, visits and bills (specs/healthcare.md). Identifiers are safe by default.
    tables:
      - name: patients
        rows: 1000
        primary_key: patient_id
        columns:
          - {name: patient_id, sequence: 1}
          - {name: first_name, provider: person.first_name, \(ages)}
          - {name: last_name, provider: person.last_name, \(ages)}
          - {name: name, provider: person.full_name, \(ages), description: First and last name without title}
          - {name: date_of_birth, provider: person.birth_date, \(ages)}
          - {name: age, provider: person.age, \(ages), description: Whole years on --today}
          - {name: phone_number, provider: phone}
          - {name: email, provider: person.email, \(ages)}
          - {name: address, provider: address.street}
          - {name: blood_type, choice: {values: [A+, A-, B+, B-, AB+, AB-, O+, O-]}}
    """

  /// The dataset for `patients` patients under `context` (seed and today fix the simulation).
  /// With `claimsExport`, the dataset also has the `claims_export` table (billing ⋈ patients).
  public static func spec(
    context: GenerationContext, patients: UInt64, claimsExport: Bool = false,
    options: HospitalSimulator.Options = .init()
  ) throws(DecoyError) -> DatasetSpec {
    var spec = try SpecDecoder.decode(patientsYAML)
    spec.seed = context.seed
    spec.today = context.today
    spec.tables[0].rows = patients
    spec.sizedBy = "--patients"
    let sim = try HospitalSimulator(context: context, options: options)
    let insurers = (0..<1_200).map(insurerName)

    // Patient columns that come from the simulation's own draws.
    func text(_ name: String, _ summary: String, _ body: @escaping @Sendable (UInt64) -> String?) -> ColumnSpec {
      var c = ColumnSpec(name: name, type: .string, summary: summary) { _ in NullableStringColumn(body) }
      c.description = summary
      return c
    }
    let titles = ["", "Mr.", "Mrs.", "Ms.", "Dr."]
    let titleStream = context.stream("patients", "title")
    spec.tables[0].columns.insert(
      text("title", "Courtesy title consistent with gender (none 25 %, Dr. 10 %)") { p in
        let u = titleStream.unit(p)
        if u < 0.25 { return nil }
        if u >= 0.90 { return titles[4] }
        return sim.sex(p) == 1 ? titles[1] : (u < 0.575 ? titles[2] : titles[3])
      }, at: 1)
    spec.tables[0].columns.insert(text("gender", "Male or Female") { p in sim.sex(p) == 1 ? "Male" : "Female" }, at: 7)
    // City, state and ZIP from one row of the ZIP table: the simulator's, so locality mode can place patients.
    @Sendable func place(_ p: UInt64, _ part: Int, to out: inout [UInt8]) {
      let row = sim.zipRow(p)
      switch part {
      case 0: sim.address.appendCity(row: row, to: &out)
      case 1: sim.address.appendState(row: row, to: &out)
      default: sim.address.appendZip(row: row, to: &out)
      }
    }
    let placeColumns = [
      ("city", "City of the patient's ZIP"), ("state", "State of the patient's ZIP"),
      ("zipcode", "5-digit ZIP (text, leading zeros kept)"),
    ]
    for (k, (name, summary)) in placeColumns.enumerated() {
      var c = ColumnSpec(name: name, type: .string, summary: summary) { _ in
        StringColumn { p, out in place(p, k, to: &out) }
      }
      c.description = summary
      spec.tables[0].columns.insert(c, at: 11 + k)
    }
    spec.tables[0].columns.append(
      text("insurance_provider", "Insurer (null for the 22 % uninsured)") { p in
        sim.insured(p) ? insurers[sim.insurer(p)] : nil
      })
    spec.tables[0].columns.append(
      text("insurance_policy_number", "Policy number, digits only (null iff uninsured)") { p in
        sim.insured(p) ? String(sim.policyNumber(p)) : nil
      })

    // Visits per patient, simulated once here: the plan, the engine and three child tables read them.
    let visitCounts = ParallelMap.map(
      Int(patients), minimumSlice: 1_024, makeState: {},
      { _, p in
        Int32(sim.visitCount(UInt64(p)))
      })
    let count = ComputedCount(summary: "1–18 visits per patient by first condition", mean: HospitalSimulator.meanVisits)
    { p in
      Int64(visitCounts[Int(p)])
    }
    typealias V = HospitalSimulator.Visit
    func col(
      _ name: String, _ type: ValueType, _ summary: String,
      _ w: @escaping @Sendable (V, UInt64, UInt64, ColumnBuffer) -> Void
    ) -> ColumnSpec {
      var c = ColumnSpec(name: name, type: type, summary: summary) { _ in
        PerParentColumn(type, key: "healthcare.visits", make: { sim.visits($0) }) { r, out in
          w(r.item, r.parent, r.row, out)
        }
      }
      c.description = summary
      return c
    }
    @Sendable func str(_ out: ColumnBuffer, _ s: String?) {
      guard let s else { return out.appendNull() }
      out.appendString(s)
    }
    let visitColumns: [ColumnSpec] = [
      col("visit_id", .int, "Sequential over patients and their visits in date order") { _, _, row, out in
        out.appendInt(Int64(row) + 1)
      },
      col("patient_id", .int, "The patient") { _, p, _, out in out.appendInt(Int64(p) + 1) },
      col("age", .int, "Whole years from date of birth to admission") { v, _, _, out in
        out.appendInt(Int64(v.ageAtVisit))
      },
      col("condition", .string, "One of 17 conditions") { v, _, _, out in
        out.appendString(Condition.all[v.condition].name)
      },
      col("severity", .string, "Normal, Mild, Moderate or Severe") { v, _, _, out in out.appendString(v.severity) },
      col("treatment", .string, "Treatment of the visit") { v, _, _, out in out.appendString(v.treatment) },
      col("medication", .string, "Drug when the treatment is Medication") { v, _, _, out in str(out, v.medication) },
      col("dosage", .string, "Dose when the treatment is Medication") { v, _, _, out in str(out, v.dosage) },
      col("frequency", .string, "How often when the treatment is Medication") { v, _, _, out in str(out, v.frequency) },
      col("test_results", .string, "Positive, Negative or Inconclusive") { v, _, _, out in
        out.appendString(v.testResult)
      },
      col("doctor", .string, "A doctor who works at the visit's hospital") { v, _, _, out in
        out.appendString(sim.doctors[v.doctor].name)
      },
      col("hospital", .string, "The patient's hospital") { v, _, _, out in
        out.appendString(sim.hospitals[v.hospital].name)
      },
      col("hospital_state", .string, "State of the hospital") { v, _, _, out in
        sim.address.appendState(row: sim.hospitals[v.hospital].zipRow, to: &out.bytes)
        out.endString()
      },
      col("hospital_zipcode", .string, "ZIP of the hospital") { v, _, _, out in
        sim.address.appendZip(row: sim.hospitals[v.hospital].zipRow, to: &out.bytes)
        out.endString()
      },
      col("room_number", .int, "1–2000") { v, _, _, out in out.appendInt(Int64(v.room)) },
      col("date_of_admission", .date, "On or after birth and 2022-01-01; admission + stay ≤ --today") { v, _, _, out in
        out.appendInt(v.admission)
      },
      col("date_of_discharge", .date, "Admission + length of stay") { v, _, _, out in out.appendInt(v.discharge) },
      col("follow_up_required", .string, "Y for the 8 follow-up conditions or age ≥ 70 at the visit") { v, _, _, out in
        out.appendString(v.followUp ? "Y" : "N")
      },
    ]
    var visits = TableSpec(
      name: "visits", rows: nil, parent: ParentSpec(table: "patients", count: .computed(count)), columns: visitColumns)
    visits.primaryKey = "visit_id"
    visits.columns[1].reference = ("patients", "patient_id")
    visits.columns.insert(
      try parentColumns("[{name: name, provider: person.full_name, \(ages), of: parent}]")[0], at: 2)
    visits.columns.insert(
      col("gender", .string, "Gender of the patient") { _, p, _, out in
        out.appendString(sim.sex(p) == 1 ? "Male" : "Female")
      }, at: 4)

    let billingColumns: [ColumnSpec] = [
      col("billing_id", .int, "Equals visit_id") { _, _, row, out in out.appendInt(Int64(row) + 1) },
      col("visit_id", .int, "The visit billed") { _, _, row, out in out.appendInt(Int64(row) + 1) },
      col("patient_id", .int, "The patient") { _, p, _, out in out.appendInt(Int64(p) + 1) },
      col("billing_date", .date, "Admission + 0–5 days, not after --today") { v, _, _, out in
        out.appendInt(v.billingDate)
      },
      col("insurance_coverage_amount", .int, "Share paid by the insurer (0 if uninsured, ≥ 1 if insured)") {
        v, _, _, out in out.appendInt(v.coverage)
      },
      col("patient_responsibility_amount", .int, "total_charge − coverage") { v, _, _, out in
        out.appendInt(v.responsibility)
      },
      col("payment_plan", .string, "Full or Incremental") { v, _, _, out in
        out.appendString(v.incremental ? "Incremental" : "Full")
      },
      col("expected_payment_date", .date, "Billing date + 30 (Full) or + 365 (Incremental)") { v, _, _, out in
        out.appendInt(v.expected)
      },
      col("actual_payment_date", .date, "When paid, as of --today (null while unpaid)") { v, _, _, out in
        if let a = v.actual { out.appendInt(a) } else { out.appendNull() }
      },
      col("payment_status", .string, "Paid, Late-Paid, Late-Unpaid or In-progress as of --today") { v, _, _, out in
        out.appendString(v.status)
      },
      col("total_charge", .int, "Charge after the escalation rescale (at least 87)") { v, _, _, out in
        out.appendInt(v.total)
      },
    ]
    var billing = TableSpec(
      name: "billing", rows: nil, parent: ParentSpec(table: "patients", count: .computed(count)),
      columns: billingColumns)
    billing.primaryKey = "billing_id"
    billing.columns[1].reference = ("visits", "visit_id")
    billing.columns[2].reference = ("patients", "patient_id")
    spec.tables.append(visits)
    spec.tables.append(billing)

    // The claims export (§3): billing ⋈ patients, one row per bill, written only by `claims-breach`.
    var claims = TableSpec(
      name: "claims_export", rows: nil, parent: ParentSpec(table: "patients", count: .computed(count)),
      columns: billingColumns)
    claims.columns += try parentColumns(
      """
      [{name: name, provider: person.full_name, \(ages), of: parent},
       {name: date_of_birth, provider: person.birth_date, \(ages), of: parent},
       {name: address, provider: address.street, of: parent}]
      """)
    for (k, (name, summary)) in placeColumns.enumerated() {
      claims.columns.append(
        col(name, .string, summary) { _, p, _, out in
          place(p, k, to: &out.bytes)
          out.endString()
        })
    }
    claims.columns.append(
      col("insurance_provider", .string, "Insurer (null if uninsured)") { _, p, _, out in
        str(out, sim.insured(p) ? insurers[sim.insurer(p)] : nil)
      })
    claims.columns.append(
      col("insurance_policy_number", .string, "Policy number (null if uninsured)") { _, p, _, out in
        str(out, sim.insured(p) ? String(sim.policyNumber(p)) : nil)
      })
    // The patient's phone: the patients column's own generator, run for the parent row.
    let phone = spec.tables[0].columns.first { $0.name == "phone_number" }!
    let parentPhone = ColumnSpec.repeating(
      phone, of: "patients", as: "phone_number", summary: "The patient's phone number")
    claims.columns.append(parentPhone)
    claims.primaryKey = "billing_id"
    if claimsExport { spec.tables.append(claims) }
    return spec
  }

  /// Provider columns of a child of `patients` (YAML flow list) that describe the patient.
  static func parentColumns(_ yaml: String) throws(DecoyError) -> [ColumnSpec] {
    try ParentColumns.decode(parent: "patients", yaml).child
  }

  /// One of 1,200 synthetic insurer names ("<word> <word> <kind>").
  static func insurerName(_ k: Int) -> String {
    let first = [
      "Keystone", "Harborview", "Summit", "Prairie", "Lakeshore", "Pinecrest", "Riverbend", "Clearwater", "Sunridge",
      "Oakmont",
      "Bluestem", "Granite", "Silverleaf", "Northgate", "Meridian", "Cedar", "Beacon", "Redwood", "Maple", "Ironwood",
    ]
    let middle = [
      "Valley", "State", "Family", "Union", "Heritage", "Coastal", "Central", "Mutual", "Pioneer", "Liberty",
    ]
    let kind = [
      "Health Plan", "Insurance Company", "Health Partners", "Benefit Company", "Assurance, Inc.", "Care Plan",
    ]
    return "\(first[k % 20]) \(middle[(k / 20) % 10]) \(kind[(k / 200) % 6])"
  }
}

/// A string column from a per-row closure that may return null.
struct NullableStringColumn: ColumnGenerator {
  let type = ValueType.string
  let body: @Sendable (UInt64) -> String?

  init(_ body: @escaping @Sendable (UInt64) -> String?) { self.body = body }

  func fill(_ out: ColumnBuffer, batch: BatchView) {
    for row in batch.rows {
      if let s = body(row) { out.appendString(s) } else { out.appendNull() }
    }
  }
}
