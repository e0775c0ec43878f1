import ArgumentParser
import CDecoyKernels
import DecoyCore
import DecoyKit
import DecoyScenarios
import Foundation

/// `decoy enrich`: a drop-in replacement for the claims-export enrichment script of seed document
/// 000 (its options are accepted with hyphens or, as the script spells them, underscores).
struct Enrich: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "enrich",
    abstract: "Add SSN and payment-card columns to a claims export and null them row by row, as a leaked export looks.",
    discussion: """
      Same selections as the reference script for the same input and seed. By default the output is clean: text kept as \
      text (ZIP codes keep leading zeros), lower-case column names matching the claims DDL, SSNs and card numbers at \
      the safe identifier level, CVVs of the brand's length, expiry MM/YYYY. --compat pandas --identifiers realistic \
      reproduces the reference script's output file byte for byte.
      """)

  @Argument(help: "The claims export (CSV with a header; needs billing_id and patient_id).") var claimsExport: String
  @Option(name: [.customLong("seed")], help: "Seed.") var seed = 42
  @Option(name: [.customLong("p-ssn-full"), .customLong("p_ssn_full")], help: "Share of patients with a full SSN.")
  var pSSNFull = 0.20
  @Option(
    name: [.customLong("p-ssn-last4-blank"), .customLong("p_ssn_last4_blank")],
    help: "Share of patients without even the last 4 digits.")
  var pSSNLast4Blank = 0.05
  @Option(
    name: [.customLong("p-card-patient-leak"), .customLong("p_card_patient_leak")],
    help: "Share of patients whose card is exposed.")
  var pCardPatientLeak = 0.43
  @Option(
    name: [.customLong("p-card-row-null-given-eligible"), .customLong("p_card_row_null_given_eligible")],
    help: "Per-row card drop among exposed patients (negative: automatic from the seed).") var pCardRow = -1.0
  @Option(
    name: [.customLong("p-name-null-rows"), .customLong("p_name_null_rows")],
    help: "Rows with the name nulled (negative: automatic).") var pName = -1.0
  @Option(
    name: [.customLong("p-dob-null-rows"), .customLong("p_dob_null_rows")],
    help: "Rows with the date of birth nulled (negative: automatic).") var pDOB = -1.0
  @Option(
    name: [.customLong("p-address-null-rows"), .customLong("p_address_null_rows")],
    help: "Rows with the address nulled (negative: automatic).")
  var pAddress = -1.0
  @Option(
    name: [.customLong("p-ssn-full-null-rows"), .customLong("p_ssn_full_null_rows")],
    help: "Rows with SSN_full nulled (negative: automatic).")
  var pSSNFullRows = -1.0
  @Option(
    name: [.customLong("p-ssn-last4-null-rows"), .customLong("p_ssn_last4_null_rows")],
    help: "Rows with SSN_last4 nulled (negative: automatic).")
  var pSSNLast4Rows = -1.0
  @Option(
    name: [
      .customLong("p-card-brand-null-when-number-present-rows"),
      .customLong("p_card_brand_null_when_number_present_rows"),
    ],
    help: "Share of card rows whose brand is nulled although the number shows.") var pBrand = 0.0
  @Option(name: [.customLong("out-enriched"), .customLong("out_enriched")], help: "Output file.") var outEnriched =
    "claims_export_enriched.csv"
  @Option(help: ArgumentHelp("Reference date YYYY-MM-DD for card expiry (default \(GenerationContext.defaultToday))."))
  var today: String?
  @Option(help: "Output encoding: clean (default) or pandas (the reference script's bytes).") var compat: String?
  @Option(help: "Identifier safety: safe (default), format-valid, realistic, or per kind (ssn=realistic,card=safe).")
  var identifiers: String?
  @Option(help: "Write slice i of N of the rows (e.g. 0/4); the slices concatenate to the whole output.") var shard =
    "0/1"
  @Option(help: "Worker threads (default: one per core). Never changes values.") var threads: Int?
  @Option(name: .customLong("exp-format"), help: "Clean mode expiry: MM/YYYY or MM/YY.") var expFormat = "MM/YYYY"
  @Option(
    name: .customLong("database-url"),
    help: "Also load the output into the claims table of this PostgreSQL database (COPY, one transaction).")
  var databaseURL: String?
  @Option(help: "Also load the output into the claims table of this SQLite database file.") var sqlite: String?
  @Option(
    help:
      "DDL of the claims table: decoy (fits the clean output) or reference (the seed's; refused before loading when values do not fit)."
  )
  var ddl = "decoy"
  @Flag(name: .customLong("drop-tables"), help: "PostgreSQL: drop an existing claims table first.") var dropTables =
    false
  @OptionGroup var log: LogOptions

  func run() throws {
    let reporter = log.reporter
    decoy_malloc_keep_freed_memory()
    try runReporting(reporter) {
      var job = EnrichJob(input: claimsExport, output: outEnriched)
      job.seed = seed
      job.shard = try Shard.parse(shard)
      if let t = threads {
        guard t >= 1 else { throw DecoyError.usage("--threads must be at least 1", hint: nil) }
        job.threads = t
      }
      if let d = try parseDate(today, option: "--today") { job.today = d }
      switch compat {
      case nil, "clean": job.mode = .clean
      case "pandas", "reference": job.mode = .pandas
      case let other?:
        throw DecoyError.usage(
          "unknown --compat '\(other)'", hint: "use --compat pandas for the reference script's bytes")
      }
      switch expFormat {
      case "MM/YYYY": job.expiryFourDigitYear = true
      case "MM/YY": job.expiryFourDigitYear = false
      default: throw DecoyError.usage("--exp-format must be MM/YYYY or MM/YY", hint: nil)
      }
      if let s = identifiers { job.identifiers = try IdentifierPolicy.parse(s) }
      job.pSSNFull = pSSNFull
      job.pSSNLast4Blank = pSSNLast4Blank
      job.pCardPatientLeak = pCardPatientLeak
      job.pCardRowNull = pCardRow
      job.pNameNull = pName
      job.pDOBNull = pDOB
      job.pAddressNull = pAddress
      job.pSSNFullNull = pSSNFullRows
      job.pSSNLast4Null = pSSNLast4Rows
      job.pBrandNullWhenNumberPresent = pBrand
      if job.identifiers.usesRealistic {
        reporter.info("realistic identifiers requested: SSNs may be structurally valid", warning: true)
      }
      guard let variant = ClaimsDDL.Variant(rawValue: ddl) else {
        throw DecoyError.usage("--ddl must be decoy or reference", hint: nil)
      }
      if (databaseURL != nil || sqlite != nil) && job.mode != .clean {
        throw DecoyError.usage(
          "the claims table holds the clean output", hint: "drop --compat to load into SQLite or PostgreSQL")
      }
      let start = Date()
      let s = try job.run()
      reporter.info(s.qaLine)
      for step in s.steps { reporter.step(step.name, rows: UInt64(step.rows), seconds: step.seconds) }
      for target in [
        sqlite.map { ClaimsLoader.Target.sqlite(path: $0) },
        databaseURL.map { ClaimsLoader.Target.postgres(url: $0, dropTables: dropTables) },
      ] {
        guard let target else { continue }
        var loader = ClaimsLoader(csv: outEnriched, target: target)
        loader.ddl = variant
        let n = try loader.run()
        reporter.info("loaded \(Reporter.group(UInt64(n))) rows into the claims table")
      }
      let elapsed = Reporter.duration(Date().timeIntervalSince(start))
      reporter.info(
        "enriched \(Reporter.group(UInt64(s.rows))) rows of \(Reporter.group(UInt64(s.patients))) patients in \(elapsed), seed \(job.seed), today \(job.today)",
        fields: Dictionary(uniqueKeysWithValues: s.rates.map { ($0.name, $0.value as Any) }))
    }
  }
}
