/// Turns batches of rows into bytes. Encoders run on worker threads, one batch at a time, so they
/// must be stateless: everything a batch needs is passed in.
public protocol RecordEncoder: Sendable {
  /// Bytes at the start of the output (e.g. a CSV header); `shard` lets formats whose shards
  /// concatenate (CSV, JSON Lines) write the header only once, in shard 0.
  func header(columns: [String], types: [ValueType], shard: Shard) -> [UInt8]
  /// Appends the encoding of `rowCount` rows. `isFirst` is true for the first batch of the output.
  func encode(columns: [ColumnBuffer], names: [String], rowCount: Int, isFirst: Bool, into out: inout [UInt8])
  /// Bytes at the end of the output.
  func footer(shard: Shard) -> [UInt8]
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

import Foundation

/// A tiny lock wrapper (Foundation's NSLock, named so the engine does not leak Foundation types).
final class NSLockLike: @unchecked Sendable {
  private let l = NSLock()
  func withLock<T>(_ body: () -> T) -> T {
    l.lock()
    defer { l.unlock() }
    return body()
  }
}
