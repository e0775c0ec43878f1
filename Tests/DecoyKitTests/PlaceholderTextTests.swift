import DecoyCore
import Testing

@testable import DecoyLearn

/// The placeholder text of free-text columns: its vocabulary and the guard on stored quantiles.
@Suite struct PlaceholderTextTests {
  @Test func theVocabularyIsDistinctLowerCaseWords() {
    // The generator capitalises a sentence's first word by clearing bit 5 of its first byte.
    let words = PlaceholderText.vocabulary
    #expect(words.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 0x61 && $0 <= 0x7A } })
    #expect(Set(words).count == words.count)
  }

  @Test func damagedQuantilesAreRefused() {
    let good = PlaceholderText.levels.map { 3 + 10 * $0 }
    #expect(PlaceholderText.isValid(good))
    #expect(!PlaceholderText.isValid(Array(good.dropLast())))
    #expect(!PlaceholderText.isValid(good.reversed()))
    #expect(!PlaceholderText.isValid([-1] + good.dropFirst()))
    #expect(!PlaceholderText.isValid([.nan] + good.dropFirst()))
    #expect(!PlaceholderText.isValid(good.dropLast() + [1e12]))
  }

  @Test func sentencesHaveTheQuantilesWordCounts() {
    let q = PlaceholderText.levels.map { _ in 7.0 }
    let column = PlaceholderText.column(quantiles: q, stream: RandomStream(seed: 1, path: ["t"]))
    let out = ColumnBuffer(type: .string)
    column.fill(out, batch: BatchView(rows: 0..<200))
    for r in 0..<200 {
      let s = out.string(r)
      #expect(s.split(separator: " ").count == 7 && s.first!.isUppercase && s.hasSuffix("."), "\(s)")
    }
  }
}
