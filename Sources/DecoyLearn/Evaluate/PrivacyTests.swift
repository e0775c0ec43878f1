/// Which privacy tests `decoy evaluate` runs.
public enum PrivacyTests: String, Sendable, CaseIterable {
  /// Exact matches, DCR protections and the distance-based membership test: quick, but distances
  /// alone never show that data is private (the report says so).
  case basic
  /// Also the anonymeter-style singling-out, linkability and inference attacks.
  case attacks
}
