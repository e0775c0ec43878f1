public import DecoyCore

/// An Office Open XML workbook written as a zip stream: one sheet per table (continued on further
/// sheets past Excel's 1,048,576-row limit), a bold frozen header row, typed cells (numbers, dates
/// and timestamps with date styles, booleans, inline text), column widths, and a "dictionary" sheet
/// describing every column.
public final class XLSXWriter: BatchWriter {
  /// Rows per sheet, header included (Excel's limit).
  public static let excelRowLimit: UInt64 = 1_048_576

  /// One row of the dictionary sheet: table, column, type, description, PII category, safety level.
  public typealias DictionaryRow = [String]

  private let archive: ZipStreamWriter
  private let sink: any ByteSink
  private let rowsPerSheet: UInt64
  private let dictionary: [DictionaryRow]
  private var sheets: [String] = []
  private var rowInSheet: UInt64 = 0
  private var part = 1
  private var columnLetters: [[UInt8]] = []
  private var buffer: [UInt8] = []

  /// `dataRowsPerSheet` is for tests; real workbooks use Excel's limit.
  public init(sink: any ByteSink, dictionary: [DictionaryRow], dataRowsPerSheet: UInt64 = XLSXWriter.excelRowLimit - 1)
  {
    self.sink = sink
    archive = ZipStreamWriter(sink: sink)
    rowsPerSheet = dataRowsPerSheet
    self.dictionary = dictionary
  }

  static func letters(_ index: Int) -> [UInt8] {
    var n = index + 1
    var out: [UInt8] = []
    while n > 0 {
      let r = (n - 1) % 26
      out.insert(UInt8(65 + r), at: 0)
      n = (n - 1) / 26
    }
    return out
  }

  /// Text made safe for XML: escapes markup characters and drops characters XML 1.0 forbids.
  static func appendEscaped<C: Collection>(_ bytes: C, to out: inout [UInt8]) where C.Element == UInt8 {
    for b in bytes {
      switch b {
      case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
      case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
      case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
      case 9, 10, 13: out.append(b)
      case 0..<32: continue
      default: out.append(b)
      }
    }
  }

  private func sheetName(_ table: String, part: Int) -> String {
    let base = String(table.prefix(part == 1 ? 31 : 26))
    return part == 1 ? base : "\(base) (\(part))"
  }

  private func startSheet(_ layout: TableLayout, part: Int) throws(DecoyError) {
    sheets.append(sheetName(layout.name, part: part))
    try archive.begin("xl/worksheets/sheet\(sheets.count).xml")
    var s = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    s +=
      #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><cols>"#
    for (i, (name, type)) in zip(layout.columns, layout.types).enumerated() {
      let width: Int
      switch type {
      case .date: width = 12
      case .timestamp: width = 20
      case .string: width = max(12, min(40, name.count + 4))
      default: width = max(10, name.count + 3)
      }
      s += #"<col min="\#(i + 1)" max="\#(i + 1)" width="\#(width)" customWidth="1"/>"#
    }
    s += "</cols><sheetData>"
    var head = Array(s.utf8)
    head.append(contentsOf: #"<row r="1">"#.utf8)
    for (i, name) in layout.columns.enumerated() {
      head.append(contentsOf: #"<c r=""#.utf8)
      head.append(contentsOf: columnLetters[i])
      head.append(contentsOf: #"1" t="inlineStr" s="1"><is><t>"#.utf8)
      XLSXWriter.appendEscaped(Array(name.utf8), to: &head)
      head.append(contentsOf: "</t></is></c>".utf8)
    }
    head.append(contentsOf: "</row>".utf8)
    try archive.write(head)
    rowInSheet = 0
  }

  private func endSheet() throws(DecoyError) {
    try archive.write(Array("</sheetData></worksheet>".utf8))
    try archive.end()
  }

  public func begin(_ layout: TableLayout) throws(DecoyError) {
    columnLetters = layout.columns.indices.map(XLSXWriter.letters)
    part = 1
    try startSheet(layout, part: 1)
  }

  public func write(_ layout: TableLayout, columns: [ColumnBuffer], rows: Range<UInt64>) throws(DecoyError) {
    buffer.removeAll(keepingCapacity: true)
    for k in 0..<rows.count {
      if rowInSheet == rowsPerSheet {
        try archive.write(buffer)
        buffer.removeAll(keepingCapacity: true)
        try endSheet()
        part += 1
        try startSheet(layout, part: part)
      }
      rowInSheet += 1
      let r = rowInSheet + 1
      buffer.append(contentsOf: #"<row r=""#.utf8)
      ValueFormatter.appendUInt(r, to: &buffer)
      buffer.append(contentsOf: #"">"#.utf8)
      for (ci, c) in columns.enumerated() where !c.isNull(k) {
        buffer.append(contentsOf: #"<c r=""#.utf8)
        buffer.append(contentsOf: columnLetters[ci])
        ValueFormatter.appendUInt(r, to: &buffer)
        switch c.type {
        case .string:
          buffer.append(contentsOf: #"" t="inlineStr"><is><t xml:space="preserve">"#.utf8)
          XLSXWriter.appendEscaped(c.bytes[c.stringRange(k)], to: &buffer)
          buffer.append(contentsOf: "</t></is></c>".utf8)
        case .bool:
          buffer.append(contentsOf: #"" t="b"><v>"#.utf8)
          buffer.append(c.ints[k] != 0 ? UInt8(ascii: "1") : UInt8(ascii: "0"))
          buffer.append(contentsOf: "</v></c>".utf8)
        case .date:
          // Excel serial day: days since 1899-12-30.
          buffer.append(contentsOf: #"" s="2"><v>"#.utf8)
          ValueFormatter.appendInt(c.ints[k] + 25_569, to: &buffer)
          buffer.append(contentsOf: "</v></c>".utf8)
        case .timestamp:
          let secs = c.ints[k]
          let day = secs >= 0 ? secs / 86_400 : (secs - 86_399) / 86_400
          let frac = Double(secs - day * 86_400) / 86_400
          buffer.append(contentsOf: #"" s="3"><v>"#.utf8)
          ValueFormatter.appendDouble(Double(day + 25_569) + frac, to: &buffer)
          buffer.append(contentsOf: "</v></c>".utf8)
        case .double where !c.doubles[k].isFinite:
          buffer.append(contentsOf: #""/>"#.utf8)
        default:
          buffer.append(contentsOf: #""><v>"#.utf8)
          ValueFormatter.append(c, k, to: &buffer)
          buffer.append(contentsOf: "</v></c>".utf8)
        }
      }
      buffer.append(contentsOf: "</row>".utf8)
      if buffer.count > 1 << 20 {
        try archive.write(buffer)
        buffer.removeAll(keepingCapacity: true)
      }
    }
    try archive.write(buffer)
  }

  public func finish(_ layout: TableLayout) throws(DecoyError) { try endSheet() }

  public func commit() throws(DecoyError) {
    try writeDictionarySheet()
    let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    var ct = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    ct +=
      #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
    for i in sheets.indices {
      ct +=
        #"<Override PartName="/xl/worksheets/sheet\#(i + 1).xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
    }
    ct += "</Types>"
    try archive.entry("[Content_Types].xml", ct)
    try archive.entry(
      "_rels/.rels",
      #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="\#(rel)/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    )
    var wb =
      #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
      + #"<workbook xmlns="\#(ns)" xmlns:r="\#(rel)"><sheets>"#
    var wbRels =
      #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
      + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
    for (i, name) in sheets.enumerated() {
      var escaped: [UInt8] = []
      XLSXWriter.appendEscaped(Array(name.utf8), to: &escaped)
      wb += #"<sheet name="\#(String(decoding: escaped, as: UTF8.self))" sheetId="\#(i + 1)" r:id="rId\#(i + 1)"/>"#
      wbRels += #"<Relationship Id="rId\#(i + 1)" Type="\#(rel)/worksheet" Target="worksheets/sheet\#(i + 1).xml"/>"#
    }
    wb += "</sheets></workbook>"
    wbRels += #"<Relationship Id="rId\#(sheets.count + 1)" Type="\#(rel)/styles" Target="styles.xml"/></Relationships>"#
    try archive.entry("xl/workbook.xml", wb)
    try archive.entry("xl/_rels/workbook.xml.rels", wbRels)
    try archive.entry(
      "xl/styles.xml",
      #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        + #"<styleSheet xmlns="\#(ns)"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#
    )
    try archive.finish()
    try sink.commit()
  }

  private func writeDictionarySheet() throws(DecoyError) {
    let header = ["table", "column", "type", "description", "PII category", "safety level"]
    let layout = TableLayout(
      name: "dictionary", columns: header, types: header.map { _ in .string }, rows: 0..<UInt64(dictionary.count))
    columnLetters = header.indices.map(XLSXWriter.letters)
    try startSheet(layout, part: 1)
    let cols = header.indices.map { _ in ColumnBuffer(type: .string) }
    for row in dictionary {
      for (i, v) in row.prefix(header.count).enumerated() { cols[i].appendString(v) }
    }
    try write(layout, columns: cols, rows: layout.rows)
    try endSheet()
  }

  public func abort() { sink.abort() }
}
