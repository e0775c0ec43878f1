public import DecoyCore
public import DecoyIO
import Foundation

/// A ``SQLSession`` that reports every statement it runs, with its duration, as a debug message
/// (`--verbose`: the reference's SQL echo), then passes it to the session it wraps.
public final class LoggedSession: SQLSession {
  let inner: any SQLSession
  let reporter: Reporter

  public init(_ inner: any SQLSession, reporter: Reporter) {
    self.inner = inner
    self.reporter = reporter
  }

  public var dialect: SQLEncoder.Dialect { inner.dialect }

  public func execute(_ sql: String) throws(DecoyError) {
    try timed(sql) { () throws(DecoyError) in try inner.execute(sql) }
  }

  public func queryText(_ sql: String) throws(DecoyError) -> [String] {
    try timed(sql) { () throws(DecoyError) in try inner.queryText(sql) }
  }

  public func checkpoint() throws(DecoyError) {
    try timed("COMMIT") { () throws(DecoyError) in try inner.checkpoint() }
  }

  public func close() { inner.close() }

  private func timed<T>(_ sql: String, _ body: () throws(DecoyError) -> T) throws(DecoyError) -> T {
    let start = Date()
    let result = try body()
    let ms = Date().timeIntervalSince(start) * 1_000
    // One line per statement: whitespace runs collapsed.
    let line = sql.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    reporter.debug(String(format: "sql %.1f ms: %@", ms, line), fields: ["sql": line, "ms": (ms * 10).rounded() / 10])
    return result
  }
}
