import Foundation

/// The Python interpreter of the test virtual environment (with openpyxl and friends), made by
/// .ci/run; nil when it does not exist (tests that need it are then disabled).
public enum TestPython {
  public static let path: String? = {
    if let p = ProcessInfo.processInfo.environment["DECOY_TEST_PYTHON"] { return p }
    let local = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
      "../../.build/test-venv/bin/python"
    ).standardized.path
    return FileManager.default.isExecutableFile(atPath: local) ? local : nil
  }()

  /// Whether the interpreter can import a module.
  public static func has(_ module: String) -> Bool {
    guard path != nil, let r = try? run("import \(module)", []) else { return false }
    return r.0 == 0
  }

  /// Runs a script with arguments; returns (exit status, stdout + stderr).
  public static func run(_ script: String, _ args: [String]) throws -> (Int32, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path ?? "/usr/bin/python3")
    p.arguments = ["-c", script] + args
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
  }
}
