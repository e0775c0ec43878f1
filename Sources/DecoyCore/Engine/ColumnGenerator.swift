/// Fills one column of a batch. Implementations are pure: the value of a row depends only on the
/// generator's configuration (seed, table, column, parameters) and the row's global index, never on
/// the batch boundaries or on other generators' state.
public protocol ColumnGenerator: Sendable {
  /// The logical type of the values produced.
  var type: ValueType { get }
  /// Names of other columns of the same row this generator reads (filled before it).
  var dependencies: [String] { get }
  /// Appends the values of `batch.rows` to `out` (which has been reset).
  func fill(_ out: ColumnBuffer, batch: BatchView)
}

extension ColumnGenerator {
  public var dependencies: [String] { [] }
}

/// What a generator sees of the batch it fills.
public struct BatchView {
  /// Global row indices of the batch (within the table, independent of shards).
  public let rows: Range<UInt64>
  /// For tables generated per parent row: the parent row index of each row of the batch.
  public let parentIndex: [UInt64]
  /// Columns of the same batch already filled, by name (for derived columns).
  public let columns: [String: ColumnBuffer]
  /// Per-batch memo of latent values shared by several columns (nil: compute every time).
  public let cache: BatchCache?

  public init(
    rows: Range<UInt64>, parentIndex: [UInt64] = [], columns: [String: ColumnBuffer] = [:], cache: BatchCache? = nil
  ) {
    self.rows = rows
    self.parentIndex = parentIndex
    self.columns = columns
    self.cache = cache
  }

  /// Number of rows in the batch.
  public var count: Int { rows.count }
}

/// Which index an entity-based provider uses: the row's own, or its parent row's (so an `orders`
/// table can print the same customer name as the `customers` row it belongs to).
public enum EntityIndexing: Sendable, Equatable {
  case row
  case parent
}

/// Per-run settings shared by every generator.
public struct GenerationContext: Sendable {
  /// The run's seed.
  public var seed: UInt64
  /// "Today": the reference date for ages, expiry dates and "not in the future" rules.
  public var today: CivilDate
  /// Identifier safety levels.
  public var identifiers: IdentifierPolicy

  /// The project's reference date, 2025-10-14: "today" (and the fraud simulation's `--as-of`) of
  /// every command when neither the command line nor the spec gives one. Fixed, so the same seed
  /// gives the same output on any day (docs/determinism.md).
  public static let defaultToday = CivilDate(year: 2025, month: 10, day: 14)

  public init(seed: UInt64, today: CivilDate, identifiers: IdentifierPolicy = IdentifierPolicy()) {
    self.seed = seed
    self.today = today
    self.identifiers = identifiers
  }

  /// The stream for `(table, column-or-entity, purpose)`.
  public func stream(_ parts: String...) -> RandomStream { RandomStream(seed: seed, path: parts) }
}

/// A generator built from a per-row closure writing string bytes.
public struct StringColumn: ColumnGenerator {
  public let type = ValueType.string
  let indexing: EntityIndexing
  let body: @Sendable (UInt64, inout [UInt8]) -> Void

  public init(indexing: EntityIndexing = .row, _ body: @escaping @Sendable (UInt64, inout [UInt8]) -> Void) {
    self.indexing = indexing
    self.body = body
  }

  public func fill(_ out: ColumnBuffer, batch: BatchView) {
    var bytes = out.bytes
    out.bytes = []
    var ends = out.ends
    out.ends = []
    var i = 0
    for row in batch.rows {
      body(indexing == .row ? row : batch.parentIndex[i], &bytes)
      ends.append(bytes.count)
      i += 1
    }
    out.bytes = bytes
    out.ends = ends
    out.setCount(ends.count)
  }
}

/// A generator built from a per-row closure returning an integer-backed value.
public struct IntColumn: ColumnGenerator {
  public let type: ValueType
  let indexing: EntityIndexing
  let body: @Sendable (UInt64) -> Int64

  public init(_ type: ValueType, indexing: EntityIndexing = .row, _ body: @escaping @Sendable (UInt64) -> Int64) {
    self.type = type
    self.indexing = indexing
    self.body = body
  }

  public func fill(_ out: ColumnBuffer, batch: BatchView) {
    var ints = out.ints
    out.ints = []
    var i = 0
    for row in batch.rows {
      ints.append(body(indexing == .row ? row : batch.parentIndex[i]))
      i += 1
    }
    out.ints = ints
    out.setCount(ints.count)
  }
}

/// A generator built from a per-row closure returning a double.
public struct DoubleColumn: ColumnGenerator {
  public let type = ValueType.double
  let body: @Sendable (UInt64) -> Double

  public init(_ body: @escaping @Sendable (UInt64) -> Double) { self.body = body }

  public func fill(_ out: ColumnBuffer, batch: BatchView) {
    var d = out.doubles
    out.doubles = []
    for row in batch.rows { d.append(body(row)) }
    out.doubles = d
    out.setCount(d.count)
  }
}

/// Latent values (a person's name rows, an address's ZIP row, a card's brand) computed once per
/// batch and shared by every column that needs them. Purely an optimisation: a latent is a pure
/// function of its key and the entity index, so cached and recomputed values are identical.
public final class BatchCache: @unchecked Sendable {
  private var entries: [UInt64: [Int64]] = [:]
  private var objects: [UInt64: AnyObject] = [:]
  public init() {}

  /// Forgets everything (called before each batch).
  public func reset() {
    entries.removeAll(keepingCapacity: true)
    objects.removeAll(keepingCapacity: true)
  }

  /// A per-batch object (e.g. a scenario's simulation of the batch's parents), computed on first use.
  public func object<T: AnyObject>(_ key: UInt64, _ compute: () -> T) -> T {
    if let v = objects[key] as? T { return v }
    let v = compute()
    objects[key] = v
    return v
  }

  /// The latents of `key` for the batch, computing them on first use.
  func values(_ key: UInt64, _ compute: () -> [Int64]) -> [Int64] {
    if let v = entries[key] { return v }
    let v = compute()
    entries[key] = v
    return v
  }
}

/// A string column whose rows first need a latent value shared with other columns (see ``BatchCache``).
public struct LatentStringColumn: ColumnGenerator {
  public let type = ValueType.string
  let indexing: EntityIndexing
  let key: UInt64
  let latent: @Sendable (UInt64) -> Int64
  let body: @Sendable (Int64, UInt64, inout [UInt8]) -> Void

  /// `key` must identify `latent` exactly (model streams and parameters); indexing is mixed in here.
  public init(
    indexing: EntityIndexing, key: UInt64, latent: @escaping @Sendable (UInt64) -> Int64,
    _ body: @escaping @Sendable (_ latent: Int64, _ index: UInt64, inout [UInt8]) -> Void
  ) {
    self.indexing = indexing
    self.key = StableHash.combine(key, indexing == .row ? 1 : 2)
    self.latent = latent
    self.body = body
  }

  public func fill(_ out: ColumnBuffer, batch: BatchView) {
    let n = batch.count
    let lo = batch.rows.lowerBound
    let parents = batch.parentIndex
    let row = indexing == .row
    let compute = { (0..<n).map { k in latent(row ? lo + UInt64(k) : parents[k]) } }
    let latents = batch.cache?.values(key, compute) ?? compute()
    var bytes = out.bytes
    out.bytes = []
    var ends = out.ends
    out.ends = []
    for k in 0..<n {
      body(latents[k], row ? lo + UInt64(k) : parents[k], &bytes)
      ends.append(bytes.count)
    }
    out.bytes = bytes
    out.ends = ends
    out.setCount(ends.count)
  }
}
