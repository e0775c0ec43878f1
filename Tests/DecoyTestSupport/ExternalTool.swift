import Foundation

/// Programs from the machine's packages that some tests read output with (LibreOffice, poppler's
/// pdftotext). Under CI (`CI=true`, where .ci/run installs them) a missing one fails its tests
/// instead of skipping them.
public enum ExternalTool {
  /// The full path of `name` on `PATH`, or nil.
  public static func path(_ name: String) -> String? {
    let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
    return dirs.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  /// Whether tests needing these tools must run: they are all there, or this is CI.
  public static func available(_ names: String...) -> Bool {
    ProcessInfo.processInfo.environment["CI"] == "true" || names.allSatisfy { path($0) != nil }
  }

  /// Runs `name` with `args`; returns its exit status and stdout (stderr is discarded).
  public static func run(_ name: String, _ args: [String]) throws -> (status: Int32, out: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path(name) ?? "/usr/bin/\(name)")
    p.arguments = args
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = FileHandle.nullDevice
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
  }
}
