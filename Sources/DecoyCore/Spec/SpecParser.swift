// libyaml is Yams' own C target; reading its event stream (instead of `Yams.compose`) lets the spec
// reader bound the work a document can cause before any tree is built (ARCHITECTURE.md, "Dependencies").
internal import CYaml

/// Limits on the work one spec document may cause. A YAML alias (`*name`) copies its anchor's whole
/// content, so a few lines can stand for billions of nodes ("billion laughs"); deep nesting can
/// exhaust the stack of any recursive reader. Past a limit, parsing stops with a spec error.
public struct SpecBudget: Sendable, Equatable {
  /// Largest document, in bytes of UTF-8.
  public var maxBytes: Int
  /// Most nodes in the document once every alias is expanded.
  public var maxNodes: Int
  /// Most aliases (each one is an expansion).
  public var maxAliases: Int
  /// Deepest nesting of lists and mappings.
  public var maxDepth: Int

  public init(maxBytes: Int, maxNodes: Int, maxAliases: Int, maxDepth: Int) {
    self.maxBytes = maxBytes
    self.maxNodes = maxNodes
    self.maxAliases = maxAliases
    self.maxDepth = maxDepth
  }

  /// Generous for any hand-written spec (the largest built-in has under 2,000 nodes), and parsed in
  /// well under a second at the limit.
  public static let standard = SpecBudget(maxBytes: 8 << 20, maxNodes: 1_000_000, maxAliases: 10_000, maxDepth: 64)
}

/// Builds a ``SpecNode`` tree from libyaml's event stream, iteratively (no recursion on depth),
/// counting nodes with aliases expanded and stopping at the first limit of its ``SpecBudget``.
struct SpecParser {
  /// An open list or mapping. Frames are mutated in place on the stack, so that appending to one
  /// never copies its items (an enum's payload would be copied on every append: quadratic time).
  private struct Frame {
    let isMapping: Bool
    let at: SourceMark
    let anchor: String?
    var items: [SpecNode] = []
    var pairs: [(key: String, value: SpecNode, keyAt: SourceMark)] = []
    /// A mapping's key waiting for its value.
    var key: (String, SourceMark)?
    /// Nodes inside, with aliases expanded, the frame's own included.
    var size = 1
  }

  let budget: SpecBudget
  private var stack: [Frame] = []
  /// Anchor → its node and expanded size (looked up only; never iterated).
  private var anchors: [String: (node: SpecNode, size: Int)] = [:]
  private var nodes = 0
  private var aliases = 0

  init(budget: SpecBudget) { self.budget = budget }

  /// Parses one document; `nil` when the text holds none.
  mutating func parse(_ text: String) throws(DecoyError) -> SpecNode? {
    var bytes = Array(text.utf8)
    guard bytes.count <= budget.maxBytes else {
      throw Self.fail(
        "the spec is \(bytes.count) bytes, over the limit of \(budget.maxBytes)",
        hint: "a spec describes tables and columns; keep value lists in the spec small")
    }
    var parser = yaml_parser_t()
    guard yaml_parser_initialize(&parser) == 1 else { throw Self.fail("out of memory while parsing the spec") }
    defer { yaml_parser_delete(&parser) }
    return try bytes.withUnsafeMutableBufferPointer { (buf) throws(DecoyError) -> SpecNode? in
      yaml_parser_set_input_string(&parser, buf.baseAddress, buf.count)
      return try run(&parser)
    }
  }

  private mutating func run(_ parser: inout yaml_parser_t) throws(DecoyError) -> SpecNode? {
    var root: SpecNode?
    var documents = 0
    while true {
      var event = yaml_event_t()
      guard yaml_parser_parse(&parser, &event) == 1 else { throw Self.syntaxError(parser) }
      defer { yaml_event_delete(&event) }
      let mark = SourceMark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
      switch event.type {
      case YAML_STREAM_END_EVENT:
        return root
      case YAML_DOCUMENT_START_EVENT:
        documents += 1
        if documents > 1 {
          throw Self.fail("the file holds more than one YAML document", hint: "remove the second `---`", at: mark)
        }
      case YAML_SCALAR_EVENT:
        let s = event.data.scalar
        let value = Self.text(s.value, count: s.length) ?? ""
        let quoted = s.style != YAML_PLAIN_SCALAR_STYLE
        try count(1, at: mark)
        if let done = try finish(.scalar(value, quoted: quoted, at: mark), size: 1, anchor: Self.text(s.anchor)) {
          root = done
        }
      case YAML_ALIAS_EVENT:
        let name = Self.text(event.data.alias.anchor) ?? ""
        guard let target = anchors[name] else {
          throw Self.fail(
            "the alias *\(name) names no anchor before it", hint: "define `&\(name)` before using `*\(name)`", at: mark)
        }
        aliases += 1
        guard aliases <= budget.maxAliases else {
          throw Self.fail(
            "the spec uses more than \(budget.maxAliases) YAML aliases", hint: "write the values out instead", at: mark)
        }
        try count(target.size, at: mark)
        if let done = try finish(target.node, size: target.size, anchor: nil) { root = done }
      case YAML_SEQUENCE_START_EVENT:
        try push(Frame(isMapping: false, at: mark, anchor: Self.text(event.data.sequence_start.anchor)), at: mark)
      case YAML_MAPPING_START_EVENT:
        try push(Frame(isMapping: true, at: mark, anchor: Self.text(event.data.mapping_start.anchor)), at: mark)
      case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
        guard let frame = stack.popLast() else { continue }
        if frame.isMapping { try Self.checkDuplicates(frame.pairs) }
        let node: SpecNode =
          frame.isMapping ? .mapping(frame.pairs, at: frame.at) : .sequence(frame.items, at: frame.at)
        if let done = try finish(node, size: frame.size, anchor: frame.anchor) { root = done }
      default:
        continue
      }
    }
  }

  private mutating func push(_ frame: Frame, at mark: SourceMark) throws(DecoyError) {
    guard stack.count < budget.maxDepth else {
      throw Self.fail(
        "lists and mappings nest more than \(budget.maxDepth) levels deep", hint: "a spec needs only a few levels",
        at: mark)
    }
    try count(1, at: mark)
    stack.append(frame)
  }

  private mutating func count(_ n: Int, at mark: SourceMark) throws(DecoyError) {
    nodes += n
    guard nodes <= budget.maxNodes else {
      throw Self.fail(
        "the spec expands to more than \(budget.maxNodes) nodes",
        hint: "YAML aliases (*name) copy their anchor's whole content; use fewer of them", at: mark)
    }
  }

  /// Hands a complete node of `size` expanded nodes (already counted) to its parent, or returns it
  /// as the root; registers its anchor.
  private mutating func finish(_ node: SpecNode, size: Int, anchor: String?) throws(DecoyError) -> SpecNode? {
    if let anchor { anchors[anchor] = (node, size) }
    guard !stack.isEmpty else { return node }
    let top = stack.count - 1
    stack[top].size += size
    if !stack[top].isMapping {
      stack[top].items.append(node)
    } else if let key = stack[top].key {
      stack[top].pairs.append((key: key.0, value: node, keyAt: key.1))
      stack[top].key = nil
    } else {
      guard case .scalar(let k, _, _) = node else {
        throw Self.fail("a mapping key must be plain text, found \(node.kindName)", at: node.mark)
      }
      stack[top].key = (k, node.mark)
    }
    return nil
  }

  private static func checkDuplicates(_ pairs: [(key: String, value: SpecNode, keyAt: SourceMark)])
    throws(DecoyError)
  {
    guard pairs.count > 1 else { return }
    var seen = Set<String>()
    var reported = Set<String>()
    var duplicates: [(String, SourceMark)] = []  // in document order; the sets are only looked up
    for p in pairs where !seen.insert(p.key).inserted && reported.insert(p.key).inserted {
      duplicates.append((p.key, p.keyAt))
    }
    guard let first = duplicates.first else { return }
    var names = duplicates.prefix(10).map(\.0).sorted().joined(separator: ", ")
    if duplicates.count > 10 { names += " and \(duplicates.count - 10) more" }
    throw fail("duplicate key(s) \(names) in one mapping", hint: "each key may appear once", at: first.1)
  }

  private static func text(_ p: UnsafeMutablePointer<yaml_char_t>?, count: Int? = nil) -> String? {
    guard let p else { return nil }
    let n = count ?? strlen(UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self))
    return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
  }

  private static func syntaxError(_ parser: yaml_parser_t) -> DecoyError {
    let problem = parser.problem.map { String(cString: $0) } ?? "unreadable input"
    switch parser.error {
    case YAML_MEMORY_ERROR:
      return fail("out of memory while parsing the spec")
    case YAML_READER_ERROR:
      return fail("the spec is not valid UTF-8 text (\(problem) at byte \(parser.problem_offset))")
    default:
      let context = parser.context.map { String(cString: $0) + " " } ?? ""
      let mark = SourceMark(line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1)
      return fail("YAML syntax error: \(context)\(problem)", at: mark)
    }
  }

  private static func fail(_ message: String, hint: String? = nil, at mark: SourceMark? = nil) -> DecoyError {
    .invalidSpec(
      file: nil,
      issues: [SpecIssue(path: "", message: message, hint: hint, line: mark?.line, column: mark?.column)])
  }
}
