public import DecoyCore
import DecoyIO

/// `decoy fraud stats`: what a seeded fraud database holds — records, users, observed fraud at record
/// and at user level, per typology, and the train/evaluation split of the metadata.
public struct FraudStats: Sendable {
  public var total = 0
  public var users = 0
  public var fraudulentRecords = 0
  public var fraudulentUsers = 0
  public var byType: [(type: String, records: Int)] = []
  public var metadata = 0
  public var trainEligible = 0
  /// Metadata rows kept for evaluation only.
  public var evaluationOnly: Int { metadata - trainEligible }

  static let summarySQL = """
    SELECT (SELECT count(*) FROM generated_records) || '|' || (SELECT count(DISTINCT user_id) FROM generated_records) || '|' ||
      (SELECT count(*) FROM generated_records WHERE is_fraudulent) || '|' ||
      (SELECT count(DISTINCT user_id) FROM generated_records WHERE is_fraudulent) || '|' ||
      (SELECT count(*) FROM evaluation_metadata) || '|' || (SELECT count(*) FROM evaluation_metadata WHERE is_train_eligible)
    """
  /// What `seed` prints at the end: no distinct-user counts (the dearest part of summarySQL).
  static let countsSQL = """
    SELECT (SELECT count(*) FROM generated_records) || '|' ||
      (SELECT count(*) FROM evaluation_metadata) || '|' || (SELECT count(*) FROM evaluation_metadata WHERE is_train_eligible)
    """
  static let typesSQL = """
    SELECT fraud_type || '|' || count(*) FROM generated_records WHERE fraud_type IS NOT NULL GROUP BY fraud_type ORDER BY fraud_type
    """

  /// Reads the figures through `query` (one text column per row); with `full` false only the
  /// record, metadata and train-eligible counts.
  public static func read(full: Bool = true, _ query: (String) throws(DecoyError) -> [String]) throws(DecoyError)
    -> FraudStats
  {
    var s = FraudStats()
    if !full {
      let f = (try query(countsSQL)).first?.split(separator: "|").compactMap { Int($0) } ?? []
      guard f.count == 3 else {
        throw .usage("the database does not hold fraud tables", hint: "run `decoy fraud seed` first")
      }
      (s.total, s.metadata, s.trainEligible) = (f[0], f[1], f[2])
      return s
    }
    let f = (try query(summarySQL)).first?.split(separator: "|").compactMap { Int($0) } ?? []
    guard f.count == 6 else {
      throw .usage("the database does not hold fraud tables", hint: "run `decoy fraud seed` first")
    }
    (s.total, s.users, s.fraudulentRecords, s.fraudulentUsers, s.metadata, s.trainEligible) = (
      f[0], f[1], f[2], f[3], f[4], f[5]
    )
    s.byType = try query(typesSQL).compactMap { line in
      let p = line.split(separator: "|")
      return p.count == 2 ? (String(p[0]), Int(p[1]) ?? 0) : nil
    }
    return s
  }

  /// Lines for people, as the reference prints them, plus the user-level rate.
  public var lines: [String] {
    func pct(_ a: Int, _ b: Int) -> String {
      b == 0 ? "0.00" : ValueFormatter.fixed(Double(a) * 100 / Double(b), digits: 2)!
    }
    var out = [
      "Total records: \(total)", "Unique users: \(users)", "Legitimate records: \(total - fraudulentRecords)",
      "Fraudulent records: \(fraudulentRecords)", "Fraud rate (records): \(pct(fraudulentRecords, total)) %",
      "Fraud rate (users): \(pct(fraudulentUsers, users)) %",
    ]
    out += byType.map { "  \($0.type): \($0.records)" }
    out += ["Metadata records: \(metadata)", "Train-eligible: \(trainEligible)", "Evaluation-only: \(evaluationOnly)"]
    return out
  }
}
