public import DecoyCore

/// A Word document (Office Open XML) written as a zip stream: a title, the data dictionary as a
/// table (column, type, description, PII category, safety level), then each table's data as a
/// Word table — capped at ``rowCap`` rows per table, with a sentence saying how many rows were
/// left out, since Word is not made for millions of rows.
///
/// Tables sit on A4 landscape pages with fixed column widths fitted to their content
/// (``DOCXTableFit``): a smaller font where needed, and a table too wide for any font split into
/// parts that repeat its first column. The header row repeats on every page. The shown rows of
/// the current table are kept until the table ends (their widths decide the layout), so memory
/// grows with ``rowCap``, never with the table's size.
public final class DOCXWriter: BatchWriter {
  private let archive: ZipStreamWriter
  private let sink: any ByteSink
  public let rowCap: UInt64
  private var shown: UInt64 = 0
  private var total: UInt64 = 0
  private var cells = CellBuffer(columns: 0)

  static let ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

  /// The escaped XML text of the shown rows' cells, row after row, and each column's longest value
  /// in characters.
  struct CellBuffer {
    let columns: Int
    var bytes: [UInt8] = []
    var ends: [Int] = []
    var longest: [Int]

    init(columns: Int) {
      self.columns = columns
      longest = Array(repeating: 0, count: columns)
    }

    var rows: Int { columns == 0 ? 0 : ends.count / columns }

    mutating func append(_ text: String) {
      let c = ends.count % columns
      var chars = 0
      for b in text.utf8 where b & 0xC0 != 0x80 { chars += 1 }
      longest[c] = max(longest[c], chars)
      XLSXWriter.appendEscaped(Array(text.utf8), to: &bytes)
      ends.append(bytes.count)
    }

    func cell(_ row: Int, _ column: Int) -> ArraySlice<UInt8> {
      let k = row * columns + column
      return bytes[(k == 0 ? 0 : ends[k - 1])..<ends[k]]
    }
  }

  /// `dictionary` rows: table, column, type, description, PII category, safety level.
  public init(sink: any ByteSink, title: String, subtitle: String?, dictionary: [[String]], rowCap: UInt64 = 1000)
    throws(DecoyError)
  {
    self.sink = sink
    archive = ZipStreamWriter(sink: sink)
    self.rowCap = rowCap
    try archive.begin("word/document.xml")
    var s = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    s += #"<w:document xmlns:w="\#(DOCXWriter.ns)"><w:body>"#
    s += DOCXWriter.paragraph(title, style: "Title")
    if let subtitle { s += DOCXWriter.paragraph(subtitle, style: nil) }
    s += DOCXWriter.paragraph("Data dictionary", style: "Heading1")
    try archive.write(Array(s.utf8))
    let header = ["table", "column", "type", "description", "PII category", "safety level"]
    var buffer = CellBuffer(columns: header.count)
    for r in dictionary { for c in r { buffer.append(c) } }
    // Descriptions are sentences: let them wrap at 60 characters rather than the values' 32.
    try writeTable(name: "the data dictionary", header: header, cells: buffer, wrapAt: 60)
  }

  static func escape(_ s: String) -> String {
    var out: [UInt8] = []
    XLSXWriter.appendEscaped(Array(s.utf8), to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  static func paragraph(_ text: String, style: String?) -> String {
    let p = style.map { #"<w:pPr><w:pStyle w:val="\#($0)"/></w:pPr>"# } ?? ""
    return #"<w:p>\#(p)<w:r><w:t xml:space="preserve">\#(escape(text))</w:t></w:r></w:p>"#
  }

  /// A fixed-layout table with the part's grid.
  static func tableStart(widths: [Int]) -> String {
    var s = #"<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="\#(widths.reduce(0, +))" w:type="dxa"/>"#
    s += "<w:tblBorders>"
    for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
      s += #"<w:\#(side) w:val="single" w:sz="4" w:space="0" w:color="999999"/>"#
    }
    s += #"</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="57" w:type="dxa"/>"#
    s += #"<w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>"#
    for w in widths { s += #"<w:gridCol w:w="\#(w)"/>"# }
    return s + "</w:tblGrid>"
  }

  /// The XML that opens each cell of a part's columns, up to its text: built once per part, not per cell.
  static func cellOpenings(widths: [Int], halfPoints: Int, header: Bool) -> [[UInt8]] {
    let run = header ? "<w:rPr><w:b/></w:rPr>" : ""
    return widths.map {
      Array(
        (#"<w:tc><w:tcPr><w:tcW w:w="\#($0)" w:type="dxa"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="Cell\#(halfPoints)"/>"#
          + #"</w:pPr><w:r>\#(run)<w:t xml:space="preserve">"#).utf8)
    }
  }

  /// One row; a header row repeats at the top of every page and is not split across pages.
  static func row(_ cells: [ArraySlice<UInt8>], openings: [[UInt8]], header: Bool, into out: inout [UInt8]) {
    out.append(contentsOf: (header ? #"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"# : "<w:tr>").utf8)
    for (c, open) in zip(cells, openings) {
      out.append(contentsOf: open)
      out.append(contentsOf: c)
      out.append(contentsOf: "</w:t></w:r></w:p></w:tc>".utf8)
    }
    out.append(contentsOf: "</w:tr>".utf8)
  }

  /// Writes the buffered rows as one Word table, or as several parts when the columns do not fit.
  private func writeTable(name: String, header: [String], cells: CellBuffer, wrapAt: Int) throws(DecoyError) {
    let escapedHeader = header.map { ArraySlice(Array(DOCXWriter.escape($0).utf8)) }
    let fit = DOCXTableFit(headerChars: header.map(\.count), valueChars: cells.longest, wrapAt: wrapAt)
    for (k, part) in fit.parts.enumerated() {
      var out: [UInt8] = []
      if fit.parts.count > 1 {
        let first = part.columns.first { $0 != 0 || k == 0 }.map { $0 + 1 } ?? 1
        let repeated = k > 0 ? " (with \(header[0]) repeated)" : ""
        let last = part.columns.last! + 1
        let range = first == last ? "column \(first)" : "columns \(first)–\(last)"
        let caption = "Part \(k + 1) of \(fit.parts.count) of \(name): \(range) of \(header.count)\(repeated)."
        out.append(contentsOf: DOCXWriter.paragraph(caption, style: nil).utf8)
      }
      out.append(contentsOf: DOCXWriter.tableStart(widths: part.widths).utf8)
      let headerOpenings = DOCXWriter.cellOpenings(widths: part.widths, halfPoints: part.halfPoints, header: true)
      let openings = DOCXWriter.cellOpenings(widths: part.widths, halfPoints: part.halfPoints, header: false)
      DOCXWriter.row(part.columns.map { escapedHeader[$0] }, openings: headerOpenings, header: true, into: &out)
      for r in 0..<cells.rows {
        DOCXWriter.row(part.columns.map { cells.cell(r, $0) }, openings: openings, header: false, into: &out)
        if out.count >= 1 << 20 {
          try archive.write(out)
          out.removeAll(keepingCapacity: true)
        }
      }
      out.append(contentsOf: "</w:tbl>".utf8)
      try archive.write(out)
    }
  }

  public func begin(_ layout: TableLayout) throws(DecoyError) {
    shown = 0
    total = UInt64(layout.rows.count)
    cells = CellBuffer(columns: layout.columns.count)
    try archive.write(Array(DOCXWriter.paragraph(layout.name, style: "Heading1").utf8))
  }

  public func write(_ layout: TableLayout, columns: [ColumnBuffer], rows: Range<UInt64>) throws(DecoyError) {
    guard shown < rowCap else { return }
    let n = Int(min(UInt64(rows.count), rowCap - shown))
    for k in 0..<n {
      for c in columns { cells.append(c.isNull(k) ? "" : c.text(k)) }
    }
    shown += UInt64(n)
  }

  public func finish(_ layout: TableLayout) throws(DecoyError) {
    try writeTable(name: layout.name, header: layout.columns, cells: cells, wrapAt: DOCXTableFit.wrapLength)
    cells = CellBuffer(columns: 0)
    let s: String
    if total > shown {
      s = DOCXWriter.paragraph(
        "Showing the first \(shown) of \(total) rows of \(layout.name): Word documents are capped at \(rowCap) rows per table. Use CSV, XLSX or Parquet for the full data.",
        style: nil)
    } else {
      s = DOCXWriter.paragraph("\(total) rows.", style: nil)
    }
    try archive.write(Array(s.utf8))
  }

  public func commit() throws(DecoyError) {
    try archive.write(
      Array(
        #"<w:sectPr><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/><w:pgMar w:top="720" w:right="720" w:bottom="720" w:left="720" w:header="0" w:footer="0" w:gutter="0"/></w:sectPr></w:body></w:document>"#
          .utf8))
    try archive.end()
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    try archive.entry(
      "word/styles.xml",
      #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        + #"<w:styles xmlns:w="\#(DOCXWriter.ns)"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial"/></w:rPr></w:rPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:rPr><w:sz w:val="18"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:rPr><w:b/><w:sz w:val="40"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="28"/></w:rPr></w:style><w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/></w:style>"#
        + DOCXWriter.cellStyles + "</w:styles>")
    try archive.entry(
      "[Content_Types].xml",
      #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>"#
    )
    try archive.entry(
      "_rels/.rels",
      #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="\#(rel)/officeDocument" Target="word/document.xml"/></Relationships>"#
    )
    try archive.entry(
      "word/_rels/document.xml.rels",
      #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="\#(rel)/styles" Target="styles.xml"/></Relationships>"#
    )
    try archive.finish()
    try sink.commit()
  }

  /// One paragraph style per table font size (`Cell18`, `Cell16`, `Cell14`): no spacing around.
  static var cellStyles: String {
    DOCXTableFit.halfPointSizes.map {
      #"<w:style w:type="paragraph" w:styleId="Cell\#($0)"><w:name w:val="Table cell \#($0)"/><w:basedOn w:val="Normal"/>"#
        + #"<w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr><w:rPr><w:sz w:val="\#($0)"/></w:rPr></w:style>"#
    }.joined()
  }

  public func abort() { sink.abort() }
}
