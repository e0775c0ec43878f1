public import DecoyCore
import Foundation

/// Helpers shared by the test targets.
public enum TestSupport {
  /// Generates `rows` values of a provider with the given parameters (as YAML flow mapping text).
  public static func values(
    _ provider: String, params: String = "{}", rows: Int, seed: UInt64 = 1,
    today: CivilDate = CivilDate(year: 2026, month: 1, day: 1),
    identifiers: IdentifierPolicy = IdentifierPolicy(), table: String = "t", column: String = "c"
  ) throws -> ColumnBuffer {
    let yaml = """
      version: 1
      tables:
        - name: \(table)
          rows: \(rows)
          columns:
            - {name: \(column), provider: \(provider)}
      """
    var spec = try SpecDecoder.decode(yaml)
    if params != "{}" {
      let withParams = yaml.replacingOccurrences(
        of: "provider: \(provider)}", with: "provider: \(provider), \(params.dropFirst().dropLast())}")
      spec = try SpecDecoder.decode(withParams)
    }
    let ctx = GenerationContext(seed: seed, today: today, identifiers: identifiers)
    let plan = try Plan(spec: spec, context: ctx)
    let gen = try Engine(plan: plan).generators(for: plan.tables[0])[0]
    let buf = ColumnBuffer(type: gen.type, capacity: rows)
    gen.fill(buf, batch: BatchView(rows: 0..<UInt64(rows), parentIndex: Array(0..<UInt64(rows))))
    return buf
  }

  /// data/zips.tsv read independently of ReferenceData: zip → (city, state).
  public static let zipTable: [String: (String, String)] = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../data/zips.tsv")
    let text = try! String(contentsOf: url, encoding: .utf8)
    var d: [String: (String, String)] = [:]
    for line in text.split(separator: "\n") {
      let f = line.split(separator: "\t", omittingEmptySubsequences: false)
      d[String(f[0])] = (String(f[1]), String(f[2]))
    }
    return d
  }()

  /// Luhn check of a digit string, written from ISO/IEC 7812 independently of the generators.
  public static func luhn(_ s: String) -> Bool {
    var sum = 0
    for (k, c) in s.reversed().enumerated() {
      var d = Int(String(c))!
      if k % 2 == 1 {
        d *= 2
        if d > 9 { d -= 9 }
      }
      sum += d
    }
    return sum % 10 == 0
  }

  /// All string values of a buffer.
  public static func strings(_ b: ColumnBuffer) -> [String] { (0..<b.count).map { b.string($0) } }
}

extension String {
  func replacingOccurrences(of a: String, with b: String) -> String {
    var out = ""
    var rest = Substring(self)
    while let r = rest.range(of: a) {
      out += rest[rest.startIndex..<r.lowerBound]
      out += b
      rest = rest[r.upperBound...]
    }
    return out + rest
  }
}
