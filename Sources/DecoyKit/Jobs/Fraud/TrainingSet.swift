public import DecoyCore
public import DecoyIO

/// `training_set`: the rows a model may be trained and evaluated on at a cut-off instant, built
/// set-based in the database from `generated_records` ⋈ `evaluation_metadata` ⋈ `feature_snapshots`.
///
/// * **train**: rows at or before `cutoff − maturity` that are not after their user's fraud event;
///   with the default maturity (60 days, the longest label delay) every fraud row among them is
///   confirmed by the cut-off, so `label` is final.
/// * **test**: rows after the cut-off (out of time), labelled with the ground truth for evaluation.
/// * Rows in between are left out: their labels are not yet known at the cut-off.
///
/// `label` is the fraud label as known at the cut-off (truth ∧ confirmed ≤ cutoff) for train rows
/// and the ground truth for test rows; `label_known_at_cutoff` is the former on every row. `n`
/// numbers the rows in (user, time) order (``TrainingSetExport`` pages through it).
public struct TrainingSet {
  public let session: any SQLSession

  public init(session: any SQLSession) {
    self.session = session
  }

  /// Row counts of a build.
  public struct Summary: Sendable, Equatable {
    public var train = 0
    public var trainFraud = 0
    public var test = 0
    public var testFraud = 0
  }

  /// (Re)creates `training_set` for `cutoff` (seconds since 1970, UTC) and commits it.
  public func build(cutoff: Int64, maturityDays: Double = 60) throws(DecoyError) -> Summary {
    guard maturityDays >= 0 else { throw .usage("--maturity-days must be at least 0", hint: nil) }
    let pending = try count(
      "SELECT count(*) FROM generated_records g WHERE NOT EXISTS (SELECT 1 FROM feature_snapshots f WHERE f.record_id = g.record_id)"
    )
    guard pending == 0 else {
      throw .usage("\(pending) records have no feature snapshot", hint: "run `decoy fraud materialize` first")
    }
    try session.execute("DROP TABLE IF EXISTS training_set")
    try session.execute(
      TrainingSet.createSQL(session.dialect, cutoff: cutoff, trainEnd: cutoff - Int64(maturityDays * 86_400)))
    try session.execute("CREATE UNIQUE INDEX ix_training_set_n ON training_set (n)")
    try session.checkpoint()
    var s = Summary()
    s.train = try count("SELECT count(*) FROM training_set WHERE split = 'train'")
    s.trainFraud = try count("SELECT count(*) FROM training_set WHERE split = 'train' AND label = 1")
    s.test = try count("SELECT count(*) FROM training_set WHERE split = 'test'")
    s.testFraud = try count("SELECT count(*) FROM training_set WHERE split = 'test' AND label = 1")
    return s
  }

  private func count(_ sql: String) throws(DecoyError) -> Int { try session.count(sql) }

  static func createSQL(_ dialect: SQLEncoder.Dialect, cutoff: Int64, trainEnd: Int64) -> String {
    let pg = dialect == .postgres
    let at = { (column: String) in
      pg ? "CAST(extract(epoch FROM \(column)) AS BIGINT)" : "CAST(strftime('%s', \(column)) AS INTEGER)"
    }
    let signal = { (key: String) in
      pg
        ? "CAST(f.experimental_signals ->> '\(key)' AS DOUBLE PRECISION)"
        : "json_extract(f.experimental_signals, '$.\(key)')"
    }
    let t = at("r.transaction_timestamp")
    let known =
      "CASE WHEN m.is_fraud_truth AND m.fraud_confirmed_at IS NOT NULL AND \(at("m.fraud_confirmed_at")) <= \(cutoff) THEN 1 ELSE 0 END"
    return """
      CREATE TABLE training_set AS
      SELECT ROW_NUMBER() OVER (ORDER BY r.user_id, r.transaction_timestamp) AS n, r.record_id, r.user_id, r.transaction_timestamp,
        CASE WHEN \(t) > \(cutoff) THEN 'test' ELSE 'train' END AS split,
        CASE WHEN \(t) > \(cutoff) THEN (CASE WHEN m.is_fraud_truth THEN 1 ELSE 0 END) ELSE \(known) END AS label,
        \(known) AS label_known_at_cutoff,
        r.amount, r.available_balance, r.balance_to_transaction_ratio, r.avg_available_balance_30d,
        r.balance_volatility_z_score, r.bank_connections_count_24h, r.bank_connections_count_7d,
        r.bank_connections_avg_30d, r.amount_to_avg_ratio, r.merchant_risk_score,
        CASE WHEN r.is_off_hours_txn THEN 1 ELSE 0 END AS is_off_hours_txn,
        CASE WHEN r.is_returned THEN 1 ELSE 0 END AS is_returned,
        f.velocity_24h, f.amount_to_avg_ratio_30d, f.balance_volatility_z_score AS balance_z_score_30d,
        \(signal("velocity_7d")) AS velocity_7d, \(signal("max_amount_30d")) AS max_amount_30d,
        \(signal("off_hours_count_7d")) AS off_hours_count_7d
      FROM generated_records r
      JOIN evaluation_metadata m ON m.record_id = r.record_id
      JOIN feature_snapshots f ON f.record_id = r.record_id
      WHERE \(t) > \(cutoff)
         OR (\(t) <= \(trainEnd) AND (m.fraud_event_at IS NULL OR \(t) <= \(at("m.fraud_event_at"))))
      ORDER BY r.user_id, r.transaction_timestamp
      """
  }
}
