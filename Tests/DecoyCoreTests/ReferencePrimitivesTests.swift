import DecoyTestSupport
import Foundation
import Testing

@testable import DecoyCore

/// SHA-256 and CPython's Mersenne Twister, checked against Python's hashlib and random (independent
/// implementations) and against the golden values of specs/healthcare.md §4.7.
@Suite struct ReferencePrimitivesTests {
  func python(_ script: String) throws -> String {
    let (status, out) = try TestPython.run(script, [])
    #expect(status == 0)
    return out
  }

  func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }

  @Test func sha256MatchesHashlibForEveryPaddingCase() throws {
    // Lengths 0…200 cover the one-block limit (55), the two-block boundary (56–64) and several blocks.
    let messages = (0...200).map { n in (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ n) } }
    let ours = messages.map { hex(SHA256.digest($0)) }.joined(separator: "\n")
    let theirs = try python(
      """
      import hashlib
      print('\\n'.join(hashlib.sha256(bytes(((i * 31 + n) & 255) for i in range(n))).hexdigest() for n in range(201)))
      """)
    #expect(ours + "\n" == theirs)
    // FIPS 180-2 example.
    #expect(hex(SHA256.digest(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
  }

  @Test func prefix64IsTheFirstSixteenHexDigits() {
    let v = Array("42|ssn|1".utf8).withUnsafeBytes { SHA256.prefix64($0) }
    #expect(String(v, radix: 16) == "ddf939af003aefec")  // specs/healthcare.md §4.7
    #expect(v % (UInt64(1) << 63 - 1) == 6_771_506_938_514_173_933)
  }

  @Test func pythonRandomMatchesCPython() throws {
    let seeds: [UInt64] = [0, 1, 42, 0xffff_ffff, 0x1_0000_0000, 6_771_506_938_514_173_933, UInt64(1) << 63 - 2]
    var ours: [String] = []
    for s in seeds {
      var r = PythonRandom(seed: s)
      var line: [Int] = []
      for _ in 0..<1_300 { line.append(r.randint(0, 9)) }  // past two full generations of the state
      line.append(r.randint(100, 899))
      line.append(r.randint(1, 99))
      line.append(r.randint(0, 9999))
      line.append(r.randint(5, 5))
      line.append(r.randint(0, 1 << 31))
      ours.append(line.map(String.init).joined(separator: " "))
    }
    let theirs = try python(
      """
      import random
      for s in [\(seeds.map(String.init).joined(separator: ", "))]:
          r = random.Random(s)
          v = [r.randint(0, 9) for _ in range(1300)] + [r.randint(100, 899), r.randint(1, 99), r.randint(0, 9999), r.randint(5, 5), r.randint(0, 1 << 31)]
          print(' '.join(map(str, v)))
      """)
    #expect(ours.joined(separator: "\n") + "\n" == theirs)
  }

  /// specs/healthcare.md §4.7: seed 42, patient 1 → SSN 643-15-8738.
  @Test func goldenSSNOfPatientOne() {
    let s = Array("42|ssn|1".utf8).withUnsafeBytes { SHA256.prefix64($0) } % (UInt64(1) << 63 - 1)
    var r = PythonRandom(seed: s)
    let drawn: [Int] = [r.randint(100, 899), r.randint(1, 99), r.randint(0, 9999)]
    #expect(drawn == [643, 15, 8738])
  }
}
