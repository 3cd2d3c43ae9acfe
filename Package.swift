// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "seednb",
  products: [
    .executable(name: "seednb", targets: ["seednb"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
  ],
  targets: [
    // The language: no files, no network, no terminal; the host hands it builtins.
    .target(
      name: "SeedLang",
      dependencies: [.product(name: "OrderedCollections", package: "swift-collections")],
      swiftSettings: [
        // The interpreter's hot paths read globals and frames through class references;
        // dynamic exclusivity checks there cost more than the rest of a variable access.
        .unsafeFlags(["-enforce-exclusivity=unchecked"])
      ]
    ),
    .target(
      name: "SeedNotebook",
      dependencies: [
        "SeedLang",
        .product(name: "Yams", package: "Yams"),
        .product(name: "OrderedCollections", package: "swift-collections"),
      ]
    ),
    .executableTarget(
      name: "seednb",
      dependencies: [
        "SeedLang", "SeedNotebook",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "OrderedCollections", package: "swift-collections"),
      ]
    ),
    .testTarget(name: "SeedLangTests", dependencies: ["SeedLang"], resources: [.copy("Fixtures")]),
    .testTarget(name: "SeedNotebookTests", dependencies: ["SeedNotebook"]),
    .testTarget(name: "seednbTests", dependencies: ["seednb"]),
  ],
  swiftLanguageModes: [.v5]
)
