import Foundation
import Testing

@testable import DecoyCore
@testable import DecoyKit

/// The determinism contract of docs/determinism.md.
@Suite struct DeterminismTests {
  func tempDir() -> String {
    let d = NSTemporaryDirectory() + "decoy-test-\(UUID().uuidString)"
    try! FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
    return d
  }

  func run(
    _ spec: DatasetSpec, seed: UInt64 = 42, format: OutputFormat = .csv, threads: Int = 2, batch: Int = 32_768,
    shard: Shard = .whole, rows: UInt64? = nil
  ) throws -> [String: Data] {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var job = GenerateJob(spec: spec, seed: seed, format: format, destination: .directory(dir))
    job.engine = Engine.Options(threads: threads, batchSize: batch)
    job.shard = shard
    job.rows = rows
    let s = try job.run()
    var out: [String: Data] = [:]
    for f in s.files { out[f.table] = FileManager.default.contents(atPath: f.path)! }
    return out
  }

  var people: DatasetSpec { try! SpecSource.load("people") }
  var shop: DatasetSpec { try! SpecSource.load("shop") }

  @Test func sameSeedSameBytes() throws {
    #expect(try run(people, rows: 5000) == run(people, rows: 5000))
    #expect(try run(shop) == run(shop))
  }

  @Test func threadsAndBatchSizesDoNotChangeOutput() throws {
    let a = try run(shop, threads: 1, batch: 32_768)
    #expect(try run(shop, threads: 2, batch: 32_768) == a)
    #expect(try run(shop, threads: 2, batch: 777) == a)
    #expect(try run(shop, threads: 1, batch: 1) == a)
    for f in [OutputFormat.jsonl, .json] {
      #expect(
        try run(people, format: f, threads: 1, batch: 100, rows: 3000)
          == run(people, format: f, threads: 2, batch: 4096, rows: 3000))
    }
  }

  @Test func shardsConcatenateToTheSingleRun() throws {
    for format in [OutputFormat.csv, .jsonl] {
      let whole = try run(shop, format: format)
      var joined: [String: Data] = [:]
      for i in 0..<3 {
        for (k, v) in try run(shop, format: format, shard: Shard(index: i, count: 3)) {
          joined[k, default: Data()].append(v)
        }
      }
      #expect(joined == whole, "\(format)")
    }
  }

  @Test func addingAColumnLeavesOtherColumnsUnchanged() throws {
    let base = try SpecSource.load("people")
    var wider = base
    let extra = try SpecDecoder.decode(
      """
      version: 1
      tables: [{name: x, rows: 1, columns: [{name: extra_title, provider: person.title}, {name: extra_ip, provider: net.ipv4}]}]
      """
    ).tables[0].columns
    wider.tables[0].columns.insert(extra[0], at: 3)
    wider.tables[0].columns.append(extra[1])
    let a = String(decoding: try run(base, rows: 2000)["people"]!, as: UTF8.self).split(separator: "\n")
    let b = String(decoding: try run(wider, rows: 2000)["people"]!, as: UTF8.self).split(separator: "\n")
    #expect(a.count == b.count)
    for (x, y) in zip(a, b) {
      var cells = y.split(separator: ",", omittingEmptySubsequences: false)
      cells.remove(at: cells.count - 1)
      cells.remove(at: 3)
      #expect(cells.joined(separator: ",") == x)
    }
  }

  @Test func differentSeedChangesValues() throws {
    let a = String(decoding: try run(people, seed: 1, rows: 1000)["people"]!, as: UTF8.self).split(separator: "\n")
    let b = String(decoding: try run(people, seed: 2, rows: 1000)["people"]!, as: UTF8.self).split(separator: "\n")
    let same = zip(a.dropFirst(), b.dropFirst()).filter { $0.0 == $0.1 }.count
    #expect(same == 0)
  }

  @Test func childRowsReferenceExistingParentsAndRepeatTheirPerson() throws {
    let out = try run(shop, format: .jsonl)
    func rows(_ d: Data) -> [[String: Any]] {
      String(decoding: d, as: UTF8.self).split(separator: "\n").map {
        try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
      }
    }
    let customers = rows(out["customers"]!)
    let byID = Dictionary(uniqueKeysWithValues: customers.map { ($0["customer_id"] as! Int, $0["name"] as! String) })
    let orders = rows(out["orders"]!)
    #expect(orders.count > 2500 && orders.count < 3500)  // Poisson mean 3 × 1000
    for o in orders {
      let id = o["customer_id"] as! Int
      #expect(byID[id] == o["customer_name"] as? String)
    }
  }

  @Test func fingerprintIsStable() {
    #expect(Fingerprint.compute() == Fingerprint.current)
    #expect(Fingerprint.current.hasPrefix("v1-") && Fingerprint.current.count == 19)
  }

  @Test func pinnedFingerprintMismatchFailsBeforeWriting() throws {
    var spec = people
    spec.fingerprint = "v1-0000000000000000"
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect(throws: DecoyError.self) { try GenerateJob(spec: spec, destination: .directory(dir)).run() }
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
  }
}

@Suite struct ManifestTests {
  func manifest(_ identifiers: String?) throws -> [String: Any] {
    let dir = NSTemporaryDirectory() + "decoy-manifest-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var job = GenerateJob(
      spec: try SpecSource.load("people"),
      identifiers: try identifiers.map { s throws(DecoyError) in try IdentifierPolicy.parse(s) },
      destination: .directory(dir))
    job.rows = 10
    _ = try job.run()
    let data = try #require(FileManager.default.contents(atPath: dir + "/people.manifest.json"))
    return try JSONSerialization.jsonObject(with: data) as! [String: Any]
  }

  func levels(_ m: [String: Any]) -> [String: String] {
    let cols = ((m["tables"] as! [[String: Any]])[0]["columns"] as! [[String: Any]])
    var out: [String: String] = [:]
    for c in cols { if let l = c["safety_level"] as? String { out[c["name"] as! String] = l } }
    return out
  }

  @Test func recordsSafeForEveryIdentifierColumnByDefault() throws {
    let m = try manifest(nil)
    let l = levels(m)
    #expect(Set(l.keys) == ["phone", "email", "ssn", "card_number", "card_brand", "card_cvv", "card_expiry"])
    #expect(l.values.allSatisfy { $0 == "safe" })
    #expect(m["engine_fingerprint"] as? String == Fingerprint.current)
    #expect(m["seed"] as? Int == 42)
  }

  @Test func recordsRealisticOnlyWhereRequested() throws {
    let l = levels(try manifest("ssn=realistic"))
    #expect(l["ssn"] == "realistic")
    #expect(l.filter { $0.key != "ssn" }.values.allSatisfy { $0 == "safe" })
  }
}
