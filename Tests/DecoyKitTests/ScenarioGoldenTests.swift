import DecoyCore
import Foundation
import Testing

@testable import DecoyKit

/// Golden digests of every built-in dataset (docs/determinism.md): the same seed must give the same
/// bytes from one version to the next, so a change to any scenario's draws, distributions or
/// formatting shows up here, not in a user's pipeline. The engine fingerprint covers the column
/// providers; this covers the scenarios built on them (hospital, fraud) as well.
///
/// After an intended change, rewrite the fixture and say why in the commit:
/// `DECOY_RECORD_GOLDEN=1 swift test --filter ScenarioGoldenTests`.
@Suite struct ScenarioGoldenTests {
  static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/scenario-digests.json")

  /// "dataset/table" → SHA-256 (hex) of the table's CSV, 300 rows (users, patients) per dataset at seed 42.
  func digests() throws -> [String: String] {
    var out: [String: String] = [:]
    for name in ["people", "shop", "pci", "employees", "healthcare", "fraud"] {
      let dir = NSTemporaryDirectory() + "decoy-golden-\(UUID().uuidString)"
      defer { try? FileManager.default.removeItem(atPath: dir) }
      let spec = try SpecSource.load(name, seed: 42, rows: 300)
      var job = GenerateJob(spec: spec, seed: 42, format: .csv, destination: .directory(dir))
      job.rows = 300
      for f in try job.run().files {
        let bytes = try #require(FileManager.default.contents(atPath: f.path))
        out["\(name)/\(f.table)"] = SHA256.digest([UInt8](bytes)).map { String(format: "%02x", $0) }.joined()
      }
    }
    return out
  }

  @Test func builtInDatasetsKeepTheirBytes() throws {
    let got = try digests()
    if ProcessInfo.processInfo.environment["DECOY_RECORD_GOLDEN"] != nil {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      try encoder.encode(got).write(to: Self.fixture)
      return
    }
    let want = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: Self.fixture))
    #expect(got.keys.sorted() == want.keys.sorted(), "the built-in datasets' tables changed")
    for key in want.keys.sorted() {
      #expect(got[key] == want[key], "\(key): same seed, different bytes (intended? see the suite's comment)")
    }
  }
}
