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
    try ParallelMap.ordered(200, threads: threads, makeState: { 0 }, work: { (made: inout Int, i: Int) throws(Failure) -> Int in
      made += 1
      // Uneven work, so later items often finish first.
      var x = UInt64(i)
      for _ in 0..<((i * 7919) % 5000) { x = x &* 6_364_136_223_846_793_005 &+ 1 }
      return i * 2 + Int(x & 0)
    }, commit: { (i: Int, value: Int) throws(Failure) in
      #expect(value == 2 * i)
      log.committed.append(i)
    })
    #expect(log.committed == Array(0..<200))
  }

  @Test(arguments: [false, true]) func firstFailureInIndexOrderStops(inCommit: Bool) {
    let log = Log()
    #expect(throws: Failure(index: 37)) {
      try ParallelMap.ordered(100, threads: 3, makeState: { () }, work: { (_: inout Void, i: Int) throws(Failure) -> Int in
        if !inCommit && (i == 37 || i == 60) { throw Failure(index: i) }
        return i
      }, commit: { (i: Int, _: Int) throws(Failure) in
        if inCommit && (i == 37 || i == 60) { throw Failure(index: i) }
        log.committed.append(i)
      })
    }
    #expect(log.committed == Array(0..<37))
  }
}
