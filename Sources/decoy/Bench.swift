import ArgumentParser
import DecoyCore
import DecoyIO
import DecoyKit
import Foundation

struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure generation speed and peak memory (build with -c release).",
    discussion: "Example: swift run -c release decoy bench --rows 10000000 --threads 1")
  @Option(help: "Built-in dataset or spec to generate.") var spec = "people"
  @Option(help: "Rows per root table.") var rows: UInt64 = 1_000_000
  @Option(help: "Worker threads.") var threads = Engine.defaultThreads
  @Option(help: "Output format.") var format = "csv"
  @Option(help: "Output directory (files are removed afterwards unless --keep).") var out =
    NSTemporaryDirectory() + "decoy-bench"
  @Option(help: "Parquet page compression: snappy, gzip or none.") var compression = "snappy"
  @Flag(help: "Keep the output files.") var keep = false
  @Flag(
    name: .customLong("writer-only"),
    help:
      "Generate all rows into memory first, then time only the format's encoder or writer on this thread (one core). Memory grows with --rows."
  )
  var writerOnly = false
  @OptionGroup var log: LogOptions

  func run() throws {
    let reporter = log.reporter
    try runReporting(reporter) {
      var job = GenerateJob(
        spec: try SpecSource.load(spec), format: try OutputFormat.parse(format), destination: .directory(out))
      job.rows = rows
      job.engine = Engine.Options(threads: threads)
      job.parquetCodec = try ParquetWriter.Codec.parse(compression)
      job.databaseURL = ProcessInfo.processInfo.environment["DATABASE_URL"]
      job.dropTables = true
      var csvBytes: UInt64 = 0
      if writerOnly {
        let recorded = try RecordedBatches(job: job)
        csvBytes = recorded.csvBytes()
        job.source = recorded
      }
      let cpuBefore = Bench.cpuSeconds()
      let s = try job.run()
      let cpu = Bench.cpuSeconds() - cpuBefore
      let bytes = s.files.reduce(0) { $0 + $1.bytes }
      var usage = rusage()
      getrusage(RUSAGE_SELF.rawValue, &usage)
      print(
        String(
          format:
            "%@ → %@%@: %@ rows, %@, %.3f s wall, %.3f s CPU → %@ rows/s (%@ rows per CPU-second), %.1f MB/s written; peak RSS %.1f MiB",
          spec, format, format == "parquet" ? " (\(compression))" : "", Reporter.group(s.rows),
          writerOnly ? "writer only" : "\(threads) thread(s)",
          s.seconds, cpu, Reporter.group(UInt64(Double(s.rows) / s.seconds)),
          Reporter.group(UInt64(Double(s.rows) / cpu)), Double(bytes) / 1e6 / s.seconds, Double(usage.ru_maxrss) / 1024)
      )
      if writerOnly {
        print(
          String(
            format: "data volume: %.1f MB as CSV → %.1f MB/s of data through the writer", Double(csvBytes) / 1e6,
            Double(csvBytes) / 1e6 / s.seconds))
      }
      if !keep { for f in s.files { try? FileManager.default.removeItem(atPath: f.path) } }
    }
  }

  /// User plus system CPU time of this process so far.
  static func cpuSeconds() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec) + Double(
      u.ru_stime.tv_usec) / 1e6
  }
}
