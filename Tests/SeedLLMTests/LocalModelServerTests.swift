import Foundation
import SeedLLM
import XCTest

/// The local backend's server: what it says when it is missing or cannot start, and, with the
/// real model installed, that it answers, fingerprints, and stops.
final class LocalModelServerTests: XCTestCase {
  var folder: URL!

  override func setUpWithError() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("seednb-local-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: folder)
  }

  /// The real installation, or a skip (a failure when the suite requires it).
  static func installedModel() throws -> LocalModelServer.Installation {
    let installation = LocalModelServer.Installation.standard()
    if !installation.missing.isEmpty {
      let message = "the local model is not installed (run scripts/setup-local-model): missing \(installation.missing)"
      if ProcessInfo.processInfo.environment["SEEDNB_REQUIRE_LOCAL_MODEL"] == "1" {
        XCTFail(message)
      }
      throw XCTSkip(message)
    }
    return installation
  }

  func testAMissingInstallationSaysWhatToRun() {
    let server = LocalModelServer(installation: .init(folder: folder))
    XCTAssertThrowsError(try server.start()) { error in
      let text = "\(error)"
      XCTAssertTrue(text.hasPrefix("the local model is not installed (missing \(folder.path)/venv/bin/python"), text)
      XCTAssertTrue(text.contains("run scripts/setup-local-model"), text)
    }
  }

  func testAServerThatDiesWhileStartingNamesItsLog() throws {
    // A stand-in interpreter that fails as a broken venv would.
    let installation = LocalModelServer.Installation(folder: folder)
    for path in [installation.launcher, installation.model, installation.modelChecksum] {
      try FileManager.default.createDirectory(
        at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
      XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data("x".utf8)))
    }
    try FileManager.default.createDirectory(
      at: URL(fileURLWithPath: installation.python).deletingLastPathComponent(), withIntermediateDirectories: true)
    XCTAssertTrue(
      FileManager.default.createFile(
        atPath: installation.python, contents: Data("#!/bin/sh\necho 'ImportError: no module named llama_cpp' >&2\nexit 3\n".utf8),
        attributes: [.posixPermissions: 0o755]))
    let server = LocalModelServer(installation: installation, startTimeout: 20)
    XCTAssertThrowsError(try server.start()) { error in
      let text = "\(error)"
      XCTAssertTrue(text.hasPrefix("the local model server exited with status 3 while starting; its log is \(installation.log):"), text)
      XCTAssertTrue(text.contains("ImportError: no module named llama_cpp"), text)
    }
  }

  func testTheRealServerAnswersWithAFingerprintAndStops() throws {
    let installation = try LocalModelServerTests.installedModel()
    let server = LocalModelServer(installation: installation)
    let url = try server.start()
    XCTAssertEqual(try server.start(), url, "a second start finds it running")
    let client = OpenAIClient(configuration: .init(baseURL: url, apiKey: nil))
    var request = ChatRequest(model: "gpt-4o-mini", messages: [ChatMessage(role: "user", content: "Say hello.")])
    request.seed = 7
    request.maxTokens = 8
    let first = try client.chat(request).body
    let second = try client.chat(request).body
    XCTAssertEqual(first.model, LocalModelServer.chatModel)
    XCTAssertTrue(first.systemFingerprint?.hasPrefix("fp_") ?? false, "\(String(describing: first.systemFingerprint))")
    XCTAssertEqual(first.choices[0].message?.content, second.choices[0].message?.content, "same seed, same answer")
    let embeddings = try client.embeddings(EmbeddingRequest(model: "text-embedding-3-small", input: ["a", "b", "a"])).body
    XCTAssertEqual(embeddings.data.count, 3)
    XCTAssertEqual(embeddings.data[0].embedding.count, 640, "one pooled vector per input, not one per token")
    XCTAssertEqual(embeddings.data[0].embedding, embeddings.data[2].embedding, "the same text gives the same vector")
    server.stop()
    XCTAssertThrowsError(try HTTPTransport.shared.perform(HTTPRequest(method: "GET", url: url + "/models", connectTimeout: 1, timeout: 2)))
  }

  func testTheFingerprintChangesWithModelVersionAndSettings() throws {
    let installation = try LocalModelServerTests.installedModel()
    let script = """
      import sys; sys.path.insert(0, sys.argv[1]); import server
      print(server.fingerprint("a" * 64, {"n_ctx": 2048}))
      print(server.fingerprint("b" * 64, {"n_ctx": 2048}))
      print(server.fingerprint("a" * 64, {"n_ctx": 4096}))
      print(server.fingerprint("a" * 64, {"n_ctx": 2048}))
      server.llama_cpp.__version__ = "0.0.0-other"
      print(server.fingerprint("a" * 64, {"n_ctx": 2048}))
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: installation.python)
    process.arguments = ["-c", script, installation.folder.path]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    let prints = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n")
    XCTAssertEqual(prints.count, 5)
    guard prints.count == 5 else { return }
    XCTAssertEqual(prints[0], prints[3], "the same identity gives the same fingerprint")
    XCTAssertEqual(Set(prints[0...2] + [prints[4]]).count, 4, "model hash, settings and server version each change it")
  }
}
