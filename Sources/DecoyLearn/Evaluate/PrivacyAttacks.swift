public import DecoyCore

/// Attack-based privacy tests after anonymeter 1.1.0 (specs/learned.md §7.3): singling out,
/// linkability and attribute inference, each run on training rows, on control (holdout) rows and
/// as a random guess, scored by ``AttackRisk``. Every random choice is a keyed draw, so a report
/// is a function of its inputs and seed.
///
/// Differences from anonymeter, on purpose: two nulls are at distance 0 (anonymeter adds 1);
/// a numeric secret counts as inferred when |guess − secret| ≤ 5 % of |secret| (anonymeter divides
/// by the guess, so any negative guess "succeeds"), a date within 5 % of the column's range; multivariate singling out stops after
/// 50 attempts per attack instead of 10^7; ranges for distances span the whole attacked table and
/// the synthetic table (anonymeter: the sampled targets and the synthetic table).
public struct PrivacyAttacks: Sendable {
  public var singlingOutUnivariate: AttackRisk
  public var singlingOutMultivariate: AttackRisk
  public var linkability: AttackRisk?
  public var linkabilityColumns: ([String], [String])
  /// Inference risk per secret column, in column order.
  public var inference: [(column: String, risk: AttackRisk)]

  public static let attacks = 500
  static let queryColumns = 3
  static let maxSecrets = 20

  /// The larger of the two singling-out risks.
  public var singlingOut: AttackRisk {
    singlingOutMultivariate.risk >= singlingOutUnivariate.risk ? singlingOutMultivariate : singlingOutUnivariate
  }

  /// The inference risk of the most exposed column.
  public var worstInference: (column: String, risk: AttackRisk)? {
    var best: (column: String, risk: AttackRisk)?
    for x in inference where best == nil || x.risk.risk > best!.risk.risk { best = x }
    return best
  }

  /// Runs every attack. `control` is the holdout (nil: risks are plain attack rates).
  public init(
    training: EvalTable, synthetic: EvalTable, control: EvalTable?, seed: UInt64, threads: Int = ParallelMap.cores
  ) {
    let root = RandomStream(seed: seed, path: ["learn", "evaluate", "attacks"])
    var tables = [PrivacyAttacks.deduplicated(synthetic), PrivacyAttacks.deduplicated(training)]
    if let control { tables.append(PrivacyAttacks.deduplicated(control)) }
    let coded = CodedTables(tables)
    let hasControl = control != nil
    let n = PrivacyAttacks.attacks
    let names = training.names

    // Singling out.
    let so = SinglingOut(coded: coded, stream: root.derive("singling-out"))
    func singling(_ queries: [SinglingOut.Query], _ baseline: [SinglingOut.Query]) -> AttackRisk {
      let k = queries.filter { so.count($0, in: 1) == 1 }.count
      var c: Double?
      if hasControl {
        c = Double(queries.filter { so.count($0, in: 2) == 1 }.count)
        if coded.rows[2] != coded.rows[1] {
          c! *= so.sizeCorrection(queries, control: 2, target: coded.rows[1])
        }
      }
      let b = baseline.filter { so.count($0, in: 1) == 1 }.count
      return AttackRisk(attacks: n, successes: Double(k), control: c, baseline: Double(b))
    }
    singlingOutUnivariate = singling(so.univariate(n), so.random(n, columns: 1))
    singlingOutMultivariate = singling(
      so.multivariate(n, columns: PrivacyAttacks.queryColumns),
      so.random(n, columns: PrivacyAttacks.queryColumns))

    // Targets: the same keyed choice of training (and control) rows for linkability and inference.
    let targetStream = root.derive("targets")
    // As many control targets as training targets: the rates share one denominator.
    let k = hasControl ? min(n, coded.rows[1], coded.rows[2]) : min(n, coded.rows[1])
    let targets = PrivacyAttacks.choose(coded.rows[1], k, targetStream.derive(1))
    let controlTargets = hasControl ? PrivacyAttacks.choose(coded.rows[2], k, targetStream.derive(2)) : []
    let p = names.count
    let syntheticRows = coded.rows[0]

    // Ranges of each attacked table with the synthetic one, computed once for every attack.
    let rangesWith = [1: coded.ranges(over: [0, 1]), 2: hasControl ? coded.ranges(over: [0, 2]) : []]
    func nearest(_ table: Int, _ rows: [Int], _ columns: [Int]) -> [Int] {
      let space = DistanceSpace(coded, queries: table, candidates: 0, columns: columns, ranges: rangesWith[table]!)
      return space.nearest(rows: rows, threads: threads).index
    }

    // Linkability: two disjoint halves of the columns.
    let half = (p + 1) / 2
    let a = Array(0..<half)
    let b = Array(half..<p)
    linkabilityColumns = (a.map { names[$0] }, b.map { names[$0] })
    if !b.isEmpty && syntheticRows > 0 {
      func links(_ table: Int, _ rows: [Int]) -> Int {
        zip(nearest(table, rows, a), nearest(table, rows, b)).filter { $0 == $1 }.count
      }
      let base = root.derive("linkability-baseline")
      var guessed = 0
      for i in 0..<n
      where base.below(UInt64(syntheticRows), UInt64(i), 0) == base.below(UInt64(syntheticRows), UInt64(i), 1) {
        guessed += 1
      }
      linkability = AttackRisk(
        attacks: targets.count, successes: Double(links(1, targets)),
        control: hasControl ? Double(links(2, controlTargets)) : nil, baseline: Double(guessed))
    } else {
      linkability = nil
    }

    // Inference: each column in turn is the secret, the others are known.
    var inference: [(String, AttackRisk)] = []
    if p >= 2 && syntheticRows > 0 {
      for secret in 0..<min(p, PrivacyAttacks.maxSecrets) {
        let aux = (0..<p).filter { $0 != secret }
        let syn = coded.values[0][secret]
        let continuous = coded.continuous[secret]
        // Dates are day or second counts from 1970, where 5 % of the value is decades: their
        // tolerance is 5 % of the column's range instead.
        let kind = training.kinds[secret]
        let span = kind == .date || kind == .datetime ? rangesWith[1]![secret] : nil
        func correct(_ guess: Double, _ truth: Double) -> Bool {
          if guess.isNaN || truth.isNaN { return guess.isNaN && truth.isNaN }
          guard continuous else { return guess == truth }
          return abs(guess - truth) <= 0.05 * (span ?? abs(truth))
        }
        func hits(_ table: Int, _ rows: [Int]) -> Int {
          let truth = coded.values[table][secret]
          return zip(rows, nearest(table, rows, aux)).filter { correct(syn[$1], truth[$0]) }.count
        }
        let base = root.derive("inference-baseline").derive(UInt64(secret))
        let truth = coded.values[1][secret]
        var guessed = 0
        for (i, r) in targets.enumerated()
        where correct(syn[Int(base.below(UInt64(syntheticRows), UInt64(i)))], truth[r]) {
          guessed += 1
        }
        inference.append(
          (
            names[secret],
            AttackRisk(
              attacks: targets.count, successes: Double(hits(1, targets)),
              control: hasControl ? Double(hits(2, controlTargets)) : nil, baseline: Double(guessed))
          ))
      }
    }
    self.inference = inference
  }

  /// `k` of `n` rows by a keyed permutation, in row order (all rows when n ≤ k).
  static func choose(_ n: Int, _ k: Int, _ s: RandomStream) -> [Int] {
    guard n > k else { return Array(0..<n) }
    let perm = KeyedPermutation(n: UInt64(n), stream: s)
    return (0..<k).map { Int(perm.apply(UInt64($0))) }.sorted()
  }

  /// The table without repeated rows (the first of each kept), as anonymeter attacks distinct rows.
  static func deduplicated(_ t: EvalTable) -> EvalTable {
    var seen = Set<[UInt64]>()
    var keep: [Int] = []
    for r in 0..<t.rows {
      let key: [UInt64] = t.columns.map { c in
        switch c {
        case .continuous(let x): return x[r].isNaN ? UInt64.max : x[r].bitPattern
        case .discrete(let x): return x[r].map { StableHash.string($0) } ?? UInt64.max
        }
      }
      if seen.insert(key).inserted { keep.append(r) }
    }
    return keep.count == t.rows ? t : t.selecting(keep)
  }
}
