// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
  name: "Decoy",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "DecoyCore", targets: ["DecoyCore"]),
    .library(name: "DecoyIO", targets: ["DecoyIO"]),
    .library(name: "DecoyLearn", targets: ["DecoyLearn"]),
    .library(name: "DecoyKit", targets: ["DecoyKit"]),
    .executable(name: "decoy", targets: ["decoy"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
  ],
  targets: [
    // Our own C: SIMD and SHA-extension kernels Swift cannot express (ARCHITECTURE.md, "Kernels").
    .target(name: "CDecoyKernels", cSettings: [.unsafeFlags(["-O3"])]),
    .target(
      name: "DecoyCore",
      dependencies: ["CDecoyKernels", .product(name: "Yams", package: "Yams")],
      swiftSettings: strict),
    .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
    .target(
      name: "DecoyIO",
      dependencies: [
        "DecoyCore", "CDecoyKernels", "CZlib", .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "GRDBSQLite", package: "GRDB.swift"), .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
      ],
      swiftSettings: strict),
    .target(name: "DecoyScenarios", dependencies: ["DecoyCore"], swiftSettings: strict),
    .target(name: "DecoyLearn", dependencies: ["DecoyCore"], swiftSettings: strict),
    .target(
      name: "DecoyKit", dependencies: ["DecoyCore", "DecoyIO", "DecoyScenarios", "DecoyLearn"], swiftSettings: strict),
    .executableTarget(
      name: "decoy",
      dependencies: [
        "DecoyKit", "DecoyScenarios", "DecoyLearn", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strict),
    .target(
      name: "DecoyTestSupport", dependencies: ["DecoyCore"], path: "Tests/DecoyTestSupport", swiftSettings: strict),
    .testTarget(name: "DecoyCoreTests", dependencies: ["DecoyCore", "DecoyTestSupport"], swiftSettings: strict),
    .testTarget(
      name: "DecoyIOTests", dependencies: ["DecoyIO", "DecoyKit", "DecoyTestSupport"],
      resources: [.copy("Golden")], swiftSettings: strict),
    .testTarget(
      name: "DecoyKitTests",
      dependencies: ["DecoyKit", "DecoyIO", "DecoyScenarios", "DecoyLearn", "DecoyTestSupport", "decoy"],
      swiftSettings: strict),
  ],
  swiftLanguageModes: [.v6]
)
