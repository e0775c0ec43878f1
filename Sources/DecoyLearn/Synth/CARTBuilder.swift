import Foundation

/// Grows one CART tree on presorted predictors (specs/learned.md §6.2): SSE for a continuous
/// response, Gini for a discrete one; numeric splits at midpoints between distinct values,
/// categorical predictors by ordered levels; largest decrease wins, ties to the earlier predictor
/// and then the smaller threshold. Every node keeps its rows as one range of each predictor's
/// sorted row list, partitioned stably at each split, so a level of the tree costs O(rows ×
/// predictors) and nothing is sorted twice.
struct CARTBuilder {
  /// Predictor values per variable (null values already replaced by the variable's fill).
  let x: [[Double]]
  /// Whether each predictor is continuous, and the levels of discrete ones.
  let levels: [Int]
  /// Rows of each continuous predictor in ascending order of its values (all training rows).
  let order: [[Int32]?]
  let minLeaf: Int
  let maxDepth: Int
  /// Per variable: whether its leaf donors are smoothed (see ``SequentialCART/smooths(_:_:)``).
  let smoothing: [Bool]

  /// Grows the tree of response `y` (codes when `classes > 0`) over `rows` with predictors
  /// `0..<predictors`.
  func grow(y: [Double], classes: Int, rows active: [Bool]?, predictors: Int, smooth: Bool = false) -> CARTTree {
    let n = y.count
    var tree = CARTTree()
    tree.classification = classes > 0
    tree.smoothed = classes == 0 && smooth
    // Per-predictor sorted lists restricted to the active rows.
    var lists: [[Int32]] = []
    var rowsList: [Int32] = []
    for i in 0..<n where active?[i] ?? true { rowsList.append(Int32(i)) }
    let m = rowsList.count
    for v in 0..<predictors {
      if let o = order[v] {
        if let active {
          lists.append(o.filter { active[Int($0)] })
        } else {
          lists.append(o)
        }
      } else {
        lists.append([])
      }
    }
    // Standardised response for SSE (numerically stable sums).
    var ys = y
    if classes == 0 {
      var mean = 0.0
      for r in rowsList { mean += y[Int(r)] }
      mean /= Double(max(m, 1))
      var ss = 0.0
      for r in rowsList { ss += (y[Int(r)] - mean) * (y[Int(r)] - mean) }
      let sd = (ss / Double(max(m, 1))).squareRoot()
      let scale = sd > 0 ? 1 / sd : 1
      for r in rowsList { ys[Int(r)] = (y[Int(r)] - mean) * scale }
    }
    // Every per-row array a node reads is kept in the order of the row list it belongs to and moved
    // with it at each split, so scans read memory in sequence instead of jumping to x[row] and
    // y[row] (a cache miss each on large tables): each continuous predictor's values and responses
    // in its sorted order; the responses and the categorical predictors' codes in `rowsList` order.
    var sortedX = [[Double]](repeating: [], count: predictors)
    var sortedY = [[Double]](repeating: [], count: predictors)
    var codes = [[Int32]](repeating: [], count: predictors)
    var maxLevels = 1
    for v in 0..<predictors {
      let xv = x[v]
      if levels[v] == 0 {
        sortedX[v] = lists[v].map { xv[Int($0)] }
        sortedY[v] = lists[v].map { ys[Int($0)] }
      } else {
        codes[v] = rowsList.map { Int32(xv[Int($0)]) }
        maxLevels = max(maxLevels, levels[v])
      }
    }
    var rowY = rowsList.map { ys[Int($0)] }
    // The side of each row at the current split: one bit a row, so the whole set stays in the L2
    // cache while the sorted lists stream past it.
    var goesLeft = [UInt64](repeating: 0, count: (n + 63) / 64)
    var leftAt = [Bool](repeating: false, count: m)
    var scratch = [Int32](repeating: 0, count: m)
    var scratchD = [Double](repeating: 0, count: m)
    var scratchY = [Double](repeating: 0, count: m)
    var classCounts = [Double](repeating: 0, count: max(classes, 1))
    var leftCounts = classCounts
    // Per-level sums of a categorical predictor, reused by every node.
    var levelCount = [Double](repeating: 0, count: maxLevels)
    var levelSum = [Double](repeating: 0, count: maxLevels)
    var levelSq = [Double](repeating: 0, count: maxLevels)
    var levelClass = [Double](repeating: 0, count: classes > 0 ? maxLevels * classes : 0)
    var lc = [Double](repeating: 0, count: max(classes, 1))
    // Explicit stack of (node index, range, depth).
    struct Pending {
      var node: Int
      var range: Range<Int>
      var depth: Int
    }
    tree.feature.append(-1)
    tree.threshold.append(0)
    tree.child.append(0)
    tree.sideStart.append(-1)
    var stack = [Pending(node: 0, range: 0..<m, depth: 0)]
    var rootImpurity = -1.0
    while let p = stack.popLast() {
      let a = p.range.lowerBound
      let b = p.range.upperBound
      let count = b - a
      // Node impurity.
      var impurity = 0.0
      var sum = 0.0
      var sumsq = 0.0
      if classes > 0 {
        for k in 0..<classes { classCounts[k] = 0 }
        for i in a..<b { classCounts[Int(rowY[i])] += 1 }
        var sq = 0.0
        for k in 0..<classes { sq += classCounts[k] * classCounts[k] }
        impurity = Double(count) - sq / Double(count)
      } else {
        for i in a..<b {
          let v = rowY[i]
          sum += v
          sumsq += v * v
        }
        impurity = max(0, sumsq - sum * sum / Double(count))
      }
      if rootImpurity < 0 { rootImpurity = impurity }
      var best = (gain: 0.0, feature: -1, threshold: 0.0, position: 0, levelOrder: [Int](), cut: 0)
      let canSplit =
        count >= 3 * minLeaf && count >= 2 * minLeaf && p.depth < maxDepth && impurity > 1e-12 && predictors > 0
      if canSplit {
        for v in 0..<predictors {
          if levels[v] == 0 {
            // Continuous predictor: scan its sorted range.
            let found: (gain: Double, threshold: Double, left: Int)
            if classes > 0 {
              found = CARTBuilder.scanGini(
                sortedX[v], sortedY[v], a..<b, classCounts, &leftCounts, impurity, minLeaf, best.gain)
            } else {
              found = CARTBuilder.scanSSE(sortedX[v], sortedY[v], a..<b, sum, sumsq, impurity, minLeaf, best.gain)
            }
            if found.left > 0 {
              best = (found.gain, v, found.threshold, found.left, [], 0)
            }
          } else {
            // Categorical predictor: order its levels, then try the L − 1 ordered cuts.
            let l = levels[v]
            CARTBuilder.levelSums(
              codes[v], rowY, a..<b, levels: l, classes, &levelCount, &levelSum, &levelSq, &levelClass)
            var present = (0..<l).filter { levelCount[$0] > 0 }
            guard present.count > 1 else { continue }
            var key = [Double](repeating: 0, count: l)
            if classes == 0 {
              for k in present { key[k] = levelSum[k] / levelCount[k] }
            } else {
              let target: Int
              if classes == 2 {
                target = 1
              } else {
                target = (0..<classes).max {
                  classCounts[$0] < classCounts[$1] || (classCounts[$0] == classCounts[$1] && $0 > $1)
                }!
              }
              for k in present { key[k] = levelClass[k * classes + target] / levelCount[k] }
            }
            present.sort { key[$0] != key[$1] ? key[$0] < key[$1] : $0 < $1 }
            var nl = 0.0
            var sl = 0.0
            var ql = 0.0
            for k in 0..<max(classes, 1) { lc[k] = 0 }
            for (pos, lv) in present.dropLast().enumerated() {
              nl += levelCount[lv]
              if classes > 0 {
                for k in 0..<classes { lc[k] += levelClass[lv * classes + k] }
              } else {
                sl += levelSum[lv]
                ql += levelSq[lv]
              }
              let left = Int(nl)
              guard left >= minLeaf, count - left >= minLeaf else { continue }
              let nr = Double(count) - nl
              let gain: Double
              if classes > 0 {
                var sqL = 0.0
                var sqR = 0.0
                for k in 0..<classes {
                  sqL += lc[k] * lc[k]
                  let r = classCounts[k] - lc[k]
                  sqR += r * r
                }
                gain = CARTBuilder.giniGain(impurity, nl, sqL, nr, sqR)
              } else {
                gain = CARTBuilder.sseGain(impurity, nl, sl, ql, nr, sum - sl, sumsq - ql)
              }
              if gain > best.gain {
                best = (gain, v, 0, left, present, pos + 1)
              }
            }
          }
        }
      }
      if best.feature < 0 || best.gain < 1e-8 * rootImpurity || best.gain <= 1e-12 {
        // Leaf.
        let leaf = tree.leafStart.count
        tree.child[p.node] = leaf
        tree.leafStart.append(tree.values.count)
        if classes > 0 {
          var cum = 0.0
          var entries = 0
          for k in 0..<classes where classCounts[k] > 0 {
            cum += classCounts[k] / Double(count)
            tree.values.append(Double(k))
            tree.weights.append(cum)
            entries += 1
          }
          tree.weights[tree.weights.count - 1] = 1
          tree.leafCount.append(entries)
        } else {
          var donors = (a..<b).map { y[Int(rowsList[$0])] }
          donors.sort()
          tree.values.append(contentsOf: donors)
          tree.leafCount.append(count)
        }
        continue
      }
      // Split: mark the rows going left, then partition every list stably.
      let v = best.feature
      tree.feature[p.node] = v
      if levels[v] == 0 {
        let t = best.threshold
        tree.threshold[p.node] = t
        let sx = sortedX[v]
        let lv = lists[v]
        for i in a..<b { CARTBuilder.setBit(&goesLeft, Int(lv[i]), sx[i] <= t) }
      } else {
        let l = levels[v]
        var side = [Int](repeating: 0, count: l + 1)
        for lv in best.levelOrder.prefix(best.cut) { side[lv] = 1 }
        // Unseen levels go to the larger child.
        let leftLarger = best.position * 2 >= count
        var seen = [Bool](repeating: false, count: l)
        for lv in best.levelOrder { seen[lv] = true }
        for lv in 0..<l where !seen[lv] { side[lv] = leftLarger ? 1 : 0 }
        side[l] = leftLarger ? 1 : 0
        tree.sideStart[p.node] = tree.sides.count
        tree.sides.append(l)
        tree.sides.append(contentsOf: side)
        let cv = codes[v]
        for i in a..<b { CARTBuilder.setBit(&goesLeft, Int(rowsList[i]), side[Int(cv[i])] == 1) }
      }
      for i in a..<b { leftAt[i] = CARTBuilder.bit(goesLeft, Int(rowsList[i])) }
      let mid = CARTBuilder.partition(&rowsList, a..<b, leftAt, &scratch)
      CARTBuilder.partition(&rowY, a..<b, leftAt, &scratchD)
      for w in 0..<predictors {
        if levels[w] == 0 {
          CARTBuilder.partition(
            &lists[w], &sortedX[w], &sortedY[w], a..<b, goesLeft, &scratch, &scratchD, &scratchY)
        } else {
          CARTBuilder.partition(&codes[w], a..<b, leftAt, &scratch)
        }
      }
      let left = tree.feature.count
      tree.child[p.node] = left
      for _ in 0..<2 {
        tree.feature.append(-1)
        tree.threshold.append(0)
        tree.child.append(0)
        tree.sideStart.append(-1)
      }
      // Right first on the stack so the left subtree is built first (node order is fixed either way).
      stack.append(Pending(node: left + 1, range: mid..<b, depth: p.depth + 1))
      stack.append(Pending(node: left, range: a..<mid, depth: p.depth + 1))
    }
    return tree
  }

  /// Per level of a categorical predictor over a node's rows: the row count and either the
  /// response's sum and sum of squares or its class counts (`levelClass[level * classes + k]`).
  /// The buffers (sized for the widest predictor) are reused by every node: their first `levels`
  /// entries are cleared here. Plain pointers: the loop runs once per predictor and node.
  static func levelSums(
    _ codes: [Int32], _ rowY: [Double], _ range: Range<Int>, levels: Int, _ classes: Int,
    _ levelCount: inout [Double], _ levelSum: inout [Double], _ levelSq: inout [Double], _ levelClass: inout [Double]
  ) {
    for k in 0..<levels {
      levelCount[k] = 0
      levelSum[k] = 0
      levelSq[k] = 0
    }
    for k in 0..<(levels * classes) { levelClass[k] = 0 }
    codes.withUnsafeBufferPointer { cv in
      rowY.withUnsafeBufferPointer { yr in
        levelCount.withUnsafeMutableBufferPointer { count in
          if classes > 0 {
            levelClass.withUnsafeMutableBufferPointer { cls in
              for i in range {
                let lv = Int(cv[i])
                count[lv] += 1
                cls[lv * classes + Int(yr[i])] += 1
              }
            }
          } else {
            levelSum.withUnsafeMutableBufferPointer { sum in
              levelSq.withUnsafeMutableBufferPointer { sq in
                for i in range {
                  let lv = Int(cv[i])
                  let yv = yr[i]
                  count[lv] += 1
                  sum[lv] += yv
                  sq[lv] += yv * yv
                }
              }
            }
          }
        }
      }
    }
  }

  /// The best SSE split of a continuous predictor's sorted range that beats `floor`: its gain,
  /// threshold (the midpoint between two distinct values) and left count, or a left count of 0.
  static func scanSSE(
    _ xs: [Double], _ ys: [Double], _ range: Range<Int>, _ sum: Double, _ sumsq: Double, _ impurity: Double,
    _ minLeaf: Int, _ floor: Double
  ) -> (gain: Double, threshold: Double, left: Int) {
    let a = range.lowerBound
    let b = range.upperBound
    let count = b - a
    var best = (gain: floor, threshold: 0.0, left: 0)
    xs.withUnsafeBufferPointer { sx in
      ys.withUnsafeBufferPointer { sy in
        var nl = 0.0
        var sl = 0.0
        var ql = 0.0
        // Cuts leave at least minLeaf rows on each side.
        let first = a + minLeaf - 1
        let last = b - minLeaf
        for i in a..<(b - 1) {
          let yv = sy[i]
          nl += 1
          sl += yv
          ql += yv * yv
          let here = sx[i]
          let next = sx[i + 1]
          guard next > here, i >= first, i < last else { continue }
          let nr = Double(count) - nl
          let gain = CARTBuilder.sseGain(impurity, nl, sl, ql, nr, sum - sl, sumsq - ql)
          if gain > best.gain {
            best = (gain, here + (next - here) / 2, i - a + 1)
          }
        }
      }
    }
    return best
  }

  /// ``scanSSE(_:_:_:_:_:_:_:_:)`` for a Gini split of class codes.
  static func scanGini(
    _ xs: [Double], _ ys: [Double], _ range: Range<Int>, _ classCounts: [Double], _ leftCounts: inout [Double],
    _ impurity: Double, _ minLeaf: Int, _ floor: Double
  ) -> (gain: Double, threshold: Double, left: Int) {
    let a = range.lowerBound
    let b = range.upperBound
    let count = b - a
    let classes = classCounts.count
    var best = (gain: floor, threshold: 0.0, left: 0)
    var sqR = 0.0
    for k in 0..<classes { sqR += classCounts[k] * classCounts[k] }
    xs.withUnsafeBufferPointer { sx in
      ys.withUnsafeBufferPointer { sy in
        classCounts.withUnsafeBufferPointer { total in
          leftCounts.withUnsafeMutableBufferPointer { lcount in
            for k in 0..<classes { lcount[k] = 0 }
            var nl = 0.0
            var sqL = 0.0
            let first = a + minLeaf - 1
            let last = b - minLeaf
            for i in a..<(b - 1) {
              let k = Int(sy[i])
              let cl = lcount[k]
              let cr = total[k] - cl
              sqL += 2 * cl + 1
              sqR += -2 * cr + 1
              lcount[k] = cl + 1
              nl += 1
              let here = sx[i]
              let next = sx[i + 1]
              guard next > here, i >= first, i < last else { continue }
              let nr = Double(count) - nl
              let gain = CARTBuilder.giniGain(impurity, nl, sqL, nr, sqR)
              if gain > best.gain {
                best = (gain, here + (next - here) / 2, i - a + 1)
              }
            }
          }
        }
      }
    }
    return best
  }

  @inline(__always)
  static func setBit(_ bits: inout [UInt64], _ row: Int, _ on: Bool) {
    let mask: UInt64 = 1 &<< UInt64(row & 63)
    let w = bits[row &>> 6]
    bits[row &>> 6] = on ? w | mask : w & ~mask
  }

  @inline(__always)
  static func bit(_ bits: [UInt64], _ row: Int) -> Bool { (bits[row &>> 6] &>> UInt64(row & 63)) & 1 != 0 }

  /// Decrease of Gini impurity n(1 − Σp²) = n − Σc²/n from a split into nl and nr rows whose
  /// class counts have squares summing to sqL and sqR.
  @inline(__always)
  static func giniGain(_ impurity: Double, _ nl: Double, _ sqL: Double, _ nr: Double, _ sqR: Double) -> Double {
    impurity - (nl - sqL / nl) - (nr - sqR / nr)
  }

  /// Decrease of the sum of squared errors from a split, given each side's count, sum and sum of
  /// squares.
  @inline(__always)
  static func sseGain(
    _ impurity: Double, _ nl: Double, _ sl: Double, _ ql: Double, _ nr: Double, _ sr: Double, _ qr: Double
  ) -> Double {
    impurity - (ql - sl * sl / nl) - (qr - sr * sr / nr)
  }

  /// Stable partition of `list[range]` by `left` (indexed by position): elements going left
  /// first. Returns the end of the left part. Branch-free: each element is written to both
  /// destinations and only the matching cursor advances (the sides are unpredictable). The
  /// right part is copied back with a plain loop: `UnsafeMutablePointer.update(from:count:)`
  /// in these functions gave wrong models under `-O` with Swift 6.3.1 (an address-sanitizer
  /// build of the same code was right; the model-byte comparison caught it).
  @discardableResult
  static func partition<T>(_ list: inout [T], _ range: Range<Int>, _ left: [Bool], _ scratch: inout [T]) -> Int {
    let lo = range.lowerBound
    let count = range.count
    return list.withUnsafeMutableBufferPointer { listBuffer in
      scratch.withUnsafeMutableBufferPointer { scratchBuffer in
        left.withUnsafeBufferPointer { leftBuffer in
          let list = listBuffer.baseAddress! + lo
          let scratch = scratchBuffer.baseAddress!
          let left = leftBuffer.baseAddress! + lo
          var l = 0
          var r = 0
          for i in 0..<count {
            let e = list[i]
            let g = left[i] ? 1 : 0
            list[l] = e
            scratch[r] = e
            l &+= g
            r &+= 1 &- g
          }
          for k in 0..<r { list[l + k] = scratch[k] }
          return lo + l
        }
      }
    }
  }

  /// Stable partition of a sorted row list with the values and responses stored beside it, by
  /// the bit of each row in `goesLeft`, branch-free like ``partition(_:_:_:_:)``.
  static func partition(
    _ list: inout [Int32], _ xs: inout [Double], _ ys: inout [Double], _ range: Range<Int>, _ goesLeft: [UInt64],
    _ scratch: inout [Int32], _ scratchX: inout [Double], _ scratchY: inout [Double]
  ) {
    let lo = range.lowerBound
    let count = range.count
    list.withUnsafeMutableBufferPointer { listBuffer in
      xs.withUnsafeMutableBufferPointer { xsBuffer in
        ys.withUnsafeMutableBufferPointer { ysBuffer in
          scratch.withUnsafeMutableBufferPointer { scratchBuffer in
            scratchX.withUnsafeMutableBufferPointer { scratchXBuffer in
              scratchY.withUnsafeMutableBufferPointer { scratchYBuffer in
                goesLeft.withUnsafeBufferPointer { bitsBuffer in
                  // Plain pointers held in locals: the loop then keeps them in registers instead of
                  // reloading each base after every store.
                  let list = listBuffer.baseAddress! + lo
                  let xs = xsBuffer.baseAddress! + lo
                  let ys = ysBuffer.baseAddress! + lo
                  let sr = scratchBuffer.baseAddress!
                  let sx = scratchXBuffer.baseAddress!
                  let sy = scratchYBuffer.baseAddress!
                  let bits = bitsBuffer.baseAddress!
                  var l = 0
                  var r = 0
                  for i in 0..<count {
                    let row = list[i]
                    let x = xs[i]
                    let y = ys[i]
                    let g = Int((bits[Int(row) &>> 6] &>> UInt64(truncatingIfNeeded: row & 63)) & 1)
                    list[l] = row
                    xs[l] = x
                    ys[l] = y
                    sr[r] = row
                    sx[r] = x
                    sy[r] = y
                    l &+= g
                    r &+= 1 &- g
                  }
                  for k in 0..<r {
                    list[l + k] = sr[k]
                    xs[l + k] = sx[k]
                    ys[l + k] = sy[k]
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}
