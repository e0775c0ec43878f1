/// What a provider needs to build its generator for one column of one run.
public struct ColumnBuildContext: Sendable {
  /// Run-wide settings (seed, today, identifier levels).
  public var context: GenerationContext
  /// The table being generated.
  public var table: String
  /// The column being generated.
  public var column: String
  /// The table whose entities the column describes: the table itself, or its parent with `of: parent`.
  public var entityTable: String
  /// How rows map to entity indices.
  public var indexing: EntityIndexing
  /// Total rows of every table of the run (for references to other tables).
  public var tableRows: [String: UInt64]

  public init(
    context: GenerationContext, table: String, column: String, entityTable: String? = nil,
    indexing: EntityIndexing = .row,
    tableRows: [String: UInt64] = [:]
  ) {
    self.tableRows = tableRows
    self.context = context
    self.table = table
    self.column = column
    self.entityTable = entityTable ?? table
    self.indexing = indexing
  }

  /// The column's own stream for a purpose (values that belong to this column alone).
  public func stream(_ purpose: String = "value") -> RandomStream { context.stream(table, column, purpose) }

  /// The identifier level for a kind, after a column-level override. A spec may lower a level or
  /// raise it to `format-valid`, but `realistic` must also be named for the run
  /// (`--identifiers realistic` or `--identifiers KIND=realistic`): a spec file is a preset.
  public func level(_ kind: IdentifierKind, override: IdentifierLevel?) throws(DecoyError) -> IdentifierLevel {
    let run = context.identifiers.level(kind)
    guard let override else { return run }
    if override == .realistic && run != .realistic {
      throw .usage(
        "column \(table).\(column) asks for `level: realistic` identifiers",
        hint:
          "realistic values may belong to real people; confirm for this run with --identifiers \(kind.rawValue)=realistic"
      )
    }
    return override
  }
}

/// A builder of generators for one run: made once per column from the column's decoded parameters.
public typealias GeneratorFactory = @Sendable (ColumnBuildContext) throws(DecoyError) -> any ColumnGenerator

/// A named value provider: its parameters are checked when a spec is decoded; its generator is
/// built when a run starts.
public struct ProviderDefinition: Sendable {
  /// Dotted name, e.g. `person.first_name`.
  public let name: String
  /// One line for `decoy providers`.
  public let summary: String
  /// The type of the values.
  public let type: ValueType
  /// Parameter names with one-line descriptions.
  public let parameters: [(name: String, help: String)]
  /// The identifier kind whose safety level applies, if any.
  public let identifierKind: IdentifierKind?
  /// Reads the column's parameters (recording problems) and returns a factory.
  let prepare: @Sendable (inout MapReader) -> GeneratorFactory

  public init(
    _ name: String, _ summary: String, type: ValueType, parameters: [(name: String, help: String)] = [],
    identifier: IdentifierKind? = nil, prepare: @escaping @Sendable (inout MapReader) -> GeneratorFactory
  ) {
    self.name = name
    self.summary = summary
    self.type = type
    self.parameters = parameters
    self.identifierKind = identifier
    self.prepare = prepare
  }

  /// Decodes parameters from a column mapping and returns the factory.
  public func factory(reading params: inout MapReader) -> GeneratorFactory { prepare(&params) }
}

extension MapReader {
  /// The optional per-column `level:` override of the identifier safety level.
  public mutating func level() -> IdentifierLevel? {
    oneOf("level", IdentifierLevel.allCases.map(\.rawValue)).flatMap(IdentifierLevel.init(rawValue:))
  }
}
