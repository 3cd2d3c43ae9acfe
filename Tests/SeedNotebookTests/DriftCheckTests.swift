import Foundation
import LoopbackOpenAI
import SeedJSON
import SeedLLM
@testable import SeedNotebook
import XCTest

/// `seednb check`'s engine: a notebook is run into a real store against a loopback server,
/// then its seeded requests are sent again and compared with what the store holds.
final class DriftCheckTests: XCTestCase {
  static let key = "sk-drift-check-key-0123456789"
  var folder: URL!
  var servers: [LoopbackOpenAIServer] = []

  override func setUpWithError() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("seednb-drift-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    for server in servers { server.stop() }
    try? FileManager.default.removeItem(at: folder)
  }

  func server(_ configure: (inout LoopbackOpenAIServer.Options) -> Void = { _ in }) throws -> LoopbackOpenAIServer {
    var options = LoopbackOpenAIServer.Options()
    options.requiredKey = DriftCheckTests.key
    configure(&options)
    let server = LoopbackOpenAIServer(options: options)
    try server.start()
    servers.append(server)
    return server
  }

  func backend(_ server: LoopbackOpenAIServer, key: String = DriftCheckTests.key) -> LLMBackend {
    .remote(OpenAIClient(configuration: .init(baseURL: server.baseURL, apiKey: APIKey(name: "OPENAI_API_KEY", text: key), retry: RetryPolicy(maxRetries: 0))))
  }

  /// Writes the notebook and runs it into the store beside it.
  func record(_ text: String, against server: LoopbackOpenAIServer) throws -> (notebook: Notebook, store: CacheStore) {
    let path = folder.appendingPathComponent("drift.seednb").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    let notebook = try Notebook.parse(text, file: path)
    let store = try CacheStore(path: CacheStore.path(forNotebook: path))
    let runner = NotebookRunner(
      loaded: LoadedNotebook(notebook: notebook, parameters: [:]), llm: LLMBindings(backend: backend(server)),
      cache: NotebookCache(store: store, lockfile: nil), runtime: "test", options: .init(),
      modules: ModuleSearchPath(directories: []))
    let summary = LargeStack.run { runner.run(observer: NotebookEventHandler { _ in }) }
    XCTAssertFalse(summary.failed, "\(summary.reports.last?.result.error.map { "\($0)" } ?? "")")
    return (notebook, store)
  }

  func check(_ notebook: Notebook, store: CacheStore?, against server: LoopbackOpenAIServer, repeats: Int = 3) throws
    -> [DriftCheck.CellCheck]
  {
    try DriftCheck(
      notebook: notebook, parameters: [:], runtime: "test", store: store, backend: backend(server),
      options: .init(repeats: repeats)
    ).run()
  }

  /// Rewrites the content of a cell's recorded answers, as a backend that changed would
  /// have answered: `edit(call, content)` gives the new content, or nil to keep it.
  func rewrite(_ store: CacheStore, notebook: Notebook, cell index: Int, _ edit: (RecordedCall, String) -> String?) throws {
    let name = URL(fileURLWithPath: notebook.file).lastPathComponent
    let key = notebook.cellKeys(runtime: "test", parameters: [:])[index]
    let entry = try XCTUnwrap(store.entry(notebook: name, cellKey: key))
    let calls = try entry.calls.map { call -> RecordedCall in
      var response = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(call.response.utf8)) as? [String: Any])
      var choices = try XCTUnwrap(response["choices"] as? [[String: Any]])
      var message = try XCTUnwrap(choices[0]["message"] as? [String: Any])
      guard let content = edit(call, try XCTUnwrap(message["content"] as? String)) else { return call }
      message["content"] = content
      choices[0]["message"] = message
      response["choices"] = choices
      var changed = call
      changed.response = String(decoding: try JSONSerialization.data(withJSONObject: response), as: UTF8.self)
      return changed
    }
    try store.save(
      notebook: name, cellKey: key, cellIdentity: entry.cellIdentity, inputs: entry.inputs, outputs: entry.outputs, calls: calls)
  }

  func chatBodies(_ server: LoopbackOpenAIServer) throws -> [[String: Any]] {
    try server.requests.filter { $0.path.hasSuffix("/chat/completions") }.map {
      try XCTUnwrap(JSONSerialization.jsonObject(with: $0.body) as? [String: Any])
    }
  }

  static let notebook = """
    ```seed id=setup
    let system = "You are terse."
    ```

    ```seed id=seeded
    let story = chat("Tell me a story", system: system, seed: 123, temperature: 0)
    let joke = chat("Tell me a joke", seed: 7)
    let free = chat("Say anything")
    print(story.content, joke.content, free.content)
    ```

    ```seed id=repeated
    for i in 0..<3 { chat("Same question", seed: 5, temperature: 0) }
    ```
    """

  // MARK: - Identical answers

  func testSeededRequestsAreSentAgainInSequenceAndAtOnceAndMatch() throws {
    let recorder = try server()
    let (notebook, store) = try record(DriftCheckTests.notebook, against: recorder)
    let checker = try server()
    let checks = try check(notebook, store: store, against: checker)

    XCTAssertEqual(checks.map(\.cell.identity), ["setup", "seeded", "repeated"])
    guard case .noSeededRequests = checks[0].outcome else { return XCTFail("\(checks[0].outcome)") }
    XCTAssertEqual(checks[1].requests.count, 2, "the unseeded chat is not checked")
    XCTAssertEqual(checks[2].requests.count, 1, "one request made three times is sent again as one")
    XCTAssertEqual(checks[2].requests[0].calls.map(\.occurrence), [0, 1, 2])
    for check in checks.dropFirst() {
      XCTAssertFalse(check.drift)
      XCTAssertTrue(check.fingerprintChanges.isEmpty)
      for request in check.requests {
        XCTAssertTrue(request.identical)
        XCTAssertEqual(request.sends, 6)
        XCTAssertEqual(request.newFingerprints, ["fp_loopback_1"])
      }
    }
    // 3 distinct seeded requests × 6 sends, no embeddings since nothing differed.
    let bodies = try chatBodies(checker)
    XCTAssertEqual(checker.requests.count, 18)
    XCTAssertEqual(bodies.count, 18)
    XCTAssertEqual(bodies.filter { $0["seed"] as? Int == 123 }.count, 6)
    // The joke left temperature out: it is sent without it again, not with the default
    // the transcript filled in.
    let jokes = bodies.filter { $0["seed"] as? Int == 7 }
    XCTAssertEqual(jokes.count, 6)
    XCTAssertTrue(jokes.allSatisfy { $0["temperature"] == nil && $0["top_p"] == nil && $0["n"] == nil }, "\(jokes[0])")
    XCTAssertEqual(bodies.filter { ($0["messages"] as? [[String: Any]])?.last?["content"] as? String == "Say anything" }.count, 0)
  }

  func testTheConcurrentSendsAreInFlightTogether() throws {
    let recorder = try server()
    let (notebook, store) = try record("```seed\nchat(\"Hi\", seed: 1, temperature: 0)\n```\n", against: recorder)
    let slow = try server { $0.delay = 0.5 }
    let start = Date()
    let checks = try check(notebook, store: store, against: slow, repeats: 4)
    let seconds = Date().timeIntervalSince(start)
    XCTAssertEqual(checks[0].sends, 8)
    XCTAssertFalse(checks[0].drift)
    // 4 × 0.5 s one after another, then 4 at once in about 0.5 s; all in sequence would be 4 s.
    XCTAssertGreaterThanOrEqual(seconds, 2.4)
    XCTAssertLessThan(seconds, 3.6)
  }

  // MARK: - Drift

  func testAChangedAnswerShowsWhereItDiffersAndHowFar() throws {
    let recorder = try server()
    let (notebook, store) = try record(DriftCheckTests.notebook, against: recorder)
    var original = ""
    try rewrite(store, notebook: notebook, cell: 1) { call, content in
      guard call.seed == 123 else { return nil }
      original = content
      return String(content.prefix(10)) + "QUITE DIFFERENT WORDS"
    }
    let checker = try server()
    let checks = try check(notebook, store: store, against: checker)
    XCTAssertFalse(checks[0].drift)
    XCTAssertTrue(checks[1].drift)
    XCTAssertFalse(checks[2].drift)
    let story = try XCTUnwrap(checks[1].requests.first { $0.request.seed == 123 })
    XCTAssertTrue(checks[1].requests.first { $0.request.seed == 7 }!.identical)
    XCTAssertEqual(story.differingSends, 6)
    XCTAssertEqual(story.differences.count, 1, "every send gave the same new answer")
    let difference = story.differences[0]
    XCTAssertEqual(difference.sends, 6)
    XCTAssertNil(difference.cachedOccurrence)
    XCTAssertEqual(difference.choice, 0)
    XCTAssertEqual(difference.text.offset, 10)
    XCTAssertEqual(difference.text.cachedExcerpt, String(original.prefix(10)) + "QUITE DIFFERENT WORDS")
    XCTAssertEqual(difference.text.newExcerpt, String(original.prefix(40)) + (original.count > 40 ? "…" : ""))
    let distance = try XCTUnwrap(difference.distance, difference.distanceNote ?? "")
    XCTAssertGreaterThan(distance, 0)
    XCTAssertLessThanOrEqual(distance, 2)
    // The two texts went to the embeddings endpoint, with the default embedding model.
    let embeddings = checker.requests.filter { $0.path.hasSuffix("/embeddings") }
    XCTAssertEqual(embeddings.count, 1)
    let body = try XCTUnwrap(JSONSerialization.jsonObject(with: embeddings[0].body) as? [String: Any])
    XCTAssertEqual(body["model"] as? String, "text-embedding-3-small")
    XCTAssertEqual(body["input"] as? [String], [String(original.prefix(10)) + "QUITE DIFFERENT WORDS", original])
  }

  func testOccurrencesTheCacheHoldsThatDisagreeAreDrift() throws {
    let recorder = try server()
    let (notebook, store) = try record(DriftCheckTests.notebook, against: recorder)
    try rewrite(store, notebook: notebook, cell: 2) { call, content in call.occurrence == 2 ? content + " and more" : nil }
    let checks = try check(notebook, store: store, against: try server())
    XCTAssertTrue(checks[2].drift)
    let request = checks[2].requests[0]
    XCTAssertEqual(request.differingSends, 0, "the backend repeats occurrence 0")
    XCTAssertEqual(request.differences.count, 1)
    XCTAssertEqual(request.differences[0].cachedOccurrence, 2)
    XCTAssertEqual(request.differences[0].sends, 0)
  }

  func testAnotherFingerprintIsReportedButOnlyTextIsDrift() throws {
    let (notebook, store) = try record(DriftCheckTests.notebook, against: try server())
    let checks = try check(notebook, store: store, against: try server { $0.fingerprint = "fp_rebuilt_2" })
    XCTAssertFalse(checks.contains(where: \.drift))
    XCTAssertEqual(checks[1].fingerprintChanges, [DriftCheck.FingerprintChange(stored: "fp_loopback_1", now: "fp_rebuilt_2")])
    XCTAssertEqual(checks[1].fingerprintChanges.first?.description, "fingerprint changed: fp_loopback_1 -> fp_rebuilt_2")
    XCTAssertEqual(checks[2].fingerprintChanges.count, 1)
    XCTAssertEqual(checks[0].fingerprintChanges, [])
  }

  // MARK: - Nothing to check, and failures

  func testCellsWithoutAnEntryForTheirCurrentKeyAreNotCached() throws {
    let (recorded, store) = try record(DriftCheckTests.notebook, against: try server())
    // Editing the first cell changes its key and the key of the cell that reads `system`;
    // the third cell reads nothing of theirs, so its entry is still current.
    let edited = try Notebook.parse(
      DriftCheckTests.notebook.replacing("You are terse.", with: "You are brief."), file: recorded.file)
    let checker = try server()
    let checks = try check(edited, store: store, against: checker)
    for check in checks.prefix(2) {
      guard case .notCached = check.outcome else { return XCTFail("\(check.cell.label): \(check.outcome)") }
    }
    guard case .checked = checks[2].outcome else { return XCTFail("\(checks[2].outcome)") }
    XCTAssertEqual(checker.requests.count, 6, "only the third cell's seeded request was sent, 3 times in sequence and 3 at once")
    let withoutStore = try check(recorded, store: nil, against: checker)
    XCTAssertEqual(withoutStore.filter { if case .notCached = $0.outcome { return true }; return false }.count, 3)
  }

  func testAFailedRequestStopsTheCheckWithoutShowingTheKey() throws {
    let (notebook, store) = try record(DriftCheckTests.notebook, against: try server())
    let checker = try server()
    let wrongKey = "sk-wrong-but-long-enough-key"
    XCTAssertThrowsError(
      try DriftCheck(
        notebook: notebook, parameters: [:], runtime: "test", store: store, backend: backend(checker, key: wrongKey)
      ).run()
    ) { error in
      let text = "\(error)"
      XCTAssertTrue(text.hasPrefix("cell seeded: POST \(checker.baseURL)/chat/completions: HTTP 401"), text)
      XCTAssertFalse(text.contains(wrongKey) || text.contains(DriftCheckTests.key), text)
    }
    // A server error on one of the concurrent sends fails the check too.
    checker.enqueue(.status(500, message: "boom"))  // the first send of the first request
    XCTAssertThrowsError(try check(notebook, store: store, against: checker)) { error in
      XCTAssertTrue("\(error)".contains("HTTP 500"), "\(error)")
    }
  }

  // MARK: - Pieces

  func testARequestIsRebuiltFromItsTranscript() throws {
    var request = ChatRequest(model: "m", messages: [ChatMessage(role: "system", content: "s"), ChatMessage(role: "user", content: "u", name: "ann")])
    request.seed = 42
    request.temperature = 0
    request.maxTokens = 30
    request.stop = ["END"]
    request.topLogprobs = 2
    XCTAssertEqual(try ChatRequest(json: request.json), request)
    XCTAssertEqual(try ChatRequest(json: JSONValue.parse(request.json.serialized())), request)
    // The normalised form fills in the API's defaults; rebuilding leaves them out again.
    XCTAssertEqual(DriftCheck.withoutDefaults(try ChatRequest(json: JSONValue.parse(request.normalized.serialized(sortedKeys: true)))), request)
    XCTAssertThrowsError(try ChatRequest(json: JSONValue.parse("{\"model\": \"m\"}")))
  }

  func testTheFirstDifferenceAndExcerpts() throws {
    XCTAssertNil(TextDifference(cached: "same", new: "same"))
    let middle = try XCTUnwrap(TextDifference(cached: "The quick brown fox", new: "The quick red fox"))
    XCTAssertEqual(middle.offset, 10)
    XCTAssertEqual(middle.cachedExcerpt, "The quick brown fox")
    XCTAssertEqual(middle.newExcerpt, "The quick red fox")
    let long = String(repeating: "a", count: 50) + "\nB" + String(repeating: "c", count: 50)
    let far = try XCTUnwrap(TextDifference(cached: long, new: String(repeating: "a", count: 50) + "\nD"))
    XCTAssertEqual(far.offset, 51)
    XCTAssertEqual(far.cachedExcerpt, "…" + String(repeating: "a", count: 19) + "\\nB" + String(repeating: "c", count: 29) + "…")
    XCTAssertEqual(far.newExcerpt, "…" + String(repeating: "a", count: 19) + "\\nD")
    let shorter = try XCTUnwrap(TextDifference(cached: "abc", new: "abcdef"))
    XCTAssertEqual(shorter.offset, 3)
    XCTAssertEqual(shorter.cachedExcerpt, "abc")
    XCTAssertEqual(shorter.newExcerpt, "abcdef")
    XCTAssertEqual([shorter.cachedEnds, shorter.newEnds, middle.cachedEnds, middle.newEnds], [true, false, false, false])
    XCTAssertEqual(TextDifference(cached: "naïve café", new: "naïve cafe")?.offset, 9, "offsets count characters")
  }

  func testCosineDistanceAsScipyComputesIt() {
    XCTAssertEqual(cosineDistance([1, 2, 3], [1, 2, 3])!, 0, accuracy: 1e-12)
    XCTAssertEqual(cosineDistance([1, 0], [0, 5])!, 1, accuracy: 1e-12)
    XCTAssertEqual(cosineDistance([1, 1], [-2, -2])!, 2, accuracy: 1e-12)
    XCTAssertEqual(cosineDistance([3, 4], [4, 3])!, 1 - 24.0 / 25.0, accuracy: 1e-12)
    XCTAssertNil(cosineDistance([0, 0], [1, 1]))
    XCTAssertNil(cosineDistance([1], [1, 2]))
  }
}
