public import DecoyCore

/// A Word document (Office Open XML) written as a zip stream: a title, the data dictionary as a
/// table (column, type, description, PII category, safety level), then each table's data as a
/// Word table — capped at ``rowCap`` rows per table, with a sentence saying how many rows were
/// left out, since Word is not made for millions of rows.
public final class DOCXWriter: BatchWriter {
  private let archive: ZipStreamWriter
  private let sink: any ByteSink
  public let rowCap: UInt64
  private var shown: UInt64 = 0
  private var total: UInt64 = 0
  private var buffer: [UInt8] = []

  static let ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

  /// `dictionary` rows: table, column, type, description, PII category, safety level.
  public init(sink: any ByteSink, title: String, subtitle: String?, dictionary: [[String]], rowCap: UInt64 = 1000) throws(DecoyError) {
    self.sink = sink
    archive = ZipStreamWriter(sink: sink)
    self.rowCap = rowCap
    try archive.begin("word/document.xml")
    var s = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n" + #"<w:document xmlns:w="\#(DOCXWriter.ns)"><w:body>"#
    s += DOCXWriter.paragraph(title, style: "Title")
    if let subtitle { s += DOCXWriter.paragraph(subtitle, style: nil) }
    s += DOCXWriter.paragraph("Data dictionary", style: "Heading1")
    s += DOCXWriter.tableStart(columns: 6)
    s += DOCXWriter.row(["table", "column", "type", "description", "PII category", "safety level"], header: true)
    for r in dictionary { s += DOCXWriter.row(r, header: false) }
    s += "</w:tbl>"
    try archive.write(Array(s.utf8))
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

  static func tableStart(columns: Int) -> String {
    var s = #"<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/><w:tblBorders>"#
    for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
      s += #"<w:\#(side) w:val="single" w:sz="4" w:space="0" w:color="999999"/>"#
    }
    s += "</w:tblBorders></w:tblPr><w:tblGrid>"
    for _ in 0..<columns { s += #"<w:gridCol w:w="1800"/>"# }
    return s + "</w:tblGrid>"
  }

  static func row(_ cells: [String], header: Bool) -> String {
    var s = header ? #"<w:tr><w:trPr><w:tblHeader/></w:trPr>"# : "<w:tr>"
    for c in cells {
      let run = header ? "<w:rPr><w:b/></w:rPr>" : ""
      s += #"<w:tc><w:p><w:r>\#(run)<w:t xml:space="preserve">\#(escape(c))</w:t></w:r></w:p></w:tc>"#
    }
    return s + "</w:tr>"
  }

  public func begin(_ layout: TableLayout) throws(DecoyError) {
    shown = 0
    total = UInt64(layout.rows.count)
    var s = DOCXWriter.paragraph(layout.name, style: "Heading1")
    s += DOCXWriter.tableStart(columns: layout.columns.count)
    s += DOCXWriter.row(layout.columns, header: true)
    try archive.write(Array(s.utf8))
  }

  public func write(_ layout: TableLayout, columns: [ColumnBuffer], rows: Range<UInt64>) throws(DecoyError) {
    guard shown < rowCap else { return }
    let n = Int(min(UInt64(rows.count), rowCap - shown))
    var s = ""
    for k in 0..<n {
      s += DOCXWriter.row(columns.map { $0.isNull(k) ? "" : $0.text(k) }, header: false)
    }
    shown += UInt64(n)
    try archive.write(Array(s.utf8))
  }

  public func finish(_ layout: TableLayout) throws(DecoyError) {
    var s = "</w:tbl>"
    if total > shown {
      s += DOCXWriter.paragraph("Showing the first \(shown) of \(total) rows of \(layout.name): Word documents are capped at \(rowCap) rows per table. Use CSV, XLSX or Parquet for the full data.", style: nil)
    } else {
      s += DOCXWriter.paragraph("\(total) rows.", style: nil)
    }
    try archive.write(Array(s.utf8))
  }

  public func commit() throws(DecoyError) {
    try archive.write(Array(#"<w:sectPr><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/><w:pgMar w:top="720" w:right="720" w:bottom="720" w:left="720" w:header="0" w:footer="0" w:gutter="0"/></w:sectPr></w:body></w:document>"#.utf8))
    try archive.end()
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    try archive.entry("word/styles.xml", #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n" + #"<w:styles xmlns:w="\#(DOCXWriter.ns)"><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:rPr><w:sz w:val="18"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:rPr><w:b/><w:sz w:val="40"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="28"/></w:rPr></w:style><w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/></w:style></w:styles>"#)
    try archive.entry("[Content_Types].xml", #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n" + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>"#)
    try archive.entry("_rels/.rels", #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n" + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="\#(rel)/officeDocument" Target="word/document.xml"/></Relationships>"#)
    try archive.entry("word/_rels/document.xml.rels", #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n" + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="\#(rel)/styles" Target="styles.xml"/></Relationships>"#)
    try archive.finish()
    try sink.commit()
  }

  public func abort() { sink.abort() }
}
