import Dispatch
import Foundation

extension ParallelMap {
  /// `work(i)` for every i in `0..<count` on up to `threads` cores, items handed out in index
  /// order, and `commit(i, result)` in index order, one at a time, on the worker that made result i
  /// as soon as every earlier result is committed (so writing one block overlaps making the next).
  /// At most `threads` results exist at once. The first failure in index order (of `work` or
  /// `commit`) stops the run and is thrown; nothing after it is committed.
  public static func ordered<S, T, E: Error>(
    _ count: Int, threads: Int = cores, makeState: @Sendable () -> S,
    work: @Sendable (inout S, Int) throws(E) -> T,
    commit: @Sendable (Int, T) throws(E) -> Void
  ) throws(E) {
    guard count > 0 else { return }
    let turns = OrderedTurns<E>()
    DispatchQueue.concurrentPerform(iterations: max(1, min(threads, count))) { _ in
      var state = makeState()
      while let i = turns.take(below: count) {
        let result: Result<T, E>
        do throws(E) { result = .success(try work(&state, i)) } catch { result = .failure(error) }
        guard turns.wait(for: i) else { return }
        switch result {
        case .success(let value):
          do throws(E) {
            try commit(i, value)
            turns.pass()
          } catch {
            turns.fail(error)
          }
        case .failure(let error):
          turns.fail(error)
        }
      }
    }
    if let failure = turns.failure { throw failure }
  }
}

/// The hand-out counter and the commit turn of ``ParallelMap/ordered(_:threads:makeState:work:commit:)``.
private final class OrderedTurns<E: Error>: @unchecked Sendable {
  private let condition = NSCondition()
  private var next = 0
  private var turn = 0
  private var stopped = false
  private(set) var failure: E?

  /// The next item to work on; nil when all are handed out or the run stopped.
  func take(below count: Int) -> Int? {
    condition.lock()
    defer { condition.unlock() }
    guard !stopped && next < count else { return nil }
    next += 1
    return next - 1
  }

  /// Waits until item `i` may commit; false when the run stopped.
  func wait(for i: Int) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while turn != i && !stopped { condition.wait() }
    return !stopped
  }

  /// The item whose turn it was is committed.
  func pass() {
    condition.lock()
    turn += 1
    condition.broadcast()
    condition.unlock()
  }

  /// The item whose turn it was failed: stop.
  func fail(_ error: E) {
    condition.lock()
    failure = error
    stopped = true
    condition.broadcast()
    condition.unlock()
  }
}
