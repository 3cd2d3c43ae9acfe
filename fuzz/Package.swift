// swift-tools-version:6.0
// The libFuzzer executables, one per target of SeedFuzzing. A package of their own, because
// they link only when every module is built with `-sanitize=fuzzer`; scripts/fuzz builds them.
import Foundation
import PackageDescription

// A path dependency is named by its folder, which is whatever the checkout is called.
let seednb = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let targets = ["language", "notebook", "interpreter", "responses"]

let package = Package(
  name: "seednb-fuzz",
  dependencies: [.package(path: seednb.path)],
  targets: [
    .target(
      name: "LibFuzzerDriver",
      dependencies: [.product(name: "SeedFuzzing", package: seednb.lastPathComponent)]
    )
  ]
    + targets.map { target in
      .executableTarget(
        name: "fuzz-\(target)",
        dependencies: ["LibFuzzerDriver"],
        // libFuzzer's own `main` is replaced by the executable's, which gold cannot link.
        linkerSettings: [.unsafeFlags(["-use-ld=lld"])]
      )
    },
  swiftLanguageModes: [.v5]
)
