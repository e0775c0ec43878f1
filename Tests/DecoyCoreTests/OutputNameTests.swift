import DecoyTestSupport
import Testing

@testable import DecoyCore

/// Output file names: no name from a spec or a table can lead outside the output directory.
@Suite struct OutputNameTests {
  @Test func namesThatCouldLeaveTheDirectoryAreRefused() {
    for bad in [
      "", ".", "..", "../x", "../../escaped", "a/b", "/etc/passwd", "-rf", "a\u{0}b", ".hidden", "a b", "é",
      "a\\b", String(repeating: "a", count: 101), "x/..", "~",
    ] {
      #expect(!OutputName.isSafe(bad), "\(bad) passed")
      #expect(throws: DecoyError.self) { try OutputName.path(in: "out", stem: bad, suffix: ".csv", what: "the name") }
    }
    for good in ["people", "claims-breach", "t_1", "_x", "0", String(repeating: "a", count: 100)] {
      #expect(OutputName.isSafe(good), "\(good) refused")
    }
    #expect(throws: DecoyError.self) { try OutputName.path(in: "out", stem: "ok", suffix: "/../x", what: "the name") }
  }

  @Test func everySafeNameStaysDirectlyInsideTheDirectory() throws {
    // Random names over an alphabet rich in path syntax: whatever passes must give a path whose
    // last component is the name and whose parent is the directory itself.
    let alphabet = Array("ab_-./\\~ \u{0}é9")
    var rng = SplitMix64(seed: 15)
    var accepted = 0
    for _ in 0..<20_000 {
      let n = Int(rng.next() % 6)
      let name = String((0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
      for dir in ["out", "out/", "/tmp/x", "", "/"] {
        guard let path = try? OutputName.path(in: dir, stem: name, suffix: ".csv", what: "the name") else { continue }
        accepted += 1
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        #expect(components.last.map(String.init) == name + ".csv", "\(path)")
        #expect(!components.dropLast().contains { $0 == ".." || $0 == "." && dir != "" }, "\(path)")
        let parent = components.dropLast().joined(separator: "/")
        let expected = dir.isEmpty ? "." : dir.hasSuffix("/") ? String(dir.dropLast()) : dir
        #expect(parent == expected, "\(dir) + \(name) → \(path)")
      }
    }
    #expect(accepted > 1_000)
  }
}
