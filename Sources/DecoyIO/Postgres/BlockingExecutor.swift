import Dispatch

/// The executor that runs the PostgreSQL driver's async work for synchronous callers.
///
/// `PostgresWriter` waits on a semaphore for async work. If that work ran on the global
/// concurrency pool and the waiting thread was itself one of the pool's threads (a test, a server
/// request), every pool thread could end up waiting for work that has no thread left to run on: on
/// a 2-core machine two such callers deadlock. Tasks that prefer this executor run on their own
/// serial dispatch queue instead, which never borrows a pool thread.
final class BlockingExecutor: TaskExecutor {
  static let shared = BlockingExecutor()

  private let queue = DispatchQueue(label: "decoy.postgres")

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    let executor = asUnownedTaskExecutor()
    queue.async { job.runSynchronously(on: executor) }
  }
}
