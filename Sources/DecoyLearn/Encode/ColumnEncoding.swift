import DecoyCore

/// How one learned column maps to and from the synthesizers' variables, as stored in the model:
/// continuous columns as numbers within protected bounds (plus a null indicator when they have
/// nulls); discrete ones as codes of their categories after value protection (specs/learned.md §8).
public struct ColumnEncoding: Sendable, Codable, Equatable {
  /// Index of the column in the sample (and in the output).
  public var column: Int
  public var name: String
  public var kind: ColumnKind
  /// Continuous: protected bounds (the k-th smallest and largest value), digits to round to.
  public var lower: Double?
  public var upper: Double?
  public var digits: Int?
  /// Continuous: the share of nulls (a null indicator variable is learned when > 0).
  public var nullShare: Double
  /// Discrete: category spellings in code order (descending frequency, then first appearance;
  /// ordinal: numeric order). `nil` entries: the null category; the rare category is
  /// ``rareCode``.
  public var categories: [String?]?
  /// The code of the category that stands for every rare value (seen fewer than k times).
  public var rareCode: Int?
  /// Training shares of the codes (for evaluation and the first CART column).
  public var shares: [Double]?
  /// The protection threshold k drawn for the column.
  public var protectK: Int

  /// Whether the column is continuous to the synthesizers.
  public var isContinuous: Bool { kind.isContinuous || (kind == .numerical) }

  /// Number of variables the column contributes (null indicator + value, or one).
  public var variableCount: Int { isContinuous && nullShare > 0 ? 2 : 1 }
}

/// A variable the synthesizers model: continuous values, or codes of `levels` categories.
public struct Variable: Sendable, Codable, Equatable {
  public enum Role: String, Sendable, Codable { case value, isNull }
  /// `levels == 0`: continuous; otherwise discrete with codes 0..<levels.
  public var levels: Int
  /// The learned column (index into the model's encodings) and the variable's role in it.
  public var encoding: Int
  public var role: Role
  public var name: String
  public var isContinuous: Bool { levels == 0 }
}

/// The training table as the synthesizers see it: one array of doubles per variable (codes for
/// discrete variables; NaN in a value variable where its column is null).
public struct TrainingData: Sendable {
  public var variables: [Variable]
  public var values: [[Double]]
  public var rows: Int
  public var encodings: [ColumnEncoding]

  /// The null indicator variable of a value variable, if any.
  public func indicator(of v: Int) -> Int? {
    guard variables[v].role == .value, v > 0, variables[v - 1].role == .isNull,
      variables[v - 1].encoding == variables[v].encoding
    else { return nil }
    return v - 1
  }
}
