/// Names that end up in file names inside an output directory (a dataset's, a table's), and the one
/// way output paths are built from them, so that no value from a spec, a sample table or a request
/// can steer a file outside the directory the user chose.
public enum OutputName {
  /// Longest name, in bytes (file systems allow 255 for the whole file name, suffixes included).
  public static let maxLength = 100

  /// Whether `name` can stand as a file name's stem: 1 to ``maxLength`` ASCII letters, digits, `_`
  /// and `-`, starting with a letter, a digit or `_` (so never `.`, `..`, a hidden file, a path
  /// separator or an option-like `-x`).
  public static func isSafe(_ name: String) -> Bool {
    let u = name.utf8
    guard let first = u.first, u.count <= maxLength, first != UInt8(ascii: "-") else { return false }
    return u.allSatisfy { b in
      b == UInt8(ascii: "_") || b == UInt8(ascii: "-") || (b >= 48 && b <= 57) || (b | 0x20 >= 97 && b | 0x20 <= 122)
    }
  }

  /// The rule of ``isSafe(_:)`` in words, for hints.
  public static let rule = "use 1 to 100 letters, digits, _ and - (not starting with -)"

  /// `directory/stem<suffix>`: the path of an output file, refused (as a usage error naming what
  /// the stem came from) unless `stem` is safe. `suffix` is Decoy's own (`.part1of3.csv`), never
  /// a user's value; it must not contain a `/`.
  public static func path(in directory: String, stem: String, suffix: String, what: String) throws(DecoyError)
    -> String
  {
    guard isSafe(stem), !suffix.utf8.contains(UInt8(ascii: "/")) else {
      throw .usage("\(what) is not a safe file name, so it cannot name an output file", hint: rule)
    }
    let dir = directory.isEmpty ? "./" : directory.hasSuffix("/") ? directory : directory + "/"
    return dir + stem + suffix
  }
}
