import DecoyLearn
import Foundation
import Testing

@testable import DecoyCore
@testable import DecoyIO
@testable import DecoyKit

/// A sample read from a real PostgreSQL table gives the same model as the same rows in a CSV file.
extension SQLLoadTests {
  static let learnFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../Fixtures/learn").standardized.path

  @Test(.enabled(if: postgresURL != nil, "needs DECOY_TEST_POSTGRES_URL (set by .ci/run)"))
  func aPostgresSampleFitsTheSameModelAsItsCSV() throws {
    let (url, drop) = try freshDatabase()
    defer { drop() }
    let csv = Self.learnFixtures + "/student_placements_real.csv"
    let header = try String(contentsOfFile: csv, encoding: .utf8).prefix { $0 != "\n" }.split(separator: ",")
    let quoted = header.map { "\"\($0)\"" }
    // Text columns, empty fields kept as empty strings (as the CSV reader keeps them).
    let load = try sh([
      "psql", url, "-v", "ON_ERROR_STOP=1", "-c",
      "CREATE TABLE student_placements_real (\(quoted.map { $0 + " text" }.joined(separator: ", ")))", "-c",
      "\\copy student_placements_real FROM '\(csv)' WITH (FORMAT csv, HEADER, FORCE_NOT_NULL (\(quoted.joined(separator: ", "))))",
    ])
    #expect(load.status == 0, "\(load.err)")
    let fromDatabase = try SampleReader.read(url, table: "student_placements_real")
    let fromFile = try SampleReader.read(csv)
    #expect(fromDatabase.rowCount == fromFile.rowCount && fromDatabase.columns == fromFile.columns)
    let learner = Learner(synthesizer: .cart, seed: 3)
    #expect(
      try ModelFile.encode(learner.fit(fromDatabase).model) == ModelFile.encode(learner.fit(fromFile).model),
      "the same rows from PostgreSQL and from CSV must give the same model bytes")

    // Typed columns and SQL NULL: numbers, dates and booleans in the server's text form.
    let typed = try sh([
      "psql", url, "-v", "ON_ERROR_STOP=1", "-c",
      "CREATE TABLE visits AS SELECT g AS id, (g % 7)::numeric(6,2) * 1.5 AS amount, DATE '2024-01-01' + (g % 300) AS day, (g % 3 = 0) AS repeat_visit, CASE WHEN g % 10 = 0 THEN NULL ELSE 'c' || (g % 4) END AS channel FROM generate_series(1, 400) g",
    ])
    #expect(typed.status == 0, "\(typed.err)")
    let t = try SampleReader.read(url, table: "visits")
    let kinds = try Detector().detect(t, declared: [:]).map(\.kind)
    #expect(kinds == [.key, .numerical, .date, .boolean, .categorical], "\(kinds)")

    // Mistakes: a missing table names the tables there; a bad password never shows the password.
    #expect {
      try SampleReader.read(url, table: "vistis")
    } throws: { e in "\(e)".contains("no table 'vistis'") && "\(e)".contains("visits") }
    var wrong = url.replacingOccurrences(of: "postgres://postgres@", with: "postgres://nobody:s3cret-pw@")
    if wrong == url { wrong = url + "?user=nobody" }
    #expect {
      try SampleReader.read(wrong, table: "visits")
    } throws: { e in !"\(e)".contains("s3cret-pw") }
    #expect(SampleReader.display("postgres://u:pw@h/db") == "postgres://u:***@h/db")
  }
}
