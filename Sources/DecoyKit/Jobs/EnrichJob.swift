public import DecoyCore
import DecoyIO
import DecoyScenarios
import Foundation

/// `decoy enrich claims_export.csv`: the claims-export breach enrichment of the reference script
/// in seed document 000 (specs/healthcare.md §4), reading the export twice as a stream.
///
/// Pass 1 checks the header, reads the ids, numbers patients by first appearance and (compat mode)
/// infers pandas' column types. Between the passes the patient and row selections are made from
/// hashes: per row that needs the row's billing id and patient (12 bytes) and one u-value at a time
/// (8 bytes) — the whole-table step the spec allows. Pass 2 writes every input row with the new
/// columns through a temporary file renamed on success.
public struct EnrichJob: Sendable {
  /// Output encodings (specs/healthcare.md §4.8).
  public enum Mode: String, Sendable {
    /// Text in, text out; DDL-matching lower-case names; SSN and card at the identifier policy's levels.
    case clean
    /// The reference script's bytes: pandas' type inference and float text, reference SSNs and cards.
    case pandas
  }

  public var input: String
  public var output: String
  public var seed = 42
  public var today = CivilDate(year: 2025, month: 10, day: 14)
  public var mode = Mode.clean
  public var identifiers = IdentifierPolicy()
  public var pSSNFull = 0.20
  public var pSSNLast4Blank = 0.05
  public var pCardPatientLeak = 0.43
  /// Per-row rates; nil = the seed-derived automatic rate.
  public var pCardRowNull: Double?
  public var pNameNull: Double?
  public var pDOBNull: Double?
  public var pAddressNull: Double?
  public var pSSNFullNull: Double?
  public var pSSNLast4Null: Double?
  public var pBrandNullWhenNumberPresent = 0.0
  /// Expiry as MM/YYYY (clean default) or MM/YY.
  public var expiryFourDigitYear = true
  /// Writes only this slice of the rows (header in slice 0): every shard makes the same selections,
  /// so the slices concatenate to the single-run output.
  public var shard = Shard.whole

  public init(input: String, output: String) {
    self.input = input
    self.output = output
  }

  /// What a run did: the QA line of the reference and the rates used.
  public struct Summary: Sendable {
    public var rows: Int
    public var patients: Int
    public var qaLine: String
    public var rates: [(name: String, value: Double)]
  }

  /// The six new columns, as the chosen mode names them.
  var newColumns: [String] {
    mode == .pandas ? ["SSN_full", "SSN_last4", "card_brand", "card_number", "CVV", "exp_date"]
      : ["ssn_full", "ssn_last4", "card_brand", "card_number", "cvv", "exp_date"]
  }

  public func run() throws(DecoyError) -> Summary {
    for (name, p) in [("--p-ssn-full", pSSNFull), ("--p-ssn-last4-blank", pSSNLast4Blank), ("--p-card-patient-leak", pCardPatientLeak),
                      ("--p-card-brand-null-when-number-present-rows", pBrandNullWhenNumberPresent)] where !(0...1).contains(p) {
      throw .usage("\(name) must be between 0 and 1, got \(p)", hint: nil)
    }
    if mode == .pandas && !(identifiers.level(.ssn) == .realistic) {
      throw .usage("--compat pandas reproduces the reference script's SSNs, which are structurally valid (not safe)",
        hint: "add --identifiers realistic to accept that, or drop --compat for safe SSNs and cards")
    }
    var hash = BreachHash(seed: seed)
    let rates = resolvedRates(&hash)

    // Pass 1: header, ids, patients, column types.
    let reader = try CSVReader(path: input)
    guard try reader.next() else {
      throw .input(file: input, line: 1, column: nil, reason: "the file is empty (no header row)", hint: "pass a claims export with a header line")
    }
    let header = (0..<reader.fields.count).map { reader.string($0) }
    guard let bidColumn = header.firstIndex(of: "billing_id"), let pidColumn = header.firstIndex(of: "patient_id") else {
      let missing = ["billing_id", "patient_id"].filter { !header.contains($0) }
      throw .input(file: input, line: 1, column: nil, reason: "missing required column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", ")) (found: \(header.joined(separator: ", ")))",
        hint: "the claims export needs billing_id and patient_id")
    }
    for c in newColumns where header.contains(c) {
      throw .input(file: input, line: 1, column: header.firstIndex(of: c)! + 1, reason: "the input already has a column \(c)", hint: "enrich the export only once")
    }
    var types = [PandasColumnType](repeating: PandasColumnType(), count: header.count)
    var bids: [Int64] = []
    var rowPatient: [Int32] = []
    var lines: [Int32] = []
    var patientIndex: [Int64: Int32] = [:]
    var patientIDs: [Int64] = []
    while try reader.next() {
      guard reader.fields.count == header.count else {
        throw .input(file: input, line: reader.line, column: nil,
          reason: "\(reader.fields.count) fields, but the header has \(header.count)", hint: "check quoting on this line")
      }
      let bid = try id(reader, bidColumn, "billing_id")
      let pid = try id(reader, pidColumn, "patient_id")
      if mode == .pandas {
        for i in 0..<header.count { types[i].observe(reader.bytes[reader.fields[i]]) }
      }
      let p: Int32
      if let known = patientIndex[pid] {
        p = known
      } else {
        p = Int32(patientIDs.count)
        patientIndex[pid] = p
        patientIDs.append(pid)
      }
      bids.append(bid)
      rowPatient.append(p)
      lines.append(Int32(truncatingIfNeeded: reader.line))
    }
    let n = bids.count
    let patients = patientIDs.count
    guard n > 0 else {
      throw .input(file: input, line: 2, column: nil, reason: "the file has a header but no rows", hint: nil)
    }
    patientIndex = [:]

    // One patient per billing id; row keys are billing ids when they are unique.
    var byBid = Array(0..<n)
    byBid.sort { bids[$0] < bids[$1] || (bids[$0] == bids[$1] && $0 < $1) }
    var unique = true
    for k in 1..<max(1, n) where bids[byBid[k]] == bids[byBid[k - 1]] {
      unique = false
      let a = byBid[k - 1], b = byBid[k]
      if rowPatient[a] != rowPatient[b] {
        throw .input(file: input, line: Int(lines[b]), column: bidColumn + 1,
          reason: "billing_id \(bids[b]) belongs to patient_id \(patientIDs[Int(rowPatient[a])]) on line \(lines[a]) and to patient_id \(patientIDs[Int(rowPatient[b])]) here",
          hint: "each bill belongs to one patient: fix the join that produced the export")
      }
    }
    byBid = []
    var key: [UInt8] = []
    key.reserveCapacity(48)
    func rowKey(_ i: Int) -> [UInt8] {  // reuses one buffer: callers hash it before the next call
      key.removeAll(keepingCapacity: true)
      ValueFormatter.appendInt(bids[i], to: &key)
      if !unique {
        key.append(UInt8(ascii: "|"))
        ValueFormatter.appendInt(Int64(i), to: &key)
      }
      return key
    }
    func patientKey(_ p: Int) -> [UInt8] {
      var k: [UInt8] = []
      ValueFormatter.appendInt(patientIDs[p], to: &k)
      return k
    }

    // Patient selections (§4.3, §4.5 step 2).
    let uFull = (0..<patients).map { hash.u01(patientKey($0), "pick_ssn_full") }
    let full = BreachSelection.smallest(uFull, count: min(patients, BreachHash.exactCount(pSSNFull, patients)))
    let nonFull = (0..<patients).filter { !full[$0] }
    let uBlank = nonFull.map { hash.u01(patientKey($0), "pick_ssn_last4_blank") }
    let blankAmongNonFull = BreachSelection.smallest(uBlank, count: min(nonFull.count, BreachHash.exactCount(pSSNLast4Blank, patients)))
    var blank = [Bool](repeating: false, count: patients)
    for (j, p) in nonFull.enumerated() where blankAmongNonFull[j] { blank[p] = true }
    let uLeak = (0..<patients).map { hash.u01(patientKey($0), "pick_card_patient_leak") }
    let eligible = BreachSelection.smallest(uLeak, count: BreachHash.exactCount(pCardPatientLeak, patients))

    // Card rows: kept iff eligible and u ≥ p; each eligible patient keeps at least its best forced row.
    var keepCard = [Bool](repeating: false, count: n)
    var patientHasCard = [Bool](repeating: false, count: patients)
    for i in 0..<n where eligible[Int(rowPatient[i])] {
      if hash.u01(rowKey(i), "card_row_keep") >= rates.card {
        keepCard[i] = true
        patientHasCard[Int(rowPatient[i])] = true
      }
    }
    // Forced keep: the row with the smallest u (first in row order on ties) of each eligible patient without one.
    var forcedU = [Double](repeating: .infinity, count: patients)
    var forcedRow = [Int](repeating: -1, count: patients)
    for i in 0..<n where eligible[Int(rowPatient[i])] && !patientHasCard[Int(rowPatient[i])] {
      let p = Int(rowPatient[i])
      let u = hash.u01(rowKey(i), "card_force_keep")
      if u < forcedU[p] {
        forcedU[p] = u
        forcedRow[p] = i
      }
    }
    for r in forcedRow where r >= 0 { keepCard[r] = true }
    var brandNull = [Bool](repeating: false, count: n)
    if pBrandNullWhenNumberPresent > 0 {
      let kept = (0..<n).filter { keepCard[$0] }
      let chosen = BreachSelection.select(kept.map { hash.u01(rowKey($0), "null_card_brand_when_number_present_row") }, p: pBrandNullWhenNumberPresent)
      for (j, i) in kept.enumerated() where chosen[j] { brandNull[i] = true }
    }
    // Row-level demographic and SSN nulls (§4.5 steps 3–4), one u-array at a time.
    // Row u-values: the bulk of the hashing, spread over the cores (each chunk has its own hasher).
    let seed = self.seed
    let allBids = bids
    let isUnique = unique
    let threads = ProcessInfo.processInfo.activeProcessorCount
    func rows(_ salt: String, _ p: Double) -> [Bool] {
      let u = ParallelMap.map(n, threads: threads, makeState: { (BreachHash(seed: seed), [UInt8]()) }) { (state: inout (BreachHash, [UInt8]), i: Int) -> Double in
        state.1.removeAll(keepingCapacity: true)
        ValueFormatter.appendInt(allBids[i], to: &state.1)
        if !isUnique {
          state.1.append(UInt8(ascii: "|"))
          ValueFormatter.appendInt(Int64(i), to: &state.1)
        }
        return state.0.u01(state.1, salt)
      }
      return BreachSelection.select(u, p: p)
    }
    let hasName = header.contains("name"), hasDOB = header.contains("date_of_birth")
    let addressColumns = ["address", "city", "state", "zipcode"].compactMap { header.firstIndex(of: $0) }
    let nullName = hasName ? rows("null_name_row", rates.name) : []
    let nullDOB = hasDOB ? rows("null_dob_row", rates.dob) : []
    let nullAddress = addressColumns.isEmpty ? [] : rows("null_address_row", rates.address)
    let nullSSNFull = rows("null_ssn_full_row", rates.ssnFull)
    let nullSSNLast4 = rows("null_ssn_last4_row", rates.ssnLast4)

    // Patient profiles.
    let ctx = GenerationContext(seed: UInt64(bitPattern: Int64(seed)), today: today, identifiers: identifiers)
    let cards = CardModel(context: ctx, table: "claims_export_enriched", entity: "patient",
      mix: [("visa", 55), ("mastercard", 30), ("amex", 10), ("discover", 5)], level: identifiers.level(.card), form: .luhnInvalid)
    let ssn = SSNSource(level: identifiers.level(.ssn), stream: ctx.stream("claims_export_enriched", "entity:patient").derive("ssn"))
    let ids = patientIDs
    let (mode, todayYear) = (self.mode, today.year)
    // Each patient's new columns, rendered once (rows then copy bytes).
    let expiryFour = expiryFourDigitYear && mode == .clean
    let rendered: [PatientColumns] = ParallelMap.map(patients, threads: threads, makeState: { BreachHash(seed: seed) }) { hash, p in
      var key: [UInt8] = []
      ValueFormatter.appendInt(ids[p], to: &key)
      let r = BreachPatientProfile.reference(key: key, hash: &hash, todayYear: todayYear)
      let profile = mode == .pandas ? r : BreachPatientProfile.clean(reference: r, entity: UInt64(bitPattern: ids[p]), ssn: ssn, cards: cards)
      var card = Array(",\(profile.cardNumber),\(profile.cvv)\(mode == .pandas ? ".0" : ""),".utf8)
      ValueFormatter.appendPadded(Int64(profile.expiryMonth), width: 2, to: &card)
      card.append(UInt8(ascii: "/"))
      ValueFormatter.appendPadded(Int64(expiryFour ? profile.expiryYear : profile.expiryYear % 100), width: expiryFour ? 4 : 2, to: &card)
      return PatientColumns(ssnFull: Array(profile.ssnFull.utf8), ssnLast4: Array(profile.ssnLast4.utf8), brand: Array(profile.brand.utf8), card: card)
    }

    // Pass 2: write.
    let sink = try FileSink(path: output)
    var counts = (full: 0, last4Blank: 0, card: 0)
    do throws(DecoyError) {
      let again = try CSVReader(path: input)
      _ = try again.next()
      var out: [UInt8] = []
      let names = header + newColumns
      if shard.index == 0 {
        for (i, name) in names.enumerated() {
          if i > 0 { out.append(44) }
          CSVField.append(Array(name.utf8), to: &out)
        }
        out.append(10)
      }
      let slice = shard.slice(UInt64(n))
      let nameColumn = header.firstIndex(of: "name"), dobColumn = header.firstIndex(of: "date_of_birth")
      // Columns that receive a null assignment become float in pandas when they were integers.
      var assigned = Set(addressColumns)
      if let c = nameColumn { assigned.insert(c) }
      if let c = dobColumn { assigned.insert(c) }
      var row = 0
      while row < Int(slice.upperBound), try again.next() {
        if row < Int(slice.lowerBound) {
          row += 1
          continue
        }
        for c in 0..<header.count {
          if c > 0 { out.append(44) }
          let nulled = (c == nameColumn && nullName[row]) || (c == dobColumn && nullDOB[row])
            || (!nullAddress.isEmpty && nullAddress[row] && addressColumns.contains(c))
          if nulled { continue }
          let field = again.bytes[again.fields[c]]
          if mode == .pandas {
            types[c].write(field, asFloat: assigned.contains(c), to: &out)
          } else {
            CSVField.append(field, quoted: again.quoted[c], to: &out)
          }
        }
        let p = Int(rowPatient[row])
        let columns = rendered[p]
        let ssnFull = full[p] && !nullSSNFull[row]
        let last4 = !blank[p] && (!nullSSNLast4[row] || ssnFull)
        out.append(44)
        if ssnFull { out.append(contentsOf: columns.ssnFull); counts.full += 1 }
        out.append(44)
        if last4 { out.append(contentsOf: columns.ssnLast4) } else { counts.last4Blank += 1 }
        out.append(44)
        if keepCard[row] {
          counts.card += 1
          if !brandNull[row] { out.append(contentsOf: columns.brand) }
          out.append(contentsOf: columns.card)
        } else {
          out.append(contentsOf: ",,,".utf8)
        }
        out.append(10)
        row += 1
        if out.count >= 1 << 20 {
          try sink.write(out)
          out.removeAll(keepingCapacity: true)
        }
      }
      try sink.write(out)
      try sink.commit()
    } catch {
      sink.abort()
      throw error
    }
    let written = Int(shard.slice(UInt64(n)).count)
    func pct(_ k: Int) -> String { String(format: "%.2f", Double(k) / Double(max(1, written)) * 100) }
    let qa = "Wrote \(output): rows=\(written) | SSN_full%=\(pct(counts.full)) | SSN_last4_blank%=\(pct(counts.last4Blank)) | card_number%=\(pct(counts.card))"
    return Summary(rows: n, patients: patients, qaLine: qa, rates: [
      ("p_card_row_null_given_eligible", rates.card), ("p_name_null_rows", rates.name), ("p_dob_null_rows", rates.dob),
      ("p_address_null_rows", rates.address), ("p_ssn_full_null_rows", rates.ssnFull), ("p_ssn_last4_null_rows", rates.ssnLast4),
    ])
  }

  /// The per-row rates, automatic where not given (§4.1).
  func resolvedRates(_ hash: inout BreachHash) -> (card: Double, name: Double, dob: Double, address: Double, ssnFull: Double, ssnLast4: Double) {
    func rate(_ given: Double?, _ salt: String, _ lo: Double, _ hi: Double) -> Double {
      if let g = given, g >= 0 { return g }
      return hash.autoRate(salt, lo: lo, hi: hi)
    }
    return (rate(pCardRowNull, "p_card_row_null_given_eligible", 0.05, 0.25), rate(pNameNull, "p_name_null_rows", 0.10, 0.30),
      rate(pDOBNull, "p_dob_null_rows", 0.15, 0.40), rate(pAddressNull, "p_address_null_rows", 0.20, 0.45),
      rate(pSSNFullNull, "p_ssn_full_null_rows", 0.05, 0.25), rate(pSSNLast4Null, "p_ssn_last4_null_rows", 0.05, 0.25))
  }

  /// An id field as an integer, or a clear error.
  func id(_ r: CSVReader, _ column: Int, _ name: String) throws(DecoyError) -> Int64 {
    let f = r.bytes[r.fields[column]]
    guard let v = PandasColumnType.integer(f) else {
      throw .input(file: input, line: r.line, column: column + 1,
        reason: f.isEmpty ? "\(name) is empty" : "\(name) is not a whole number",
        hint: "every row needs integer billing_id and patient_id values")
    }
    return v
  }
}

/// One patient's six new columns as bytes: SSN_full, SSN_last4, brand, and ",number,cvv,expiry".
struct PatientColumns: Sendable {
  var ssnFull: [UInt8]
  var ssnLast4: [UInt8]
  var brand: [UInt8]
  var card: [UInt8]
}
