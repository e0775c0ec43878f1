public import DecoyCore
import Foundation

/// Writes to `path` through a temporary file in the same directory (`.NAME.decoy-tmp-PID`), renamed
/// over the destination on ``commit()``; ``abort()`` removes it, so a failed or interrupted run
/// never leaves a half-written file.
public final class FileSink: ByteSink {
  public let path: String
  public let tempPath: String
  private var fd: Int32
  private var buffer: [UInt8] = []
  private var closed = false

  public init(path: String) throws(DecoyError) {
    self.path = path
    tempPath = FileSink.temporaryPath(for: path)
    fd = open(tempPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    if fd < 0 {
      throw .io(
        path: path, reason: "cannot create file: \(String(cString: strerror(errno)))",
        hint: "check that the directory exists and is writable")
    }
    TempFileRegistry.shared.add(tempPath)
    buffer.reserveCapacity(1 << 20)
  }

  /// Writes a whole small file (a model, a report, a learn spec) through a temporary file.
  public static func writeWhole(_ bytes: [UInt8], to path: String) throws(DecoyError) {
    let sink = try FileSink(path: path)
    do {
      try sink.write(bytes)
      try sink.commit()
    } catch {
      sink.abort()
      throw error
    }
  }

  /// `dir/.name.decoy-tmp-<pid>` next to `dir/name`: the same directory, so the final rename
  /// stays on one file system. Plain string work (Foundation's URL asks the file system whether the
  /// path is a directory, ~1 ms at start-up).
  public static func temporaryPath(for path: String) -> String {
    let slash = path.lastIndex(of: "/")
    let dir = slash.map { String(path[...$0]) } ?? ""
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    return dir + "." + name + ".decoy-tmp-\(getpid())"
  }

  public func write(_ bytes: [UInt8]) throws(DecoyError) {
    // Large chunks (a whole encoded batch) go straight to the file: copying them into the
    // buffer first would cost a second pass over every byte.
    if bytes.count >= (1 << 16) {
      try flush()
      try writeAll(bytes)
      return
    }
    if buffer.count + bytes.count > (1 << 20) {
      try flush()
      if bytes.count > (1 << 20) {
        try writeAll(bytes)
        return
      }
    }
    buffer.append(contentsOf: bytes)
  }

  /// Appends raw bytes straight to the file (after what is buffered): for callers that build large
  /// blocks in their own memory.
  public func write(_ bytes: UnsafeBufferPointer<UInt8>) throws(DecoyError) {
    try flush()
    try writeAll(UnsafeRawBufferPointer(bytes))
  }

  private func flush() throws(DecoyError) {
    try writeAll(buffer)
    buffer.removeAll(keepingCapacity: true)
  }

  private func writeAll(_ bytes: [UInt8]) throws(DecoyError) {
    let failure: DecoyError? = bytes.withUnsafeBytes { raw in
      do throws(DecoyError) {
        try writeAll(raw)
        return nil
      } catch {
        return error
      }
    }
    if let failure { throw failure }
  }

  private func writeAll(_ raw: UnsafeRawBufferPointer) throws(DecoyError) {
    var off = 0
    var err: Int32?
    while off < raw.count {
      let n = Foundation.write(fd, raw.baseAddress! + off, raw.count - off)
      if n < 0 {
        if errno == EINTR { continue }
        err = errno
        break
      }
      off += n
    }
    if let err {
      throw .io(path: path, reason: "write failed: \(String(cString: strerror(err)))", hint: "check free disk space")
    }
  }

  public func commit() throws(DecoyError) {
    try flush()
    close(fd)
    closed = true
    if rename(tempPath, path) != 0 {
      let e = String(cString: strerror(errno))
      abort()
      throw .io(path: path, reason: "cannot rename the finished file into place: \(e)", hint: nil)
    }
    TempFileRegistry.shared.remove(tempPath)
  }

  public func abort() {
    if !closed {
      close(fd)
      closed = true
    }
    unlink(tempPath)
    TempFileRegistry.shared.remove(tempPath)
  }

  deinit {
    if !closed { abort() }
  }
}

/// Writes to standard output (no temporary file is possible; an error mid-way is reported on stderr).
public final class StdoutSink: ByteSink {
  public init() {}
  public func write(_ bytes: [UInt8]) throws(DecoyError) {
    var off = 0
    while off < bytes.count {
      let n = bytes.withUnsafeBytes { Foundation.write(1, $0.baseAddress! + off, $0.count - off) }
      if n < 0 {
        if errno == EINTR { continue }
        throw .io(path: "stdout", reason: "write failed: \(String(cString: strerror(errno)))", hint: nil)
      }
      off += n
    }
  }
  public func commit() throws(DecoyError) {}
  public func abort() {}
}

/// Temporary files currently open, so a signal handler can remove them before exiting.
public final class TempFileRegistry: @unchecked Sendable {
  public static let shared = TempFileRegistry()
  private let lock = NSLock()
  private var paths: [String] = []

  func add(_ p: String) {
    lock.lock()
    paths.append(p)
    lock.unlock()
  }
  func remove(_ p: String) {
    lock.lock()
    paths.removeAll { $0 == p }
    lock.unlock()
  }

  /// Removes every registered temporary file (safe to call from a signal-handling queue).
  public func removeAll() {
    lock.lock()
    let ps = paths
    paths.removeAll()
    lock.unlock()
    for p in ps { unlink(p) }
  }
}

/// In-memory sink for tests and the web app.
public final class MemorySink: ByteSink {
  public private(set) var bytes: [UInt8] = []
  public private(set) var committed = false
  public init() {}
  public func write(_ b: [UInt8]) throws(DecoyError) { bytes.append(contentsOf: b) }
  public func commit() throws(DecoyError) { committed = true }
  public func abort() { bytes.removeAll() }
}
