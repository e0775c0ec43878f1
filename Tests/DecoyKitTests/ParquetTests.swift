import DecoyTestSupport
import Foundation
import Testing

@testable import DecoyCore
@testable import DecoyIO
@testable import DecoyKit

/// Parquet files read back by pyarrow and DuckDB (independent implementations).
@Suite(.enabled(if: TestPython.path != nil, "needs the test venv with pyarrow and duckdb (made by .ci/run)"))
struct ParquetTests {
  static let spec = """
    version: 1
    name: pq
    tables:
      - name: t
        rows: 2500
        columns:
          - {name: id, sequence: 1}
          - {name: name, provider: person.full_name, null_rate: 0.1}
          - {name: born, provider: person.birth_date}
          - {name: zip, provider: address.zip}
          - {name: amount, range: {min: 0, max: 100, decimals: 2}, null_rate: 0.3}
          - {name: score, range: {min: 0, max: 1, type: double}}
          - {name: seen_at, timestamp: {from: 2025-01-01, to: 2025-12-31}, null_rate: 0.05}
          - {name: note, constant: "naïve \\"quoted\\", multi\\nline"}
          - {name: kind, choice: {values: [alpha, beta, gamma, delta, epsilon, zeta, eta, theta, iota]}, null_rate: 0.2}
          - {name: state, provider: address.state}
    """

  func write(_ dir: String, batch: Int, codec: ParquetWriter.Codec) throws -> [UInt8] {
    let spec = try SpecDecoder.decode(Self.spec)
    let plan = try Plan(spec: spec, context: GenerationContext(seed: 4, today: CivilDate(year: 2026, month: 1, day: 1)))
    let sink = MemorySink()
    let writer = ParquetWriter(sink: sink, codec: codec, rowGroupRows: 1000)
    try Engine(plan: plan, options: .init(threads: 2, batchSize: batch)).run(plan.tables[0], to: .batches(writer))
    try writer.commit()
    let jsonl = MemorySink()
    try Engine(plan: plan).run(plan.tables[0], encoder: JSONRecordEncoder(style: .lines), sink: jsonl)
    try Data(jsonl.bytes).write(to: URL(fileURLWithPath: dir + "/t.jsonl"))
    return sink.bytes
  }

  @Test func pyarrowAndDuckDBReadTypesNullsAndValues() throws {
    let dir = NSTemporaryDirectory() + "decoy-pq-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let gz = try write(dir, batch: 64, codec: .gzip)
    #expect(try write(dir, batch: 7, codec: .gzip) == gz, "row groups must not depend on batch size")
    try Data(gz).write(to: URL(fileURLWithPath: dir + "/t.gz.parquet"))
    try Data(try write(dir, batch: 333, codec: .uncompressed)).write(to: URL(fileURLWithPath: dir + "/t.plain.parquet"))
    let snappy = try write(dir, batch: 1000, codec: .snappy)
    #expect(try write(dir, batch: 17, codec: .snappy) == snappy, "row groups must not depend on batch size")
    try Data(snappy).write(to: URL(fileURLWithPath: dir + "/t.snappy.parquet"))
    let script = """
      import pyarrow as pa, pyarrow.parquet as pq, duckdb, json, sys, datetime, decimal
      d = sys.argv[1]
      expected = [json.loads(l) for l in open(d + '/t.jsonl')]
      codecs = {'t.gz.parquet': 'GZIP', 't.plain.parquet': 'UNCOMPRESSED', 't.snappy.parquet': 'SNAPPY'}
      for f in codecs:
          pf = pq.ParquetFile(d + '/' + f)
          assert pf.metadata.row_group(0).column(0).compression == codecs[f], (f, pf.metadata.row_group(0).column(0).compression)
          assert pf.metadata.num_row_groups == 3, pf.metadata.num_row_groups
          md = pf.metadata.row_group(0)
          names = [md.column(i).path_in_schema for i in range(md.num_columns)]
          for col in ['note', 'kind', 'state']:
              c = md.column(names.index(col))
              assert c.has_dictionary_page and 'RLE_DICTIONARY' in c.encodings, (col, c.encodings)
          assert not md.column(names.index('name')).has_dictionary_page
          s = pf.schema_arrow
          assert s.field('id').type == pa.int64() and s.field('name').type == pa.string()
          assert s.field('born').type == pa.date32() and s.field('zip').type == pa.string()
          assert s.field('amount').type == pa.decimal128(18, 2) and s.field('score').type == pa.float64()
          assert s.field('seen_at').type == pa.timestamp('us', tz='UTC')
          rows = pf.read().to_pylist()
          assert len(rows) == len(expected) == 2500
          nulls = 0
          for r, e in zip(rows, expected):
              for k, v in r.items():
                  x = e[k]
                  if v is None or x is None:
                      assert v is None and x is None, (k, v, x); nulls += 1
                  elif isinstance(v, datetime.datetime):
                      assert v.strftime('%Y-%m-%dT%H:%M:%SZ') == x, (k, v, x)
                  elif isinstance(v, datetime.date):
                      assert v.isoformat() == x, (k, v, x)
                  elif isinstance(v, decimal.Decimal):
                      assert v == decimal.Decimal(str(x)).quantize(decimal.Decimal('0.01')), (k, v, x)
                  else:
                      assert v == x, (k, v, x)
          assert nulls > 500, nulls
          con = duckdb.connect()
          n, s_amount, nn = con.execute(f"select count(*), sum(amount), count(name) from '{d}/{f}'").fetchone()
          assert n == 2500 and nn == sum(1 for e in expected if e['name'] is not None)
          assert abs(float(s_amount) - sum(e['amount'] for e in expected if e['amount'] is not None)) < 1e-6
          t = con.execute(f"select typeof(born), typeof(seen_at), typeof(amount) from '{d}/{f}' limit 1").fetchone()
          assert t == ('DATE', 'TIMESTAMP WITH TIME ZONE', 'DECIMAL(18,2)'), t
      print('ok')
      """
    let (status, out) = try TestPython.run(script, [dir])
    #expect(status == 0 && out.contains("ok"), "\(out)")
  }

  /// Snappy blocks decoded by pyarrow's own Snappy: incompressible bytes, long matches, literals of
  /// every length class, several 64 KiB blocks, and the empty input.
  @Test func snappyOutputDecodesWithAnIndependentDecoder() throws {
    let dir = NSTemporaryDirectory() + "decoy-snappy-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var state: UInt64 = 7
    func next() -> UInt64 {  // a 64-bit LCG's high bits: enough for test bytes
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state >> 33
    }
    var inputs: [[UInt8]] = [[], [1], Array("abcdabcdabcdabcdabcdabcd".utf8)]
    inputs.append((0..<200_000).map { _ in UInt8(truncatingIfNeeded: next()) })  // incompressible, literals ≥ 65,536
    inputs.append([UInt8](repeating: 0x41, count: 150_000))  // one long run, copies of 64
    inputs.append((0..<300_000).map { i in UInt8(truncatingIfNeeded: (i % 1000) * 7) })  // offsets ≥ 2,048
    var text: [UInt8] = []
    while text.count < 180_000 {  // words with random gaps: literals of 1–300 bytes between copies
      text += Array("Alice Smith,1990-01-02,Springfield,".utf8)
      text += (0..<Int(next() % 300)).map { _ in UInt8(65 + next() % 26) }
    }
    inputs.append(text)
    var compressor = SnappyCompressor()
    for (i, input) in inputs.enumerated() {
      var out: [UInt8] = []
      input.withUnsafeBytes { compressor.compress($0, into: &out) }
      #expect(out.count <= SnappyCompressor.maxCompressedLength(input.count))
      try Data(input).write(to: URL(fileURLWithPath: "\(dir)/\(i).raw"))
      try Data(out).write(to: URL(fileURLWithPath: "\(dir)/\(i).snappy"))
    }
    #expect(
      inputs[4].count > 20
        * {
          var o: [UInt8] = []
          inputs[4].withUnsafeBytes { compressor.compress($0, into: &o) }
          return o.count
        }())
    let (status, out) = try TestPython.run(
      """
      import pyarrow as pa, sys
      d, n = sys.argv[1], int(sys.argv[2])
      for i in range(n):
          raw = open(f'{d}/{i}.raw', 'rb').read(); comp = open(f'{d}/{i}.snappy', 'rb').read()
          got = pa.decompress(comp, decompressed_size=len(raw), codec='snappy').to_pybytes()
          assert got == raw, i
      print('ok')
      """, [dir, "\(inputs.count)"])
    #expect(status == 0 && out.contains("ok"), "\(out)")
  }

  @Test func generateWritesOneParquetFilePerTable() throws {
    let dir = NSTemporaryDirectory() + "decoy-pq2-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let s = try GenerateJob(spec: try SpecSource.load("shop"), format: .parquet, destination: .directory(dir)).run()
    #expect(s.files.map { ($0.path as NSString).lastPathComponent } == ["customers.parquet", "orders.parquet"])
    let (status, out) = try TestPython.run(
      """
      import pyarrow.parquet as pq, sys
      c = pq.read_table(sys.argv[1] + '/customers.parquet'); o = pq.read_table(sys.argv[1] + '/orders.parquet')
      assert c.num_rows == 1000 and set(o.column('customer_id').to_pylist()) <= set(c.column('customer_id').to_pylist())
      print('ok')
      """, [dir])
    #expect(status == 0 && out.contains("ok"), "\(out)")
  }
}
