import Foundation
import LoopbackOpenAI
import LoopbackWebDAV
import XCTest

/// The remote cache through the built `seednb`, against a real nginx with WebDAV on loopback
/// and the loopback OpenAI server: two folders stand for two machines, one records, the other
/// replays `--frozen` with the LLM server stopped; tampered blobs; a remote that is down,
/// silent or answering 500; two runs uploading at once; push and pull; and neither the API
/// key nor the remote's token anywhere under the remote's root or in what was printed.
final class RemoteCacheCommandTests: XCTestCase {
  static let apiKey = "sk-remote-LEAKCHECK-7e1d93b2c4"
  static let token = "tok-remote-LEAKCHECK-5a8c0f6e21"

  var folder: URL!
  var server: LoopbackOpenAIServer!
  var nginx: NginxWebDAV!
  var printed: [String] = []

  override func setUpWithError() throws {
    guard NginxWebDAV.executable != nil else {
      let message = "nginx is not installed (apt-get install nginx, or run scripts/test); remote cache test skipped"
      if ProcessInfo.processInfo.environment["SEEDNB_REQUIRE_NGINX"] == "1" { XCTFail(message) }
      throw XCTSkip(message)
    }
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("seednb-remote-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var options = LoopbackOpenAIServer.Options()
    options.requiredKey = RemoteCacheCommandTests.apiKey
    server = LoopbackOpenAIServer(options: options)
    try server.start()
    nginx = try NginxWebDAV(token: RemoteCacheCommandTests.token)
    try nginx.start()
  }

  override func tearDownWithError() throws {
    server?.stop()
    nginx?.stop()
    if let folder { try? FileManager.default.removeItem(at: folder) }
  }

  /// The remote, behind its token.
  var remote: String { nginx.baseURL + "/private/" }

  /// A machine: a folder holding a copy of the cookbook notebook, and nothing else.
  func machine(_ name: String) throws -> String {
    let directory = folder.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let notebook = directory.appendingPathComponent("reproducible-outputs.seednb")
    try FileManager.default.copyItem(at: repository.appendingPathComponent("notebooks/reproducible-outputs.seednb"), to: notebook)
    return notebook.path
  }

  /// Runs seednb with the openai backend: the LLM server's URL and key when `llm`, else an
  /// endpoint where nothing listens and no key at all; the remote's token in its variable.
  func seednb(_ arguments: [String], llm: Bool = true, extra: [String: String?] = [:]) throws -> CommandLineTests.Outcome {
    var environment: [String: String?] = [
      "OPENAI_BASE_URL": llm ? server.baseURL : "http://127.0.0.1:9/v1", "OPENAI_API_KEY": llm ? RemoteCacheCommandTests.apiKey : nil,
      "SEEDNB_REMOTE_CACHE_TOKEN_ENV": "SEEDNB_TEST_CACHE_TOKEN", "SEEDNB_TEST_CACHE_TOKEN": RemoteCacheCommandTests.token,
      "SEEDNB_MAX_RETRIES": "0", "NO_COLOR": "1", "SEEDNB_REMOTE_CACHE": nil,
    ]
    for (key, value) in extra { environment[key] = value }
    let backend = ["run", "check", "repl"].contains(arguments.first ?? "") ? ["--backend", "openai"] : []
    let outcome = try CommandLineTests.run(arguments + backend, in: folder, environment: environment)
    printed += [outcome.stdout, outcome.stderr]
    return outcome
  }

  /// The outputs of the cells, without the headers (whose status differs between a live run
  /// and a replay) and the summary.
  static func outputs(_ outcome: CommandLineTests.Outcome) -> String {
    outcome.cells.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("── ") }.joined(separator: "\n")
  }

  func assertNoSecretAnywhere(file: StaticString = #filePath, line: UInt = #line) throws {
    for (path, bytes) in try nginx.storedFiles() {
      let text = String(decoding: bytes, as: UTF8.self)
      for secret in [RemoteCacheCommandTests.apiKey, RemoteCacheCommandTests.token] {
        XCTAssertFalse(text.contains(secret), "\(path) holds a secret", file: file, line: line)
      }
    }
    for text in printed {
      for secret in [RemoteCacheCommandTests.apiKey, RemoteCacheCommandTests.token] {
        XCTAssertFalse(text.contains(secret), "printed a secret: \(text)", file: file, line: line)
      }
    }
  }

  func testASecondMachineReplaysFrozenFromTheRemoteWithTheLLMStopped() throws {
    let first = try machine("first")
    let recorded = try seednb(["run", first, "--remote-cache", remote])
    XCTAssertEqual(recorded.status, 0, recorded.stderr)
    XCTAssertEqual(recorded.stderr, "")
    let stored = try nginx.storedFiles()
    XCTAssertTrue(stored.keys.contains { $0.hasPrefix("private/ac/") })
    XCTAssertTrue(stored.keys.contains { $0.hasPrefix("private/cas/") })
    server.stop()
    let second = try machine("second")
    let replayed = try seednb(["run", second, "--frozen", "--remote-cache", remote, "--remote-cache-read-only"], llm: false)
    XCTAssertEqual(replayed.status, 0, replayed.stdout + replayed.stderr)
    XCTAssertEqual(RemoteCacheCommandTests.outputs(replayed), RemoteCacheCommandTests.outputs(recorded))
    XCTAssertTrue(replayed.summary?.contains("requests: 0 live, 0 from the store, 18 from the remote cache") ?? false, replayed.stdout)
    // The second machine now holds the answers itself: a replay without the remote works.
    let offline = try seednb(["run", second, "--frozen"], llm: false)
    XCTAssertEqual(offline.status, 0, offline.stdout + offline.stderr)
    XCTAssertEqual(RemoteCacheCommandTests.outputs(offline), RemoteCacheCommandTests.outputs(recorded))
    try assertNoSecretAnywhere()
  }

  /// A sweep hands the remote cache to each of its runs as `run` takes it: every combination
  /// uploads what it asked, and another machine replays one of them from the remote alone.
  func testASweepSharesItsAnswersThroughTheRemoteCache() throws {
    let out = folder.appendingPathComponent("out")
    let swept = try seednb([
      "sweep", try machine("first"), "-p", "topic=cats", "-p", "topic=dogs", "--report-dir", out.path, "--backend", "openai",
      "--remote-cache", remote,
    ])
    XCTAssertEqual(swept.status, 0, swept.stdout + swept.stderr)
    XCTAssertTrue(swept.stdout.contains("2 runs, 2 ok"), swept.stdout)
    for name in try FileManager.default.contentsOfDirectory(atPath: out.path) where name.hasSuffix(".txt") {
      printed.append(try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8))
    }
    server.stop()
    let replayed = try seednb(
      ["run", try machine("second"), "-p", "topic=dogs", "--frozen", "--remote-cache", remote, "--remote-cache-read-only"], llm: false)
    XCTAssertEqual(replayed.status, 0, replayed.stdout + replayed.stderr)
    XCTAssertTrue(replayed.summary?.contains("requests: 0 live, 0 from the store, 18 from the remote cache") ?? false, replayed.stdout)
    try assertNoSecretAnywhere()
  }

  func testTamperedBlobsAreNeverServedAndFrozenSaysWhich() throws {
    let first = try machine("first")
    XCTAssertEqual(try seednb(["run", first, "--remote-cache", remote]).status, 0)
    for path in try nginx.storedFiles().keys where path.hasPrefix("private/cas/") {
      try Data("{\"tampered\": true}".utf8).write(to: nginx.root.appendingPathComponent(path))
    }
    let second = try machine("second")
    let replayed = try seednb(["run", second, "--frozen", "--remote-cache", remote], llm: false)
    XCTAssertEqual(replayed.status, 3, replayed.stdout + replayed.stderr)
    let all = replayed.stdout + replayed.stderr
    XCTAssertTrue(all.contains("but its bytes have SHA-256"), all)
    XCTAssertTrue(all.contains("names cas/"), all)
    XCTAssertTrue(all.contains("--frozen: this request is in no cache (asked: store, remote cache): chat "), all)
    XCTAssertFalse(all.contains("tampered"), "tampered bytes were shown: \(all)")
  }

  /// Manifests swapped between keys: every blob verifies, but holds another request's answer.
  func testAnAnswerFiledUnderAnotherRequestIsNeverServed() throws {
    let first = try machine("first")
    XCTAssertEqual(try seednb(["run", first, "--remote-cache", remote]).status, 0)
    let manifests = try nginx.storedFiles().filter { $0.key.hasPrefix("private/ac/") }.sorted { $0.key < $1.key }
    for (index, entry) in manifests.enumerated() {
      try manifests[(index + 1) % manifests.count].value.write(to: nginx.root.appendingPathComponent(entry.key))
    }
    let replayed = try seednb(["run", try machine("second"), "--frozen", "--remote-cache", remote], llm: false)
    XCTAssertEqual(replayed.status, 3, replayed.stdout + replayed.stderr)
    XCTAssertTrue(replayed.stderr.contains("holds the answer to another request; it was not used"), replayed.stderr)
  }

  func testARemoteThatIsDownSlowOrBrokenWarnsOnceAndTheRunGoesOn() throws {
    let silent = try LoopbackListener()
    defer { silent.close() }
    let down = try NginxWebDAV.freePortURL()
    for (name, url, reason) in [
      ("down", down, "connection refused"), ("slow", silent.baseURL, "timed out"), ("broken", nginx.baseURL + "/broken", "HTTP 500"),
    ] {
      let notebook = try machine(name)
      let outcome = try seednb(["run", notebook, "--remote-cache", url, "--remote-cache-timeout", "0.5"])
      XCTAssertEqual(outcome.status, 0, name + outcome.stderr)
      let warnings = outcome.stderr.split(separator: "\n").filter { $0.hasPrefix("seednb: warning: the remote cache") }
      XCTAssertEqual(warnings.count, 1, "\(name): \(outcome.stderr)")
      XCTAssertTrue(warnings.first?.contains(url.hasSuffix("/") ? String(url.dropLast()) : url) ?? false, outcome.stderr)
      XCTAssertTrue(warnings.first?.contains(reason) ?? false, "\(name): \(outcome.stderr)")
      XCTAssertTrue(warnings.first?.hasSuffix("going on with the local store") ?? false, outcome.stderr)
      // The local store has it all.
      let again = try seednb(["run", notebook, "--frozen"], llm: false)
      XCTAssertEqual(again.status, 0, again.stderr)
    }
  }

  func testBasicAuthInTheURLIsRedactedInWarnings() throws {
    let notebook = try machine("basic")
    let url = try NginxWebDAV.freePortURL().replacingOccurrences(of: "http://", with: "http://alice:hunter2-basic-pw@")
    let outcome = try seednb(["run", notebook, "--remote-cache", url])
    XCTAssertEqual(outcome.status, 0, outcome.stderr)
    XCTAssertTrue(outcome.stderr.contains("http://alice:••••@127.0.0.1:"), outcome.stderr)
    XCTAssertFalse((outcome.stdout + outcome.stderr).contains("hunter2"))
  }

  func testReadOnlyUploadsNothing() throws {
    let notebook = try machine("reader")
    let outcome = try seednb(["run", notebook, "--remote-cache", remote, "--remote-cache-read-only"])
    XCTAssertEqual(outcome.status, 0, outcome.stderr)
    XCTAssertEqual(try nginx.storedFiles().count, 0)
  }

  /// Two teammates run the notebook at the same moment, with different topics; both upload
  /// to the same remote; a third machine replays each of their runs.
  func testTwoRunsUploadingAtOnceLeaveAUsableRemote() throws {
    let notebooks = [try machine("one"), try machine("two")]
    let topics = [["-p", "topic=a journey to Mars"], ["-p", "topic=a journey to Venus"]]
    let lock = NSLock()
    var recorded: [Int: CommandLineTests.Outcome] = [:]
    DispatchQueue.concurrentPerform(iterations: 2) { index in
      let outcome = try? self.seednb(["run", notebooks[index], "--remote-cache", self.remote] + topics[index])
      lock.withLock { recorded[index] = outcome }
    }
    XCTAssertEqual(recorded[0]?.status, 0, recorded[0]?.stderr ?? "")
    XCTAssertEqual(recorded[1]?.status, 0, recorded[1]?.stderr ?? "")
    server.stop()
    let third = try machine("three")
    for (index, topic) in topics.enumerated() {
      let replayed = try seednb(["run", third, "--frozen", "--remote-cache", remote] + topic, llm: false)
      XCTAssertEqual(replayed.status, 0, replayed.stdout + replayed.stderr)
      XCTAssertEqual(RemoteCacheCommandTests.outputs(replayed), recorded[index].map(RemoteCacheCommandTests.outputs))
    }
    try assertNoSecretAnywhere()
  }

  /// A second live run of the same notebook gets other answers to its unseeded requests; the
  /// remote keeps the first run's, all of them, so that a replay is never a mixture of two
  /// runs (whose embeddings of the answers were of one run's answers).
  func testALaterRunDoesNotMixItsUnseededAnswersIntoTheFirstRuns() throws {
    let first = try machine("first"), again = try machine("again")
    let recorded = try seednb(["run", first, "--remote-cache", remote])
    XCTAssertEqual(recorded.status, 0, recorded.stderr)
    let later = try seednb(["run", again, "--remote-cache", remote])
    XCTAssertEqual(later.status, 0, later.stderr)
    XCTAssertNotEqual(RemoteCacheCommandTests.outputs(later), RemoteCacheCommandTests.outputs(recorded))
    server.stop()
    let third = try machine("three")
    let replayed = try seednb(["run", third, "--frozen", "--remote-cache", remote], llm: false)
    XCTAssertEqual(replayed.status, 0, replayed.stdout + replayed.stderr)
    XCTAssertEqual(RemoteCacheCommandTests.outputs(replayed), RemoteCacheCommandTests.outputs(recorded))
  }

  func testRenderAndTheREPLReadTheRemote() throws {
    let first = try machine("first")
    let recorded = try seednb(["run", first, "--remote-cache", remote])
    XCTAssertEqual(recorded.status, 0, recorded.stderr)
    // The REPL loads the notebook on another machine: seeded answers and embeddings come from
    // the remote (the unseeded chats go live, as in a run).
    let repl = try seednb(["repl", try machine("second"), "--remote-cache", remote])
    XCTAssertEqual(repl.status, 0, repl.stdout + repl.stderr)
    // 10 seeded chats and the embeddings of their answers; 5 unseeded chats and the
    // embedding of their new answers go live.
    XCTAssertTrue(repl.stdout.contains("requests: 6 live, 0 from the store, 12 from the remote cache"), repl.stdout)
    server.stop()
    // A third renders the report from the remote alone.
    let third = try machine("third")
    let report = folder.appendingPathComponent("report.md").path
    let rendered = try seednb(["render", third, "--remote-cache", remote, "-o", report], llm: false)
    XCTAssertEqual(rendered.status, 0, rendered.stdout + rendered.stderr)
    XCTAssertTrue(rendered.stderr.contains("cells replayed from the remote cache \(nginx.baseURL)/private"), rendered.stderr)
    let text = try String(contentsOfFile: report, encoding: .utf8)
    XCTAssertFalse(text.contains("not run"), text)
    for line in RemoteCacheCommandTests.outputs(recorded).split(separator: "\n") where line.hasPrefix("The average distance") {
      XCTAssertTrue(text.contains(line), "\(line) is not in the report")
    }
    try assertNoSecretAnywhere()
  }

  func testPushAndPull() throws {
    let first = try machine("first")
    XCTAssertEqual(try seednb(["run", first]).status, 0)
    XCTAssertEqual(try nginx.storedFiles().count, 0)
    let pushed = try seednb(["cache", "push", first, "--remote-cache", remote])
    XCTAssertEqual(pushed.status, 0, pushed.stderr)
    XCTAssertTrue(pushed.stdout.hasPrefix("pushed "), pushed.stdout)
    XCTAssertGreaterThan(try nginx.storedFiles().count, 0)
    server.stop()
    let second = try machine("second")
    let pulled = try seednb(["cache", "pull", second, "--remote-cache", remote], llm: false)
    XCTAssertEqual(pulled.status, 0, pulled.stdout + pulled.stderr)
    XCTAssertTrue(pulled.stdout.hasPrefix("pulled "), pulled.stdout)
    let offline = try seednb(["run", second, "--frozen"], llm: false)
    XCTAssertEqual(offline.status, 0, offline.stdout + offline.stderr)
    // Pushing without a remote is a usage error that says how to give one.
    let nowhere = try seednb(["cache", "push", first])
    XCTAssertEqual(nowhere.status, 2)
    XCTAssertTrue(nowhere.stderr.contains("--remote-cache URL or SEEDNB_REMOTE_CACHE"), nowhere.stderr)
    try assertNoSecretAnywhere()
  }
}
