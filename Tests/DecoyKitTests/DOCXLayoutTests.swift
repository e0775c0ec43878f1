import DecoyCore
import DecoyKit
import DecoyTestSupport
import Foundation
import Testing

/// Word documents as LibreOffice lays them out: converted to PDF headless, every column header of
/// every table must be on a landscape page, and long values must not be broken across lines.
@Suite(
  .enabled(
    if: ExternalTool.available("soffice", "pdftotext", "pdfinfo"),
    "needs LibreOffice and poppler-utils (installed by .ci/run)"))
struct DOCXLayoutTests {
  /// Writes `dataset` as DOCX and as CSV (same seed), converts the DOCX to PDF and returns the
  /// PDF's text, its page size line and the tables' CSV files.
  func render(_ dataset: String, rows: UInt64) throws -> (text: String, pageSize: String, dir: String) {
    let dir = NSTemporaryDirectory() + "decoy-docx-pdf-\(UUID().uuidString)"
    var docx = GenerateJob(
      spec: try SpecSource.load(dataset, rows: rows), seed: 5, format: .docx, destination: .directory(dir))
    docx.rows = rows
    docx.docxRowCap = 60
    _ = try docx.run()
    var csv = GenerateJob(
      spec: try SpecSource.load(dataset, rows: rows), seed: 5, format: .csv, destination: .directory(dir))
    csv.rows = rows
    _ = try csv.run()
    // A profile of its own, so a LibreOffice already running for the user is not reused.
    let convert = try ExternalTool.run(
      "soffice",
      [
        "-env:UserInstallation=file://\(dir)/profile", "--headless", "--convert-to", "pdf", "--outdir", dir,
        "\(dir)/\(dataset).docx",
      ])
    #expect(convert.status == 0)
    let text = try ExternalTool.run("pdftotext", ["-layout", "\(dir)/\(dataset).pdf", "-"]).out
    let info = try ExternalTool.run("pdfinfo", ["\(dir)/\(dataset).pdf"]).out
    let size = info.split(separator: "\n").first { $0.hasPrefix("Page size:") }.map(String.init) ?? ""
    return (text, size, dir)
  }

  static func words(_ text: String) -> Set<Substring> { Set(text.split(whereSeparator: { $0 == " " || $0 == "\n" })) }

  @Test(arguments: ["pci", "fraud"])
  func everyHeaderIsOnALandscapePageAndLongValuesStayWhole(dataset: String) throws {
    let (text, pageSize, dir) = try render(dataset, rows: 40)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    // "Page size: 841.89 x 595.276 pts (A4)": wider than high.
    let dims = pageSize.split(separator: " ").compactMap { Double($0) }
    #expect(dims.count == 2 && dims[0] > dims[1], "\(pageSize)")
    let words = Self.words(text)
    let spec = try SpecSource.load(dataset, rows: 40)
    #expect(words.contains("Data dictionary") || text.contains("Data dictionary"))
    for table in spec.tables {
      for column in table.columns {
        #expect(
          words.contains(Substring(column.name)), "\(dataset): header \(table.name).\(column.name) is not on the page")
      }
      // The first rows' values without spaces, up to the width a column grows to (32
      // characters), appear whole: no column is so narrow that they break.
      let lines = try String(contentsOfFile: "\(dir)/\(table.name).csv", encoding: .utf8).split(separator: "\n").prefix(
        6
      ).dropFirst()
      for line in lines {
        for value in line.split(separator: ",", omittingEmptySubsequences: true)
        where value.count <= 32 && !value.contains(" ") && !value.contains("\"") {
          #expect(words.contains(value), "\(dataset).\(table.name): value \(value) is broken or missing")
        }
      }
    }
  }
}
