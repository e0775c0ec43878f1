import DecoyCore

/// Agreement of regenerated names with a learned sex or gender column: when the sample has one,
/// first names (and full names and e-mails made from them) are drawn for the synthetic row's
/// learned sex instead of the person model's own draw.
enum PersonSex {
  enum NameKind: Sendable {
    case first, full, email
    init?(provider: String) {
      switch provider {
      case "person.first_name": self = .first
      case "person.full_name": self = .full
      case "person.email": self = .email
      default: return nil
      }
    }
  }

  static let femaleWords: Set<String> = ["f", "female", "w", "woman", "women", "girl", "fem", "feminine"]
  static let maleWords: Set<String> = ["m", "male", "man", "men", "boy", "masculine"]

  /// The learned categorical column that holds sex or gender, if any.
  static func column(in m: ModelManifest) -> Int? {
    for (c, p) in m.profiles.enumerated() where p.routing == .learned && (p.kind == .categorical || p.kind == .boolean)
    {
      let tokens = PIIRules.tokens(p.name)
      guard tokens.contains(where: { ["sex", "gender"].contains($0) }) || PIIRules.squashed(p.name).hasSuffix("gender")
      else { continue }
      if !mapping(m, c).isEmpty { return c }
    }
    return nil
  }

  /// The categories that name a sex, in code order: their spelling and 0 (female) or 1 (male).
  static func mapping(_ m: ModelManifest, _ c: Int) -> [(spelling: [UInt8], sex: Int)] {
    guard let e = m.encodings.first(where: { $0.column == c }), let cats = e.categories else { return [] }
    var out: [(spelling: [UInt8], sex: Int)] = []
    for case let s? in cats {
      let l = s.lowercased()
      if femaleWords.contains(l) {
        out.append((Array(s.utf8), 0))
      } else if maleWords.contains(l) {
        out.append((Array(s.utf8), 1))
      }
    }
    return out
  }

  static func column(
    _ kind: NameKind, _ b: ColumnBuildContext, sexColumn: String, mapping: [(spelling: [UInt8], sex: Int)]
  )
    throws(DecoyError) -> any ColumnGenerator
  {
    let model = PersonModel(context: b.context, table: b.table, entity: "person")
    let first = b.context.stream(b.table, "entity:person", "first-by-learned-sex")
    let email: EmailMaker? =
      kind == .email
      ? EmailMaker(
        stream: b.context.stream(b.table, "entity:person", "email"), level: try b.level(.email, override: nil)) : nil
    return SexAwareName(kind: kind, model: model, first: first, sexColumn: sexColumn, mapping: mapping, email: email)
  }
}

/// A name column whose first names follow the row's learned sex.
struct SexAwareName: ColumnGenerator {
  let type = ValueType.string
  let kind: PersonSex.NameKind
  let model: PersonModel
  let first: RandomStream
  let sexColumn: String
  let mapping: [(spelling: [UInt8], sex: Int)]
  let email: EmailMaker?
  var dependencies: [String] { [sexColumn] }

  func fill(_ out: ColumnBuffer, batch: BatchView) {
    let data = ReferenceData.shared
    let sex = batch.columns[sexColumn]
    for k in 0..<batch.count {
      let i = batch.rows.lowerBound + UInt64(k)
      var s = model.sex(i)
      if let sex, !sex.isNull(k) {
        // The learned column is text (a category spelling) or a boolean; compare its bytes.
        if sex.type == .string {
          let value = sex.bytes[sex.stringRange(k)]
          if let m = mapping.first(where: { $0.spelling.elementsEqual(value) }) { s = m.sex }
        }
      }
      let f = data.firstName(sex: s, birthYear: model.birthYear(i), bits: first.bits(i))
      let l = model.lastName(i)
      switch kind {
      case .first: data.firstNames.append(f, to: &out.bytes)
      case .full:
        data.firstNames.append(f, to: &out.bytes)
        out.bytes.append(UInt8(ascii: " "))
        data.surnames.append(l, to: &out.bytes)
      case .email: email!.append(first: f, last: l, index: i, to: &out.bytes)
      }
      out.endString()
    }
  }
}
