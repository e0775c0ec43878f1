import Foundation
import Testing

@testable import DecoyCore
@testable import DecoyKit
@testable import DecoyScenarios

/// The `claims` table of seed document 000, loaded from `decoy generate claims-breach` into SQLite
/// and PostgreSQL and read back by the sqlite3 shell and psql (specs/healthcare.md §5, §7 item 27).
extension SQLLoadTests {
  func breach(_ dir: String, load: ClaimsLoader.Target?) throws -> (ClaimsBreachJob, EnrichJob.Summary) {
    var job = ClaimsBreachJob(directory: dir, seed: 5)
    job.patients = 800
    job.load = load
    return (job, try job.run())
  }

  /// Sum of total_charge and count of card numbers in the enriched CSV (read by Python's csv module).
  func csvFigures(_ path: String) throws -> String {
    try sh([
      "python3", "-c",
      """
      import csv, sys
      rows = list(csv.DictReader(open(sys.argv[1])))
      print(len(rows), sum(int(r['total_charge']) for r in rows), sum(1 for r in rows if r['card_number']), sum(1 for r in rows if len(r['cvv']) == 4))
      """, path,
    ]).out.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  @Test func claimsTableInSQLiteHoldsTheEnrichedRows() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let (job, summary) = try breach(dir, load: .sqlite(path: dir + "/claims.sqlite"))
    let q = try sh([
      "sqlite3", dir + "/claims.sqlite",
      "SELECT count(*), sum(total_charge), count(card_number), sum(length(cvv) = 4) FROM claims",
    ])
    #expect(q.status == 0, "\(q.err)")
    #expect(
      q.out.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "|", with: " ")
        == (try csvFigures(job.enrichedPath)))
    #expect(summary.rows > 3000)
    let schema = try sh(["sqlite3", dir + "/claims.sqlite", ".schema claims"]).out
    #expect(schema.contains("cvv VARCHAR(4)") && schema.contains("billing_id INTEGER PRIMARY KEY"))
  }

  @Test(.enabled(if: postgresURL != nil, "needs DECOY_TEST_POSTGRES_URL (set by .ci/run)"))
  func claimsTableInPostgresAndTheCleanCSVLoadsWithHeaderMatch() throws {
    let (url, drop) = try freshDatabase()
    defer { drop() }
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let (job, _) = try breach(dir, load: .postgres(url: url, dropTables: false))
    let q = try sh([
      "psql", url, "-At", "-F", " ", "-c",
      "SELECT count(*), sum(total_charge), count(card_number), sum((length(cvv) = 4)::int) FROM claims",
    ])
    #expect(q.status == 0, "\(q.err)")
    #expect(q.out.trimmingCharacters(in: .whitespacesAndNewlines) == (try csvFigures(job.enrichedPath)))
    // Property 27: psql's own CSV load of the clean file into the Decoy DDL, header matched by name.
    let create = ClaimsDDL.create(.decoy, table: "claims_csv")
    let copy = try sh([
      "psql", url, "-v", "ON_ERROR_STOP=1", "-c", create, "-c",
      "\\copy claims_csv FROM '\(job.enrichedPath)' WITH (FORMAT csv, HEADER MATCH)", "-At", "-c",
      "SELECT count(*) FROM claims_csv",
    ])
    #expect(copy.status == 0, "\(copy.err)")
    #expect(copy.out.contains((try csvFigures(job.enrichedPath)).split(separator: " ")[0]))
  }

  @Test(.enabled(if: postgresURL != nil, "needs DECOY_TEST_POSTGRES_URL (set by .ci/run)"))
  func referenceDDLIsRefusedBeforeAnythingIsWritten() throws {
    let (url, drop) = try freshDatabase()
    defer { drop() }
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let (job, _) = try breach(dir, load: nil)
    var loader = ClaimsLoader(csv: job.enrichedPath, target: .postgres(url: url, dropTables: false))
    loader.ddl = .reference
    #expect {
      _ = try loader.run()
    } throws: { e in
      guard case .input(_, _, let column, let reason, let hint)? = e as? DecoyError else { return false }
      return column == 25 && reason.contains("cvv CHAR(3)") && (hint ?? "").contains("American Express")
    }
    let tables = try sh([
      "psql", url, "-At", "-c", "SELECT count(*) FROM information_schema.tables WHERE table_name = 'claims'",
    ])
    #expect(tables.out.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "no table created")
  }
}
