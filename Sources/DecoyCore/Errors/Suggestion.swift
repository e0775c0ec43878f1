/// "Did you mean …" suggestions by edit distance.
public enum Suggestion {
  /// The candidate closest to `input` (Damerau–Levenshtein on lower-cased text), when close enough
  /// to be a plausible typo.
  public static func nearest(to input: String, in candidates: [String]) -> String? {
    let a = Array(input.lowercased().utf8)
    var best: (String, Int)? = nil
    for c in candidates {
      let d = distance(a, Array(c.lowercased().utf8))
      if best == nil || d < best!.1 { best = (c, d) }
    }
    guard let (name, d) = best else { return nil }
    let limit = max(2, a.count / 3)
    if d <= limit { return name }
    // A candidate that contains the input (or the reverse) is also a good guess.
    if candidates.contains(where: { $0 == name })
      && (name.lowercased().contains(input.lowercased()) && input.count >= 3)
    {
      return name
    }
    return nil
  }

  /// A hint sentence: "did you mean 'x'?" or the list of valid names when nothing is close.
  public static func hint(for input: String, in candidates: [String], listLimit: Int = 12) -> String {
    if let n = nearest(to: input, in: candidates) { return "did you mean '\(n)'?" }
    let shown = candidates.prefix(listLimit).joined(separator: ", ")
    return "valid names: \(shown)\(candidates.count > listLimit ? ", …" : "")"
  }

  static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev2 = [Int](repeating: 0, count: b.count + 1)
    var prev = Array(0...b.count)
    var cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      cur[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          cur[j] = min(cur[j], prev2[j - 2] + 1)
        }
      }
      (prev2, prev, cur) = (prev, cur, prev2)
    }
    return prev[b.count]
  }
}
