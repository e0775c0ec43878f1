public import DecoyCore

/// The synthesizers Decoy can fit. CTGAN and others slot in as further cases with their own
/// ``FittedSynthesizer``.
public enum SynthesizerKind: String, Sendable, Codable, CaseIterable {
  /// Sequential CART after synthpop (the default: best on small and medium tables).
  case cart
  /// Gaussian copula with empirical-quantile marginals.
  case gaussianCopula = "gaussian-copula"
}

/// Reports fitting progress: a step name, steps done and the total.
public typealias FitProgress = @Sendable (_ step: String, _ done: Int, _ total: Int) -> Void

/// A fitted model of the variables of a ``TrainingData``: draws synthetic variables for any rows.
///
/// `sample` must be a pure function of (model, stream, row index): a row never depends on the
/// batch it is drawn in, the thread drawing it or other rows, so shards and thread counts cannot
/// change output.
public protocol FittedSynthesizer: Sendable {
  /// Fills `out[v][k]` with variable `v` of row `rows.lowerBound + k`.
  func sample(rows: Range<UInt64>, stream: RandomStream, into out: inout [[Double]])
  /// Writes the model's parameters (manifest entries and tensors).
  func save(to archive: inout ModelArchive)
}

/// Fitting options shared by the synthesizers.
public struct FitOptions: Sendable, Codable, Equatable {
  /// CART: the minimum leaf size (nil: 20 for at least 100 rows, else max(5, n/5)).
  public var minLeaf: Int?
  /// CART: draw numeric values between two neighbouring leaf donors instead of replaying one.
  public var smoothing = true
  /// CART: the deepest a tree grows.
  public var maxDepth = 30
  /// Threads for fitting (never changes the model, so it is not stored in it).
  public var threads = 1

  enum CodingKeys: String, CodingKey { case minLeaf, smoothing, maxDepth }

  public init() {}

  /// The minimum leaf size for `n` training rows.
  public func leaf(for n: Int) -> Int { minLeaf ?? (n >= 100 ? 20 : max(5, n / 5)) }
}
