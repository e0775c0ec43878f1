import DecoyCore

/// Provider columns of a child table that describe its parent row (`of: parent`: the same person,
/// address or card as the parent's own columns), decoded by the spec decoder from a YAML flow list.
enum ParentColumns {
  /// The `child` columns, and the `parentColumns` as they would be on the parent table `parent`.
  static func decode(parent: String, parentColumns: String = "[{name: id, sequence: 1}]", _ child: String)
    throws(DecoyError)
    -> (parent: [ColumnSpec], child: [ColumnSpec])
  {
    let s = try SpecDecoder.decode(
      """
      version: 1
      name: parent-columns
      tables:
        - name: \(parent)
          rows: 1
          columns: \(parentColumns)
        - name: child
          parent: {table: \(parent), count: 1}
          columns: \(child.replacingOccurrences(of: "\n", with: " "))
      """)
    return (s.tables[0].columns, s.tables[1].columns)
  }
}
