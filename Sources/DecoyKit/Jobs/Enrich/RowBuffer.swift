/// Output bytes in raw memory for the enrichment's row loop: a row is written through a pointer
/// (``Cursor``) after one capacity check, instead of an array append (and its uniqueness check)
/// per field. The memory is kept from block to block.
final class RowBuffer {
  private(set) var base: UnsafeMutablePointer<UInt8>
  private(set) var capacity: Int

  init(capacity: Int) {
    self.capacity = capacity
    base = .allocate(capacity: capacity)
  }

  deinit { base.deallocate() }

  /// Makes room for `count + extra` bytes, keeping the first `count`.
  func reserve(count: Int, extra: Int) {
    guard count + extra > capacity else { return }
    let bigger = max(2 * capacity, count + extra)
    let b = UnsafeMutablePointer<UInt8>.allocate(capacity: bigger)
    b.initialize(from: base, count: count)
    base.deallocate()
    (base, capacity) = (b, bigger)
  }

  /// A write position; valid until the next ``reserve(count:extra:)``.
  struct Cursor {
    let base: UnsafeMutablePointer<UInt8>
    var count: Int

    @inline(__always) mutating func put(_ b: UInt8) {
      base[count] = b
      count += 1
    }

    @inline(__always) mutating func put(_ p: UnsafeBufferPointer<UInt8>) {
      guard let s = p.baseAddress, p.count > 0 else { return }
      (base + count).update(from: s, count: p.count)
      count += p.count
    }

    /// A field as CSV: quoted only when it holds a comma, quote or line break, or is empty and was
    /// quoted (``CSVField``'s rule).
    @inline(__always) mutating func putCSV(_ f: UnsafeBufferPointer<UInt8>, quoted: Bool) {
      var needs = quoted && f.isEmpty
      for b in f where b == 44 || b == 34 || b == 10 || b == 13 {
        needs = true
        break
      }
      guard needs else { return put(f) }
      put(34)
      for b in f {
        if b == 34 { put(34) }
        put(b)
      }
      put(34)
    }
  }
}
