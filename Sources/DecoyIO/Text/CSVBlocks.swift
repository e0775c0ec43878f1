public import DecoyCore
import Foundation

/// Splits the records of a CSV file into blocks of whole lines, so that several cores read it at
/// once (``FastCSVReader/restart(range:)``).
///
/// A block boundary is the byte after a line feed. That line feed may lie inside quotes; the blocks
/// are then wrong, which the readers find out (``FastCSVReader/incomplete``): if the block before a
/// boundary reads to its end without a line feed inside quotes and without ending inside quotes,
/// the boundary is a record boundary, so when no block is incomplete every block is exact.
public enum CSVBlocks {
  /// Byte ranges covering `from..<fileSize`, each about `blockBytes` long and ending just after a
  /// line feed (the last at the end of the file); empty when there is nothing after `from`.
  public static func split(path: String, from: Int, blockBytes: Int) throws(DecoyError) -> [Range<Int>] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
      throw .io(path: path, reason: "cannot open: \(String(cString: strerror(errno)))", hint: "check the path")
    }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      throw .io(path: path, reason: "cannot stat: \(String(cString: strerror(errno)))", hint: nil)
    }
    let size = Int(info.st_size)
    guard from < size else { return [] }
    var starts = [from]
    // A line feed is usually within a line's length of the probe: small reads, longer lines read on.
    var window = [UInt8](repeating: 0, count: 1 << 12)
    var probe = from + max(1, blockBytes)
    // The first line feed at or after each probe point.
    search: while probe < size {
      let n = window.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, off_t(probe)) }
      guard n > 0 else {
        if n < 0 { throw .io(path: path, reason: "read failed: \(String(cString: strerror(errno)))", hint: nil) }
        break
      }
      if let lf = window[0..<n].firstIndex(of: 10) {
        let next = probe + lf + 1
        guard next < size else { break search }
        starts.append(next)
        probe = next + max(1, blockBytes)
      } else {
        probe += n
      }
    }
    return (0..<starts.count).map { starts[$0]..<($0 + 1 < starts.count ? starts[$0 + 1] : size) }
  }
}
