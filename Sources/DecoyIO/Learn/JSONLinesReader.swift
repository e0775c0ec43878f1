import DecoyCore
import Foundation

/// Reads JSON Lines whose lines are flat objects of scalars into a ``SampleTable``. The first
/// object's keys, in order, are the columns; a later object may leave a key out (null) but not add
/// one. Numbers keep their spelling; `true`/`false` are text; `null` is a null. Blank lines are
/// skipped. Errors give line and column (byte) and never quote the line.
enum JSONLinesReader {
  static func read(_ path: String, name: String) throws(DecoyError) -> SampleTable {
    let data: Data
    do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
      throw .io(path: path, reason: "cannot read the file", hint: "check the path and permissions")
    }
    let bytes = [UInt8](data)
    return try bytes.withUnsafeBufferPointer { b throws(DecoyError) -> SampleTable in
      var table: SampleTable?
      var index: [String: Int] = [:]
      var seen: [Bool] = []
      var line = 0
      var start = 0
      var field: [UInt8] = []
      while start < b.count {
        var end = start
        while end < b.count && b[end] != 10 { end += 1 }
        line += 1
        var p = start
        let stop = end > start && b[end - 1] == 13 ? end - 1 : end
        defer { start = end + 1 }
        func skip() { while p < stop && (b[p] == 32 || b[p] == 9) { p += 1 } }
        func fail(_ reason: String, _ hint: String? = "each line must be one flat JSON object") -> DecoyError {
          .input(file: path, line: line, column: p - start + 1, reason: reason, hint: hint)
        }
        skip()
        if p == stop { continue }
        guard b[p] == UInt8(ascii: "{") else { throw fail("expected a JSON object") }
        p += 1
        var keys: [String] = []
        var values: [(bytes: [UInt8], null: Bool)] = []
        skip()
        if p < stop && b[p] == UInt8(ascii: "}") {
          p += 1
        } else {
          while true {
            skip()
            guard p < stop, b[p] == 34 else { throw fail("expected a quoted key") }
            field.removeAll(keepingCapacity: true)
            try string(b, &p, stop, into: &field, fail)
            guard let key = String(validating: field, as: UTF8.self) else { throw fail("a key is not UTF-8") }
            skip()
            guard p < stop, b[p] == UInt8(ascii: ":") else { throw fail("expected ':' after a key") }
            p += 1
            skip()
            guard p < stop else { throw fail("a value is missing") }
            field.removeAll(keepingCapacity: true)
            var null = false
            switch b[p] {
            case 34: try string(b, &p, stop, into: &field, fail)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
              throw fail(
                "a nested object or array",
                "flatten the objects: every value must be a number, text, true, false or null")
            default:
              let a = p
              while p < stop, !(b[p] == 44 || b[p] == UInt8(ascii: "}") || b[p] == 32 || b[p] == 9) { p += 1 }
              let token = Array(UnsafeBufferPointer(rebasing: b[a..<p]))
              if token == Array("null".utf8) {
                null = true
              } else if token == Array("true".utf8) || token == Array("false".utf8) || isNumber(token) {
                field = token
              } else {
                p = a
                throw fail("a value is not valid JSON")
              }
            }
            if keys.contains(key) { throw fail("key '\(key)' appears twice in the object") }
            keys.append(key)
            values.append((field, null))
            skip()
            guard p < stop else { throw fail("the object is not closed") }
            if b[p] == 44 {
              p += 1
              continue
            }
            guard b[p] == UInt8(ascii: "}") else { throw fail("expected ',' or '}'") }
            p += 1
            break
          }
        }
        skip()
        if p != stop { throw fail("text after the object") }
        if table == nil {
          try SampleTable.checkHeader(keys, source: path, line: line)
          if keys.count > SampleReader.maxColumns {
            throw fail("\(keys.count) keys; at most \(SampleReader.maxColumns) columns can be learned", nil)
          }
          table = SampleTable(source: path, name: name, columns: keys)
          for (i, k) in keys.enumerated() { index[k] = i }
          seen = [Bool](repeating: false, count: keys.count)
        }
        for i in seen.indices { seen[i] = false }
        var row = [(bytes: [UInt8], null: Bool)?](repeating: nil, count: seen.count)
        for (k, v) in zip(keys, values) {
          guard let i = index[k] else {
            throw fail("key '\(k)' is not among the first line's keys", "give every line the same keys")
          }
          row[i] = v
        }
        for (i, v) in row.enumerated() {
          let buffer = table!.values[i]
          if let v, !v.null {
            buffer.bytes.append(contentsOf: v.bytes)
            buffer.endString()
          } else {
            buffer.appendNull()
          }
        }
        table!.lines.append(line)
      }
      guard let table else {
        throw DecoyError.input(
          file: path, line: 1, column: nil, reason: "no data: the file has no JSON object",
          hint: "write one JSON object per line")
      }
      return table
    }
  }

  static func isNumber(_ t: [UInt8]) -> Bool {
    var i = 0
    if i < t.count && t[i] == UInt8(ascii: "-") { i += 1 }
    let d0 = i
    while i < t.count && t[i] >= 48 && t[i] <= 57 { i += 1 }
    if i == d0 { return false }
    if i < t.count && t[i] == UInt8(ascii: ".") {
      i += 1
      let f0 = i
      while i < t.count && t[i] >= 48 && t[i] <= 57 { i += 1 }
      if i == f0 { return false }
    }
    if i < t.count && (t[i] == UInt8(ascii: "e") || t[i] == UInt8(ascii: "E")) {
      i += 1
      if i < t.count && (t[i] == UInt8(ascii: "+") || t[i] == UInt8(ascii: "-")) { i += 1 }
      let e0 = i
      while i < t.count && t[i] >= 48 && t[i] <= 57 { i += 1 }
      if i == e0 { return false }
    }
    return i == t.count
  }

  /// Reads a JSON string at `p` (on its opening quote), unescaped into `out`, checking UTF-8.
  static func string(
    _ b: UnsafeBufferPointer<UInt8>, _ p: inout Int, _ stop: Int, into out: inout [UInt8],
    _ fail: (String, String?) -> DecoyError
  ) throws(DecoyError) {
    p += 1
    let a = p
    while p < stop {
      let c = b[p]
      if c == 34 {
        p += 1
        if String(validating: out, as: UTF8.self) == nil {
          p = a
          throw fail("a string holds a byte that is not UTF-8", "convert the file to UTF-8 first")
        }
        return
      }
      if c == 92 {
        p += 1
        guard p < stop else { break }
        switch b[p] {
        case UInt8(ascii: "n"): out.append(10)
        case UInt8(ascii: "t"): out.append(9)
        case UInt8(ascii: "r"): out.append(13)
        case UInt8(ascii: "b"): out.append(8)
        case UInt8(ascii: "f"): out.append(12)
        case UInt8(ascii: "u"):
          guard p + 4 < stop, var v = hex(b, p + 1) else { throw fail("a bad \\u escape", nil) }
          p += 4
          if v >= 0xD800 && v < 0xDC00, p + 6 < stop, b[p + 1] == 92, b[p + 2] == UInt8(ascii: "u"),
            let lo = hex(b, p + 3), lo >= 0xDC00 && lo < 0xE000
          {
            v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00)
            p += 6
          }
          out.append(contentsOf: String(Character(Unicode.Scalar(v) ?? "\u{FFFD}")).utf8)
        default: out.append(b[p])
        }
        p += 1
        continue
      }
      out.append(c)
      p += 1
    }
    throw fail("a string is not closed on its line", nil)
  }

  static func hex(_ b: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32? {
    var v: UInt32 = 0
    for k in 0..<4 {
      let c = b[at + k]
      let d: UInt32
      switch c {
      case 48...57: d = UInt32(c - 48)
      case 65...70: d = UInt32(c - 55)
      case 97...102: d = UInt32(c - 87)
      default: return nil
      }
      v = v << 4 | d
    }
    return v
  }
}
