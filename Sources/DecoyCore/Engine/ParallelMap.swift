import Dispatch
import Foundation

/// Work over `0..<count` on every core, in contiguous slices (at most `threads × 8`, at least
/// `minimumSlice` items each); results land in index order and do not depend on the number of
/// threads. For whole-table steps outside the engine's batches (scenario row counts, the
/// enrichment's hashes and patients).
public enum ParallelMap {
  /// The cores this process may use (the default), read once: Foundation reads the CPU list and
  /// the cgroup quota files on every call.
  public static let cores = ProcessInfo.processInfo.activeProcessorCount

  /// Runs `body` on every slice of `0..<count`; with one thread (or one slice), on this thread.
  public static func slices(
    _ count: Int, threads: Int = cores, minimumSlice: Int = 4096, _ body: @Sendable (Range<Int>) -> Void
  ) {
    guard count > 0 else { return }
    let n = max(1, min(count / max(1, minimumSlice), max(1, threads) * 8))
    if threads <= 1 || n == 1 {
      // Serial: --threads 1 means one thread, and a task that already runs beside others (the
      // enrichment's selections) does not start a nested pool.
      body(0..<count)
      return
    }
    DispatchQueue.concurrentPerform(iterations: n) { c in body((count * c / n)..<(count * (c + 1) / n)) }
  }

  /// An array of `items × stride` values; `fill` initializes the values of a slice of items
  /// (`stride` consecutive values per item) in the buffer it is given.
  public static func array<T>(
    items: Int, stride: Int = 1, threads: Int = cores, minimumSlice: Int = 4096,
    _ fill: @Sendable (Range<Int>, UnsafeMutableBufferPointer<T>) -> Void
  ) -> [T] {
    [T](unsafeUninitializedCapacity: items * stride) { buffer, initialized in
      nonisolated(unsafe) let buffer = buffer
      slices(items, threads: threads, minimumSlice: minimumSlice) { r in
        fill(r, UnsafeMutableBufferPointer(rebasing: buffer[(r.lowerBound * stride)..<(r.upperBound * stride)]))
      }
      initialized = items * stride
    }
  }

  /// `body(i)` for every index; `makeState` gives each slice its own scratch state.
  public static func map<T, S>(
    _ count: Int, threads: Int = cores, minimumSlice: Int = 4096, makeState: @Sendable () -> S,
    _ body: @Sendable (inout S, Int) -> T
  ) -> [T] {
    array(items: count, threads: threads, minimumSlice: minimumSlice) { r, out in
      var state = makeState()
      for i in r { (out.baseAddress! + (i - r.lowerBound)).initialize(to: body(&state, i)) }
    }
  }
}
