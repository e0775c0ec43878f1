public import DecoyCore
import Foundation

/// Everything a model file says besides its tensors: what was learned, how, from what shape of
/// data. Never rows, row indices, paths, user or host names or clock times.
public struct ModelManifest: Sendable, Codable, Equatable {
  /// The model format's version this build writes and the newest it reads.
  public static let currentVersion = 1
  /// Identifies the learned-synthesis algorithms: a change that alters models or samples bumps it.
  public static let engine = "decoy-learn-1"

  public var version = ModelManifest.currentVersion
  public var engine = ModelManifest.engine
  public var synthesizer: SynthesizerKind
  public var options: FitOptions
  public var seed: UInt64
  /// The table's name (used for output file names; a safe file name).
  public var table: String
  /// SHA-256 (hex) of a canonical encoding of the training rows: identifies the data, reveals nothing.
  public var dataHash: String
  public var rows: Int
  /// Rows held out for evaluation (not learned).
  public var holdoutRows: Int
  public var profiles: [ColumnProfile]
  public var encodings: [ColumnEncoding]
  public var variables: [Variable]
  public var warnings: [String]
}

/// A fitted model: its manifest and its synthesizer.
public struct LearnedModel: Sendable {
  public var manifest: ModelManifest
  public var synthesizer: any FittedSynthesizer

  public init(manifest: ModelManifest, synthesizer: any FittedSynthesizer) {
    self.manifest = manifest
    self.synthesizer = synthesizer
  }

  /// Rebuilds the synthesizer of a manifest from its tensors.
  public static func restore(_ manifest: ModelManifest, _ archive: ModelArchive) throws(DecoyError) -> LearnedModel {
    let s: any FittedSynthesizer
    switch manifest.synthesizer {
    case .gaussianCopula: s = try FittedCopula.load(archive, variables: manifest.variables)
    case .cart: s = try FittedCART.load(archive, variables: manifest.variables, encodings: manifest.encodings)
    }
    // Cross-checks between manifest parts, so that a hand-edited manifest cannot index out of range.
    for v in manifest.variables {
      guard v.encoding >= 0 && v.encoding < manifest.encodings.count else {
        throw ModelArchive.missing("manifest.variables", "is damaged")
      }
      let e = manifest.encodings[v.encoding]
      if v.role == .value && !v.isContinuous && v.levels != (e.categories?.count ?? -1) {
        throw ModelArchive.missing("manifest.encodings", "is damaged")
      }
    }
    for e in manifest.encodings where e.column < 0 || e.column >= manifest.profiles.count {
      throw ModelArchive.missing("manifest.encodings", "is damaged")
    }
    return LearnedModel(manifest: manifest, synthesizer: s)
  }
}
