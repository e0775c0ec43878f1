import DecoyTestSupport
import Testing

@testable import DecoyIO

/// ``DOCXTableFit`` on random tables: every column is shown, every part fits the page with its
/// headers on one line, later parts repeat the first column, and the font is as large as fits.
@Suite struct DOCXTableFitTests {
  @Test func randomTablesFitThePage() {
    var rng = SplitMix64(seed: 6)
    for _ in 0..<3_000 {
      let n = Int(rng.next() % 60)
      let headers = (0..<n).map { _ in 1 + Int(rng.next() % 30) }
      let values = (0..<n).map { _ in Int(rng.next() % 80) }
      let fit = DOCXTableFit(headerChars: headers, valueChars: values)
      #expect(!fit.parts.isEmpty)
      // Every column once, in order, besides the repeated first one.
      let shown = fit.parts.enumerated().flatMap { k, p in k == 0 ? p.columns : Array(p.columns.dropFirst()) }
      #expect(shown == Array(0..<n), "\(headers) → \(fit.parts.map(\.columns))")
      for (k, part) in fit.parts.enumerated() {
        if k > 0 { #expect(part.columns.first == 0 && part.columns.count >= 2) }
        #expect(part.widths.count == part.columns.count)
        #expect(part.widths.reduce(0, +) <= DOCXTableFit.pageWidth)
        #expect(DOCXTableFit.halfPointSizes.contains(part.halfPoints))
        for (c, w) in zip(part.columns, part.widths) {
          #expect(w >= DOCXTableFit.headerWidth(headers[c], halfPoints: part.halfPoints), "header \(c) breaks")
          #expect(w >= DOCXTableFit.valueWidth(min(values[c], DOCXTableFit.wrapLength), halfPoints: part.halfPoints))
        }
        // A larger font would not have fitted.
        if let larger = DOCXTableFit.halfPointSizes.last(where: { $0 > part.halfPoints }) {
          let need = part.columns.map {
            max(
              DOCXTableFit.headerWidth(headers[$0], halfPoints: larger),
              DOCXTableFit.valueWidth(min(values[$0], DOCXTableFit.wrapLength), halfPoints: larger))
          }
          #expect(need.reduce(0, +) > DOCXTableFit.pageWidth)
        }
      }
      // A part ends only where the next column would not have fitted at the smallest font.
      for (k, part) in fit.parts.enumerated().dropLast() {
        let next = fit.parts[k + 1].columns[1]
        let h = DOCXTableFit.halfPointSizes.last!
        let need = (part.columns + [next]).map {
          max(
            DOCXTableFit.headerWidth(headers[$0], halfPoints: h),
            DOCXTableFit.valueWidth(min(values[$0], DOCXTableFit.wrapLength), halfPoints: h))
        }
        #expect(need.reduce(0, +) > DOCXTableFit.pageWidth)
      }
    }
  }

  @Test func theTenColumnsOfPCIFitOnOnePart() {
    // pci's headers, and the longest values of its first 1,000 rows at seed 42 (measured).
    let headers = [
      "record_id", "cardholder_name", "card_number", "card_brand", "cvv", "expiration", "billing_street",
      "billing_city", "billing_state", "billing_zip",
    ].map(\.count)
    let fit = DOCXTableFit(headerChars: headers, valueChars: [4, 21, 16, 16, 4, 5, 31, 20, 2, 5])
    #expect(fit.parts.count == 1 && fit.parts[0].columns == Array(0..<10))
  }
}
