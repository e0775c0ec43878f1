public import DecoyCore

/// The parameters of a model as named little-endian tensors, in the order they were added (so the
/// file's bytes are a pure function of the model). A synthesizer saves into an archive and loads
/// from one; nothing in it is code.
public struct ModelArchive: Sendable {
  /// A tensor: float64 or int64 values.
  public enum Tensor: Sendable, Equatable {
    case f64([Double])
    case i64([Int64])

    public var count: Int {
      switch self {
      case .f64(let v): v.count
      case .i64(let v): v.count
      }
    }
  }

  public private(set) var names: [String] = []
  private var tensors: [String: Tensor] = [:]

  public init() {}

  /// Adds a tensor (names are unique).
  public mutating func put(_ name: String, _ t: Tensor) {
    precondition(tensors[name] == nil, "tensor \(name) saved twice")
    names.append(name)
    tensors[name] = t
  }

  public mutating func put(_ name: String, _ v: [Double]) { put(name, .f64(v)) }
  public mutating func put(_ name: String, _ v: [Int]) { put(name, .i64(v.map(Int64.init))) }

  /// The tensor with a name, in order of ``names``.
  public func tensor(_ name: String) -> Tensor? { tensors[name] }

  /// A float64 tensor, or a model-file error.
  public func doubles(_ name: String, count: Int? = nil) throws(DecoyError) -> [Double] {
    guard case .f64(let v)? = tensors[name] else { throw ModelArchive.missing(name) }
    if let count, v.count != count { throw ModelArchive.missing(name, "has \(v.count) values, expected \(count)") }
    return v
  }

  /// An int64 tensor as Ints, or a model-file error.
  public func ints(_ name: String, count: Int? = nil) throws(DecoyError) -> [Int] {
    guard case .i64(let v)? = tensors[name] else { throw ModelArchive.missing(name) }
    if let count, v.count != count { throw ModelArchive.missing(name, "has \(v.count) values, expected \(count)") }
    return v.map { Int(truncatingIfNeeded: $0) }
  }

  static func missing(_ name: String, _ what: String = "is missing") -> DecoyError {
    .usage("the model file is inconsistent: tensor '\(name)' \(what)", hint: "fit the model again with this Decoy")
  }
}
