/// The `claims` table of seed document 000 (specs/healthcare.md §5), in the seed's own form and in
/// Decoy's, which fits the clean enrichment output: `cvv VARCHAR(4)` for Amex, `card_number
/// VARCHAR(19)` for the 4-6-5 Amex grouping, `exp_date CHAR(7)` holding MM/YYYY.
public enum ClaimsDDL {
  public enum Variant: String, Sendable { case decoy, reference }

  /// A column: name, SQL type, and the longest text it holds (nil: not a character type).
  public struct Column: Sendable {
    public let name: String
    public let type: String
    public let maxLength: Int?
    public let constraint: String
  }

  public static func columns(_ variant: Variant) -> [Column] {
    func c(_ n: String, _ t: String, _ len: Int? = nil, _ k: String = "") -> Column {
      Column(name: n, type: t, maxLength: len, constraint: k)
    }
    return [
      c("billing_id", "INTEGER", nil, "PRIMARY KEY"), c("visit_id", "INTEGER", nil, "NOT NULL"),
      c("patient_id", "INTEGER", nil, "NOT NULL"),
      c("billing_date", "DATE", nil, "NOT NULL"), c("insurance_coverage_amount", "NUMERIC", nil, "NOT NULL"),
      c("patient_responsibility_amount", "NUMERIC", nil, "NOT NULL"), c("payment_plan", "VARCHAR(30)", 30),
      c("expected_payment_date", "DATE"), c("actual_payment_date", "DATE"), c("payment_status", "VARCHAR(30)", 30),
      c("total_charge", "NUMERIC", nil, "NOT NULL"), c("name", "VARCHAR(150)", 150), c("date_of_birth", "DATE"),
      c("address", "VARCHAR(250)", 250), c("city", "VARCHAR(100)", 100), c("state", "CHAR(2)", 2),
      c("zipcode", "CHAR(5)", 5),
      c("insurance_provider", "VARCHAR(150)", 150), c("insurance_policy_number", "VARCHAR(60)", 60),
      c("phone_number", "VARCHAR(30)", 30),
      c("ssn_full", "CHAR(11)", 11), c("ssn_last4", "CHAR(11)", 11), c("card_brand", "VARCHAR(20)", 20),
      variant == .decoy ? c("card_number", "VARCHAR(19)", 19) : c("card_number", "CHAR(19)", 19),
      variant == .decoy ? c("cvv", "VARCHAR(4)", 4) : c("cvv", "CHAR(3)", 3),
      c("exp_date", "CHAR(7)", 7),
    ]
  }

  /// `CREATE TABLE` for PostgreSQL or SQLite (both accept these type names).
  public static func create(_ variant: Variant, table: String = "claims") -> String {
    let body = columns(variant).map { "  \($0.name) \($0.type)\($0.constraint.isEmpty ? "" : " " + $0.constraint)" }
      .joined(separator: ",\n")
    return "CREATE TABLE \(table) (\n\(body)\n)"
  }
}
