import DecoyCore
import DecoyScenarios

/// The patient and row selections of the enrichment (specs/healthcare.md §4.3–4.5), made between
/// the two passes from keyed hashes. Row keys are billing ids, or "billing_id|row" when ids repeat.
/// The hashes go through the batch SHA-256 kernel; the selections run side by side on the cores.
struct EnrichSelections {
  var full: [Bool] = []
  var blank: [Bool] = []
  /// Patients whose card shows on some row (the eligible patients: each keeps at least one row).
  var cardPatients: [Bool] = []
  var keepCard: [Bool] = []
  var brandNull: [Bool] = []
  var nullName: [Bool] = []
  var nullDOB: [Bool] = []
  var nullAddress: [Bool] = []
  var nullSSNFull: [Bool] = []
  var nullSSNLast4: [Bool] = []

  typealias Rates = (card: Double, name: Double, dob: Double, address: Double, ssnFull: Double, ssnLast4: Double)

  init(
    input: EnrichInput, hash: BreachHash, rates: Rates, pSSNFull: Double, pSSNLast4Blank: Double,
    pCardPatientLeak: Double,
    pBrandNull: Double, uniqueBillingIDs: Bool, threads: Int
  ) {
    let n = input.rows
    let rowSuffix: [Int64]? = uniqueBillingIDs ? nil : (0..<n).map { Int64($0) }
    // The patient and card selections (one chain) and the five row-level nulls are independent
    // tasks of about the same size: each hashes on one core, the tasks spread over the cores, so
    // no core waits while another sorts out a selection. Every task's result depends only on its
    // keys, never on which core ran it.
    let header = input.header
    let rowNulls: [(salt: String, p: Double, used: Bool)] = [
      ("null_name_row", rates.name, header.contains("name")),
      ("null_dob_row", rates.dob, header.contains("date_of_birth")),
      (
        "null_address_row", rates.address,
        header.contains(where: { ["address", "city", "state", "zipcode"].contains($0) })
      ),
      ("null_ssn_full_row", rates.ssnFull, true),
      ("null_ssn_last4_row", rates.ssnLast4, true),
    ]
    let hasher = KeyHasher(hash: hash, threads: 1)
    nonisolated(unsafe) var chain: PatientChain?
    nonisolated(unsafe) var nulls = [[Bool]](repeating: [], count: rowNulls.count)
    nulls.withUnsafeMutableBufferPointer { out in
      nonisolated(unsafe) let out = out
      let task: @Sendable (Int) -> Void = { t in
        if t == 0 {
          chain = PatientChain(
            input: input, hasher: hasher, rowSuffix: rowSuffix, cardRowNull: rates.card, pSSNFull: pSSNFull,
            pSSNLast4Blank: pSSNLast4Blank, pCardPatientLeak: pCardPatientLeak, pBrandNull: pBrandNull)
        } else if rowNulls[t - 1].used {
          out[t - 1] = BreachSelection.select(
            units: hasher.units(rowNulls[t - 1].salt, input.bids, rowSuffix), p: rowNulls[t - 1].p)
        }
      }
      ParallelMap.slices(1 + rowNulls.count, threads: threads, minimumSlice: 1) { r in r.forEach(task) }
    }
    let c = chain!
    (full, blank, cardPatients, keepCard, brandNull) = (c.full, c.blank, c.eligible, c.keepCard, c.brandNull)
    (nullName, nullDOB, nullAddress, nullSSNFull, nullSSNLast4) = (nulls[0], nulls[1], nulls[2], nulls[3], nulls[4])
  }

  /// The patient selections (§4.3, §4.5 step 2) and the card rows that depend on them.
  private struct PatientChain {
    var full: [Bool] = []
    var blank: [Bool] = []
    var eligible: [Bool] = []
    var keepCard: [Bool] = []
    var brandNull: [Bool] = []

    init(
      input: EnrichInput, hasher: KeyHasher, rowSuffix: [Int64]?, cardRowNull: Double, pSSNFull: Double,
      pSSNLast4Blank: Double,
      pCardPatientLeak: Double, pBrandNull: Double
    ) {
      let n = input.rows
      let patients = input.patients
      // Row keys of a subset of rows.
      func rowUnits(_ salt: String, _ rows: [Int]) -> [UInt64] {
        hasher.units(salt, rows.map { input.bids[$0] }, rowSuffix.map { s in rows.map { s[$0] } })
      }
      let pids = input.patientIDs
      full = BreachSelection.smallest(
        units: hasher.units("pick_ssn_full", pids, nil),
        count: min(patients, BreachHash.exactCount(pSSNFull, patients)))
      let nonFull = (0..<patients).filter { !full[$0] }
      let blankAmongNonFull = BreachSelection.smallest(
        units: hasher.units("pick_ssn_last4_blank", nonFull.map { pids[$0] }, nil),
        count: min(nonFull.count, BreachHash.exactCount(pSSNLast4Blank, patients)))
      blank = [Bool](repeating: false, count: patients)
      for (j, p) in nonFull.enumerated() where blankAmongNonFull[j] { blank[p] = true }
      eligible = BreachSelection.smallest(
        units: hasher.units("pick_card_patient_leak", pids, nil),
        count: BreachHash.exactCount(pCardPatientLeak, patients))

      // Card rows: kept iff eligible and u ≥ p; each eligible patient keeps at least its best forced row.
      keepCard = [Bool](repeating: false, count: n)
      var patientHasCard = [Bool](repeating: false, count: patients)
      let eligibleRows = (0..<n).filter { eligible[Int(input.rowPatient[$0])] }
      for (j, u) in rowUnits("card_row_keep", eligibleRows).enumerated() where Double(u) / 1e12 >= cardRowNull {
        let i = eligibleRows[j]
        keepCard[i] = true
        patientHasCard[Int(input.rowPatient[i])] = true
      }
      // Forced keep: the row with the smallest u (first in row order on ties) of each eligible patient without one.
      let forcedCandidates = eligibleRows.filter { !patientHasCard[Int(input.rowPatient[$0])] }
      var forcedU = [UInt64](repeating: .max, count: patients)
      var forcedRow = [Int](repeating: -1, count: patients)
      for (j, u) in rowUnits("card_force_keep", forcedCandidates).enumerated() {
        let i = forcedCandidates[j]
        let p = Int(input.rowPatient[i])
        if u < forcedU[p] {
          forcedU[p] = u
          forcedRow[p] = i
        }
      }
      for r in forcedRow where r >= 0 { keepCard[r] = true }
      brandNull = [Bool](repeating: false, count: n)
      if pBrandNull > 0 {
        let kept = (0..<n).filter { keepCard[$0] }
        let chosen = BreachSelection.select(
          units: rowUnits("null_card_brand_when_number_present_row", kept), p: pBrandNull)
        for (j, i) in kept.enumerated() where chosen[j] { brandNull[i] = true }
      }
    }
  }
}

/// H for many integer keys, split over the cores in contiguous slices (the result does not depend
/// on the number of threads).
struct KeyHasher: Sendable {
  let hash: BreachHash
  let threads: Int

  /// H("<seed>|<salt>|<a>[|<b>]") for every key.
  func h(_ salt: String, _ a: [Int64], _ b: [Int64]?) -> [UInt64] {
    let hash = self.hash
    return ParallelMap.array(items: a.count, threads: threads) { r, out in
      a.withUnsafeBufferPointer { a in
        let keys = UnsafeBufferPointer(rebasing: a[r])
        if let b {
          b.withUnsafeBufferPointer { b in
            hash.h(salt, keys: keys, suffix: UnsafeBufferPointer(rebasing: b[r]), into: out)
          }
        } else {
          hash.h(salt, keys: keys, suffix: nil, into: out)
        }
      }
    }
  }

  /// The units H mod 10^12 (u = units / 10^12).
  func units(_ salt: String, _ a: [Int64], _ b: [Int64]?) -> [UInt64] {
    var v = h(salt, a, b)
    for i in v.indices { v[i] %= BreachHash.unitModulus }
    return v
  }
}
