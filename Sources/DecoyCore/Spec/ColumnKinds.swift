import Foundation

/// Generators of the built-in column kinds (everything that is not a named provider).
enum ColumnKinds {
  /// `sequence`: start + row × step.
  static func sequence(start: Int64, step: Int64) -> GeneratorFactory {
    { _ in IntColumn(.int) { i in start &+ Int64(bitPattern: i) &* step } }
  }

  enum RangeShape: Sendable {
    case uniform
    case normal(mean: Double, sd: Double)
    case logNormal(mu: Double, sigma: Double)
    case exponential(mean: Double)
  }

  /// `range`: numbers in [min, max] with a shape; integers, decimals (scaled) or doubles.
  static func range(min lo: Double, max hi: Double, type: ValueType, shape: RangeShape) -> GeneratorFactory {
    { b in
      let s = b.stream()
      @Sendable func draw(_ i: UInt64) -> Double {
        var d = 0 as UInt32
        while true {
          let x: Double
          switch shape {
          case .uniform: return s.uniform(lo, hi, i, 0)
          case .normal(let m, let sd): x = s.normal(mean: m, sd: sd, i, d)
          case .logNormal(let mu, let sigma): x = s.logNormal(mu: mu, sigma: sigma, i, d)
          case .exponential(let mean): x = lo + s.exponential(rate: 1 / mean, i, d)
          }
          if x >= lo && x <= hi { return x }
          d += 1
          if d > 64 { return Swift.min(Swift.max(x, lo), hi) }  // truncated tails: clamp after many misses
        }
      }
      switch type {
      case .int:
        let l = Int64(lo.rounded(.up))
        let h = Int64(hi.rounded(.down))
        if case .uniform = shape { return IntColumn(.int) { i in s.int(in: l...h, i) } }
        return IntColumn(.int) { i in Swift.min(Swift.max(Int64(draw(i).rounded()), l), h) }
      case .decimal(let scale):
        let p = Foundation.pow(10.0, Double(scale))
        let l = Int64((lo * p).rounded(.up))
        let h = Int64((hi * p).rounded(.down))
        if case .uniform = shape { return IntColumn(type) { i in s.int(in: l...h, i) } }
        return IntColumn(type) { i in Swift.min(Swift.max(Int64((draw(i) * p).rounded()), l), h) }
      default:
        return DoubleColumn { i in draw(i) }
      }
    }
  }

  /// `choice`: weighted pick from a list of strings.
  static func choice(values: [String], weights: [Double]) -> GeneratorFactory {
    { b in
      let s = b.stream()
      let alias = AliasTable(weights: weights)
      let table = StringTable(values)
      return StringColumn { i, out in table.append(s.pick(alias, i), to: &out) }
    }
  }

  /// `pattern`: `#` digit, `?` upper-case letter, `*` letter or digit, `\x` literal x.
  static func pattern(_ p: String) -> GeneratorFactory {
    let bytes = Array(p.utf8)
    return { b in
      let s = b.stream()
      return StringColumn { i, out in
        var d: UInt32 = 0
        var k = 0
        while k < bytes.count {
          let c = bytes[k]
          switch c {
          case UInt8(ascii: "#"):
            out.append(48 + UInt8(s.below(10, i, d)))
            d += 1
          case UInt8(ascii: "?"):
            out.append(65 + UInt8(s.below(26, i, d)))
            d += 1
          case UInt8(ascii: "*"):
            let x = UInt8(s.below(36, i, d))
            out.append(x < 10 ? 48 + x : 55 + x)
            d += 1
          case UInt8(ascii: "\\") where k + 1 < bytes.count:
            k += 1
            out.append(bytes[k])
          default: out.append(c)
          }
          k += 1
        }
      }
    }
  }

  /// `date`: uniform day in [from, to].
  static func date(from: CivilDate, to: CivilDate) -> GeneratorFactory {
    let a = from.dayNumber
    let z = to.dayNumber
    return { b in
      let s = b.stream()
      return IntColumn(.date) { i in s.int(in: a...z, i) }
    }
  }

  /// `timestamp`: uniform second from `from` 00:00:00 to `to` 23:59:59 (UTC).
  static func timestamp(from: CivilDate, to: CivilDate) -> GeneratorFactory {
    let a = from.dayNumber * 86_400
    let z = to.dayNumber * 86_400 + 86_399
    return { b in
      let s = b.stream()
      return IntColumn(.timestamp) { i in s.int(in: a...z, i) }
    }
  }

  /// `constant`: the same value on every row.
  static func constant(_ text: String) -> GeneratorFactory {
    let bytes = Array(text.utf8)
    return { _ in StringColumn { _, out in out.append(contentsOf: bytes) } }
  }
}
