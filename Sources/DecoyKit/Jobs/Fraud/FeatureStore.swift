public import DecoyCore
public import DecoyIO

/// `feature_snapshots`, the point-in-time features of specs/fraud.md §4.7, computed set-based in
/// the database: one `INSERT … SELECT` per batch with window functions partitioned by user and
/// ordered by time, over range frames from ts − 24 h / 7 d / 30 d to the current row. The same SQL
/// runs on SQLite (JSON text) and PostgreSQL (JSONB), and gives the same values on both:
///
/// * money is summed in integer cents (exact in both), and every float is one IEEE operation on
///   exact integers, in the same order;
/// * batches hold whole users (windows never cross users), so the batch size never changes a value;
/// * a run recomputes every user with a record that has no snapshot yet over the user's **full**
///   history (an incremental load that appends records gets the same features as a fresh run), and
///   finds those records with `NOT EXISTS`, never `NOT IN`.
///
/// Time and work grow linearly with rows (a sort per user batch, windows that slide).
public struct FeatureStore {
  public let session: any SQLSession

  public init(session: any SQLSession) {
    self.session = session
  }

  /// The DDL the store executes (and ships: tests read the catalog back).
  public static func ddl(_ dialect: SQLEncoder.Dialect) -> [String] {
    let pg = dialect == .postgres
    return [
      """
      CREATE TABLE IF NOT EXISTS feature_snapshots (
        snapshot_id \(pg ? "BIGSERIAL" : "INTEGER") PRIMARY KEY,
        record_id TEXT\(pg ? " COLLATE \"C\"" : "") NOT NULL\(pg ? "" : " REFERENCES generated_records (record_id) ON DELETE CASCADE"),
        user_id TEXT\(pg ? " COLLATE \"C\"" : "") NOT NULL,
        velocity_24h INTEGER NOT NULL,
        amount_to_avg_ratio_30d \(pg ? "DOUBLE PRECISION" : "REAL") NOT NULL,
        balance_volatility_z_score \(pg ? "DOUBLE PRECISION" : "REAL") NOT NULL,
        experimental_signals \(pg ? "JSONB" : "TEXT CHECK (json_valid(experimental_signals))") NOT NULL,
        computed_at \(pg ? "TIMESTAMP" : "TEXT") NOT NULL
      )
      """,
      "CREATE UNIQUE INDEX IF NOT EXISTS ix_feature_snapshots_record_id ON feature_snapshots (record_id)",
      "CREATE INDEX IF NOT EXISTS ix_feature_snapshots_user_id ON feature_snapshots (user_id)",
      pg
        ? "CREATE INDEX IF NOT EXISTS ix_feature_snapshots_signals ON feature_snapshots USING GIN (experimental_signals)"
        : nil,
      // PostgreSQL: the foreign key is a named constraint so a bulk run can drop it and add it
      // back after loading (one validating scan instead of a lookup per row).
      pg
        ? """
        DO $$ BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = '\(foreignKey)') THEN
            ALTER TABLE feature_snapshots ADD CONSTRAINT \(foreignKey)
              FOREIGN KEY (record_id) REFERENCES generated_records (record_id) ON DELETE CASCADE;
          END IF;
        END $$
        """ : nil,
      // The store's access path: a user's records in time order.
      "CREATE INDEX IF NOT EXISTS ix_generated_records_user_time ON generated_records (user_id, transaction_timestamp)",
    ].compactMap { $0 }
  }

  /// The name of the PostgreSQL foreign key from snapshots to records.
  static let foreignKey = "feature_snapshots_record_id_fkey"

  /// What a bulk run drops before loading and `prepare()` adds back after: every index of
  /// `feature_snapshots` (and the PostgreSQL foreign key).
  static func bulkDrops(_ dialect: SQLEncoder.Dialect) -> [String] {
    let pg = dialect == .postgres
    return [
      pg ? "ALTER TABLE feature_snapshots DROP CONSTRAINT IF EXISTS \(foreignKey)" : nil,
      "DROP INDEX IF EXISTS ix_feature_snapshots_record_id",
      "DROP INDEX IF EXISTS ix_feature_snapshots_user_id",
      pg ? "DROP INDEX IF EXISTS ix_feature_snapshots_signals" : nil,
    ].compactMap { $0 }
  }

  /// Creates the table and indexes if missing (committed).
  public func prepare() throws(DecoyError) {
    for statement in FeatureStore.ddl(session.dialect) { try session.execute(statement) }
    try session.checkpoint()
  }

  /// Records without a snapshot.
  public func pending() throws(DecoyError) -> Int {
    try count(
      "SELECT count(*) FROM generated_records g WHERE NOT EXISTS (SELECT 1 FROM feature_snapshots f WHERE f.record_id = g.record_id)"
    )
  }

  /// What a run did.
  public struct Summary: Sendable, Equatable {
    /// Users whose features were (re)computed.
    public var users = 0
    /// Snapshots written (every record of those users).
    public var records = 0
    public var batches = 0
  }

  /// Computes the features of every user with a record that has no snapshot, over the user's full
  /// history, in batches of whole users of about `batchSize` records (each batch one transaction;
  /// at most `maxBatches` of them). `progress` gets records done and to do.
  public func materialize(
    batchSize: Int = 10_000, maxBatches: Int? = nil,
    progress: (Int, Int) -> Void = { _, _ in }
  ) throws(DecoyError) -> Summary {
    guard batchSize >= 1 else { throw .usage("--batch-size must be at least 1", hint: nil) }
    if let m = maxBatches, m < 1 { throw .usage("--max-batches must be at least 1", hint: nil) }
    try prepare()
    let pg = session.dialect == .postgres
    // Fresh statistics for the planner: right after a bulk load autovacuum has not analysed the
    // records yet, and the batch plans were then 1.5× slower (100,000 users: 39 s against 25 s).
    if pg { try session.execute("ANALYZE generated_records") }
    // Affected users, numbered into batches by the records before them (a user never straddles two).
    try session.execute("DROP TABLE IF EXISTS feature_batches")
    try session.execute(
      """
      CREATE TEMPORARY TABLE feature_batches AS
      SELECT user_id, n, CAST(COALESCE(SUM(n) OVER (ORDER BY user_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS BIGINT) / \(batchSize) AS batch
      FROM (SELECT g.user_id, count(*) AS n FROM generated_records g
            WHERE g.user_id IN (SELECT p.user_id FROM generated_records p
                                WHERE NOT EXISTS (SELECT 1 FROM feature_snapshots f WHERE f.record_id = p.record_id))
            GROUP BY g.user_id) AS u
      """)
    try session.execute("CREATE INDEX feature_batches_batch ON feature_batches (batch\(pg ? "" : ", user_id"))")
    // An empty store loads in bulk: without its indexes and foreign key, built once at the end
    // (PostgreSQL, 943k records, the SQL timed in psql: 48 s with them; 9 s without, + 8 s to
    // build them). Nothing to delete then either. A run that fails midway leaves them dropped;
    // the next run's prepare() builds them first.
    let bulk = try count("SELECT count(*) FROM (SELECT 1 FROM feature_snapshots LIMIT 1) AS s") == 0
    if bulk {
      for statement in FeatureStore.bulkDrops(session.dialect) { try session.execute(statement) }
      try session.checkpoint()
    }
    var summary = Summary()
    summary.users = try count("SELECT count(*) FROM feature_batches")
    let total = try count("SELECT COALESCE(SUM(n), 0) FROM feature_batches")
    // Batch numbers skip where one user holds more than a batch; walk the ones that exist.
    let numbers = try session.queryText("SELECT DISTINCT CAST(batch AS TEXT) FROM feature_batches").compactMap {
      Int($0)
    }.sorted()
    for b in numbers.prefix(maxBatches ?? .max) {
      let users = "SELECT user_id FROM feature_batches WHERE batch = \(b)"
      if !bulk { try session.execute("DELETE FROM feature_snapshots WHERE user_id IN (\(users))") }
      try session.execute(FeatureStore.insertSQL(session.dialect, users: users))
      summary.records += try count("SELECT COALESCE(SUM(n), 0) FROM feature_batches WHERE batch = \(b)")
      summary.batches += 1
      try session.checkpoint()
      progress(summary.records, total)
    }
    try session.execute("DROP TABLE IF EXISTS feature_batches")
    try session.checkpoint()
    if bulk { try prepare() }
    return summary
  }

  private func count(_ sql: String) throws(DecoyError) -> Int { try session.count(sql) }

  /// The features of the records of `users` (a query giving user ids), per §4.7:
  ///
  /// | column | value |
  /// |---|---|
  /// | velocity_24h | rows in (ts − 24 h, ts] |
  /// | amount_to_avg_ratio_30d | n·a / Σa over 30 d (cents), 1.0 when Σa ≤ 0 |
  /// | balance_volatility_z_score | (n·b − Σb) / √(n·(n·Σb² − (Σb)²) / (n − 1)) over 30 d (cents), 0.0 when n < 2 or the spread is 0 |
  /// | signals | velocity_7d, max_amount_30d, off_hours_count_7d, bank_connections_24h, merchant_risk_score |
  ///
  /// Frames are `RANGE BETWEEN <window> PRECEDING AND CURRENT ROW` (inclusive at both ends).
  static func insertSQL(_ dialect: SQLEncoder.Dialect, users: String) -> String {
    let pg = dialect == .postgres
    let cents = { (c: String) in pg ? "round(\(c) * 100)::bigint" : "CAST(round(\(c) * 100) AS INTEGER)" }
    let real = { (x: String) in pg ? "(\(x))::float8" : "CAST(\(x) AS REAL)" }
    let time = pg ? "transaction_timestamp" : "CAST(strftime('%s', transaction_timestamp) AS INTEGER)"
    let range = { (seconds: Int) in
      pg
        ? "RANGE BETWEEN INTERVAL '\(seconds) seconds' PRECEDING AND CURRENT ROW"
        : "RANGE BETWEEN \(seconds) PRECEDING AND CURRENT ROW"
    }
    let json = pg ? "jsonb_build_object" : "json_object"
    let spread = "(n30 * qb - sb * sb)"
    return """
      INSERT INTO feature_snapshots (record_id, user_id, velocity_24h, amount_to_avg_ratio_30d, balance_volatility_z_score, experimental_signals, computed_at)
      SELECT record_id, user_id, v24,
        CASE WHEN sa > 0 THEN \(real("n30 * a")) / \(real("sa")) ELSE 1.0 END,
        CASE WHEN n30 < 2 OR \(spread) <= 0 THEN 0.0
             ELSE \(real("n30 * b - sb")) / sqrt(\(real("n30")) * \(real(spread)) / \(real("n30 - 1"))) END,
        \(json)('velocity_7d', v7, 'max_amount_30d', \(real("ma")) / 100.0, 'off_hours_count_7d', o7,
                'bank_connections_24h', bank_connections_count_24h, 'merchant_risk_score', merchant_risk_score),
        created_at
      FROM (
        SELECT record_id, user_id, created_at, bank_connections_count_24h, merchant_risk_score, a, b,
          COUNT(*) OVER w24 AS v24, COUNT(*) OVER w7 AS v7, SUM(off) OVER w7 AS o7,
          COUNT(*) OVER w30 AS n30, SUM(a) OVER w30 AS sa, MAX(a) OVER w30 AS ma, SUM(b) OVER w30 AS sb, SUM(b * b) OVER w30 AS qb
        FROM (
          SELECT record_id, user_id, created_at, bank_connections_count_24h, merchant_risk_score, \(time) AS t,
            \(cents("amount")) AS a, \(cents("available_balance")) AS b, CASE WHEN is_off_hours_txn THEN 1 ELSE 0 END AS off
          FROM generated_records WHERE user_id IN (\(users))
        ) AS g
        WINDOW w24 AS (PARTITION BY user_id ORDER BY t \(range(86_400))),
               w7 AS (PARTITION BY user_id ORDER BY t \(range(7 * 86_400))),
               w30 AS (PARTITION BY user_id ORDER BY t \(range(30 * 86_400)))
      ) AS w
      """
  }
}
