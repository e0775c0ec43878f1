/// An immutable list of strings stored as one UTF-8 arena, so appending a value copies bytes and
/// never allocates. Optional ASCII-lowercased copies serve email local parts.
public struct StringTable: Sendable {
  public let arena: [UInt8]
  public let starts: [Int]  // count + 1 entries
  public var count: Int { starts.count - 1 }

  public init(_ strings: [String]) {
    var arena: [UInt8] = []
    var starts = [0]
    for s in strings {
      arena.append(contentsOf: s.utf8)
      starts.append(arena.count)
    }
    self.arena = arena
    self.starts = starts
  }

  /// A table from an arena and its `count + 1` value offsets.
  init(arena: [UInt8], starts: [Int]) {
    self.arena = arena
    self.starts = starts
  }

  /// Value `i` as a String (allocates).
  public subscript(i: Int) -> String { String(decoding: arena[starts[i]..<starts[i + 1]], as: UTF8.self) }

  /// Appends value `i`'s bytes.
  @inlinable @inline(__always)
  public func append(_ i: Int, to out: inout [UInt8]) {
    let a = starts[i]
    let b = starts[i + 1]
    arena.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[a..<b])) }
  }

  /// Appends value `i` lower-cased, keeping only ASCII letters and digits (for email local parts).
  @inlinable @inline(__always)
  public func appendSlug(_ i: Int, to out: inout [UInt8]) {
    let a = starts[i]
    let e = starts[i + 1]
    arena.withUnsafeBufferPointer { buf in
      for k in a..<e {
        let b = buf[k]
        if b >= 65 && b <= 90 {
          out.append(b | 0x20)
        } else if (b >= 97 && b <= 122) || (b >= 48 && b <= 57) {
          out.append(b)
        }
      }
    }
  }

  /// First byte of value `i`, lower-cased (for initials).
  @inlinable @inline(__always)
  public func initialLower(_ i: Int) -> UInt8 {
    let b = arena[starts[i]]
    return (b >= 65 && b <= 90) ? b | 0x20 : b
  }
}
