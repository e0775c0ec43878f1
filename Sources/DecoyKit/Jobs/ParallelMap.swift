import Dispatch

/// Maps `0..<count` to values on every core, in contiguous chunks; the result is in index order and
/// does not depend on the number of threads. `makeState` gives each chunk its own scratch state
/// (a hasher with its message buffer), so the body never shares mutable state.
enum ParallelMap {
  static func map<T: Sendable, S>(_ count: Int, threads: Int, makeState: @Sendable () -> S,
                                  _ body: @Sendable (inout S, Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    let chunks = max(1, min(count / 4096, threads * 8))
    return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
      nonisolated(unsafe) let base = buffer.baseAddress!
      DispatchQueue.concurrentPerform(iterations: chunks) { c in
        var state = makeState()
        let lo = count * c / chunks, hi = count * (c + 1) / chunks
        for i in lo..<hi { (base + i).initialize(to: body(&state, i)) }
      }
      initialized = count
    }
  }
}
