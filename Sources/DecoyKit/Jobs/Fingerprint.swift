import DecoyCore

/// The engine fingerprint: a hash of every provider's output for rows 0..<256 under a canonical
/// seed and date, at every safety level, plus the built-in column kinds. Any change to random
/// streams, distributions, data files or formatting changes it. A spec may pin it.
public enum Fingerprint {
  /// Bumped when the spec format or engine semantics change on purpose.
  public static let engineVersion = 1
  /// The product version shown by `decoy --version` and in manifests.
  public static let productVersion = "0.1.0"
  static let canonicalSeed: UInt64 = 0x5EED
  static let canonicalToday = CivilDate(year: 2024, month: 6, day: 15)

  /// `v1-<16 hex digits>`.
  public static let current: String = compute()

  static func compute() -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    func feed(_ bytes: [UInt8]) {
      for b in bytes {
        h ^= UInt64(b)
        h &*= 0x100_0000_01b3
      }
    }
    var policy = IdentifierPolicy()
    for level in IdentifierLevel.allCases {
      policy.fallback = level
      let ctx = GenerationContext(seed: canonicalSeed, today: canonicalToday, identifiers: policy)
      for def in ProviderRegistry.all {
        let issues = IssueCollector()
        var r = MapReader(.mapping([], at: SourceMark(line: 0, column: 0)), path: "", issues: issues)
        let factory = def.factory(reading: &r)
        guard let gen = try? factory(ColumnBuildContext(context: ctx, table: "fingerprint", column: def.name)) else {
          continue
        }
        let buf = ColumnBuffer(type: gen.type, capacity: 256)
        gen.fill(buf, batch: BatchView(rows: 0..<256, parentIndex: Array(0..<256)))
        feed(Array(def.name.utf8))
        var out: [UInt8] = []
        for i in 0..<buf.count {
          ValueFormatter.append(buf, i, to: &out)
          out.append(10)
        }
        feed(out)
      }
    }
    feed(Array("engine-\(engineVersion)".utf8))
    let hex = String(StableHash.mix(h), radix: 16)
    return "v\(engineVersion)-" + String(repeating: "0", count: 16 - hex.count) + hex
  }
}
