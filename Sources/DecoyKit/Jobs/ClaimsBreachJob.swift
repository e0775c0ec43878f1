public import DecoyCore
import DecoyIO
public import DecoyScenarios
import Foundation

/// `decoy generate claims-breach`: the claims export of the hospital dataset (billing ⋈ patients,
/// specs/healthcare.md §3) written as `claims_export.csv`, then enriched into the breach artifact
/// `claims_export_enriched.csv` by ``EnrichJob``. Both files appear only if both steps succeed.
public struct ClaimsBreachJob: Sendable {
  public var patients: UInt64 = 1000
  /// Hospital dataset options (single hospital, locality).
  public var hospital = HospitalSimulator.Options()
  public var directory: String
  public var engine = Engine.Options()
  /// Enrichment settings; its input and output are set by the job.
  public var enrich: EnrichJob
  /// Where the `claims` table goes (nil: CSV files only). The CLI's default is `claims.sqlite`.
  public var load: ClaimsLoader.Target?

  public init(directory: String, seed: Int = 42, today: CivilDate = HealthcareDataset.defaultToday) {
    self.directory = directory
    enrich = EnrichJob(input: "", output: "")
    enrich.seed = seed
    enrich.today = today
  }

  public var exportPath: String { (directory as NSString).appendingPathComponent("claims_export.csv") }
  public var enrichedPath: String { (directory as NSString).appendingPathComponent("claims_export_enriched.csv") }
  public var sqlitePath: String { (directory as NSString).appendingPathComponent("claims.sqlite") }

  public func run(cancel: CancellationFlag? = nil) throws(DecoyError) -> EnrichJob.Summary {
    if load != nil && enrich.mode != .clean {
      throw .usage("the claims table holds the clean output", hint: "drop --compat to load into SQLite or PostgreSQL")
    }
    let context = GenerationContext(
      seed: UInt64(bitPattern: Int64(enrich.seed)), today: enrich.today, identifiers: enrich.identifiers)
    let spec = try HealthcareDataset.spec(context: context, patients: patients, claimsExport: true, options: hospital)
    let plan = try Plan(spec: spec, context: context)
    guard let table = plan.tables.first(where: { $0.spec.name == "claims_export" }) else {
      throw .usage("the healthcare dataset has no claims_export table", hint: nil)  // not reachable: added above
    }
    try GenerateJob.prepareDirectory(directory)
    let sink = try FileSink(path: exportPath)
    do throws(DecoyError) {
      try Engine(plan: plan, options: engine).run(table, encoder: CSVEncoder(), sink: sink, cancel: cancel)
      if cancel?.isCancelled == true { throw .cancelled }
      try sink.commit()
      var e = enrich
      e.input = exportPath
      e.output = enrichedPath
      let summary = try e.run()
      if let load {
        _ = try ClaimsLoader(csv: enrichedPath, target: load).run()
      }
      return summary
    } catch {
      sink.abort()
      unlink(exportPath)
      unlink(enrichedPath)
      throw error
    }
  }
}
