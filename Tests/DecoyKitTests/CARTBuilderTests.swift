import DecoyCore
import Testing

@testable import DecoyLearn

/// Sequential CART's tree builder checked against the tree's own routing: every training row,
/// sent down the finished tree by its predictor values (the sampling code path), must land in a
/// leaf that holds exactly the responses of the rows the builder put there. This holds only if
/// every partition of the row lists, values and codes was right; it caught a copy-back that
/// the optimiser broke (leaves with unsorted, wrong donors) only by comparing model bytes before.
@Suite struct CARTBuilderTests {
  /// A table with ties, a categorical predictor and a response that depends on both.
  struct Table {
    var x: [[Double]]
    var y: [Double]
    var classes: [Double]
    var active: [Bool]
  }

  static func table(rows n: Int, seed: UInt64) -> Table {
    var state = seed
    func next() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(1 << 53)
    }
    var x: [[Double]] = [[], [], []]
    var y: [Double] = []
    var classes: [Double] = []
    var active: [Bool] = []
    for _ in 0..<n {
      let a = (next() * 50).rounded() / 10  // many ties
      let level = Double(Int(next() * 7))
      let b = (next() * 8).rounded()  // few distinct values
      x[0].append(a)
      x[1].append(level)
      x[2].append(b)
      y.append(a * a + 3 * level + next())
      classes.append(Double((Int(b) + Int(level) + (next() < 0.2 ? 1 : 0)) % 3))
      active.append(next() > 0.1)
    }
    return Table(x: x, y: y, classes: classes, active: active)
  }

  static func builder(_ t: Table, minLeaf: Int) -> CARTBuilder {
    let levels = [0, 7, 0]
    let order: [[Int32]?] = (0..<3).map { v in
      guard levels[v] == 0 else { return nil }
      let column = t.x[v]
      return (0..<Int32(column.count)).sorted {
        column[Int($0)] != column[Int($1)] ? column[Int($0)] < column[Int($1)] : $0 < $1
      }
    }
    return CARTBuilder(
      x: t.x, levels: levels, order: order, minLeaf: minLeaf, maxDepth: 30, smoothing: [false, false, false])
  }

  /// The rows of each leaf, found by routing every (active) row down the tree.
  static func routed(_ tree: CARTTree, _ t: Table, active: [Bool]?) -> [[Int]] {
    var rows = [[Int]](repeating: [], count: tree.leafStart.count)
    for r in 0..<t.y.count where active?[r] ?? true {
      rows[tree.leaf { t.x[$0][r] }].append(r)
    }
    return rows
  }

  @Test(arguments: [(2_000, 20), (5_000, 7), (300, 5)])
  func regressionLeavesHoldTheResponsesOfTheRowsRoutedToThem(rows: Int, minLeaf: Int) {
    let t = Self.table(rows: rows, seed: UInt64(rows))
    for active in [nil, t.active] {
      let tree = Self.builder(t, minLeaf: minLeaf).grow(y: t.y, classes: 0, rows: active, predictors: 3)
      #expect(tree.leafStart.count > 4, "the response depends on the predictors: the tree must split")
      let leaves = Self.routed(tree, t, active: active)
      #expect(leaves.map(\.count).reduce(0, +) == (active?.filter { $0 }.count ?? rows))
      for (leaf, members) in leaves.enumerated() {
        let start = tree.leafStart[leaf]
        let donors = Array(tree.values[start..<(start + tree.leafCount[leaf])])
        #expect(members.count >= minLeaf, "leaf \(leaf) has \(members.count) rows")
        #expect(donors == donors.sorted(), "leaf \(leaf): donors not sorted")
        #expect(donors == members.map { t.y[$0] }.sorted(), "leaf \(leaf): donors are not its rows' responses")
      }
    }
  }

  @Test func classificationLeavesHoldTheClassSharesOfTheRowsRoutedToThem() {
    let t = Self.table(rows: 4_000, seed: 9)
    for active in [nil, t.active] {
      let tree = Self.builder(t, minLeaf: 20).grow(y: t.classes, classes: 3, rows: active, predictors: 3)
      #expect(tree.classification && tree.leafStart.count > 2)
      for (leaf, members) in Self.routed(tree, t, active: active).enumerated() {
        #expect(members.count >= 20)
        var counts = [Double](repeating: 0, count: 3)
        for r in members { counts[Int(t.classes[r])] += 1 }
        var expected: [(Double, Double)] = []
        var cumulative = 0.0
        for k in 0..<3 where counts[k] > 0 {
          cumulative += counts[k] / Double(members.count)
          expected.append((Double(k), cumulative))
        }
        expected[expected.count - 1].1 = 1
        let start = tree.leafStart[leaf]
        let stored = (start..<(start + tree.leafCount[leaf])).map { (tree.values[$0], tree.weights[$0]) }
        #expect(stored.map(\.0) == expected.map(\.0), "leaf \(leaf): classes")
        #expect(stored.map(\.1) == expected.map(\.1), "leaf \(leaf): shares")
      }
    }
  }
}

/// Sampling a smoothed regression tree: a value is a point between two neighbouring donors of
/// its leaf, so it stays within the leaf's range, follows the leaf's distribution and is no donor
/// replayed; without smoothing every value is a donor.
@Suite struct CARTSmoothingTests {
  static func data(rows n: Int) -> TrainingData {
    var state: UInt64 = 7
    func next() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(1 << 53)
    }
    var x: [Double] = []
    var y: [Double] = []
    for _ in 0..<n {
      let a = next() * 100
      x.append(a)
      y.append(a * a / 100 + 10 * next())
    }
    let encodings = ["x", "y"].enumerated().map { i, name in
      ColumnEncoding(
        column: i, name: name, kind: .numerical, lower: 0, upper: 200, digits: nil, nullShare: 0, categories: nil,
        rareCode: nil, shares: nil, protectK: 5)
    }
    return TrainingData(
      variables: [
        Variable(levels: 0, encoding: 0, role: .value, name: "x"),
        Variable(levels: 0, encoding: 1, role: .value, name: "y"),
      ], values: [x, y], rows: n, encodings: encodings)
  }

  @Test(arguments: [true, false])
  func valuesLieBetweenNeighbouringDonorsOfTheirLeaf(smoothing: Bool) {
    let data = Self.data(rows: 1_000)
    var options = FitOptions()
    options.smoothing = smoothing
    let model = SequentialCART(options: options).fit(data)
    #expect(model.trees[1].leafStart.count > 4)
    var out: [[Double]] = [[], []]
    model.sample(rows: 0..<5_000, stream: RandomStream(seed: 3, path: ["test"]), into: &out)
    let donors = Set(data.values[0] + data.values[1])
    var replayed = 0
    for r in 0..<5_000 {
      for v in 0..<2 {
        let t = model.trees[v]
        let leaf = t.leaf { out[$0][r] }
        let start = t.leafStart[leaf]
        let m = t.leafCount[leaf]
        #expect(out[v][r] >= t.values[start] && out[v][r] <= t.values[start + m - 1])
        if donors.contains(out[v][r]) { replayed += 1 }
      }
    }
    if smoothing {
      #expect(replayed == 0, "distinct continuous donors: an interpolated value is never one of them")
    } else {
      #expect(replayed == 10_000)
    }
    // The first column's values follow the training marginal: Kolmogorov–Smirnov D well within
    // the 1 % critical value for 5,000 against 1,000 values (1.63 · √(1/5000 + 1/1000) ≈ 0.056).
    let a = data.values[0].sorted()
    let b = out[0].sorted()
    var i = 0
    var j = 0
    var d = 0.0
    while i < a.count && j < b.count {
      if a[i] <= b[j] { i += 1 } else { j += 1 }
      d = max(d, abs(Double(i) / Double(a.count) - Double(j) / Double(b.count)))
    }
    #expect(d < 0.056)
  }
}
