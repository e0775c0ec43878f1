import CDecoyKernels
import DecoyCore
import DecoyTestSupport
import Foundation
import Testing

@testable import DecoyIO

/// The fast CSV path against the RFC 4180 reader: the same records, fields, quoting and line numbers
/// on files with quoted commas, doubled quotes and long lines, cut into tiny chunks so every chunk
/// boundary and the buffer growth are crossed; and the hand-over to the full reader, at the start
/// or in the middle of a file, for what the fast path does not read.
@Suite struct FastCSVReaderTests {
  typealias Records = [(fields: [String], quoted: [Bool], line: Int)]

  func file(_ text: String) throws -> String {
    let path = NSTemporaryDirectory() + "fastcsv-\(UUID().uuidString).csv"
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  /// Every record through CSVReader.
  func reference(_ path: String) throws -> Records {
    let r = try CSVReader(path: path)
    var out: Records = []
    while try r.next() { out.append(((0..<r.fields.count).map { r.string($0) }, r.quoted, r.line)) }
    return out
  }

  /// The same through FastCSVReader, and whether it handed over.
  func fast(_ path: String, columns: Int, chunk: Int) throws -> (records: Records, handedOver: Bool) {
    let c = try FastCSVReader(path: path, chunkBytes: chunk)
    guard let header = try c.header() else { return ([], c.handedOver) }
    var out: Records = [(header, header.map { _ in false }, 1)]
    try c.forEachRecord(columns: columns) { r in
      out.append(
        (
          (0..<columns).map { String(decoding: r.field($0), as: UTF8.self) }, (0..<columns).map { r.quoted($0) },
          r.number
        ))
      if let line = r.line {
        // A line given as is is what CSVField writes for its fields, and its raw fields cut it.
        var clean: [UInt8] = []
        for c in 0..<columns {
          if c > 0 { clean.append(44) }
          CSVField.append(r.field(c), quoted: r.quoted(c), to: &clean)
        }
        #expect(Array(line) == clean)
        #expect(Array(line) == Array((0..<columns).map { Array(r.rawField($0)) }.joined(separator: [44])))
      }
      return true
    }
    return (out, c.handedOver)
  }

  func expectSame(_ got: Records, _ want: Records) {
    #expect(got.count == want.count)
    for (g, w) in zip(got.dropFirst(), want.dropFirst()) {
      #expect(g.fields == w.fields)
      #expect(g.quoted == w.quoted)
      #expect(g.line == w.line)
    }
    #expect(got.first?.fields == want.first?.fields)
  }

  /// The AVX-512 structural scan against the SSE2 one: the same offsets, line flags and verdict on
  /// random bytes, some rich in quotes, CRs and line feeds, some with none (the eight-at-a-time
  /// path), at lengths around the 64-byte blocks.
  @Test func vectorScanMatchesThePortableScan() {
    var rng = SplitMix64(seed: 5)
    let plain = Array("ab,\n x7".utf8)
    let rich = Array("ab,\"\n\r x".utf8)
    for len in [0, 1, 63, 64, 65, 127, 200, 4_099] {
      for variant in 0..<24 {
        let alphabet = variant % 3 == 0 ? rich : plain
        var bytes = (0..<len).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
        // A few quotes in otherwise plain data: blocks with and without quotes side by side.
        if variant % 3 == 1 && len > 0 { for _ in 0..<3 { bytes[Int(rng.next() % UInt64(len))] = 34 } }
        var a = [UInt32](repeating: 0, count: len + 8)
        var b = a
        var sa: Int32 = 0
        var sb: Int32 = 0
        let na = decoy_csv_structurals_using(1, bytes, len, &a, &sa)
        let nb = decoy_csv_structurals_using(0, bytes, len, &b, &sb)
        #expect(na == nb && Array(a.prefix(na)) == Array(b.prefix(nb)) && sa == sb, "length \(len), variant \(variant)")
      }
    }
  }

  @Test(arguments: [16, 64, 1 << 20]) func recordsMatchTheFullReader(chunk: Int) throws {
    var rng = SplitMix64(seed: UInt64(chunk))
    let pieces = [
      "a", "Bluestem Liberty Assurance, Inc.", "say \"hi\"", "", "12345", String(repeating: "long", count: 40), "é,ü",
    ]
    var lines = ["c0,c1,c2,c3"]
    for _ in 0..<400 {
      lines.append(
        (0..<4).map { _ -> String in
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
      let got = try fast(path, columns: 4, chunk: chunk)
      #expect(!got.handedOver, "these files are for the fast path")
      #expect(got.records.enumerated().allSatisfy { $0.element.line == $0.offset + 1 }, "one line per record")
      expectSame(got.records, want)
    }
  }

  /// CRs, line feeds inside quotes and quotes the two rules read differently: the full reader takes
  /// over (from the start, or mid-file after plain lines) and the records, or the error, are its own.
  @Test(arguments: [
    "a,b\r\n1,2\r\n", "a,b\n1,\"two\nlines\"\n", "a,b\n1,\"open\n", "a,b\n1,x\"y,\"z\n",
    String(repeating: "1,2\n", count: 40) + "3,\"four\nlines\"\n5,6\n",
    "a,b,c,d\n1,2,3,4\n1,x\"y,\"z\nw\",5\n6,7,8,9\n",
  ])
  func handsOverToTheFullReader(text: String) throws {
    let path = try file(text)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let columns = text.hasPrefix("a,b,c,d") ? 4 : 2
    for chunk in [16, 64, 1 << 20] {
      let want = Result { try reference(path) }
      let got = Result { try fast(path, columns: columns, chunk: chunk) }
      switch (want, got) {
      case (.success(let w), .success(let g)):
        #expect(g.handedOver)
        expectSame(g.records, w)
      case (.failure(let e), .failure(let f)):
        #expect(e as? DecoyError == f as? DecoyError)
      default:
        Issue.record("CSVReader gave \(want), FastCSVReader \(got) (chunk \(chunk))")
      }
    }
  }

  /// Blocks from CSVBlocks, each read by one reader restarted on it, give the file's records in
  /// order, numbered from 1 in each block; a boundary inside quotes makes a block incomplete.
  @Test func blocksReadTheFileRecords() throws {
    var rng = SplitMix64(seed: 3)
    var lines = ["c0,c1,c2"]
    for i in 0..<300 {
      lines.append(
        "\(i),\"say \"\"\(rng.next() % 1000)\"\", ok\",\(String(repeating: "x", count: Int(rng.next() % 90)))")
    }
    let path = try file(lines.joined(separator: "\n") + "\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let want = try reference(path)
    let head = try FastCSVReader(path: path)
    _ = try head.header()
    let start = try #require(head.nextRecordOffset)
    #expect(start == lines[0].utf8.count + 1)
    let reader = try FastCSVReader(path: path, chunkBytes: 256)
    for blockBytes in [1, 100, 1000, 1 << 20] {
      let blocks = try CSVBlocks.split(path: path, from: start, blockBytes: blockBytes)
      #expect(
        blocks.first?.lowerBound == start && blocks.last?.upperBound == lines.joined(separator: "\n").utf8.count + 1)
      #expect(zip(blocks, blocks.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
      var got: Records = [(want[0].fields, want[0].quoted, 1)]
      for block in blocks {
        try reader.restart(range: block)
        var local = 0
        try reader.forEachRecord(columns: 3) { r in
          local += 1
          #expect(r.number == local)
          got.append(
            ((0..<3).map { String(decoding: r.field($0), as: UTF8.self) }, (0..<3).map { r.quoted($0) }, got.count + 1))
          return true
        }
        #expect(!reader.incomplete && !reader.handedOver)
      }
      expectSame(got, want)
    }
    // Every line feed a boundary: the blocks around the one inside quotes are incomplete.
    let quoted = try file("a,b\n1,\"x\ny\"\n2,3\n")
    defer { try? FileManager.default.removeItem(atPath: quoted) }
    var incomplete = 0
    let blockReader = try FastCSVReader(path: quoted)
    for block in try CSVBlocks.split(path: quoted, from: 4, blockBytes: 1) {
      try blockReader.restart(range: block)
      try? blockReader.forEachRecord(columns: 2) { _ in true }
      if blockReader.incomplete { incomplete += 1 }
    }
    #expect(incomplete == 2)
  }

  /// The ids read straight from a block's bytes (`integers(in:)`, pass 1 of the enrichment) are
  /// the full reader's, and a block the shortcut cannot read exactly gives nil, never other
  /// numbers: random lines with quoted commas, empty quoted fields, doubled and stray quotes,
  /// signs, overflow, empty, text or quoted ids, extra fields, CRs and line feeds inside quotes,
  /// in blocks of every size. Files without those rarities are read by the shortcut throughout.
  @Test func blockIntegersMatchTheFullReader() throws {
    var rng = SplitMix64(seed: 9)
    func pick(_ a: [String]) -> String { a[Int(rng.next() % UInt64(a.count))] }
    let plain = ["Ann", "\"Bluestem, Inc.\"", "\"\"", "x y", "", "\"quoted\""]
    let odd = ["\"say \"\"hi\"\"\"", "a\"b", "x\"y,z\"w", "\"p\"q,r", "1\r", "\"two\nlines\"", "1,2", "\"a,\nb\""]
    let ids = ["1", "42", "+7", "-3", "007", "9223372036854775807", "-9223372036854775807"]
    let badIDs = ["", "x", "9223372036854775808", "1.0", "\"5\"", " 5", "-", "+"]
    for round in 0..<12 {
      var lines = ["id,name,pid,note"]
      for _ in 0..<400 {
        let rare = round % 3 != 0 && rng.next() % 60 == 0
        let id = rare && rng.next() % 2 == 0 ? pick(badIDs) : pick(ids)
        lines.append([id, pick(plain), pick(ids), rare ? pick(odd) : pick(plain)].joined(separator: ","))
      }
      let path = try file(lines.joined(separator: "\n") + (round % 2 == 0 ? "\n" : ""))
      defer { try? FileManager.default.removeItem(atPath: path) }
      let start = lines[0].utf8.count + 1
      let reader = try FastCSVReader(path: path, chunkBytes: 256)
      for blockBytes in [1, 50, 700, 1 << 20] {
        for block in try CSVBlocks.split(path: path, from: start, blockBytes: blockBytes) {
          let got = try reader.integers(in: block, fields: 4, 0, 2)
          if round % 3 == 0 { #expect(got != nil, "plain lines take the shortcut") }
          guard let got else { continue }
          try reader.restart(range: block)
          var want: [(Int64?, Int64?)] = []
          try reader.forEachRecord(columns: 4) { r in
            want.append((PandasColumnType.integer(r.field(0)), PandasColumnType.integer(r.field(2))))
            return true
          }
          #expect(!reader.incomplete)
          #expect(got.a.count == want.count && got.b.count == want.count)
          #expect(
            zip(got.a, want).allSatisfy { $0 == $1.0 } && zip(got.b, want).allSatisfy { $0 == $1.1 },
            "round \(round), block \(block)")
        }
      }
    }
  }

  /// The AVX-512 block-ids kernel against the SSE2 one on random lines of 2–4 fields (numbers,
  /// text, quoted commas and line feeds, stray quotes, CRs), cut at random lengths around the
  /// 64-byte blocks: the same verdict and the same ids.
  @Test func vectorBlockIDsMatchThePortableKernel() {
    var rng = SplitMix64(seed: 13)
    // Numbers first: the even variants draw only from them and mostly read; the odd ones from all.
    let tokens = ["1", "-22", "333", "55555", "+6", "x", "", "\"a,b\"", "\"\"", "\"q\nr\"", "4\r", "a\"b"]
    var accepted = 0
    for variant in 0..<400 {
      let fields = 2 + variant % 3
      let lines = (0..<(1 + rng.next() % 12)).map { _ in
        (0..<(rng.next() % 30 == 0 ? 1 + fields : fields)).map { _ in
          tokens[Int(rng.next() % UInt64(variant % 2 == 0 ? 5 : tokens.count))]
        }.joined(separator: ",")
      }
      let text = Array(lines.joined(separator: "\n").utf8) + [10]
      let len = text.count - Int(rng.next() % 70)  // often cut inside the last line
      let bytes = Array(text.prefix(max(0, len)))
      var a1 = [Int64](repeating: 0, count: bytes.count / fields + 1)
      var b1 = a1
      var a0 = a1
      var b0 = a1
      let n1 = decoy_csv_block_ids_using(1, bytes, bytes.count, fields, 0, fields - 1, &a1, &b1)
      let n0 = decoy_csv_block_ids_using(0, bytes, bytes.count, fields, 0, fields - 1, &a0, &b0)
      #expect(n1 == n0, "variant \(variant): \(String(decoding: bytes, as: UTF8.self).debugDescription)")
      if n1 > 0 {
        accepted += 1
        #expect(Array(a1.prefix(n1)) == Array(a0.prefix(n0)) && Array(b1.prefix(n1)) == Array(b0.prefix(n0)))
      }
    }
    #expect(accepted > 20, "some random blocks are readable")
  }

  @Test func wrongFieldCountNamesTheLine() throws {
    let path = try file("a,b,c\n1,2,3\n4,\"5,6\"\n7,8,9\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let c = try FastCSVReader(path: path)
    _ = try c.header()
    #expect(
      throws: DecoyError.input(
        file: path, line: 3, column: nil, reason: "2 fields, but the header has 3", hint: "check quoting on this line")
    ) {
      try c.forEachRecord(columns: 3) { _ in true }
    }
  }

  @Test func emptyFileHasNoHeader() throws {
    let path = try file("")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let c = try FastCSVReader(path: path)
    #expect(try c.header() == nil)
    #expect(!c.handedOver)
  }
}
