import ArgumentParser
import DecoyCore
import DecoyKit
import Foundation

/// `decoy breach-report`: exposure per PII category and dangerous combination, overall and by state.
struct BreachReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "breach-report",
    abstract:
      "Count the records and individuals an enriched claims file exposes, per PII category and combination, by state.")

  @Argument(help: "An enriched claims file (decoy enrich or claims-breach output, clean or compat).") var file: String
  @Option(help: "Write the report as JSON to this file.") var json: String?
  @Option(help: "Write the Markdown report to this file (without any file option it goes to standard output).")
  var markdown: String?
  @Option(help: "Write the report as an HTML page to this file.") var html: String?
  @OptionGroup var log: LogOptions

  func run() throws {
    let reporter = log.reporter
    try runReporting(reporter) {
      let result = try BreachReport(input: file).run()
      let md = BreachReport.markdown(result, file: file)
      for (path, text) in [
        (json, BreachReport.json(result, file: file)), (markdown, md), (html, BreachReport.html(result, file: file)),
      ] {
        guard let path else { continue }
        do {
          try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
          throw DecoyError.io(
            path: path, reason: "cannot write the report", hint: "check the directory exists and is writable")
        }
        reporter.info("wrote \(path)")
      }
      if markdown == nil && json == nil && html == nil { print(md, terminator: "") }
    }
  }
}
