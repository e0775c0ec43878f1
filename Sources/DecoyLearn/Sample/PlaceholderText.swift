public import DecoyCore

/// Filler for a free-text column (kind `text`): sentences of Decoy's own neutral vocabulary whose
/// word counts follow the column's learned word-count quantiles. Free text can hold anything a
/// person typed (names, addresses, diagnoses), so not one of its words is learned or replayed:
/// only 10 word-count quantiles (p = 0.05 … 0.95, never the extremes) and the null share.
public enum PlaceholderText {
  /// Quantile levels of the word counts kept for a text column.
  public static let levels = (0..<10).map { 0.05 + 0.1 * Double($0) }

  /// The word-count quantiles (type 7) of the non-null, non-null-token values of `rows`.
  public static func wordQuantiles(_ buffer: ColumnBuffer, rows: [Int]) -> [Double] {
    var counts: [Double] = []
    for r in rows where !buffer.isNull(r) {
      let b = buffer.bytes[buffer.stringRange(r)]
      if ValueSyntax.isNullToken(b) { continue }
      var words = 0
      var inWord = false
      for c in b {
        let space = c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D
        if !space && !inWord { words += 1 }
        inWord = !space
      }
      counts.append(Double(words))
    }
    guard !counts.isEmpty else { return levels.map { _ in 1 } }
    counts.sort()
    return levels.map { Type7Quantile.at(counts, position: Double(counts.count - 1) * $0) }
  }

  /// Whether stored quantiles can drive ``column(quantiles:stream:)`` (a model file may be damaged).
  public static func isValid(_ quantiles: [Double]) -> Bool {
    quantiles.count == levels.count && quantiles.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1e6 }
      && zip(quantiles, quantiles.dropFirst()).allSatisfy { $0 <= $1 }
  }

  /// The generator: row r's word count from the quantiles at a keyed u (linear between knots,
  /// flat beyond the outer ones), then that many words, the first capitalised, ending in a point.
  /// `quantiles` must pass ``isValid(_:)``.
  public static func column(quantiles q: [Double], stream: RandomStream) -> StringColumn {
    let words = vocabulary.map { Array($0.utf8) }
    return StringColumn { row, out in
      let u = stream.unit(row, 0)
      let t = min(max((u - 0.05) / 0.1, 0), Double(q.count - 1))
      let i = min(Int(t), q.count - 2)
      let count = max(1, Int((q[i] + (t - Double(i)) * (q[i + 1] - q[i])).rounded()))
      for w in 0..<count {
        if w > 0 { out.append(0x20) }
        let start = out.count
        out.append(contentsOf: words[Int(stream.below(UInt64(words.count), row, UInt32(1 + w)))])
        if w == 0 { out[start] -= 0x20 }  // the vocabulary is lower-case ASCII
      }
      out.append(0x2E)
    }
  }

  /// Neutral everyday words: no names, places, conditions or numbers.
  static let vocabulary: [String] = [
    "about", "after", "again", "agreed", "along", "also", "answer", "around", "asked", "available", "back", "before",
    "being", "below", "better", "between", "both", "called", "came", "change", "check", "clear", "close", "come",
    "could", "day", "details", "did", "different", "done", "during", "each", "early", "easy", "enough", "every",
    "few", "find", "first", "follow", "found", "from", "gave", "good", "great", "group", "had", "half", "have",
    "help", "here", "home", "idea", "important", "into", "item", "just", "keep", "kind", "know", "last", "later",
    "left", "less", "light", "like", "line", "little", "long", "look", "made", "make", "many", "may", "more",
    "most", "much", "must", "need", "never", "new", "next", "note", "now", "number", "often", "once", "only",
    "open", "order", "other", "over", "part", "plan", "point", "problem", "question", "quite", "ready", "really",
    "reason", "request", "right", "room", "said", "same", "second", "see", "seemed", "send", "service", "short",
    "should", "side", "simple", "since", "small", "some", "soon", "start", "still", "such", "sure", "take", "than",
    "that", "their", "them", "then", "there", "these", "they", "thing", "think", "this", "those", "through", "time",
    "today", "together", "took", "turn", "under", "until", "update", "used", "usual", "very", "visit", "wait",
    "want", "was", "week", "well", "went", "were", "what", "when", "which", "while", "will", "with", "within",
    "without", "work", "would", "year", "yet",
  ]
}
