/// A column built from a template over other columns of the same row:
/// `"{first_name}.{last_name}@example.com"`, with optional `|lower` / `|upper` filters.
public struct DerivedColumn: ColumnGenerator {
  public enum Part: Sendable, Equatable {
    case literal([UInt8])
    case column(String, filter: Filter)
  }
  public enum Filter: String, Sendable, Equatable { case none, lower, upper }

  public let type = ValueType.string
  public let parts: [Part]
  public var dependencies: [String] {
    parts.compactMap { if case .column(let n, _) = $0 { n } else { nil } }
  }

  /// Parses a template; returns nil with a message on a syntax error.
  public static func parse(_ template: String) -> Result<[Part], TemplateError> {
    var parts: [Part] = []
    var lit: [UInt8] = []
    var chars = Array(template.utf8)[...]
    while let c = chars.popFirst() {
      if c == UInt8(ascii: "{") {
        guard let close = chars.firstIndex(of: UInt8(ascii: "}")) else {
          return .failure(TemplateError("unclosed '{'"))
        }
        let inner = String(decoding: chars[chars.startIndex..<close], as: UTF8.self)
        chars = chars[(close + 1)...]
        let bits = inner.split(separator: "|", maxSplits: 1).map(String.init)
        guard let name = bits.first, !name.isEmpty else { return .failure(TemplateError("empty '{}'")) }
        var filter = Filter.none
        if bits.count == 2 {
          guard let f = Filter(rawValue: bits[1]), f != .none else {
            return .failure(TemplateError("unknown filter '\(bits[1])' (use lower or upper)"))
          }
          filter = f
        }
        if !lit.isEmpty {
          parts.append(.literal(lit))
          lit = []
        }
        parts.append(.column(name, filter: filter))
      } else {
        lit.append(c)
      }
    }
    if !lit.isEmpty { parts.append(.literal(lit)) }
    return .success(parts)
  }

  public struct TemplateError: Error, Sendable {
    public let message: String
    init(_ m: String) { message = m }
  }

  public init(parts: [Part]) { self.parts = parts }

  public func fill(_ out: ColumnBuffer, batch: BatchView) {
    var bytes = out.bytes
    out.bytes = []
    var ends = out.ends
    out.ends = []
    var scratch: [UInt8] = []
    for r in 0..<batch.count {
      for p in parts {
        switch p {
        case .literal(let l): bytes.append(contentsOf: l)
        case .column(let name, let filter):
          guard let c = batch.columns[name], !c.isNull(r) else { continue }
          scratch.removeAll(keepingCapacity: true)
          ValueFormatter.append(c, r, to: &scratch)
          switch filter {
          case .none: bytes.append(contentsOf: scratch)
          case .lower: for b in scratch { bytes.append(b >= 65 && b <= 90 ? b | 0x20 : b) }
          case .upper: for b in scratch { bytes.append(b >= 97 && b <= 122 ? b & ~0x20 : b) }
          }
        }
      }
      ends.append(bytes.count)
    }
    out.bytes = bytes
    out.ends = ends
    out.setCount(ends.count)
  }
}
