import Testing
@testable import DecoyCore

@Test func smoke() { #expect(StableHash.string("a") != StableHash.string("b")) }
