import Foundation
import Testing

@testable import DecoyCore
@testable import DecoyKit

/// `--format json --nested`: one document whose child rows sit inside their parents, holding exactly
/// the flat tables' rows.
@Suite struct NestedJSONTests {
  /// Three levels, parents with no children (Poisson mean 0.8), nulls, and a second top-level table.
  static let spec = """
    version: 1
    name: tree
    tables:
      - name: accounts
        rows: 700
        primary_key: id
        columns:
          - {name: id, sequence: 1}
          - {name: owner, provider: person.full_name, null_rate: 0.2}
      - name: cards
        parent: {table: accounts, count: {distribution: poisson, mean: 0.8}}
        primary_key: card_id
        columns:
          - {name: card_id, sequence: 1}
          - {name: account_id, ref: accounts.id}
          - {name: brand, provider: card.brand}
      - name: payments
        parent: {table: cards, count: {distribution: poisson, mean: 2}}
        columns:
          - {name: card_id, ref: cards.card_id}
          - {name: amount, range: {min: 1, max: 100, decimals: 2}}
          - {name: at, timestamp: {from: 2025-01-01, to: 2025-12-31}}
      - name: branches
        rows: 5
        columns:
          - {name: code, pattern: "BR-###"}
    """

  func run(nested: Bool, batch: Int, threads: Int = 2) throws -> [String: Data] {
    let dir = NSTemporaryDirectory() + "decoy-nested-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var job = GenerateJob(spec: try SpecDecoder.decode(Self.spec), format: .json, destination: .directory(dir))
    job.nested = nested
    job.engine = Engine.Options(threads: threads, batchSize: batch)
    let s = try job.run()
    var out: [String: Data] = [:]
    for f in s.files { out[(f.path as NSString).lastPathComponent] = FileManager.default.contents(atPath: f.path)! }
    return out
  }

  func array(_ d: Data?) throws -> [[String: Any]] {
    let bytes = try #require(d)
    return try #require(try JSONSerialization.jsonObject(with: bytes) as? [[String: Any]])
  }

  @Test func nestedDocumentHoldsExactlyTheFlatRowsUnderTheirParents() throws {
    let flat = try run(nested: false, batch: 1000)
    let nestedFiles = try run(nested: true, batch: 64)
    #expect(nestedFiles.keys.sorted() == ["tree.json"])
    let bytes = try #require(nestedFiles["tree.json"])
    let doc = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
    #expect(doc.keys.sorted() == ["accounts", "branches"])
    let accounts = try #require(doc["accounts"] as? [[String: Any]])
    var cards: [[String: Any]] = []
    var payments: [[String: Any]] = []
    var childless = 0
    for a in accounts {
      let cs = try #require(a["cards"] as? [[String: Any]])
      if cs.isEmpty { childless += 1 }
      for c in cs {
        #expect(c["account_id"] as? Int == a["id"] as? Int, "a card sits under the account it references")
        let ps = try #require(c["payments"] as? [[String: Any]])
        for p in ps { #expect(p["card_id"] as? Int == c["card_id"] as? Int) }
        payments += ps
        var bare = c
        bare["payments"] = nil
        cards.append(bare)
      }
    }
    #expect(childless > 100, "Poisson(0.8) leaves about 45% of accounts without cards")
    func same(_ a: [[String: Any]], _ b: [[String: Any]]) -> Bool {
      a.count == b.count && zip(a, b).allSatisfy { NSDictionary(dictionary: $0).isEqual(to: $1) }
    }
    let flatAccounts = try array(flat["accounts.json"])
    #expect(
      same(
        accounts.map {
          var x = $0
          x["cards"] = nil
          return x
        }, flatAccounts))
    #expect(same(cards, try array(flat["cards.json"])))
    #expect(same(payments, try array(flat["payments.json"])))
    #expect(same(try #require(doc["branches"] as? [[String: Any]]), try array(flat["branches.json"])))
    #expect(try run(nested: true, batch: 7, threads: 1) == nestedFiles, "chunking never changes the document")
  }

  /// The document's exact layout (indentation, empty arrays, key order), checked by eye once and
  /// pinned: 4 accounts and everything under them.
  @Test func nestedGolden() throws {
    var spec = try SpecDecoder.decode(Self.spec)
    spec.tables[0].rows = 4
    spec.tables[3].rows = 1
    let dir = NSTemporaryDirectory() + "decoy-nested-golden-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var job = GenerateJob(spec: spec, format: .json, destination: .directory(dir))
    job.nested = true
    _ = try job.run()
    let bytes = try #require(FileManager.default.contents(atPath: dir + "/tree.json"))
    let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("DecoyIOTests/Golden/tree.nested.json")
    if ProcessInfo.processInfo.environment["DECOY_RECORD_GOLDEN"] != nil { try bytes.write(to: golden) }
    #expect(bytes == FileManager.default.contents(atPath: golden.path), "tree.json differs from its golden file")
  }

  @Test func nestedNeedsJSONAndNoShards() throws {
    var job = GenerateJob(
      spec: try SpecDecoder.decode(Self.spec), format: .jsonl,
      destination: .directory(NSTemporaryDirectory() + "decoy-never"))
    job.nested = true
    #expect(throws: DecoyError.self) { try job.run() }
    job.format = .json
    job.shard = Shard(index: 0, count: 2)
    #expect(throws: DecoyError.self) { try job.run() }
    #expect(
      !FileManager.default.fileExists(atPath: NSTemporaryDirectory() + "decoy-never"),
      "no output directory for a refused run")
  }
}
