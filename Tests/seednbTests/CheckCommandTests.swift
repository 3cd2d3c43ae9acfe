import Foundation
import GRDB
import LoopbackOpenAI
import XCTest

/// Runs the built `seednb` in a temporary folder, as CommandLineTests does, with loopback
/// servers to run notebooks against. Has no tests of its own.
class SeednbProcessTestCase: XCTestCase, TestFolder {
  static let key = "sk-check-cli-key-0123456789"
  var folder: URL!
  var servers: [LoopbackOpenAIServer] = []

  override func setUpWithError() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("seednb-check-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    for server in servers { server.stop() }
    try? FileManager.default.removeItem(at: folder)
  }

  func server(_ configure: (inout LoopbackOpenAIServer.Options) -> Void = { _ in }) throws -> LoopbackOpenAIServer {
    var options = LoopbackOpenAIServer.Options()
    options.requiredKey = SeednbProcessTestCase.key
    configure(&options)
    let server = LoopbackOpenAIServer(options: options)
    try server.start()
    servers.append(server)
    return server
  }

  /// Runs seednb in the test's folder, against `server` when one is given.
  func seednb(_ arguments: [String], server: LoopbackOpenAIServer? = nil, key: String = SeednbProcessTestCase.key) throws
    -> CommandLineTests.Outcome
  {
    try CommandLineTests.run(
      arguments, in: folder, environment: ["OPENAI_BASE_URL": server?.baseURL, "OPENAI_API_KEY": server == nil ? nil : key])
  }

  /// Three cells: none, two seeded chats and one without a seed, one seeded chat asked
  /// three times and an embedding.
  static let notebook = """
    ---
    title: Drift
    ---
    ```seed id=setup
    let system = "You are terse."
    ```

    ```seed id=seeded
    let story = chat("Tell me a story", system: system, seed: 123, temperature: 0)
    let joke = chat("Tell me a joke", seed: 7)
    let free = chat("Say anything")
    print(story.content)
    ```

    ```seed id=repeated
    for i in 0..<3 { chat("Same question", seed: 5, temperature: 0) }
    embed("a journey to mars")
    ```
    """
}

/// `seednb check`: seeded requests sent again and compared with the cache.
final class CheckCommandTests: SeednbProcessTestCase {
  func testACachedNotebookIsIdenticalAndAnotherFingerprintIsReported() throws {
    let nb = try write("drift.seednb", SeednbProcessTestCase.notebook)
    let run = try seednb(["run", nb], server: try server())
    XCTAssertEqual(run.status, 0, run.stderr)

    let checker = try server()
    let check = try seednb(["check", nb], server: checker)
    XCTAssertEqual(check.status, 0, check.stderr)
    XCTAssertEqual(check.stderr, "")
    let lines = check.stdout.split(separator: "\n").map(String.init)
    XCTAssertEqual(lines.count, 5, check.stdout)
    XCTAssertEqual(
      Array(lines.prefix(4)),
      [
        "checking \(nb) with the openai backend: each seeded request 3 times in sequence and 3 at once",
        "cell setup: no seeded requests",
        "cell seeded: identical (2 requests × 6 sends)",
        "cell repeated: identical (1 request × 6 sends)",
      ])
    XCTAssertTrue(lines[4].hasPrefix("── 3 cells (2 identical, 1 no seeded requests) · 18 sends · "), lines[4])
    XCTAssertFalse(check.stdout.contains("\u{1B}["), "piped output is plain")
    XCTAssertEqual(checker.requests.count, 18)
    XCTAssertTrue(checker.requests.allSatisfy { $0.path.hasSuffix("/chat/completions") })

    let rebuilt = try seednb(["check", nb, "--repeat", "1"], server: try server { $0.fingerprint = "fp_rebuilt_2" })
    XCTAssertEqual(rebuilt.status, 0, "the same text under another fingerprint is not drift")
    XCTAssertTrue(
      rebuilt.stdout.contains(
        "cell seeded: identical (2 requests × 2 sends)\n  fingerprint changed: fp_loopback_1 -> fp_rebuilt_2\n"), rebuilt.stdout)
    XCTAssertTrue(rebuilt.stdout.contains("cell repeated: identical (1 request × 2 sends)\n  fingerprint changed: "), rebuilt.stdout)
  }

  func testAnAnswerThatChangedIsDriftWithWhereAndHowFar() throws {
    let nb = try write("drift.seednb", SeednbProcessTestCase.notebook)
    XCTAssertEqual(try seednb(["run", nb], server: try server()).status, 0)

    // A backend that changed is simulated by changing what the store recorded: the story's
    // answer, in the SQLite file itself.
    let database = try DatabaseQueue(path: folder.appendingPathComponent(".seednb/cache.sqlite").path)
    var original = ""
    try database.write { db in
      let callsText = try XCTUnwrap(String.fetchOne(db, sql: "SELECT calls FROM cell WHERE cellIdentity = 'seeded'"))
      var calls = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(callsText.utf8)) as? [[String: Any]])
      let index = try XCTUnwrap(calls.firstIndex { $0["seed"] as? Int == 123 })
      var response = try XCTUnwrap(JSONSerialization.jsonObject(with: Data((calls[index]["response"] as! String).utf8)) as? [String: Any])
      var choices = try XCTUnwrap(response["choices"] as? [[String: Any]])
      var message = try XCTUnwrap(choices[0]["message"] as? [String: Any])
      original = try XCTUnwrap(message["content"] as? String)
      message["content"] = "Nothing like it at all"
      choices[0]["message"] = message
      response["choices"] = choices
      calls[index]["response"] = String(decoding: try JSONSerialization.data(withJSONObject: response), as: UTF8.self)
      let changed = String(decoding: try JSONSerialization.data(withJSONObject: calls), as: UTF8.self)
      try db.execute(sql: "UPDATE cell SET calls = ? WHERE cellIdentity = 'seeded'", arguments: [changed])
      XCTAssertEqual(db.changesCount, 1)
    }
    try database.close()

    let checker = try server()
    let check = try seednb(["check", nb], server: checker)
    XCTAssertEqual(check.status, 4, check.stdout + check.stderr)
    let now = original.count > 30 ? String(original.prefix(30)) + "…" : original
    XCTAssertTrue(
      check.stdout.contains(
        """
        cell seeded: drift in 1 of 2 requests (6 sends each)
          request 1, chat "Tell me a story" (seed 123): 6 of 6 sends differ from the cache
            first difference at character 0 (6 of 6 sends)
              cached: "Nothing like it at all"
              now:    "\(now)"
              cosine distance 
        """), check.stdout)
    let distanceLine = try XCTUnwrap(check.stdout.split(separator: "\n").first { $0.contains("cosine distance ") })
    let distance = try XCTUnwrap(Double(distanceLine.split(separator: " ").last!))
    XCTAssertGreaterThan(distance, 0)
    XCTAssertLessThanOrEqual(distance, 2)
    XCTAssertTrue(check.stdout.contains("cell repeated: identical (1 request × 6 sends)\n"), check.stdout)
    XCTAssertTrue(check.stdout.contains("── 3 cells (1 identical, 1 drift, 1 no seeded requests) · 18 sends · "), check.stdout)
    // Both texts were embedded, in one request.
    XCTAssertEqual(checker.requests.filter { $0.path.hasSuffix("/embeddings") }.count, 1)
  }

  func testANotebookNeverRunIsNotCached() throws {
    let nb = try write("fresh.seednb", SeednbProcessTestCase.notebook)
    let checker = try server()
    let check = try seednb(["check", nb], server: checker)
    XCTAssertEqual(check.status, 0, check.stderr)
    XCTAssertTrue(
      check.stdout.contains(
        """
        cell setup: not cached (run the notebook first)
        cell seeded: not cached (run the notebook first)
        cell repeated: not cached (run the notebook first)
        ── 3 cells (3 not cached) · 0 sends · 
        """), check.stdout)
    XCTAssertTrue(checker.requests.isEmpty)
    XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent(".seednb").path), "check creates no store")

    // After a run, a change to a cell makes it, and the cells that read what it defines, not cached.
    XCTAssertEqual(try seednb(["run", nb], server: checker).status, 0)
    try write("fresh.seednb", SeednbProcessTestCase.notebook.replacing("Tell me a joke", with: "Tell me a riddle"))
    let edited = try seednb(["check", nb], server: checker)
    XCTAssertEqual(edited.status, 0)
    XCTAssertTrue(
      edited.stdout.contains(
        "cell setup: no seeded requests\ncell seeded: not cached (run the notebook first)\ncell repeated: identical"),
      edited.stdout)
  }

  func testAFailedRequestExitsWithOneAndNeverShowsTheKey() throws {
    let nb = try write("drift.seednb", SeednbProcessTestCase.notebook)
    let checker = try server()
    XCTAssertEqual(try seednb(["run", nb], server: checker).status, 0)
    let wrongKey = "sk-wrong-but-long-enough-key"
    let check = try seednb(["check", nb], server: checker, key: wrongKey)
    XCTAssertEqual(check.status, 1)
    XCTAssertTrue(check.stdout.contains("cell setup: no seeded requests\n"), check.stdout)
    XCTAssertTrue(
      check.stderr.hasPrefix("seednb: check failed: cell seeded: POST \(checker.baseURL)/chat/completions: HTTP 401"),
      check.stderr)
    for secret in [wrongKey, SeednbProcessTestCase.key] {
      XCTAssertFalse(check.stdout.contains(secret) || check.stderr.contains(secret))
    }
  }

  func testBadUsageExitsWithTwo() throws {
    let nb = try write("drift.seednb", SeednbProcessTestCase.notebook.replacing("title: Drift", with: "title: Drift\nparams:\n  n: 2"))
    let missing = try seednb(["check", "no-such.seednb"])
    XCTAssertEqual(missing.status, 2)
    XCTAssertEqual(missing.stderr, "seednb: cannot read 'no-such.seednb': no such file\n")
    let zero = try seednb(["check", nb, "--repeat", "0"])
    XCTAssertEqual(zero.status, 2)
    XCTAssertTrue(zero.stderr.contains("--repeat must be at least 1"), zero.stderr)
    XCTAssertEqual(try seednb(["check"]).status, 2)
    XCTAssertEqual(try seednb(["check", nb, "--repeat", "many"]).status, 2)
    let backend = try seednb(["check", nb, "--backend", "nope"])
    XCTAssertEqual(backend.status, 2)
    XCTAssertTrue(backend.stderr.contains("unknown backend 'nope'"), backend.stderr)
    let parameter = try seednb(["check", nb, "-p", "n=abc"])
    XCTAssertEqual(parameter.status, 2)
    XCTAssertTrue(parameter.stderr.contains("parameter 'n' expects an int"), parameter.stderr)
    let script = try write("plain.seed", "print(1)\n")
    let plain = try seednb(["check", script])
    XCTAssertEqual(plain.status, 2)
    XCTAssertTrue(plain.stderr.contains("a plain .seed script has no cache"), plain.stderr)
    for outcome in [missing, zero, backend, parameter, plain] { XCTAssertEqual(outcome.stdout, "") }
  }
}
