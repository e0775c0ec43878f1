/// A decoded, validated dataset spec (format version 1). See docs/spec-format.md.
public struct DatasetSpec: Sendable {
  /// The only spec format version this build reads.
  public static let formatVersion = 1

  public var name: String
  public var description: String?
  /// Seed used when the command line gives none.
  public var seed: UInt64?
  /// "Today" used when the command line gives none.
  public var today: CivilDate?
  /// Engine fingerprint this spec was recorded with; a run fails if the engine's differs.
  public var fingerprint: String?
  /// Identifier levels (never `realistic`: that must be named on the command line).
  public var identifiers: IdentifierPolicy?
  public var tables: [TableSpec]
  /// Set by scenario datasets whose root row count is part of the simulation (their per-parent
  /// counts were computed for exactly those rows): the plan refuses `--rows` and `--scale` changes.
  public var sizedBy: String?

  public init(name: String, tables: [TableSpec]) {
    self.name = name
    self.tables = tables
  }

  /// The table with a name.
  public func table(_ name: String) -> TableSpec? { tables.first { $0.name == name } }
}

/// One table of a spec.
public struct TableSpec: Sendable {
  public var name: String
  public var description: String?
  /// Row count for tables without a parent.
  public var rows: UInt64?
  /// For child tables: the parent table and how many rows each parent row gets.
  public var parent: ParentSpec?
  public var columns: [ColumnSpec]
  public var primaryKey: String?
  /// Columns that are unique besides the primary key (each gets a UNIQUE constraint in databases).
  public var uniqueKeys: [String] = []

  public init(name: String, rows: UInt64?, parent: ParentSpec? = nil, columns: [ColumnSpec]) {
    self.name = name
    self.rows = rows
    self.parent = parent
    self.columns = columns
  }
}

/// The parent of a child table and the distribution of children per parent row.
public struct ParentSpec: Sendable {
  public var table: String
  public var count: CountDistribution
  public init(table: String, count: CountDistribution) {
    self.table = table
    self.count = count
  }
}

/// A distribution of non-negative integer counts.
public enum CountDistribution: Sendable, CustomStringConvertible {
  case fixed(Int64)
  case uniform(Int64, Int64)
  case poisson(mean: Double)
  case geometric(mean: Double)
  /// Counts computed by scenario code from the parent row (e.g. visits per patient).
  case computed(ComputedCount)

  /// Draws a count for parent row `i`.
  public func draw(_ s: RandomStream, _ i: UInt64) -> Int64 {
    switch self {
    case .fixed(let n): n
    case .uniform(let a, let b): s.int(in: a...b, i)
    case .poisson(let m): s.poisson(mean: m, i)
    case .geometric(let m): s.geometric(p: 1 / (1 + m), i)
    case .computed(let c): c.draw(i)
    }
  }

  /// Expected value.
  public var mean: Double {
    switch self {
    case .fixed(let n): Double(n)
    case .uniform(let a, let b): Double(a + b) / 2
    case .poisson(let m), .geometric(let m): m
    case .computed(let c): c.mean
    }
  }

  public var description: String {
    switch self {
    case .fixed(let n): "\(n) per parent"
    case .uniform(let a, let b): "uniform \(a)…\(b) per parent"
    case .poisson(let m): "poisson(mean \(m)) per parent"
    case .geometric(let m): "geometric(mean \(m)) per parent"
    case .computed(let c): c.summary
    }
  }
}

/// A per-parent count computed by scenario code: a pure function of the parent row.
public struct ComputedCount: Sendable {
  /// What the count is (for `decoy plan`).
  public var summary: String
  /// Expected count per parent (sizes batches).
  public var mean: Double
  public var draw: @Sendable (UInt64) -> Int64

  public init(summary: String, mean: Double, draw: @escaping @Sendable (UInt64) -> Int64) {
    self.summary = summary
    self.mean = mean
    self.draw = draw
  }
}

/// One column of a table.
public struct ColumnSpec: Sendable {
  public var name: String
  public var description: String?
  /// Share of rows set to null (drawn per row from the column's own stream).
  public var nullRate: Double
  /// Human-readable summary of how values are made (for `decoy plan`).
  public var summary: String
  /// The logical type.
  public var type: ValueType
  /// Other columns of the row this one reads.
  public var dependencies: [String]
  /// Builds the generator for a run.
  public var factory: GeneratorFactory
  /// The identifier kind, for the manifest.
  public var identifierKind: IdentifierKind?
  /// A column-level `level:` override of the identifier safety level.
  public var levelOverride: IdentifierLevel?
  /// For provider columns: the provider's name.
  public var provider: String?
  /// For `ref` columns: the referenced table and column.
  public var reference: (table: String, column: String)?

  public init(
    name: String, type: ValueType, summary: String, nullRate: Double = 0, dependencies: [String] = [],
    identifierKind: IdentifierKind? = nil, factory: @escaping GeneratorFactory
  ) {
    self.name = name
    self.type = type
    self.summary = summary
    self.nullRate = nullRate
    self.dependencies = dependencies
    self.identifierKind = identifierKind
    self.factory = factory
  }
}
