import ArgumentParser
import DecoyCore
import DecoyKit
import Foundation

struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure generation speed and peak memory (build with -c release).",
    discussion: "Example: swift run -c release decoy bench --rows 10000000 --threads 1")
  @Option(help: "Built-in dataset or spec to generate.") var spec = "people"
  @Option(help: "Rows per root table.") var rows: UInt64 = 1_000_000
  @Option(help: "Worker threads.") var threads = Engine.defaultThreads
  @Option(help: "Output format.") var format = "csv"
  @Option(help: "Output directory (files are removed afterwards unless --keep).") var out = NSTemporaryDirectory() + "decoy-bench"
  @Flag(help: "Keep the output files.") var keep = false

  func run() throws {
    let reporter = Reporter(mode: .quiet)
    try runReporting(reporter) {
      var job = GenerateJob(spec: try SpecSource.load(spec), format: try OutputFormat.parse(format), destination: .directory(out))
      job.rows = rows
      job.engine = Engine.Options(threads: threads)
      let s = try job.run()
      let bytes = s.files.reduce(0) { $0 + $1.bytes }
      var usage = rusage()
      getrusage(RUSAGE_SELF.rawValue, &usage)
      let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
      print(String(format: "%@ → %@: %@ rows, %d thread(s), %.3f s wall, %.3f s CPU → %@ rows/s (%@ rows per CPU-second), %.1f MB/s; peak RSS %.1f MiB",
        spec, format, Reporter.group(s.rows), threads, s.seconds, cpu, Reporter.group(UInt64(Double(s.rows) / s.seconds)),
        Reporter.group(UInt64(Double(s.rows) / cpu)), Double(bytes) / 1e6 / s.seconds, Double(usage.ru_maxrss) / 1024))
      if !keep { for f in s.files { try? FileManager.default.removeItem(atPath: f.path) } }
    }
  }
}
