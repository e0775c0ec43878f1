import DecoyTestSupport
import Foundation
import Testing

/// The leakage probe's tree and AUC against cases whose answer is known by reasoning.
@Suite struct DecisionTreeTests {
  @Test func aucOfOrderedReversedAndTiedScores() {
    let labels = [false, false, true, true]
    #expect(DecisionTree.auc([0.1, 0.2, 0.3, 0.4], labels) == 1)
    #expect(DecisionTree.auc([0.4, 0.3, 0.2, 0.1], labels) == 0)
    #expect(DecisionTree.auc([0.5, 0.5, 0.5, 0.5], labels) == 0.5)
    // One positive above both negatives, one tied with one negative: (1 + 1 + 1 + 0.5) / 4.
    #expect(DecisionTree.auc([0.1, 0.3, 0.3, 0.9], labels) == 0.875)
  }

  @Test func treeFindsAThresholdAndAnInteractionButNotNoise() {
    var rng = SplitMix64(seed: 9)
    let n = 5_000
    let x = (0..<n).map { _ in Double(rng.next() % 1_000) / 1_000 }
    let z = (0..<n).map { _ in Double(rng.next() % 1_000) / 1_000 }
    let noise = (0..<n).map { _ in Double(rng.next() % 1_000) / 1_000 }
    // A threshold on one feature among noise: depth 1 separates it exactly.
    let threshold = x.map { $0 > 0.62 }
    #expect(DecisionTree.auc(DecisionTree(features: [noise, x], labels: threshold, depth: 1).scores, threshold) == 1)
    // An AND of two features needs depth 2.
    let both = (0..<n).map { x[$0] > 0.5 && z[$0] > 0.3 }
    #expect(DecisionTree.auc(DecisionTree(features: [x, z], labels: both, depth: 2).scores, both) == 1)
    #expect(DecisionTree.auc(DecisionTree(features: [x, z], labels: both, depth: 1).scores, both) < 1)
    // Labels independent of the features: eight leaves barely beat a coin.
    let random = (0..<n).map { _ in rng.next() % 2 == 0 }
    let auc = DecisionTree.auc(DecisionTree(features: [noise], labels: random, depth: 3).scores, random)
    #expect(auc > 0.45 && auc < 0.56, "\(auc)")
  }

  /// Labels drawn from a known logistic model: the fit recovers its weights (in standardised
  /// units) and ranks held-out rows as well as the true model does.
  @Test func logisticRegressionRecoversAKnownModel() {
    var rng = SplitMix64(seed: 4)
    func unit() -> Double { Double(rng.next() >> 11) * 0x1.0p-53 }
    let n = 20_000
    // x uniform on [0, 1) has sd 1/√12; with weight 2√12 per unit of sd the true standardised weight is 2.
    let x = (0..<n).map { _ in unit() }
    let z = (0..<n).map { _ in unit() }
    let sdU = (1.0 / 12).squareRoot()
    let truth = (0..<n).map { -1 + 2 * (x[$0] - 0.5) / sdU - 1 * (z[$0] - 0.5) / sdU }
    let labels = truth.map { unit() < 1 / (1 + exp(-$0)) }
    let fit = LogisticRegression(features: [x, z], labels: labels)
    #expect(
      abs(fit.weights[0] + 1) < 0.1 && abs(fit.weights[1] - 2) < 0.1 && abs(fit.weights[2] + 1) < 0.1, "\(fit.weights)")
    let heldX = (0..<n).map { _ in unit() }
    let heldZ = (0..<n).map { _ in unit() }
    let heldTruth = (0..<n).map { -1 + 2 * (heldX[$0] - 0.5) / sdU - (heldZ[$0] - 0.5) / sdU }
    let heldLabels = heldTruth.map { unit() < 1 / (1 + exp(-$0)) }
    let fitted = DecisionTree.auc(fit.scores([heldX, heldZ]), heldLabels)
    let best = DecisionTree.auc(heldTruth, heldLabels)
    #expect(abs(fitted - best) < 0.005, "fitted \(fitted), true model \(best)")
  }
}
