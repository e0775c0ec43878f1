import DecoyCore
import Foundation

/// The run manifest written next to the data (`<dataset>.manifest.json`): what was generated, from
/// which seed, date and engine, and which safety level every identifier column used — what a
/// compliance reviewer needs to show the files contain no real identifiers. It holds no timings
/// or host data, so it is as reproducible as the data itself.
enum Manifest {
  static func json(job: GenerateJob, plan: Plan, files: [(table: String, path: String, rows: UInt64)]) -> [UInt8] {
    var tables: [[String: Any]] = []
    for t in plan.tables {
      var columns: [[String: Any]] = []
      for c in t.spec.columns {
        var col: [String: Any] = ["name": c.name, "type": c.type.description, "source": c.summary]
        if c.nullRate > 0 { col["null_rate"] = c.nullRate }
        if let d = c.description { col["description"] = d }
        if let kind = c.identifierKind {
          let level = c.levelOverride ?? job.identifiers.level(kind)
          col["identifier"] = kind.rawValue
          col["safety_level"] = level.rawValue
          switch level {
          case .safe: col["safety_note"] = "cannot belong to a real person (reserved or structurally invalid values)"
          case .formatValid:
            col["safety_note"] =
              "passes validators; drawn from unissued or test ranges where they exist, collisions with real values unlikely but possible"
          case .realistic:
            col["safety_note"] = "REALISTIC: may coincide with a real person's identifier (opted in for this run)"
          }
        }
        columns.append(col)
      }
      var table: [String: Any] = [
        "name": t.spec.name, "rows_total": t.totalRows, "rows_in_shard": t.rows.count, "columns": columns,
      ]
      if let f = files.first(where: { $0.table == t.spec.name }) {
        table["file"] = (f.path as NSString).lastPathComponent
      }
      if let p = t.spec.parent { table["parent"] = ["table": p.table, "children_per_parent": p.count.description] }
      tables.append(table)
    }
    let root: [String: Any] = [
      "dataset": job.spec.name, "seed": job.seed, "today": job.today.description, "format": job.format.rawValue,
      "shard": job.shard.description, "engine_fingerprint": Fingerprint.current,
      "decoy_version": Fingerprint.productVersion,
      "identifiers_default": job.identifiers.fallback.rawValue, "tables": tables,
    ]
    let data = (try? JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys])) ?? Data()
    return Array(data) + [10]
  }
}
