import ArgumentParser
import DecoyCore
import DecoyKit
import Foundation

@main
struct Decoy: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "decoy",
    abstract: "Deterministic, privacy-safe synthetic data.",
    discussion: """
      Exit codes: 0 success · 1 internal error · 2 bad command line · 3 invalid spec or unsafe request \
      · 4 file or directory error · 130 interrupted (no output kept).
      """,
    version: "0.1.0",
    subcommands: [
      Generate.self, Datasets.self, Enrich.self, BreachReportCommand.self, FraudCommand.self, Validate.self,
      PlanCommand.self, Describe.self, Providers.self, FingerprintCommand.self, Bench.self, DetectCommand.self,
      FitCommand.self, SampleCommand.self, InspectCommand.self, EvaluateCommand.self, SynthesizeCommand.self,
    ]
  )

  /// Like ArgumentParser's `main()`, but command-line mistakes exit with 2 (as documented), not 64.
  static func main() {
    // A closed stdout/stderr must surface as a write error (and a clean abort), not kill the process.
    signal(SIGPIPE, SIG_IGN)
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      if exitCode(for: error) == .validationFailure {
        Reporter.stderr(fullMessage(for: error) + "\n")
        Foundation.exit(2)
      }
      exit(withError: error)
    }
  }
}

/// Options shared by every command. Progress, messages and summaries go to stderr; stdout carries
/// only the data a command is asked for (`--out -`, `describe`, `plan`, `fraud stats`, …), so
/// `--quiet` leaves errors alone on stderr and nothing else.
struct LogOptions: ParsableArguments {
  @Flag(name: .shortAndLong, help: "Print nothing but errors.") var quiet = false
  @Flag(name: .customLong("json-logs"), help: "Write progress and messages to stderr as JSON lines.") var jsonLogs =
    false
  @Flag(
    name: .shortAndLong, help: "Also print detail: per-table timings and the SQL statements run, with their durations.")
  var verbose = false
  var reporter: Reporter { Reporter(mode: jsonLogs ? .json : quiet ? .quiet : .human, verbose: verbose) }
}

/// Parses a `YYYY-MM-DD` option (`nil` when not given); a malformed date is a usage error, never
/// silently the default.
func parseDate(_ text: String?, option: String) throws(DecoyError) -> CivilDate? {
  guard let text else { return nil }
  guard let d = CivilDate(iso: text) else {
    throw .usage(
      "\(option) must be a date YYYY-MM-DD, got '\(text)'", hint: "e.g. \(option) \(GenerationContext.defaultToday)")
  }
  return d
}

/// Runs `body`, turning Decoy errors into a message and an exit code (never a stack trace).
func runReporting(_ reporter: Reporter, _ body: () throws -> Void) throws {
  do {
    try body()
  } catch let e as DecoyError {
    reporter.error(e.message, code: e.exitCode)
    throw ExitCode(e.exitCode)
  }
}
