import Testing

@testable import DecoyCore

/// The spec reader's limits (``SpecBudget``) and the event-level YAML reader they rest on.
@Suite struct SpecParserTests {
  func issue(_ yaml: String, budget: SpecBudget = .standard) -> SpecIssue? {
    do {
      _ = try SpecNode.parse(yaml, budget: budget)
      return nil
    } catch {
      guard case .invalidSpec(_, let issues) = error, issues.count == 1 else { return nil }
      return issues[0]
    }
  }

  /// The "billion laughs" document: ten levels of ten aliases each stand for 10^10 scalars.
  static func aliasBomb(levels: Int) -> String {
    var lines = ["version: 1", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in 1..<levels {
      lines.append("a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]")
    }
    lines.append("tables: *a\(levels - 1)")
    return lines.joined(separator: "\n") + "\n"
  }

  @Test func anAliasBombStopsAtTheNodeBudgetWithItsLine() throws {
    let found = try #require(issue(Self.aliasBomb(levels: 10)))
    #expect(found.message.contains("expands to more than 1000000 nodes"), "\(found)")
    // Level 6 (line 7) is the first whose expansion passes 10^6 nodes.
    #expect(found.line == 7, "\(found)")
    // Through the decoder and the file path too.
    #expect(throws: DecoyError.self) { try SpecDecoder.decode(Self.aliasBomb(levels: 10), file: "bomb.yaml") }
  }

  @Test func theNodeBudgetCountsExpandedNodesExactly() throws {
    // 1 root mapping + key/value pairs: `a: &x [p, q]` is 1 key + 1 list + 2 items = 4 nodes, each
    // `*x` adds the list's 3. Root (1) + "a" entry (4) + "b" key (1) + alias (3) = 9 nodes.
    let yaml = "a: &x [p, q]\nb: *x\n"
    let tight = SpecBudget(maxBytes: 100, maxNodes: 9, maxAliases: 10, maxDepth: 8)
    #expect(issue(yaml, budget: tight) == nil)
    var tighter = tight
    tighter.maxNodes = 8
    #expect(issue(yaml, budget: tighter)?.message.contains("more than 8 nodes") == true)
  }

  @Test func aliasCountDepthAndSizeHaveLimitsToo() throws {
    let many = "a: &a x\nb: [" + Array(repeating: "*a", count: 10_001).joined(separator: ", ") + "]\n"
    #expect(issue(many)?.message.contains("more than 10000 YAML aliases") == true)
    let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
    let d = try #require(issue(deep))
    #expect(d.message.contains("nest more than 64 levels"), "\(d)")
    #expect(issue(String(repeating: "[", count: 64) + String(repeating: "]", count: 64)) == nil)
    let big = "a: \"" + String(repeating: "x", count: 8 << 20) + "\"\n"
    #expect(issue(big)?.message.contains("over the limit of 8388608") == true)
  }

  /// Work grows linearly with the document: a list of 900,000 items (under the node budget) and a
  /// mapping of 200,000 keys parse in well under a second; quadratic appends or duplicate checks
  /// would take minutes here (a 400,000-item list took over two minutes before frames were mutated in
  /// place).
  @Test func longListsAndManyKeysParseInLinearTime() throws {
    let list = "x: [" + Array(repeating: "1", count: 900_000).joined(separator: ",") + "]\n"
    guard case .mapping(let pairs, _) = try SpecNode.parse(list), case .sequence(let items, _) = pairs[0].value else {
      Issue.record("expected a mapping holding a list")
      return
    }
    #expect(items.count == 900_000)
    let keys = (0..<200_000).map { "k\($0 % 100_000): 1" }.joined(separator: "\n") + "\n"
    let found = try #require(issue(keys))
    #expect(
      found.message.hasPrefix("duplicate key(s) k0, k1, ") && found.message.hasSuffix(" and 99990 more in one mapping"))
    #expect(found.line == 100_001, "\(found)")
  }

  @Test func ordinaryAliasesStillWork() throws {
    let yaml = """
      version: 1
      tables:
        - name: t
          rows: 3
          columns:
            - {name: a, choice: {values: &v [x, y], weights: [1, 1]}}
            - {name: b, choice: {values: *v, weights: [2, 1]}}
      """
    let spec = try SpecDecoder.decode(yaml)
    #expect(spec.tables[0].columns.count == 2)
  }

  @Test func syntaxErrorsKeysAndDocumentsAreSpecErrorsWithPositions() throws {
    let dup = try #require(issue("a: 1\nb: 2\na: 3\n"))
    #expect(dup.message == "duplicate key(s) a in one mapping" && dup.line == 3, "\(dup)")
    let syntax = try #require(issue("a: [1, 2\nb: 3\n"))
    #expect(syntax.message.hasPrefix("YAML syntax error:") && syntax.line != nil, "\(syntax)")
    let undefined = try #require(issue("a: *nowhere\n"))
    #expect(undefined.message.contains("names no anchor"), "\(undefined)")
    let complexKey = try #require(issue("? [a, b]\n: 1\n"))
    #expect(complexKey.message.contains("mapping key must be plain text"), "\(complexKey)")
    let two = try #require(issue("a: 1\n---\nb: 2\n"))
    #expect(two.message.contains("more than one YAML document") && two.line == 2, "\(two)")
    #expect(issue("")?.message == "the spec is empty")
  }

  @Test func scalarsKeepTheirTextQuotingAndMarks() throws {
    let node = try SpecNode.parse("a: 'x'\nb: y\nc: |\n  z\n")
    guard case .mapping(let pairs, _) = node else {
      Issue.record("expected a mapping")
      return
    }
    #expect(pairs.map(\.key) == ["a", "b", "c"])
    let values = pairs.map { p -> (String, Bool, Int) in
      guard case .scalar(let s, let quoted, let at) = p.value else { return ("", false, 0) }
      return (s, quoted, at.line)
    }
    #expect(values.map(\.0) == ["x", "y", "z\n"])
    #expect(values.map(\.1) == [true, false, true])
    #expect(values.map(\.2) == [1, 2, 3])
  }
}
