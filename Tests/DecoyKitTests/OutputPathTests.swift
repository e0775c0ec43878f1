import DecoyCore
import DecoyKit
import Foundation
import Testing

/// No value of a spec can put a file outside `--out`, whatever the format: a dataset or table
/// name that is not a safe file name stops the run before the directory is even created.
@Suite struct OutputPathTests {
  static let spec = """
    version: 1
    name: fine
    tables:
      - name: t
        rows: 3
        columns:
          - {name: a, sequence: 1}
    """

  @Test(arguments: OutputFormat.allCases.filter { $0 != .postgres })
  func unsafeNamesStopEveryWriterBeforeAnyFileExists(format: OutputFormat) throws {
    let root = NSTemporaryDirectory() + "decoy-paths-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: root) }
    let out = root + "/a/b"
    for (dataset, table) in [("../../escaped", "t"), ("fine", "../../escaped"), ("/tmp/escaped", "t"), ("..", "t")] {
      var spec = try SpecDecoder.decode(Self.spec)
      spec.name = dataset
      spec.tables[0].name = table
      for nested in format == .json ? [false, true] : [false] {
        var job = GenerateJob(spec: spec, format: format, destination: .directory(out))
        job.nested = nested
        let perTable = !format.isWorkbook && !nested
        // Per-table formats name files after the table; every format names its manifest after the dataset.
        let refused = dataset != "fine" || perTable
        if refused {
          #expect(throws: DecoyError.self, "\(format) \(dataset)/\(table)") { try job.run() }
        } else {
          _ = try job.run()
        }
        let left = try FileManager.default.subpathsOfDirectory(atPath: root).filter {
          !$0.hasPrefix("a/b") && $0 != "a"
        }
        #expect(left.isEmpty, "\(format): \(left)")
        if refused { #expect(!FileManager.default.fileExists(atPath: out), "\(format) created \(out)") }
        try? FileManager.default.removeItem(atPath: root + "/a")
      }
    }
  }
}
