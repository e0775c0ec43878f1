import DecoyCore

/// One classification or regression tree of sequential CART (specs/learned.md §6.2), stored as
/// flat arrays so that it saves as tensors and samples without allocating.
public struct CARTTree: Sendable, Equatable {
  /// Per node: the predictor variable (−1 for a leaf).
  public var feature: [Int] = []
  /// Per node: the threshold (continuous predictors: left when x <= threshold).
  public var threshold: [Double] = []
  /// Per node: the left child (the right child is `left + 1`), or the leaf index for a leaf.
  public var child: [Int] = []
  /// Per node with a categorical predictor: offset into ``sides`` (levels of the predictor, 1 = left).
  public var sideStart: [Int] = []
  public var sides: [Int] = []
  /// Per leaf: offset and count of its entries in ``values``/``weights``.
  public var leafStart: [Int] = []
  public var leafCount: [Int] = []
  /// Regression: the sorted donor values of every leaf. Classification: the classes present.
  public var values: [Double] = []
  /// Classification: cumulative shares of the classes in ``values``, per leaf.
  public var weights: [Double] = []
  /// Whether the response is discrete.
  public var classification = false
  /// Regression: whether a sampled value is a point between two neighbouring donors of its leaf
  /// (smoothing) rather than one donor.
  public var smoothed = false

  public init() {}

  /// The leaf a row falls in, given its predictor values (`x(v)`).
  @inline(__always)
  public func leaf(_ x: (Int) -> Double) -> Int {
    var node = 0
    while feature[node] >= 0 {
      let v = x(feature[node])
      let s = sideStart[node]
      if s >= 0 {
        let level = Int(v)
        let count = sides[s]
        let left = level >= 0 && level < count ? sides[s + 1 + level] == 1 : sides[s + 1 + count] == 1
        node = left ? child[node] : child[node] + 1
      } else {
        node = v <= threshold[node] ? child[node] : child[node] + 1
      }
    }
    return child[node]
  }

  /// Names of the tensors a tree saves, with a prefix.
  static let fields = [
    "feature", "threshold", "child", "sideStart", "sides", "leafStart", "leafCount", "smoothed", "values", "weights",
  ]

  func save(_ prefix: String, to a: inout ModelArchive) {
    a.put(prefix + "feature", feature)
    a.put(prefix + "threshold", threshold)
    a.put(prefix + "child", child)
    a.put(prefix + "sideStart", sideStart)
    a.put(prefix + "sides", sides)
    a.put(prefix + "leafStart", leafStart)
    a.put(prefix + "leafCount", leafCount)
    a.put(prefix + "smoothed", [smoothed ? 1 : 0])
    a.put(prefix + "values", values)
    a.put(prefix + "weights", weights)
  }

  static func load(_ prefix: String, classification: Bool, from a: ModelArchive) throws(DecoyError) -> CARTTree {
    var t = CARTTree()
    t.classification = classification
    t.feature = try a.ints(prefix + "feature")
    let nodes = t.feature.count
    t.threshold = try a.doubles(prefix + "threshold", count: nodes)
    t.child = try a.ints(prefix + "child", count: nodes)
    t.sideStart = try a.ints(prefix + "sideStart", count: nodes)
    t.sides = try a.ints(prefix + "sides")
    t.leafStart = try a.ints(prefix + "leafStart")
    let leaves = t.leafStart.count
    t.leafCount = try a.ints(prefix + "leafCount", count: leaves)
    let smoothed = try a.ints(prefix + "smoothed", count: 1)[0]
    guard smoothed == 0 || smoothed == 1 else { throw ModelArchive.missing(prefix + "smoothed", "is damaged") }
    t.smoothed = smoothed == 1
    t.values = try a.doubles(prefix + "values")
    t.weights = try a.doubles(prefix + "weights", count: classification ? t.values.count : 0)
    // Structural checks, so that a damaged file cannot make sampling read out of bounds.
    guard nodes > 0 else { throw ModelArchive.missing(prefix + "feature", "is empty") }
    for i in 0..<nodes {
      if t.feature[i] < 0 {
        guard t.child[i] >= 0 && t.child[i] < leaves else { throw ModelArchive.missing(prefix + "child", "is damaged") }
      } else {
        guard t.child[i] > i && t.child[i] + 1 < nodes else {
          throw ModelArchive.missing(prefix + "child", "is damaged")
        }
        let s = t.sideStart[i]
        if s >= 0 {
          guard s < t.sides.count, s + t.sides[s] + 2 <= t.sides.count, t.sides[s] >= 0 else {
            throw ModelArchive.missing(prefix + "sides", "is damaged")
          }
        }
      }
    }
    for l in 0..<leaves {
      guard t.leafStart[l] >= 0, t.leafCount[l] > 0, t.leafStart[l] + t.leafCount[l] <= t.values.count else {
        throw ModelArchive.missing(prefix + "leafStart", "is damaged")
      }
    }
    return t
  }
}
