import DecoyTestSupport
import Foundation
import Testing

@testable import DecoyCore
@testable import DecoyIO
@testable import DecoyKit

/// Workbooks read back by openpyxl (an independent implementation).
@Suite(.enabled(if: TestPython.path != nil, "needs the test venv with openpyxl (made by .ci/run)"))
struct XLSXTests {
  func tempDir() -> String {
    let d = NSTemporaryDirectory() + "decoy-xlsx-\(UUID().uuidString)"
    try! FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
    return d
  }

  @Test func workbookValuesEqualTheCSVOfTheSameSeed() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    for f in [OutputFormat.xlsx, .jsonl] {
      _ = try GenerateJob(spec: try SpecSource.load("shop"), seed: 3, format: f, destination: .directory(dir)).run()
    }
    let script = """
      import openpyxl, json, sys, datetime, warnings
      warnings.simplefilter('error')
      d = sys.argv[1]
      wb = openpyxl.load_workbook(d + '/shop.xlsx')
      assert wb.sheetnames == ['customers', 'orders', 'dictionary'], wb.sheetnames
      for table in ['customers', 'orders']:
          ws = wb[table]
          assert ws.freeze_panes == 'A2', ws.freeze_panes
          assert all(c.font.b for c in ws[1])
          rows = list(ws.iter_rows(values_only=True))
          header, data = rows[0], rows[1:]
          expected = [json.loads(l) for l in open(d + '/' + table + '.jsonl')]
          assert len(data) == len(expected), (len(data), len(expected))
          for row, exp in zip(data, expected):
              assert list(header) == list(exp.keys())
              for k, v in zip(header, row):
                  e = exp[k]
                  if isinstance(v, datetime.datetime):
                      s = v.strftime('%Y-%m-%d') if len(e) == 10 else v.strftime('%Y-%m-%dT%H:%M:%SZ')
                      assert s == e, (k, v, e)
                  elif isinstance(v, float):
                      assert abs(v - e) < 1e-9, (k, v, e)
                  else:
                      assert v == e, (k, v, e)
      dic = list(wb['dictionary'].iter_rows(values_only=True))
      assert dic[0] == ('table', 'column', 'type', 'description', 'PII category', 'safety level')
      assert len(dic) == 1 + 5 + 6
      assert ('customers', 'email') == dic[3][:2] and dic[3][5] == 'safe'
      print('ok')
      """
    let (status, out) = try TestPython.run(script, [dir])
    #expect(status == 0 && out.contains("ok"), "\(out)")
  }

  @Test func moreRowsThanExcelAllowsContinueOnASecondSheet() throws {
    let dir = tempDir()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let spec = try SpecDecoder.decode(
      """
      version: 1
      name: big
      tables: [{name: t, rows: 1100000, columns: [{name: id, sequence: 1}, {name: code, pattern: "??"}]}]
      """)
    _ = try GenerateJob(spec: spec, format: .xlsx, destination: .directory(dir)).run()
    let script = """
      import openpyxl, sys
      wb = openpyxl.load_workbook(sys.argv[1] + '/big.xlsx', read_only=True)
      assert wb.sheetnames == ['t', 't (2)', 'dictionary'], wb.sheetnames
      a = list(wb['t'].iter_rows(values_only=True))
      b = list(wb['t (2)'].iter_rows(values_only=True))
      assert len(a) == 1048576 and len(b) == 1 + 1100000 - 1048575, (len(a), len(b))
      assert a[0] == ('id', 'code') and b[0] == ('id', 'code')
      assert a[1][0] == 1 and a[-1][0] == 1048575 and b[1][0] == 1048576 and b[-1][0] == 1100000
      print('ok')
      """
    let (status, out) = try TestPython.run(script, [dir])
    #expect(status == 0 && out.contains("ok"), "\(out)")
  }
}

/// Word documents read back by python-docx.
@Suite(.enabled(if: TestPython.path != nil, "needs the test venv with python-docx (made by .ci/run)"))
struct DOCXTests {
  @Test func documentHasDictionaryDataAndTheCapNote() throws {
    let dir = NSTemporaryDirectory() + "decoy-docx-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var job = GenerateJob(spec: try SpecSource.load("shop"), seed: 3, format: .docx, destination: .directory(dir))
    job.docxRowCap = 50
    _ = try job.run()
    _ = try GenerateJob(spec: try SpecSource.load("shop"), seed: 3, format: .jsonl, destination: .directory(dir)).run()
    let script = """
      import docx, json, sys
      d = sys.argv[1]
      doc = docx.Document(d + '/shop.docx')
      text = [p.text for p in doc.paragraphs]
      assert text[0] == 'shop', text[:3]
      assert 'Data dictionary' in text
      dic, customers, orders = doc.tables
      assert [c.text for c in dic.rows[0].cells] == ['table', 'column', 'type', 'description', 'PII category', 'safety level']
      assert len(dic.rows) == 1 + 11
      expected = [json.loads(l) for l in open(d + '/customers.jsonl')][:50]
      assert len(customers.rows) == 51
      assert [c.text for c in customers.rows[0].cells] == list(expected[0].keys())
      for row, exp in zip(customers.rows[1:], expected):
          assert [c.text for c in row.cells] == [str(v) for v in exp.values()], ([c.text for c in row.cells], exp)
      assert any(t.startswith('Showing the first 50 of 1000 rows of customers') for t in text), text
      n = sum(1 for _ in open(d + '/orders.jsonl'))
      assert any(t.startswith('Showing the first 50 of %d rows of orders' % n) for t in text)
      print('ok')
      """
    let (status, out) = try TestPython.run(script, [dir])
    #expect(status == 0 && out.contains("ok"), "\(out)")
  }
}
