import Foundation
import Testing
import DecoyTestSupport
import DecoyCore
@testable import DecoyIO

/// The fast CSV path against the RFC 4180 reader: the same records, fields and quoting on files
/// with quoted commas, doubled quotes, stray quotes and long lines, cut into tiny chunks so every
/// chunk boundary and the buffer growth are crossed; and a hand-over to the full reader for what
/// it does not do.
@Suite struct CSVLineChunksTests {
  func file(_ text: String) throws -> String {
    let path = NSTemporaryDirectory() + "chunks-\(UUID().uuidString).csv"
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  /// Every record as (fields, quoted flags) through CSVReader.
  func reference(_ path: String) throws -> [([String], [Bool])] {
    let r = try CSVReader(path: path)
    var out: [([String], [Bool])] = []
    while try r.next() { out.append(((0..<r.fields.count).map { r.string($0) }, r.quoted)) }
    return out
  }

  /// The same through CSVLineChunks; nil when it hands over.
  func fast(_ path: String, columns: Int, chunk: Int) throws -> [([String], [Bool])]? {
    let c = try CSVLineChunks(path: path, chunkBytes: chunk)
    guard let header = try c.header() else { return c.sawSpecial ? nil : [] }
    var out: [([String], [Bool])] = [(header, header.map { _ in false })]
    try c.forEachRecord(columns: columns) { r in
      out.append(((0..<columns).map { String(decoding: r.field($0), as: UTF8.self) }, (0..<columns).map { r.quoted($0) }))
      if let line = r.line {
        // A line without quotes is its fields joined by commas.
        #expect(String(decoding: line, as: UTF8.self) == out.last!.0.joined(separator: ","))
      }
      #expect(r.number == out.count)
      return true
    }
    return c.sawSpecial ? nil : out
  }

  @Test(arguments: [16, 64, 1 << 20]) func recordsMatchTheFullReader(chunk: Int) throws {
    var rng = SplitMix64(seed: UInt64(chunk))
    let pieces = ["a", "Bluestem Liberty Assurance, Inc.", "say \"hi\"", "", "12345", String(repeating: "long", count: 40), "é,ü"]
    var lines = ["c0,c1,c2,c3"]
    for _ in 0..<400 {
      lines.append((0..<4).map { _ -> String in
        let p = pieces[Int(rng.next() % UInt64(pieces.count))]
        // Quote what must be; sometimes quote what need not be (an empty quoted field stays quoted).
        if p.contains(",") || p.contains("\"") || rng.next() % 5 == 0 {
          return "\"" + p.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return p
      }.joined(separator: ","))
    }
    for ending in ["\n", ""] {  // with and without a final line feed
      let path = try file("\u{FEFF}" + lines.joined(separator: "\n") + ending)
      defer { try? FileManager.default.removeItem(atPath: path) }
      let want = try reference(path)
      let got = try #require(try fast(path, columns: 4, chunk: chunk))
      #expect(got.count == want.count)
      for (g, w) in zip(got.dropFirst(), want.dropFirst()) {
        #expect(g.0 == w.0)
        #expect(g.1 == w.1)
      }
      #expect(got.first?.0 == want.first?.0)
    }
  }

  @Test(arguments: ["a,b\r\n1,2\r\n", "a,b\n1,\"two\nlines\"\n", "a,b\n1,\"open\n", "a,b\n1,x\"y,\"z\n"])
  func handsOverWhatOnlyTheFullReaderReads(text: String) throws {
    let path = try file(text)
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(try fast(path, columns: 2, chunk: 64) == nil)
  }

  @Test func wrongFieldCountNamesTheLine() throws {
    let path = try file("a,b,c\n1,2,3\n4,\"5,6\"\n7,8,9\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let c = try CSVLineChunks(path: path)
    _ = try c.header()
    #expect(throws: DecoyError.input(file: path, line: 3, column: nil, reason: "2 fields, but the header has 3", hint: "check quoting on this line")) {
      try c.forEachRecord(columns: 3) { _ in true }
    }
  }

  @Test func emptyFileHasNoHeader() throws {
    let path = try file("")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let c = try CSVLineChunks(path: path)
    #expect(try c.header() == nil)
    #expect(!c.sawSpecial)
  }
}

