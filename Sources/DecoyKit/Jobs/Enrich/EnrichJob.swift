public import DecoyCore
import DecoyIO
import DecoyScenarios
import Foundation

/// `decoy enrich claims_export.csv`: the claims-export breach enrichment of the reference script
/// in seed document 000 (specs/healthcare.md §4), reading the export twice as a stream.
///
/// Pass 1 (``EnrichInput``) checks the header, reads the ids, numbers patients by first appearance
/// and (compat mode) infers pandas' column types. Between the passes ``EnrichSelections`` makes the
/// patient and row selections from batch-hashed keys: per row that needs the row's billing id and
/// patient (12 bytes) and one array of units at a time (8 bytes) — the whole-table step the spec
/// allows — and ``PatientSlots`` renders each patient's new columns once. Pass 2 (``EnrichWriter``)
/// writes every input row with the new columns through a temporary file renamed on success.
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
  public var today = GenerationContext.defaultToday
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
  /// Cores to use; the output does not depend on it.
  public var threads = ParallelMap.cores
  /// Tests: the block size of the parallel passes (``EnrichInput``).
  var blockBytes = EnrichInput.defaultBlockBytes

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
    /// Wall time of each step, in order (for `--verbose`).
    public var steps: [Step]

    public struct Step: Sendable {
      public var name: String
      public var rows: Int
      public var seconds: Double
    }
  }

  /// The six new columns, as the chosen mode names them.
  var newColumns: [String] {
    mode == .pandas
      ? ["SSN_full", "SSN_last4", "card_brand", "card_number", "CVV", "exp_date"]
      : ["ssn_full", "ssn_last4", "card_brand", "card_number", "cvv", "exp_date"]
  }

  public func run() throws(DecoyError) -> Summary {
    for (name, p) in [
      ("--p-ssn-full", pSSNFull), ("--p-ssn-last4-blank", pSSNLast4Blank), ("--p-card-patient-leak", pCardPatientLeak),
      ("--p-card-brand-null-when-number-present-rows", pBrandNullWhenNumberPresent),
    ] where !(0...1).contains(p) {
      throw .usage("\(name) must be between 0 and 1, got \(p)", hint: nil)
    }
    if mode == .pandas && !(identifiers.level(.ssn) == .realistic) {
      throw .usage(
        "--compat pandas reproduces the reference script's SSNs, which are structurally valid (not safe)",
        hint: "add --identifiers realistic to accept that, or drop --compat for safe SSNs and cards")
    }
    var steps: [Summary.Step] = []
    var mark = DispatchTime.now()
    func lap(_ name: String, rows: Int = 0) {
      let now = DispatchTime.now()
      steps.append(
        Summary.Step(name: name, rows: rows, seconds: Double(now.uptimeNanoseconds - mark.uptimeNanoseconds) / 1e9))
      mark = now
    }
    var hash = BreachHash(seed: seed)
    let rates = resolvedRates(&hash)

    // Pass 1: header, ids, patients, column types.
    let table = try EnrichInput.read(
      path: input, observeTypes: mode == .pandas, newColumns: newColumns, threads: threads,
      blockBytes: blockBytes)
    let uniqueBillingIDs = try checkBillingIDs(table)
    lap("pass 1: ids and patients", rows: table.rows)

    let selections = EnrichSelections(
      input: table, hash: hash, rates: rates, pSSNFull: pSSNFull, pSSNLast4Blank: pSSNLast4Blank,
      pCardPatientLeak: pCardPatientLeak, pBrandNull: pBrandNullWhenNumberPresent,
      uniqueBillingIDs: uniqueBillingIDs, threads: threads)
    lap("selections")
    let ctx = GenerationContext(seed: UInt64(bitPattern: Int64(seed)), today: today, identifiers: identifiers)
    let cards = CardModel(
      context: ctx, table: "claims_export_enriched", entity: "patient",
      mix: [("visa", 55), ("mastercard", 30), ("amex", 10), ("discover", 5)], level: identifiers.level(.card),
      form: .luhnInvalid)
    let ssn = SSNSource(
      level: identifiers.level(.ssn), stream: ctx.stream("claims_export_enriched", "entity:patient").derive("ssn"))
    let slots = PatientSlots(
      input: table, shows: selections, hasher: KeyHasher(hash: hash, threads: threads), pandas: mode == .pandas,
      todayYear: today.year,
      expiryFourDigitYear: expiryFourDigitYear, ssn: ssn, cards: cards, threads: threads)

    lap("patient columns")
    // Pass 2: write.
    let counts = try EnrichWriter(
      input: table, selections: selections, slots: slots, pandas: mode == .pandas, newColumns: newColumns,
      shard: shard, path: input, output: output, threads: threads
    ).write()
    let written = Int(shard.slice(UInt64(table.rows)).count)
    lap("pass 2: write", rows: written)
    func pct(_ k: Int) -> String { ValueFormatter.fixed(Double(k) / Double(max(1, written)) * 100, digits: 2)! }
    let qa =
      "Wrote \(output): rows=\(written) | SSN_full%=\(pct(counts.full)) | SSN_last4_blank%=\(pct(counts.last4Blank)) | card_number%=\(pct(counts.card))"
    return Summary(
      rows: table.rows, patients: table.patients, qaLine: qa,
      rates: [
        ("p_card_row_null_given_eligible", rates.card), ("p_name_null_rows", rates.name),
        ("p_dob_null_rows", rates.dob),
        ("p_address_null_rows", rates.address), ("p_ssn_full_null_rows", rates.ssnFull),
        ("p_ssn_last4_null_rows", rates.ssnLast4),
      ], steps: steps)
  }

  /// Whether billing ids are unique (then they alone key the rows). A billing id on rows of two
  /// patients is an error naming both lines. Exports in billing-id order need no sort.
  func checkBillingIDs(_ t: EnrichInput) throws(DecoyError) -> Bool {
    if zip(t.bids, t.bids.dropFirst()).allSatisfy({ $0 < $1 }) { return true }
    var byBid = (0..<t.rows).map { (t.bids[$0], $0) }
    byBid.sort { $0 < $1 }
    var unique = true
    for k in 1..<max(1, t.rows) where byBid[k].0 == byBid[k - 1].0 {
      unique = false
      let a = byBid[k - 1].1
      let b = byBid[k].1
      if t.rowPatient[a] != t.rowPatient[b] {
        throw .input(
          file: input, line: t.line(ofRow: b), column: t.bidColumn + 1,
          reason:
            "billing_id \(t.bids[b]) belongs to patient_id \(t.patientIDs[Int(t.rowPatient[a])]) on line \(t.line(ofRow: a)) and to patient_id \(t.patientIDs[Int(t.rowPatient[b])]) here",
          hint: "each bill belongs to one patient: fix the join that produced the export")
      }
    }
    return unique
  }

  /// The per-row rates, automatic where not given (§4.1).
  func resolvedRates(_ hash: inout BreachHash) -> EnrichSelections.Rates {
    func rate(_ given: Double?, _ salt: String, _ lo: Double, _ hi: Double) -> Double {
      if let g = given, g >= 0 { return g }
      return hash.autoRate(salt, lo: lo, hi: hi)
    }
    return (
      rate(pCardRowNull, "p_card_row_null_given_eligible", 0.05, 0.25), rate(pNameNull, "p_name_null_rows", 0.10, 0.30),
      rate(pDOBNull, "p_dob_null_rows", 0.15, 0.40), rate(pAddressNull, "p_address_null_rows", 0.20, 0.45),
      rate(pSSNFullNull, "p_ssn_full_null_rows", 0.05, 0.25), rate(pSSNLast4Null, "p_ssn_last4_null_rows", 0.05, 0.25)
    )
  }
}
