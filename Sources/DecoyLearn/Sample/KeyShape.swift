import DecoyCore

/// Keys regenerated in the sample's shape, never replayed: an integer sequence from 1, or a
/// character-class template (`A` upper-case letter, `x` lower-case letter, `9` digit, other
/// characters literal) filled from a keyed permutation of the template's value space, so keys are
/// unique by construction.
enum KeyShape {
  static func column(name: String, template: String, rows: UInt64) -> ColumnSpec {
    if template == "integer" {
      return ColumnSpec(name: name, type: .int, summary: "key: integer sequence") { _ in
        IntColumn(.int) { Int64($0 + 1) }
      }
    }
    let t = Array(template.utf8)
    var capacity: UInt64 = 1
    var saturated = false
    for c in t {
      let radix: UInt64 = c == UInt8(ascii: "A") || c == UInt8(ascii: "x") ? 26 : c == UInt8(ascii: "9") ? 10 : 1
      let (m, o) = capacity.multipliedReportingOverflow(by: radix)
      if o || m > 1 << 62 {
        saturated = true
        break
      }
      capacity = m
    }
    let space = saturated ? UInt64(1) << 62 : capacity
    return ColumnSpec(name: name, type: .string, summary: "key: template") { b throws(DecoyError) in
      let total = b.tableRows[b.table] ?? rows
      if total > space {
        throw DecoyError.capacityExceeded(
          column: "\(b.table).\(name)", capacity: space, requested: total,
          hint: "sample fewer rows, or declare the key `template: integer` in a learn spec")
      }
      let perm = KeyedPermutation(n: space, stream: b.stream("key"))
      return StringColumn { i, out in
        // Mixed-radix digits of the permuted index, written from the last position back in place.
        var v = perm.apply(i)
        let start = out.count
        out.append(contentsOf: t)
        for k in stride(from: t.count - 1, through: 0, by: -1) {
          switch t[k] {
          case UInt8(ascii: "A"):
            out[start + k] = UInt8(ascii: "A") + UInt8(v % 26)
            v /= 26
          case UInt8(ascii: "x"):
            out[start + k] = UInt8(ascii: "a") + UInt8(v % 26)
            v /= 26
          case UInt8(ascii: "9"):
            out[start + k] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
          default: break
          }
        }
      }
    }
  }
}
