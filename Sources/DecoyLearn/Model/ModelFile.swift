public import DecoyCore
import Foundation

/// The `.decoymodel` file (specs/learned.md §8): magic `DECOYMDL`, a u32 version, a u32 section
/// count, then sections — the canonical JSON manifest first, then the tensors — each as u32 name
/// length, name, u8 type (0 bytes, 1 f64, 2 i64), u64 element count, the little-endian elements
/// and the SHA-256 of everything in the section before it. Loading checks every length against
/// the bytes left, every hash and the versions, and runs no code.
public enum ModelFile {
  static let magic = Array("DECOYMDL".utf8)

  /// The file's bytes for a model.
  public static func encode(_ model: LearnedModel) throws(DecoyError) -> [UInt8] {
    var archive = ModelArchive()
    model.synthesizer.save(to: &archive)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let manifest: Data
    do { manifest = try encoder.encode(model.manifest) } catch {
      throw .usage("cannot encode the model manifest", hint: nil)
    }
    var out = magic
    append32(UInt32(ModelManifest.currentVersion), &out)
    append32(UInt32(1 + archive.names.count), &out)
    section("manifest", 0, UInt64(manifest.count), Array(manifest), &out)
    for name in archive.names {
      switch archive.tensor(name)! {
      case .f64(let v):
        var bytes: [UInt8] = []
        bytes.reserveCapacity(v.count * 8)
        for d in v { append64(d.bitPattern, &bytes) }
        section(name, 1, UInt64(v.count), bytes, &out)
      case .i64(let v):
        var bytes: [UInt8] = []
        bytes.reserveCapacity(v.count * 8)
        for d in v { append64(UInt64(bitPattern: d), &bytes) }
        section(name, 2, UInt64(v.count), bytes, &out)
      }
    }
    return out
  }

  static func section(_ name: String, _ type: UInt8, _ count: UInt64, _ data: [UInt8], _ out: inout [UInt8]) {
    let start = out.count
    append32(UInt32(name.utf8.count), &out)
    out.append(contentsOf: name.utf8)
    out.append(type)
    append64(count, &out)
    out.append(contentsOf: data)
    out.append(contentsOf: SHA256.digest(Array(out[start...])))
  }

  static func append32(_ v: UInt32, _ out: inout [UInt8]) {
    for k in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * k))) }
  }
  static func append64(_ v: UInt64, _ out: inout [UInt8]) {
    for k in 0..<8 { out.append(UInt8(truncatingIfNeeded: v >> (8 * k))) }
  }

  /// Reads and checks a model file.
  public static func read(_ path: String) throws(DecoyError) -> (model: LearnedModel, bytes: [UInt8]) {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .io(path: path, reason: "cannot read the model file", hint: "check the path")
    }
    let bytes = [UInt8](data)
    return (try decode(bytes, path: path), bytes)
  }

  /// Parses a model file's bytes; every problem is a clear error naming the file.
  public static func decode(_ b: [UInt8], path: String) throws(DecoyError) -> LearnedModel {
    func bad(_ reason: String, _ hint: String = "the file is damaged or not a Decoy model; fit the model again")
      -> DecoyError
    { .io(path: path, reason: reason, hint: hint) }
    guard b.count >= 16, Array(b[0..<8]) == magic else { throw bad("not a Decoy model file (no DECOYMDL header)") }
    var p = 8
    /// The next `width`-byte little-endian integer.
    func integer(_ width: Int) throws(DecoyError) -> UInt64 {
      guard p + width <= b.count else { throw bad("the model file is truncated") }
      var v: UInt64 = 0
      for k in 0..<width { v |= UInt64(b[p + k]) << (8 * k) }
      p += width
      return v
    }
    func u32() throws(DecoyError) -> UInt32 { UInt32(try integer(4)) }
    func u64() throws(DecoyError) -> UInt64 { try integer(8) }
    let version = try u32()
    if version > UInt32(ModelManifest.currentVersion) {
      throw bad(
        "the model was written by a newer Decoy (model format \(version); this build reads up to \(ModelManifest.currentVersion))",
        "use the Decoy version that fitted it, or upgrade")
    }
    guard version >= 1 else { throw bad("unknown model format version \(version)") }
    let sections = try u32()
    guard sections >= 1, Int(sections) <= b.count / 45 else { throw bad("the section count is implausible") }
    var manifest: ModelManifest?
    var archive = ModelArchive()
    for s in 0..<Int(sections) {
      let start = p
      let nameLength = Int(try u32())
      guard nameLength <= 256, p + nameLength <= b.count else { throw bad("the model file is truncated") }
      let name = String(decoding: b[p..<(p + nameLength)], as: UTF8.self)
      p += nameLength
      guard p < b.count else { throw bad("the model file is truncated") }
      let type = b[p]
      p += 1
      let count = try u64()
      let width: UInt64 = type == 0 ? 1 : 8
      guard type <= 2, count <= UInt64(b.count - p) / width else {
        throw bad("section '\(name)' claims more data than the file holds")
      }
      let end = p + Int(count * width)
      guard end + 32 <= b.count else { throw bad("the model file is truncated") }
      let digest = SHA256.digest(Array(b[start..<end]))
      guard digest == Array(b[end..<(end + 32)]) else { throw bad("section '\(name)' fails its SHA-256 check") }
      if s == 0 {
        guard name == "manifest", type == 0 else { throw bad("the manifest section is missing") }
        do {
          manifest = try JSONDecoder().decode(ModelManifest.self, from: Data(b[p..<end]))
        } catch {
          throw bad("the manifest cannot be read")
        }
      } else {
        guard archive.tensor(name) == nil else { throw bad("section '\(name)' appears twice") }
        let n = Int(count)
        if type == 1 {
          archive.put(name, .f64((0..<n).map { i in Double(bitPattern: word(b, p + 8 * i)) }))
        } else if type == 2 {
          archive.put(name, .i64((0..<n).map { i in Int64(bitPattern: word(b, p + 8 * i)) }))
        } else {
          throw bad("section '\(name)' has an unknown type")
        }
      }
      p = end + 32
    }
    guard p == b.count else { throw bad("the model file has bytes after its last section") }
    guard let manifest else { throw bad("the manifest section is missing") }
    guard manifest.engine == ModelManifest.engine else {
      throw bad(
        "the model was fitted by another learned-synthesis engine (\(manifest.engine))", "fit it again with this Decoy")
    }
    do {
      return try LearnedModel.restore(manifest, archive)
    } catch {
      throw bad(error.message)
    }
  }

  @inline(__always)
  static func word(_ b: [UInt8], _ p: Int) -> UInt64 {
    var v: UInt64 = 0
    for k in 0..<8 { v |= UInt64(b[p + k]) << (8 * k) }
    return v
  }

  /// Lower-case hex of bytes.
  public static func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for x in bytes {
      out.append(digits[Int(x >> 4)])
      out.append(digits[Int(x & 15)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}
