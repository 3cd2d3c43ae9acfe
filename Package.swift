// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "seednb",
  products: [
    .executable(name: "seednb", targets: ["seednb"]),
    .executable(name: "openai-loopback", targets: ["openai-loopback"]),
    // Fuzzing entry points, for the libFuzzer executables of fuzz/Package.swift.
    .library(name: "SeedFuzzing", targets: ["SeedFuzzing"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
  ],
  targets: [
    // The language: no files, no network, no terminal; the host hands it builtins.
    // JSON text to and from a value tree; shared by the language and the LLM client.
    .target(name: "SeedJSON"),
    // Which of sixteen bytes pass a test, as bits (PMOVMSKB), for SeedLang's text loops.
    .target(name: "CByteMask"),
    .target(
      name: "SeedLang",
      dependencies: ["SeedJSON", "CByteMask"],
      // Embedded as CoreLibrary+Source.swift by scripts/embed-core-library.
      exclude: ["Builtins/CoreLibrary.seed"]
    ),
    // libcurl, loaded with dlopen on the first request rather than linked (see CCurl.h).
    .target(name: "CCurl"),
    .systemLibrary(
      name: "CMark",
      providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
    ),
    .systemLibrary(
      name: "CEditLine",
      providers: [.apt(["libedit-dev"])]
    ),
    // SHA-256 from libmd, a system library: the keys of the cache and of the remote cache.
    .systemLibrary(name: "CMessageDigest", providers: [.apt(["libmd-dev"])]),
    // glibc's malloc.h, to tune the allocator when seednb starts.
    .systemLibrary(name: "CMalloc"),
    // OpenAI-compatible HTTP over one libcurl multi handle; knows nothing of the language.
    .target(name: "SeedLLM", dependencies: ["CCurl", "SeedJSON"]),
    // Bazel's HTTP cache protocol (ac/cas) over SeedLLM's transport: recorded answers shared
    // through a remote cache, verified on read.
    .target(name: "SeedRemoteCache", dependencies: ["SeedLLM", "CMessageDigest"]),
    .target(
      name: "SeedNotebook",
      dependencies: [
        "SeedLang", "SeedLLM", "SeedJSON", "SeedRemoteCache",
        .product(name: "Yams", package: "Yams"),
        .product(name: "OrderedCollections", package: "swift-collections"),
        .product(name: "GRDB", package: "GRDB.swift"),
      ]
    ),
    // Markdown and self-contained HTML reports from a notebook's stored results.
    .target(name: "SeedRender", dependencies: ["SeedLang", "SeedNotebook", "SeedJSON", "CMark"]),
    // The interactive REPL: libedit line editing, completion, history, meta-commands.
    .target(name: "SeedREPL", dependencies: ["SeedLang", "SeedNotebook", "SeedLLM", "CEditLine"]),
    .executableTarget(
      name: "seednb",
      dependencies: [
        "SeedLang", "SeedNotebook", "SeedLLM", "SeedREPL", "SeedRender", "SeedRemoteCache", "CMalloc",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "OrderedCollections", package: "swift-collections"),
      ]
    ),
    // A deterministic OpenAI-compatible server on loopback, with fault injection, for tests
    // and benchmarks.
    .target(name: "LoopbackOpenAI", dependencies: ["SeedJSON"]),
    .executableTarget(name: "openai-loopback", dependencies: ["LoopbackOpenAI"]),
    // nginx with WebDAV on loopback as a remote cache, and a listener that never answers,
    // for tests and benchmarks.
    .target(name: "LoopbackWebDAV"),
    // One entry point per fuzz target, driving the real readers and interpreter with bytes;
    // scripts/fuzz links them into libFuzzer executables, the tests replay what they found.
    .target(name: "SeedFuzzing", dependencies: ["SeedLang", "SeedNotebook", "SeedLLM", "SeedJSON"]),
    .testTarget(name: "SeedLangTests", dependencies: ["SeedLang"], resources: [.copy("Fixtures")]),
    .testTarget(name: "SeedNotebookTests", dependencies: ["SeedNotebook", "LoopbackOpenAI"]),
    .testTarget(name: "SeedLLMTests", dependencies: ["SeedLLM", "LoopbackOpenAI"]),
    .testTarget(name: "SeedRemoteCacheTests", dependencies: ["SeedRemoteCache", "SeedLLM", "LoopbackWebDAV"]),
    .testTarget(name: "SeedFuzzingTests", dependencies: ["SeedFuzzing"], resources: [.copy("Fixtures")]),
    .testTarget(name: "seednbTests", dependencies: ["seednb", "LoopbackOpenAI", "LoopbackWebDAV"]),
    .testTarget(name: "SeedREPLTests", dependencies: ["SeedREPL", "SeedLLM", "SeedLang", "seednb", "LoopbackOpenAI"]),
    .testTarget(
      name: "SeedRenderTests", dependencies: ["SeedRender", "SeedNotebook", "SeedLang", "LoopbackOpenAI"],
      resources: [.copy("Golden")]),
  ],
  swiftLanguageModes: [.v5]
)
