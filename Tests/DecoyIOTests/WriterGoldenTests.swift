import Foundation
import Testing

@testable import DecoyCore
@testable import DecoyIO

/// Golden files per writer, plus a check by independent readers (Python's csv and json modules)
/// that every format carries the same values.
@Suite struct WriterGoldenTests {
  static let goldenDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

  static let spec = """
    version: 1
    name: golden
    tables:
      - name: people
        rows: 25
        columns:
          - {name: id, sequence: 1}
          - {name: name, provider: person.full_name, order: last-first}
          - {name: birth_date, provider: person.birth_date}
          - {name: zip, provider: address.zip}
          - {name: card, provider: card.number}
          - {name: amount, range: {min: 0, max: 100, decimals: 2}, null_rate: 0.2}
          - {name: score, range: {min: 0, max: 1, type: double}}
          - {name: seen_at, timestamp: {from: 2025-01-01, to: 2025-12-31}}
          - {name: note, constant: "says \\"hi\\", then\\nleaves"}
          - {name: tag, pattern: "T-##?"}
    """

  func encode(_ encoder: any RecordEncoder) throws -> [UInt8] {
    let spec = try SpecDecoder.decode(Self.spec)
    let plan = try Plan(spec: spec, context: GenerationContext(seed: 7, today: CivilDate(year: 2026, month: 1, day: 1)))
    let sink = MemorySink()
    try Engine(plan: plan, options: .init(threads: 2, batchSize: 7)).run(plan.tables[0], encoder: encoder, sink: sink)
    return sink.bytes
  }

  func checkGolden(_ name: String, _ bytes: [UInt8]) throws {
    let url = Self.goldenDir.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["DECOY_RECORD_GOLDEN"] != nil {
      try Data(bytes).write(to: url)
    }
    let golden = try #require(
      FileManager.default.contents(atPath: url.path), "missing golden \(name); record with DECOY_RECORD_GOLDEN=1")
    #expect(Data(bytes) == golden, "\(name) differs from its golden file")
  }

  @Test func csvGolden() throws { try checkGolden("people.csv", try encode(CSVEncoder())) }
  @Test func jsonlGolden() throws { try checkGolden("people.jsonl", try encode(JSONRecordEncoder(style: .lines))) }
  @Test func jsonGolden() throws { try checkGolden("people.json", try encode(JSONRecordEncoder(style: .array))) }
  @Test func postgresSQLGolden() throws {
    try checkGolden("people.pg.sql", try encode(SQLEncoder(dialect: .postgres, rowsPerStatement: 10)))
  }
  @Test func sqliteSQLGolden() throws {
    try checkGolden("people.sqlite.sql", try encode(SQLEncoder(dialect: .sqlite, rowsPerStatement: 10)))
  }

  /// XLSX is compared part by part (decompressed), so a different zlib cannot break the golden.
  @Test func xlsxGoldenPartByPart() throws {
    let spec = try SpecDecoder.decode(Self.spec)
    let plan = try Plan(spec: spec, context: GenerationContext(seed: 7, today: CivilDate(year: 2026, month: 1, day: 1)))
    let sink = MemorySink()
    let writer = XLSXWriter(
      sink: sink, dictionary: [["people", "id", "int", "sequence", "none", "n/a"]], dataRowsPerSheet: 10)
    try Engine(plan: plan, options: .init(threads: 2, batchSize: 7)).run(plan.tables[0], to: .batches(writer))
    try writer.commit()
    #expect(sink.committed)
    let parts = try unzip(sink.bytes)
    #expect(
      parts.contains { $0.name == "xl/worksheets/sheet3.xml" }
        && parts.contains { $0.name == "xl/worksheets/sheet4.xml" })  // 25 rows, 10 per sheet, + dictionary
    for p in parts { try checkGolden("xlsx/" + p.name.replacingOccurrences(of: "/", with: "_"), p.bytes) }
  }

  /// DOCX part by part, like XLSX.
  @Test func docxGoldenPartByPart() throws {
    let spec = try SpecDecoder.decode(Self.spec)
    let plan = try Plan(spec: spec, context: GenerationContext(seed: 7, today: CivilDate(year: 2026, month: 1, day: 1)))
    let sink = MemorySink()
    let writer = try DOCXWriter(
      sink: sink, title: "golden", subtitle: "Golden file test",
      dictionary: [["people", "id", "int", "sequence", "none", "n/a"]], rowCap: 20)
    try Engine(plan: plan, options: .init(threads: 2, batchSize: 7)).run(plan.tables[0], to: .batches(writer))
    try writer.commit()
    let parts = try unzip(sink.bytes)
    #expect(parts.contains { $0.name == "word/document.xml" })
    for p in parts { try checkGolden("docx/" + p.name.replacingOccurrences(of: "/", with: "_"), p.bytes) }
  }

  /// Parquet byte for byte, uncompressed and Snappy (both entirely our code; GZIP pages depend on zlib's version).
  @Test func parquetGolden() throws {
    let spec = try SpecDecoder.decode(Self.spec)
    let plan = try Plan(spec: spec, context: GenerationContext(seed: 7, today: CivilDate(year: 2026, month: 1, day: 1)))
    for codec in [ParquetWriter.Codec.uncompressed, .snappy] {
      let sink = MemorySink()
      let writer = ParquetWriter(sink: sink, codec: codec, rowGroupRows: 10)
      try Engine(plan: plan, options: .init(threads: 2, batchSize: 7)).run(plan.tables[0], to: .batches(writer))
      try writer.commit()
      try checkGolden("people.\(codec.name).parquet", sink.bytes)
    }
  }

  /// The COPY text PostgresWriter streams, byte for byte (the load itself is tested against a real server).
  @Test func postgresCopyTextGolden() throws {
    let spec = try SpecDecoder.decode(Self.spec)
    let plan = try Plan(spec: spec, context: GenerationContext(seed: 7, today: CivilDate(year: 2026, month: 1, day: 1)))
    final class CopyText: BatchWriter {
      var bytes: [UInt8] = []
      func begin(_ layout: TableLayout) throws(DecoyError) {}
      func write(_ layout: TableLayout, columns: [ColumnBuffer], rows: Range<UInt64>) throws(DecoyError) {
        PostgresWriter.appendCopyRows(columns, count: rows.count, to: &bytes)
      }
      func finish(_ layout: TableLayout) throws(DecoyError) {}
      func commit() throws(DecoyError) {}
      func abort() {}
    }
    let w = CopyText()
    try Engine(plan: plan, options: .init(threads: 2, batchSize: 7)).run(plan.tables[0], to: .batches(w))
    try checkGolden("people.copy.tsv", w.bytes)
  }

  /// A SQLite database as the sqlite3 shell dumps it (schema and rows), compared as text.
  @Test(
    .enabled(
      if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3"),
      "needs the sqlite3 shell (installed by .ci/run)"))
  func sqliteDumpGolden() throws {
    let spec = try SpecDecoder.decode(Self.spec)
    let plan = try Plan(spec: spec, context: GenerationContext(seed: 7, today: CivilDate(year: 2026, month: 1, day: 1)))
    let path = NSTemporaryDirectory() + "decoy-golden-\(UUID().uuidString).sqlite"
    defer { try? FileManager.default.removeItem(atPath: path) }
    let writer = try SQLiteWriter(path: path)
    try Engine(plan: plan, options: .init(threads: 2, batchSize: 7)).run(plan.tables[0], to: .batches(writer))
    try writer.commit()
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    p.arguments = [path, ".dump"]
    let pipe = Pipe()
    p.standardOutput = pipe
    try p.run()
    let dump = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    #expect(p.terminationStatus == 0)
    try checkGolden("people.sqlite.dump", Array(dump))
  }

  /// The parts of a zip archive, extracted by Python's zipfile (an independent reader).
  func unzip(_ bytes: [UInt8]) throws -> [(name: String, bytes: [UInt8])] {
    let dir = NSTemporaryDirectory() + "decoy-unzip-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Data(bytes).write(to: URL(fileURLWithPath: dir + "/archive.zip"))
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [
      "python3", "-c",
      """
      import zipfile, sys, os
      d = sys.argv[1]
      z = zipfile.ZipFile(d + '/archive.zip')
      assert z.testzip() is None
      for n in z.namelist():
          open(os.path.join(d, 'part-' + n.replace('/', '_')), 'wb').write(z.read(n))
      print('\\n'.join(z.namelist()))
      """, dir,
    ]
    let pipe = Pipe()
    p.standardOutput = pipe
    try p.run()
    let names = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n")
      .map(String.init)
    p.waitUntilExit()
    #expect(p.terminationStatus == 0)
    return try names.map { n in
      (
        n,
        Array(
          try #require(
            FileManager.default.contents(atPath: dir + "/part-" + n.replacingOccurrences(of: "/", with: "_"))))
      )
    }
  }

  @Test func sqlStatementsDoNotDependOnBatchSize() throws {
    let spec = try SpecDecoder.decode(Self.spec)
    let plan = try Plan(spec: spec, context: GenerationContext(seed: 7, today: CivilDate(year: 2026, month: 1, day: 1)))
    var outputs: [[UInt8]] = []
    for (threads, batch) in [(1, 1), (2, 3), (2, 64)] {
      let sink = MemorySink()
      try Engine(plan: plan, options: .init(threads: threads, batchSize: batch)).run(
        plan.tables[0], encoder: SQLEncoder(dialect: .sqlite, rowsPerStatement: 4), sink: sink)
      outputs.append(sink.bytes)
    }
    #expect(outputs[0] == outputs[1] && outputs[1] == outputs[2])
  }

  @Test func independentReadersAgreeAcrossFormats() throws {
    let dir = NSTemporaryDirectory() + "decoy-io-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Data(try encode(CSVEncoder())).write(to: URL(fileURLWithPath: dir + "/p.csv"))
    try Data(try encode(CSVEncoder(delimiter: UInt8(ascii: ";")))).write(to: URL(fileURLWithPath: dir + "/p2.csv"))
    try Data(try encode(JSONRecordEncoder(style: .lines))).write(to: URL(fileURLWithPath: dir + "/p.jsonl"))
    try Data(try encode(JSONRecordEncoder(style: .array))).write(to: URL(fileURLWithPath: dir + "/p.json"))
    let script = """
      import csv, json, sys
      d = sys.argv[1]
      rows = list(csv.DictReader(open(d + '/p.csv', newline='')))
      rows2 = list(csv.DictReader(open(d + '/p2.csv', newline=''), delimiter=';'))
      lines = [json.loads(l) for l in open(d + '/p.jsonl')]
      arr = json.load(open(d + '/p.json'))
      assert rows == rows2, 'delimiter changes values'
      assert lines == arr, 'jsonl and json differ'
      assert len(rows) == 25 == len(lines)
      nulls = 0
      for r, j in zip(rows, lines):
          assert set(r) == set(j), (r.keys(), j.keys())
          for k in r:
              v = j[k]
              if v is None:
                  assert r[k] == '', (k, r[k]); nulls += 1
              elif isinstance(v, float):
                  assert float(r[k]) == v, (k, r[k], v)
              else:
                  assert r[k] == str(v), (k, r[k], v)
          assert j['note'] == 'says "hi", then\\nleaves'
          assert len(j['zip']) == 5 and isinstance(j['zip'], str)
      assert nulls > 0
      print('ok')
      """
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", script, dir]
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try p.run()
    p.waitUntilExit()
    let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(p.terminationStatus == 0 && out.contains("ok"), "\(out)")
  }

  @Test func fileSinkLeavesNothingOnAbort() throws {
    let dir = NSTemporaryDirectory() + "decoy-sink-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let sink = try FileSink(path: dir + "/x.csv")
    try sink.write(Array("partial".utf8))
    sink.abort()
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    let ok = try FileSink(path: dir + "/y.csv")
    try ok.write(Array("whole\n".utf8))
    try ok.commit()
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["y.csv"])
  }
}
