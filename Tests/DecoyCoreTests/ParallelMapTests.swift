import Foundation
import Testing

@testable import DecoyCore

/// ParallelMap.ordered: results committed in index order whatever the threads, and the first
/// failure in index order stops the run with nothing after it committed.
@Suite struct ParallelMapTests {
  struct Failure: Error, Equatable { let index: Int }

  final class Log: @unchecked Sendable {
    var committed: [Int] = []
  }

  @Test(arguments: [1, 2, 5]) func commitsInIndexOrder(threads: Int) throws {
    let log = Log()
    try ParallelMap.ordered(
      200, threads: threads, makeState: { 0 },
      work: { (made: inout Int, i: Int) throws(Failure) -> Int in
        made += 1
        // Uneven work, so later items often finish first.
        var x = UInt64(i)
        for _ in 0..<((i * 7919) % 5000) { x = x &* 6_364_136_223_846_793_005 &+ 1 }
        return i * 2 + Int(x & 0)
      },
      commit: { (i: Int, value: Int) throws(Failure) in
        #expect(value == 2 * i)
        log.committed.append(i)
      })
    #expect(log.committed == Array(0..<200))
  }

  @Test(arguments: [false, true]) func firstFailureInIndexOrderStops(inCommit: Bool) {
    let log = Log()
    #expect(throws: Failure(index: 37)) {
      try ParallelMap.ordered(
        100, threads: 3, makeState: { () },
        work: { (_: inout Void, i: Int) throws(Failure) -> Int in
          if !inCommit && (i == 37 || i == 60) { throw Failure(index: i) }
          return i
        },
        commit: { (i: Int, _: Int) throws(Failure) in
          if inCommit && (i == 37 || i == 60) { throw Failure(index: i) }
          log.committed.append(i)
        })
    }
    #expect(log.committed == Array(0..<37))
  }

  /// One thread means this thread: the whole range in one call, never a pool (`--threads 1`, and
  /// tasks that already run side by side). With more threads the slices cover the range once.
  @Test(arguments: [1, 2]) func slicesWithOneThreadStayOnTheCallingThread(threads: Int) {
    final class Calls: @unchecked Sendable {
      let lock = NSLock()
      var ranges: [Range<Int>] = []
      var threads: Set<UInt> = []
    }
    let calls = Calls()
    let caller = UInt(bitPattern: Int(bitPattern: pthread_self()))
    ParallelMap.slices(100_000, threads: threads, minimumSlice: 1_000) { r in
      calls.lock.lock()
      calls.ranges.append(r)
      calls.threads.insert(UInt(bitPattern: Int(bitPattern: pthread_self())))
      calls.lock.unlock()
    }
    let covered = calls.ranges.sorted { $0.lowerBound < $1.lowerBound }
    #expect(covered.first?.lowerBound == 0 && covered.last?.upperBound == 100_000)
    #expect(zip(covered, covered.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
    if threads == 1 {
      #expect(calls.ranges == [0..<100_000])
      #expect(calls.threads == [caller])
    } else {
      #expect(calls.ranges.count == 16)
    }
  }
}
