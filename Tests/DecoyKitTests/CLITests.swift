import DecoyKit
import Foundation
import Testing

/// The `decoy` executable, run as a user would.
@Suite(.serialized) struct CLITests {
  static let binary: String = {
    let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for candidate in [
      dir.appendingPathComponent("decoy"), dir.deletingLastPathComponent().appendingPathComponent("decoy"),
    ] {
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.path }
    }
    return dir.appendingPathComponent("decoy").path
  }()

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  @discardableResult
  func decoy(_ args: [String], until: ((Process) -> Void)? = nil) throws -> Result {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: Self.binary)
    p.arguments = args
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    until?(p)
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Result(
      status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
      stderr: String(decoding: e, as: UTF8.self))
  }

  func tempDir() -> String {
    let d = NSTemporaryDirectory() + "decoy-cli-\(UUID().uuidString)"
    try! FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
    return d
  }

  @Test func builtInPeopleRunsByName() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r = try decoy(["generate", "people", "--out", dir, "--quiet"])
    #expect(r.status == 0, "\(r.stderr)")
    let text = try String(contentsOfFile: dir + "/people.csv", encoding: .utf8)
    #expect(text.split(separator: "\n").count == 1001)
  }

  @Test func unknownFormatProviderAndFlagSuggestTheNearestName() throws {
    let f = try decoy(["generate", "people", "--format", "jsnl", "--out", "-"])
    #expect(f.status == 2 && f.stderr.contains("did you mean 'jsonl'"), "\(f.stderr)")
    let flag = try decoy(["generate", "people", "--sed", "3"])
    #expect(flag.status == 2 && flag.stderr.contains("--seed"), "\(flag.stderr)")
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let spec = dir + "/s.yaml"
    try "version: 1\ntables:\n  - name: t\n    rows: 1\n    columns:\n      - {name: a, provider: person.frist_name}\n"
      .write(toFile: spec, atomically: true, encoding: .utf8)
    let p = try decoy(["validate", spec])
    #expect(
      p.status == 3 && p.stderr.contains("did you mean 'person.first_name'") && p.stderr.contains("s.yaml:6:"),
      "\(p.stderr)")
    let d = try decoy(["generate", "peeple"])
    #expect(d.status == 2 && d.stderr.contains("did you mean 'people'"), "\(d.stderr)")
  }

  @Test func unwritableOutputDirectoryFailsBeforeGenerating() throws {
    let dir = tempDir()
    defer {
      chmod(dir, 0o755)
      try? FileManager.default.removeItem(atPath: dir)
    }
    // A path under a regular file can never be created, even by root.
    let blocker = dir + "/file"
    _ = FileManager.default.createFile(atPath: blocker, contents: Data())
    let r = try decoy(["generate", "people", "--out", blocker + "/sub"])
    #expect(r.status == 4 && r.stderr.contains("cannot create the output directory"), "\(r.stderr)")
    let r2 = try decoy(["generate", "people", "--out", blocker])
    #expect(r2.status == 4 && r2.stderr.contains("not a directory"), "\(r2.stderr)")
  }

  @Test func interruptedRunLeavesNoPartialFile() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r = try decoy(["generate", "people", "--rows", "200000000", "--out", dir, "--threads", "1"]) { p in
      // Wait until the temporary file exists and has data, then interrupt.
      let deadline = Date().addingTimeInterval(60)
      while Date() < deadline {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        let sizes = files.filter { $0.contains("decoy-tmp") }.compactMap {
          try? FileManager.default.attributesOfItem(atPath: dir + "/" + $0)[.size] as? Int
        }
        if sizes.contains(where: { $0 > 0 }) { break }
        usleep(50_000)
      }
      kill(p.processIdentifier, SIGINT)
    }
    #expect(r.status == 130, "\(r.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
  }

  @Test func stdoutAndJSONLogs() throws {
    let r = try decoy(["generate", "people", "--rows", "3", "--out", "-", "--json-logs", "--format", "jsonl"])
    #expect(r.status == 0)
    #expect(r.stdout.split(separator: "\n").count == 3)
    for line in r.stderr.split(separator: "\n") {
      let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
      #expect(obj?["event"] != nil, "\(line)")
    }
  }

  @Test func realisticIsWarnedAboutOnStderr() throws {
    let r = try decoy(["generate", "people", "--rows", "2", "--out", "-", "--identifiers", "realistic"])
    #expect(r.status == 0 && r.stderr.contains("warning: realistic identifiers"))
  }

  @Test func providersPlanAndFingerprint() throws {
    let p = try decoy(["providers"])
    #expect(p.status == 0 && p.stdout.contains("card.number") && p.stdout.contains("person.first_name"))
    let plan = try decoy(["plan", "shop"])
    #expect(plan.status == 0 && plan.stdout.contains("table orders") && plan.stdout.contains("children of customers"))
    // Every scenario name the "unknown dataset" hint offers can be planned and validated.
    for name in SpecSource.scenarioNames {
      let p = try decoy(["plan", name])
      #expect(p.status == 0, "plan \(name): \(p.stderr)")
      #expect(try decoy(["validate", name]).status == 0, "validate \(name)")
    }
    #expect(try decoy(["plan", "claims-breach"]).stdout.contains("table claims_export"))
    // Scenario sizes come from their own options: --scale or a different --rows is a clear error, not a crash.
    let scaled = try decoy(["plan", "fraud", "--scale", "2"])
    #expect(scaled.status == 2 && scaled.stderr.contains("sized by --users"), "\(scaled.stderr)")
    let a = try decoy(["fingerprint"])
    let b = try decoy(["fingerprint"])
    #expect(a.stdout == b.stdout && a.stdout.hasPrefix("v1-"))
  }
}
