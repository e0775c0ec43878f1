import Dispatch
import Foundation

/// A fixed set of worker threads that run one job each per round. Dedicated threads (rather than
/// `concurrentPerform` from a queue) keep generation on exactly `size` cores while the caller's
/// thread writes the previous round's output.
final class WorkerPool: @unchecked Sendable {
  private let starts: [DispatchSemaphore]
  private let finished = DispatchSemaphore(value: 0)
  // Written by the caller before it signals `starts`, read by workers after they wait on it:
  // the semaphores order every access.
  private var body: (@Sendable (Int) -> Void)?
  private var running = 0
  private var stopping = false

  init(size: Int) {
    starts = (0..<size).map { _ in DispatchSemaphore(value: 0) }
    for w in 0..<size {
      let t = Thread { [self] in loop(w) }
      t.stackSize = 1 << 22
      t.start()
    }
  }

  private func loop(_ w: Int) {
    while true {
      starts[w].wait()
      if stopping { return }
      body?(w)
      finished.signal()
    }
  }

  /// Starts `body(w)` on workers `0..<n` (n ≤ size) and returns at once.
  func start(_ n: Int, _ body: @escaping @Sendable (Int) -> Void) {
    self.body = body
    running = n
    for w in 0..<n { starts[w].signal() }
  }

  /// Waits for the round started last.
  func wait() {
    for _ in 0..<running { finished.wait() }
    running = 0
  }

  /// Ends the worker threads (after ``wait()``).
  func shutdown() {
    stopping = true
    for s in starts { s.signal() }
  }
}
