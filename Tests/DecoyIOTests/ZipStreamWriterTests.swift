import DecoyTestSupport
import Foundation
import Testing

@testable import DecoyCore
@testable import DecoyIO

/// The zip container, read back by Python's zipfile (an independent implementation).
@Suite struct ZipStreamWriterTests {
  func archive(limit32: UInt64, limit16: Int) throws -> (bytes: [UInt8], entries: [(String, [UInt8])]) {
    let sink = MemorySink()
    let zip = ZipStreamWriter(sink: sink, level: 1, limit32: limit32, limit16: limit16)
    var state: UInt64 = 3
    let noise: [UInt8] = (0..<6000).map { _ in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt8(truncatingIfNeeded: state >> 40)
    }
    let entries: [(String, [UInt8])] = [
      ("small.txt", Array("hello".utf8)),
      ("noise.bin", noise),  // incompressible: compressed size over the lowered limit too
      ("dir/repeat.xml", Array(String(repeating: "<row r=\"1\"/>", count: 400).utf8)),
    ]
    for (name, data) in entries {
      try zip.begin(name)
      try zip.write(Array(data[..<(data.count / 2)]))
      try zip.write(Array(data[(data.count / 2)...]))
    }
    try zip.finish()
    try sink.commit()
    return (sink.bytes, entries)
  }

  func readBack(_ bytes: [UInt8]) throws -> (status: Int32, output: String) {
    let dir = NSTemporaryDirectory() + "decoy-zip-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Data(bytes).write(to: URL(fileURLWithPath: dir + "/a.zip"))
    return try TestPython.run(
      """
      import zipfile, sys, hashlib
      z = zipfile.ZipFile(sys.argv[1])
      assert z.testzip() is None
      for i in z.infolist():
          print(i.filename, i.file_size, hashlib.sha256(z.read(i)).hexdigest(), int(i.header_offset > 0xffffffff or i.file_size > 0xffffffff))
      """, [dir + "/a.zip"])
  }

  func expected(_ entries: [(String, [UInt8])]) -> String {
    // What the reader must print: name, size and the SHA-256 of the bytes written (our SHA-256,
    // itself checked against hashlib in DecoyCoreTests).
    entries.map { (name, data) in
      "\(name) \(data.count) \(SHA256.digest(data).map { String(format: "%02x", $0) }.joined()) 0"
    }.joined(separator: "\n") + "\n"
  }

  @Test func classicArchiveReadsBack() throws {
    let (bytes, entries) = try archive(limit32: UInt64(UInt32.max), limit16: Int(UInt16.max))
    let (status, out) = try readBack(bytes)
    #expect(status == 0)
    #expect(out == expected(entries))
  }

  /// With the 4 GiB and 65,535-entry limits lowered to 100 bytes and 2 entries, every ZIP64 path
  /// runs (8-byte descriptors, extra fields for sizes and offsets, the ZIP64 end records) on a
  /// small archive, and an independent reader still gets every byte back.
  @Test func zip64ArchiveReadsBack() throws {
    let (bytes, entries) = try archive(limit32: 100, limit16: 2)
    let (status, out) = try readBack(bytes)
    #expect(status == 0, "\(out)")
    #expect(out == expected(entries))
    let tail = Array(bytes.suffix(22 + 20 + 56))
    #expect(
      tail.starts(with: [0x50, 0x4b, 0x06, 0x06]), "ZIP64 end record before the locator and the classic end record")
  }
}
