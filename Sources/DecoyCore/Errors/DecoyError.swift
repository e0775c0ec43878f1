/// Errors raised by the engine and its front ends. Each case carries what went wrong, where, and
/// what to do; ``message`` renders it for people. Data values from users' inputs are never echoed.
public enum DecoyError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A dataset spec failed validation; every problem found is listed.
  case invalidSpec(file: String?, issues: [SpecIssue])
  /// An option or argument is wrong.
  case usage(String, hint: String?)
  /// A file or directory could not be read or written.
  case io(path: String, reason: String, hint: String?)
  /// An input data file is malformed: where (file, line, column) and what.
  case input(file: String, line: Int, column: Int?, reason: String, hint: String?)
  /// The run was interrupted (SIGINT/SIGTERM); no partial output was kept.
  case cancelled
  /// The spec pins an engine fingerprint that this build does not produce.
  case fingerprintMismatch(expected: String, actual: String)
  /// A request exceeds what an identifier safety level can deliver.
  case capacityExceeded(column: String, capacity: UInt64, requested: UInt64, hint: String)

  /// Human-readable, multi-line message.
  public var message: String {
    switch self {
    case .invalidSpec(let file, let issues):
      let head = "\(file ?? "spec") has \(issues.count) problem\(issues.count == 1 ? "" : "s"):"
      return ([head] + issues.map { "  - " + $0.rendered(file: file) }).joined(separator: "\n")
    case .usage(let msg, let hint):
      return hint.map { "\(msg)\n  hint: \($0)" } ?? msg
    case .io(let path, let reason, let hint):
      let base = "\(path): \(reason)"
      return hint.map { "\(base)\n  hint: \($0)" } ?? base
    case .input(let file, let line, let column, let reason, let hint):
      let base = "\(file):\(line)\(column.map { ":\($0)" } ?? ""): \(reason)"
      return hint.map { "\(base)\n  hint: \($0)" } ?? base
    case .cancelled:
      return "interrupted: no output was kept"
    case .fingerprintMismatch(let expected, let actual):
      return
        "engine fingerprint is \(actual) but the spec pins \(expected)\n  hint: this build generates different values; use the Decoy version that produced the pin, or update `fingerprint:` after reviewing CHANGELOG.md"
    case .capacityExceeded(let column, let capacity, let requested, let hint):
      return
        "column \(column): \(requested) distinct values requested but the safety level provides only \(capacity)\n  hint: \(hint)"
    }
  }

  public var description: String { message }

  /// Process exit code for this error (documented in README.md).
  public var exitCode: Int32 {
    switch self {
    case .usage: 2
    case .invalidSpec, .fingerprintMismatch, .capacityExceeded, .input: 3
    case .io: 4
    case .cancelled: 130
    }
  }
}

/// One problem in a spec: where (path and, when known, line:column), what, and a hint.
public struct SpecIssue: Sendable, Equatable, CustomStringConvertible {
  /// Path inside the spec, e.g. `tables[0].columns[2].provider`.
  public var path: String
  /// What is wrong.
  public var message: String
  /// What to do (often "did you mean …").
  public var hint: String?
  /// 1-based line and column in the spec file, when known.
  public var line: Int?
  public var column: Int?

  public init(path: String, message: String, hint: String? = nil, line: Int? = nil, column: Int? = nil) {
    self.path = path
    self.message = message
    self.hint = hint
    self.line = line
    self.column = column
  }

  /// `file:line:col: path: message (hint)`.
  public func rendered(file: String?) -> String {
    var s = ""
    if let line {
      s += "\(file ?? "spec"):\(line):\(column ?? 1): "
    }
    s += "\(path.isEmpty ? "(root)" : path): \(message)"
    if let hint { s += " — \(hint)" }
    return s
  }

  public var description: String { rendered(file: nil) }
}
