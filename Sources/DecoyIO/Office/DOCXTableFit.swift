/// How a table's columns fit across a landscape Word page: a font size and a width per column, and
/// — when even the smallest font cannot give every column its header on one line and its values
/// up to ``wrapLength`` characters — the columns split into parts shown one under the other, each
/// repeating the first column so rows can be matched.
///
/// Widths are estimated from character counts, not measured: a character is taken as 0.62 em
/// (digits in DejaVu Sans, the widest fallback LibreOffice uses; Arial and Liberation Sans are
/// narrower) and a bold header character as 0.7 em, so estimates err on the wide side.
public struct DOCXTableFit: Sendable, Equatable {
  /// One part of the table: which columns (indexes into the table's), their widths in twips
  /// (1/1440 inch), and the font size in half-points.
  public struct Part: Sendable, Equatable {
    public var columns: [Int]
    public var widths: [Int]
    public var halfPoints: Int
  }

  public var parts: [Part]

  /// A4 landscape (16,838 twips) less two 720-twip margins.
  public static let pageWidth = 15_398
  /// Left plus right cell margin (57 twips, 1 mm, each side).
  public static let cellPadding = 114
  /// Font sizes tried, largest first (9, 8 and 7 pt).
  public static let halfPointSizes = [18, 16, 14]
  /// Values longer than this many characters wrap inside their cell rather than widen it.
  public static let wrapLength = 32

  /// The width a header of `chars` characters needs on one line at `halfPoints`.
  public static func headerWidth(_ chars: Int, halfPoints: Int) -> Int {
    chars * halfPoints * 7 + cellPadding
  }

  /// The width a value of `chars` characters needs on one line at `halfPoints`.
  public static func valueWidth(_ chars: Int, halfPoints: Int) -> Int {
    (chars * halfPoints * 62 + 9) / 10 + cellPadding
  }

  /// Fits columns whose headers have `headerChars` characters and whose longest shown value has
  /// `valueChars` (values past `wrapAt` characters wrap) into `pageWidth`.
  public init(headerChars: [Int], valueChars: [Int], wrapAt: Int = wrapLength, pageWidth: Int = pageWidth) {
    precondition(headerChars.count == valueChars.count)
    let smallest = Self.halfPointSizes.last!
    let values = valueChars.map { min($0, wrapAt) }
    // What a column needs at the smallest font: its header on one line, its values up to `wrapAt`.
    let need = headerChars.indices.map {
      max(Self.headerWidth(headerChars[$0], halfPoints: smallest), Self.valueWidth(values[$0], halfPoints: smallest))
    }
    var parts: [Part] = []
    var current: [Int] = []
    var used = 0
    var fresh = 0  // columns of the current part other than a repeated first one
    // Greedy split: a column joins the current part while the part still fits; a later part starts
    // with the first column again.
    for i in headerChars.indices {
      if fresh > 0 && used + need[i] > pageWidth {
        parts.append(Part(columns: current, widths: [], halfPoints: smallest))
        current = [0]
        used = need[0]
        fresh = 0
      }
      current.append(i)
      used += need[i]
      fresh += 1
    }
    parts.append(Part(columns: current, widths: [], halfPoints: smallest))
    self.parts = parts.map { Self.size($0.columns, headerChars, values, pageWidth) }
  }

  /// The largest font at which the part's headers fit, and widths that give each column what its
  /// values need, shrunk towards the headers' needs when the page is too narrow and widened in
  /// proportion to fill it otherwise.
  static func size(_ columns: [Int], _ headerChars: [Int], _ valueChars: [Int], _ pageWidth: Int) -> Part {
    func needs(_ h: Int) -> (minimum: [Int], full: [Int]) {
      let minimum = columns.map { headerWidth(headerChars[$0], halfPoints: h) }
      let full = zip(columns, minimum).map { max($1, valueWidth(valueChars[$0], halfPoints: h)) }
      return (minimum, full)
    }
    let h =
      halfPointSizes.first { needs($0).full.reduce(0, +) <= pageWidth }
      ?? halfPointSizes.first { needs($0).minimum.reduce(0, +) <= pageWidth } ?? halfPointSizes.last!
    let (minimum, full) = needs(h)
    let fullSum = full.reduce(0, +)
    let minSum = minimum.reduce(0, +)
    var widths: [Int]
    if fullSum <= pageWidth {
      // Spread the spare width in proportion to each column's need.
      widths = full.map { $0 + ($0 * (pageWidth - fullSum)) / max(fullSum, 1) }
    } else if minSum <= pageWidth {
      // Give each column its header's width plus a share of what is left in proportion to the rest
      // of its need; long values wrap.
      let extra = fullSum - minSum
      widths = zip(minimum, full).map { $0 + (($1 - $0) * (pageWidth - minSum)) / max(extra, 1) }
    } else {
      // A single column whose header is wider than the page (a header of over 150 characters).
      widths = minimum.map { max(cellPadding, $0 * pageWidth / minSum) }
    }
    return Part(columns: columns, widths: widths, halfPoints: h)
  }
}
