import DecoyCore
import Foundation

/// Progress and messages on stderr: human lines by default, one JSON object per line with
/// `--json-logs`, nothing but errors with `--quiet`. Progress appears only for runs over a second.
public final class Reporter: @unchecked Sendable {
  public enum Mode: Sendable { case human, json, quiet }
  public let mode: Mode
  /// Whether ``debug(_:fields:)`` messages are shown (`--verbose`).
  public let verbose: Bool
  private let start = DispatchTime.now()
  private var lastReport: UInt64 = 0
  private var shownProgress = false
  private let isTTY = isatty(2) != 0

  public init(mode: Mode, verbose: Bool = false) {
    self.mode = mode
    self.verbose = verbose && mode != .quiet
  }

  var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }

  private var stage: String?
  private var stageStart: UInt64 = 0

  /// Reports progress, at most twice a second, and only after the first second. `stage` names a
  /// step of a longer run (fit, sample…): rate and ETA restart with each stage. `unit` is what is
  /// counted.
  public func progress(done: UInt64, total: UInt64, stage: String? = nil, unit: String = "rows") {
    guard mode != .quiet else { return }
    let now = DispatchTime.now().uptimeNanoseconds
    if stage != self.stage {
      self.stage = stage
      stageStart = now
    }
    let t = elapsed
    guard t >= 1, now - lastReport >= 500_000_000 || done == total else { return }
    lastReport = now
    let inStage = stage == nil ? t : Double(now - stageStart) / 1e9
    let rate = Double(done) / max(inStage, 1e-9)
    let eta = rate > 0 ? Double(total - min(done, total)) / rate : 0
    switch mode {
    case .json:
      var event: [String: Any] = [
        "event": "progress", unit: done, "total": total, "\(unit)_per_s": Int(rate), "eta_s": (eta * 10).rounded() / 10,
      ]
      if let stage { event["stage"] = stage }
      emit(event)
    case .human:
      let pct = total > 0 ? Double(done) * 100 / Double(total) : 100
      let line = String(
        format: "  %@%@ / %@ %@ (%.0f%%)  %@ %@/s  ETA %.0fs", stage.map { $0 + ": " } ?? "", Reporter.group(done),
        Reporter.group(total), unit, pct, Reporter.group(UInt64(rate)), unit, eta)
      Reporter.stderr((isTTY ? "\r" : "") + line + (isTTY ? "" : "\n"))
      shownProgress = true
    case .quiet: break
    }
  }

  /// An informational message (a warning when `warning`).
  public func info(_ message: String, warning: Bool = false, fields: [String: Any] = [:]) {
    switch mode {
    case .quiet where !warning: return
    case .json:
      var f = fields
      f["event"] = warning ? "warning" : "info"
      f["message"] = message
      emit(f)
    default:
      endProgressLine()
      Reporter.stderr((warning ? "warning: " : "") + message + "\n")
    }
  }

  /// Detail for `--verbose` runs (table timings, SQL statements); nothing otherwise.
  public func debug(_ message: String, fields: [String: Any] = [:]) {
    guard verbose else { return }
    if mode == .json {
      var f = fields
      f["event"] = "debug"
      f["message"] = message
      emit(f)
    } else {
      endProgressLine()
      Reporter.stderr("debug: " + message + "\n")
    }
  }

  /// A finished step of a run (``GenerateJob/onStep``) as a debug message.
  public func step(_ step: String, rows: UInt64, seconds: Double) {
    guard verbose else { return }
    debug(
      "\(step): \(rows > 0 ? Reporter.group(rows) + " rows in " : "")\(Reporter.duration(seconds))",
      fields: ["step": step, "rows": rows, "seconds": seconds])
  }

  /// A duration for people: milliseconds below a second (a step of a short run, "12.3 ms"),
  /// seconds above ("4.56s").
  public static func duration(_ seconds: Double) -> String {
    if seconds < 1, let ms = ValueFormatter.fixed(seconds * 1000, digits: 1) { return ms + " ms" }
    return (ValueFormatter.fixed(seconds, digits: 2) ?? "\(seconds)") + "s"
  }

  /// An error message (always shown).
  public func error(_ message: String, code: Int32) {
    if mode == .json {
      emit(["event": "error", "message": message, "exit_code": Int(code)])
    } else {
      endProgressLine()
      Reporter.stderr("error: " + message + "\n")
    }
  }

  /// A structured event (JSON mode) or nothing.
  public func event(_ name: String, _ fields: [String: Any]) {
    guard mode == .json else { return }
    var f = fields
    f["event"] = name
    emit(f)
  }

  private func endProgressLine() {
    if shownProgress && isTTY { Reporter.stderr("\n") }
    shownProgress = false
  }

  public func finish() { endProgressLine() }

  private func emit(_ fields: [String: Any]) {
    var f = fields
    f["t"] = (elapsed * 1000).rounded() / 1000
    if let data = try? JSONSerialization.data(withJSONObject: f, options: [.sortedKeys]) {
      Reporter.stderr(String(decoding: data, as: UTF8.self) + "\n")
    }
  }

  /// Writes to file descriptor 2, ignoring errors: a closed stderr (e.g. piped into `head`) must
  /// not stop or crash a run (SIGPIPE is ignored by the CLI).
  public static func stderr(_ text: String) {
    var t = text
    t.withUTF8 { buf in
      var off = 0
      while off < buf.count {
        let n = write(2, buf.baseAddress! + off, buf.count - off)
        if n <= 0 { return }
        off += n
      }
    }
  }

  /// 1234567 → "1,234,567".
  public static func group(_ n: UInt64) -> String {
    let s = String(n)
    var out = ""
    for (i, c) in s.enumerated() {
      if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
      out.append(c)
    }
    return out
  }
}
