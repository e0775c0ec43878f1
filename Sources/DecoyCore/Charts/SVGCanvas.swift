import Foundation

/// A small SVG writer for report charts: shapes and text in user units, every number printed with
/// fixed precision (so a chart's bytes depend only on its data), every text XML-escaped. No script,
/// no external reference: the result can be inlined in a page whose CSP forbids both.
public struct SVGCanvas: Sendable {
  public let width: Double
  public let height: Double
  public private(set) var body = ""
  public var title: String

  public init(width: Double, height: Double, title: String) {
    self.width = width
    self.height = height
    self.title = title
  }

  /// A coordinate or length with at most two decimals.
  public static func n(_ v: Double) -> String {
    guard v.isFinite else { return "0" }
    let s = String(format: "%.2f", v)
    var t = Substring(s)
    while t.hasSuffix("0") { t = t.dropLast() }
    if t.hasSuffix(".") { t = t.dropLast() }
    return t == "-0" ? "0" : String(t)
  }

  /// Text escaped for XML content and attribute values.
  public static func escape(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.count)
    for ch in s {
      switch ch {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(ch)
      }
    }
    return out
  }

  /// `s` cut to `limit` characters with an ellipsis.
  public static func truncate(_ s: String, _ limit: Int) -> String {
    s.count <= limit ? s : String(s.prefix(max(limit - 1, 1))) + "…"
  }

  public mutating func rect(
    x: Double, y: Double, width w: Double, height h: Double, fill: String, stroke: String? = nil,
    opacity: Double = 1, tooltip: String? = nil
  ) {
    let n = SVGCanvas.n
    body += "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(w, 0)))\" height=\"\(n(max(h, 0)))\" fill=\"\(fill)\""
    if let stroke { body += " stroke=\"\(stroke)\"" }
    if opacity < 1 { body += " fill-opacity=\"\(n(opacity))\"" }
    if let tooltip { body += "><title>\(SVGCanvas.escape(tooltip))</title></rect>" } else { body += "/>" }
  }

  public mutating func line(
    _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "#444", width: Double = 1,
    dashed: Bool = false
  ) {
    let n = SVGCanvas.n
    body +=
      "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\"\(dashed ? " stroke-dasharray=\"4 3\"" : "")/>"
  }

  public mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 2) {
    guard !points.isEmpty else { return }
    let n = SVGCanvas.n
    body +=
      "<polyline fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\" points=\"\(points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " "))\"/>"
  }

  public enum Anchor: String, Sendable { case start, middle, end }

  public mutating func text(
    _ s: String, x: Double, y: Double, size: Double = 11, anchor: Anchor = .start, bold: Bool = false,
    fill: String = "#222", rotate: Double? = nil
  ) {
    let n = SVGCanvas.n
    body +=
      "<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\" text-anchor=\"\(anchor.rawValue)\" fill=\"\(fill)\""
    if bold { body += " font-weight=\"bold\"" }
    if let rotate { body += " transform=\"rotate(\(n(rotate)) \(n(x)) \(n(y)))\"" }
    body += ">\(SVGCanvas.escape(s))</text>"
  }

  /// A legend row of coloured swatches, left to right from (x, y).
  public mutating func legend(_ items: [(String, String)], x: Double, y: Double) {
    var at = x
    for (label, colour) in items {
      rect(x: at, y: y - 9, width: 12, height: 12, fill: colour)
      text(label, x: at + 16, y: y + 1, size: 11)
      at += 16 + Double(label.count) * 6.2 + 14
    }
  }

  /// The finished `<svg>` element (with a `<title>` for screen readers).
  public func svg() -> String {
    let n = SVGCanvas.n
    return
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" height=\"\(n(height))\" role=\"img\" font-family=\"system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif\"><title>\(SVGCanvas.escape(title))</title>\(body)</svg>"
  }

  /// About `count` round tick values covering [lo, hi] (steps of 1, 2 or 5 × 10^k).
  public static func ticks(_ lo: Double, _ hi: Double, count: Int = 5) -> [Double] {
    guard lo.isFinite, hi.isFinite, hi > lo else { return lo.isFinite ? [lo] : [] }
    let raw = (hi - lo) / Double(max(count, 1))
    let mag = Foundation.pow(10, Foundation.floor(Foundation.log10(raw)))
    let step = [1.0, 2, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
    var out: [Double] = []
    var v = Foundation.ceil(lo / step) * step
    while v <= hi + step * 1e-9 {
      out.append(abs(v) < step * 1e-9 ? 0 : v)
      v += step
    }
    return out
  }

  /// A tick label: integers without decimals, otherwise up to 3 significant decimals; thousands
  /// as "k" and millions as "M".
  public static func label(_ v: Double) -> String {
    let a = abs(v)
    if a >= 1e6 { return n(v / 1e6) + "M" }
    if a >= 1e4 { return n(v / 1e3) + "k" }
    if v == v.rounded() { return String(Int64(v)) }
    if a >= 100 { return String(format: "%.0f", v) }
    if a >= 1 { return n(v) }
    return String(format: "%.3g", v)
  }
}
