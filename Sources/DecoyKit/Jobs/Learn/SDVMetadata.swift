public import DecoyCore
public import DecoyLearn
import Foundation

/// SDV/SDMetrics metadata: the sdtype of each column as a Decoy kind.
public enum SDVMetadata {
  public static func kinds(_ path: String) throws(DecoyError) -> [String: ColumnKind] {
    guard let data = FileManager.default.contents(atPath: path),
      let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { throw DecoyError.io(path: path, reason: "cannot read the metadata JSON", hint: "check the path and syntax") }
    var table = root
    if let tables = root["tables"] as? [String: Any], let first = tables.keys.sorted().first,
      let t = tables[first] as? [String: Any]
    {
      table = t
    }
    guard let columns = table["columns"] as? [String: Any] else {
      throw DecoyError.io(path: path, reason: "the metadata has no columns", hint: "give SDV single-table metadata")
    }
    var out: [String: ColumnKind] = [:]
    for name in columns.keys.sorted() {
      guard let c = columns[name] as? [String: Any], let sdtype = c["sdtype"] as? String else { continue }
      switch sdtype {
      case "numerical": out[name] = .numerical
      case "datetime": out[name] = .date
      case "categorical": out[name] = .categorical
      case "ordinal": out[name] = .ordinal
      case "boolean": out[name] = .boolean
      case "id": out[name] = .key
      default: out[name] = .pii
      }
    }
    return out
  }
}
