public import DecoyCore
import Foundation

/// Sequential CART after synthpop's `syn(method = "cart")` (specs/learned.md §6): variables are
/// drawn one at a time in visit order, each from a tree fitted on the variables before it. Trees
/// are independent given the training data, so they are fitted on several threads; each is a
/// pure function of the data, so the model does not depend on the thread count.
public struct SequentialCART: Sendable {
  public var options: FitOptions

  public init(options: FitOptions = FitOptions()) { self.options = options }

  static let noState: @Sendable () -> Void = {}

  /// Whether a continuous variable's donors are smoothed: only when it has more than 20 distinct
  /// non-null values and none holds a tenth of them. Smoothing a coded or few-valued column (a survey
  /// scale, a duration in whole months) invents values the column never takes: on statsmodels'
  /// anes96 its Column Shapes fell from 0.96 to 0.87 (Decoy's refinement of specs/learned.md §6.2).
  static func smooths(_ x: [Double], _ order: [Int32]?) -> Bool {
    guard let order, !order.isEmpty else { return false }
    var distinct = 0
    var run = 0
    var longest = 0
    var present = 0
    var previous = Double.nan
    for r in order {
      let v = x[Int(r)]
      if v.isNaN { continue }  // nulls (sorted first, at the fill value) are not donors
      present += 1
      if v == previous {
        run += 1
      } else {
        distinct += 1
        run = 1
        previous = v
      }
      longest = max(longest, run)
    }
    return distinct > 20 && Double(longest) < 0.1 * Double(present)
  }

  public func fit(_ data: TrainingData, progress: FitProgress? = nil) -> FittedCART {
    let p = data.variables.count
    let n = data.rows
    let levels = data.variables.map(\.levels)
    // Predictor values: a value variable's nulls become min − 1 (its indicator is a predictor too).
    var fills = [Double](repeating: 0, count: p)
    var x = data.values
    for v in 0..<p where levels[v] == 0 {
      var lo = Double.infinity
      for value in x[v] where !value.isNaN { lo = min(lo, value) }
      fills[v] = (lo.isFinite ? lo : 0) - 1
      for i in 0..<n where x[v][i].isNaN { x[v][i] = fills[v] }
    }
    let xs = x
    progress?("sorting", 0, p)
    let order: [[Int32]?] = ParallelMap.map(p, threads: options.threads, minimumSlice: 1, makeState: Self.noState) {
      _, v in
      guard levels[v] == 0 else { return nil }
      let column = xs[v]
      return (0..<Int32(n)).sorted { a, b in
        let xa = column[Int(a)]
        let xb = column[Int(b)]
        return xa != xb ? xa < xb : a < b
      }
    }
    let builder = CARTBuilder(
      x: xs, levels: levels, order: order, minLeaf: options.leaf(for: n), maxDepth: options.maxDepth,
      smoothing: (0..<p).map { v in options.smoothing && SequentialCART.smooths(data.values[v], order[v]) })
    let done = Counter()
    let values = data.values
    let variables = data.variables
    let trees: [CARTTree] = ParallelMap.map(p, threads: options.threads, minimumSlice: 1, makeState: Self.noState) {
      _, v in
      let active: [Bool]? = levels[v] == 0 && values[v].contains { $0.isNaN } ? values[v].map { !$0.isNaN } : nil
      let t = builder.grow(
        y: values[v], classes: variables[v].levels, rows: active, predictors: v, smooth: builder.smoothing[v])
      progress?("trees", done.increment(), p)
      return t
    }
    return FittedCART(variables: data.variables, fills: fills, trees: trees, encodings: data.encodings)
  }
}

/// A thread-safe counter for progress.
final class Counter: @unchecked Sendable {
  private var value = 0
  private let lock = NSLock()
  func increment() -> Int {
    lock.lock()
    defer { lock.unlock() }
    value += 1
    return value
  }
}

/// A fitted sequential CART model.
public struct FittedCART: FittedSynthesizer {
  public let variables: [Variable]
  /// Per variable: the predictor value standing for null (continuous variables).
  let fills: [Double]
  let trees: [CARTTree]
  /// For rounding smoothed values to the column's digits.
  let encodings: [ColumnEncoding]

  /// Number of nodes and leaves over all trees (for summaries).
  public var size: (nodes: Int, leaves: Int) {
    (trees.reduce(0) { $0 + $1.feature.count }, trees.reduce(0) { $0 + $1.leafStart.count })
  }

  public func sample(rows: Range<UInt64>, stream: RandomStream, into out: inout [[Double]]) {
    let p = variables.count
    let s = stream.derive("cart")
    let streams = (0..<p).map { s.derive(UInt64($0)) }
    var row = [Double](repeating: 0, count: p)
    var predictor = [Double](repeating: 0, count: p)
    let scales = (0..<p).map { v -> Double? in
      guard variables[v].isContinuous, let d = encodings[variables[v].encoding].digits else { return nil }
      var f = 1.0
      for _ in 0..<d { f *= 10 }
      return f
    }
    for v in 0..<p { out[v].removeAll(keepingCapacity: true) }
    for r in rows {
      for v in 0..<p {
        let t = trees[v]
        let leaf = predictor.withUnsafeBufferPointer { pb in t.leaf { pb[$0] } }
        let start = t.leafStart[leaf]
        let m = t.leafCount[leaf]
        let u = streams[v].unit(r)
        var value: Double
        if t.classification {
          var k = 0
          while k < m - 1 && u >= t.weights[start + k] { k += 1 }
          value = t.values[start + k]
        } else {
          if t.smoothed && m > 1 {
            // A point of the leaf's piecewise-linear quantile function: between two neighbouring
            // donors, so a smoothed value keeps the leaf's shape and range and is no donor replayed.
            let position = u * Double(m - 1)
            let i = min(m - 2, Int(position))
            let a = t.values[start + i]
            value = a + (position - Double(i)) * (t.values[start + i + 1] - a)
            if let f = scales[v] { value = (value * f).rounded() / f }
          } else {
            value = t.values[start + min(m - 1, Int(u * Double(m)))]
          }
        }
        // A null indicator of 1 makes the value that follows null.
        if variables[v].role == .value && v > 0 && variables[v - 1].role == .isNull
          && variables[v - 1].encoding == variables[v].encoding && row[v - 1] == 1
        {
          row[v] = .nan
          predictor[v] = fills[v]
          continue
        }
        row[v] = value
        predictor[v] = value
      }
      for v in 0..<p { out[v].append(row[v]) }
    }
  }

  public func save(to archive: inout ModelArchive) {
    archive.put("cart.fills", fills)
    for (v, t) in trees.enumerated() { t.save("cart.v\(v).", to: &archive) }
  }

  public static func load(_ archive: ModelArchive, variables: [Variable], encodings: [ColumnEncoding])
    throws(DecoyError) -> FittedCART
  {
    let p = variables.count
    let fills = try archive.doubles("cart.fills", count: p)
    var trees: [CARTTree] = []
    for v in 0..<p {
      let t = try CARTTree.load("cart.v\(v).", classification: !variables[v].isContinuous, from: archive)
      // Predictors of tree v are the variables before it; classes within the variable's levels.
      for f in t.feature where f >= v { throw ModelArchive.missing("cart.v\(v).feature", "is damaged") }
      if t.classification {
        for c in t.values where c < 0 || c >= Double(variables[v].levels) {
          throw ModelArchive.missing("cart.v\(v).values", "is damaged")
        }
      }
      trees.append(t)
    }
    return FittedCART(variables: variables, fills: fills, trees: trees, encodings: encodings)
  }
}
