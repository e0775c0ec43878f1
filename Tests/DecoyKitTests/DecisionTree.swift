/// A CART classification tree (Gini impurity, binary splits `x <= threshold` at midpoints between
/// distinct values) of limited depth, and the ROC-AUC of its leaf scores: the leakage probe of
/// specs/fraud.md ("a depth-3 decision tree on the single-row columns stays below 0.97").
/// Written from the textbook definitions; checked in `DecisionTreeTests`.
struct DecisionTree {
  /// Leaf score (fraud share of the leaf's training rows) of every row.
  let scores: [Double]

  /// Fits on `features[f][row]` and `labels`, then scores the same rows (an in-sample AUC is the
  /// generous, upper figure: if it stays low, no depth-3 tree does better on this data).
  init(features: [[Double]], labels: [Bool], depth: Int) {
    let n = labels.count
    // Each feature's row order, sorted once; a node walks it keeping its own rows.
    let orders = features.map { column in (0..<n).sorted { column[$0] < column[$1] } }
    var node = [Int](repeating: 0, count: n)  // node id of every row at the current level
    var scores = [Double](repeating: 0, count: n)
    var nodes = 1
    for level in 0...depth {
      var total = [Int](repeating: 0, count: nodes)
      var positive = [Int](repeating: 0, count: nodes)
      for i in 0..<n {
        total[node[i]] += 1
        if labels[i] { positive[node[i]] += 1 }
      }
      if level == depth {
        for i in 0..<n { scores[i] = Double(positive[node[i]]) / Double(total[node[i]]) }
        break
      }
      // Best split per node over every feature.
      var best = [(gain: Double, feature: Int, threshold: Double)](repeating: (0, -1, 0), count: nodes)
      func gini(_ p: Int, _ t: Int) -> Double {
        guard t > 0 else { return 0 }
        let q = Double(p) / Double(t)
        return Double(t) * 2 * q * (1 - q)
      }
      for (f, order) in orders.enumerated() {
        let column = features[f]
        var leftTotal = [Int](repeating: 0, count: nodes)
        var leftPositive = [Int](repeating: 0, count: nodes)
        var last = [Double?](repeating: nil, count: nodes)
        for i in order {
          let k = node[i]
          let x = column[i]
          if let previous = last[k], previous < x {
            // Split between previous and x: left holds the rows seen so far.
            let gain =
              gini(positive[k], total[k]) - gini(leftPositive[k], leftTotal[k])
              - gini(positive[k] - leftPositive[k], total[k] - leftTotal[k])
            if gain > best[k].gain + 1e-12 { best[k] = (gain, f, (previous + x) / 2) }
          }
          leftTotal[k] += 1
          if labels[i] { leftPositive[k] += 1 }
          last[k] = x
        }
      }
      // Children 2k and 2k+1; a node without a useful split keeps all its rows in 2k.
      for i in 0..<n {
        let b = best[node[i]]
        node[i] = 2 * node[i] + (b.feature >= 0 && features[b.feature][i] > b.threshold ? 1 : 0)
      }
      nodes *= 2
    }
    self.scores = scores
  }

  /// ROC-AUC: the probability that a positive outscores a negative, ties counting one half
  /// (the Mann–Whitney statistic with mid-ranks).
  static func auc(_ scores: [Double], _ labels: [Bool]) -> Double {
    let order = scores.indices.sorted { scores[$0] < scores[$1] }
    var rankSum = 0.0
    var positives = 0.0
    var i = 0
    while i < order.count {
      var j = i
      while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
      let midRank = Double(i + j) / 2 + 1
      for k in i...j where labels[order[k]] {
        rankSum += midRank
        positives += 1
      }
      i = j + 1
    }
    let negatives = Double(labels.count) - positives
    return (rankSum - positives * (positives + 1) / 2) / (positives * negatives)
  }
}
