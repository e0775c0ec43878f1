import Foundation

/// What an encoder knows about the table it writes.
public struct TableLayout: Sendable {
  /// A column that holds another table's key.
  public struct ForeignKey: Sendable, Equatable {
    public var column: String
    public var table: String
    public var targetColumn: String
  }

  public var name: String
  public var columns: [String]
  public var types: [ValueType]
  public var primaryKey: String?
  /// Columns that are unique besides the primary key.
  public var uniqueKeys: [String] = []
  public var foreignKeys: [ForeignKey]
  /// The rows of this output (this shard's slice of the table).
  public var rows: Range<UInt64>
  public var shard: Shard

  public init(
    name: String, columns: [String], types: [ValueType], primaryKey: String? = nil, foreignKeys: [ForeignKey] = [],
    rows: Range<UInt64>, shard: Shard = .whole
  ) {
    self.name = name
    self.columns = columns
    self.types = types
    self.primaryKey = primaryKey
    self.foreignKeys = foreignKeys
    self.rows = rows
    self.shard = shard
  }

  /// The columns of the primary, unique and foreign keys (every foreign key's target is a key of
  /// its own table, so both ends of a join are in the set).
  public var keyColumns: Set<String> {
    Set([primaryKey].compactMap { $0 } + uniqueKeys + foreignKeys.map(\.column))
  }

  /// The foreign keys whose column needs an index of its own (a primary or unique key column
  /// already has one).
  public var foreignKeysToIndex: [ForeignKey] {
    foreignKeys.filter { $0.column != primaryKey && !uniqueKeys.contains($0.column) }
  }
}

/// Turns batches of rows into bytes. Encoders run on worker threads, one batch at a time, so they
/// must be stateless: everything a batch needs is passed in. Output must depend only on the rows,
/// never on where batches start or end.
public protocol RecordEncoder: Sendable {
  /// Bytes at the start of the output (e.g. a CSV header; formats whose shards concatenate write
  /// it in shard 0 only).
  func header(_ layout: TableLayout) -> [UInt8]
  /// Appends the encoding of the batch holding `rows` (global row indices of the table).
  func encode(_ layout: TableLayout, columns: [ColumnBuffer], rows: Range<UInt64>, into out: inout [UInt8])
  /// Bytes at the end of the output.
  func footer(_ layout: TableLayout) -> [UInt8]
}

/// A destination for encoded bytes: written in order, then committed or aborted.
public protocol ByteSink: AnyObject {
  /// Appends bytes.
  func write(_ bytes: [UInt8]) throws(DecoyError)
  /// Makes the output visible (e.g. renames the temporary file).
  func commit() throws(DecoyError)
  /// Discards everything written (removes the temporary file).
  func abort()
}

/// A thread-safe flag set by a signal handler and polled by the engine between waves.
public final class CancellationFlag: @unchecked Sendable {
  private var value = false
  private let lock = NSLockLike()
  public init() {}
  public var isCancelled: Bool { lock.withLock { value } }
  public func cancel() { lock.withLock { value = true } }
}

/// A tiny lock wrapper (Foundation's NSLock, named so the engine does not leak Foundation types).
final class NSLockLike: @unchecked Sendable {
  private let l = NSLock()
  func withLock<T>(_ body: () -> T) -> T {
    l.lock()
    defer { l.unlock() }
    return body()
  }
}

/// A writer that takes typed batches (rather than encoded bytes) in row order on one thread: for
/// containers that span several tables or need per-file state (XLSX workbooks, databases).
/// A job calls ``begin(_:)`` / ``write(_:columns:rows:)`` / ``finish(_:)`` for each table, then
/// ``commit()`` once, or ``abort()`` on any failure.
public protocol BatchWriter: AnyObject {
  func begin(_ layout: TableLayout) throws(DecoyError)
  func write(_ layout: TableLayout, columns: [ColumnBuffer], rows: Range<UInt64>) throws(DecoyError)
  func finish(_ layout: TableLayout) throws(DecoyError)
  func commit() throws(DecoyError)
  func abort()
}
