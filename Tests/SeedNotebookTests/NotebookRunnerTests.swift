import Foundation
import LoopbackOpenAI
import OrderedCollections
import SeedLLM
import SeedLang
import SeedNotebook
import XCTest

/// The cell cache through the runner: real SQLite files and a real server on loopback.
final class NotebookRunnerTests: XCTestCase {
  var server: LoopbackOpenAIServer!
  var folder: URL!

  override func setUpWithError() throws {
    server = LoopbackOpenAIServer()
    try server.start()
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("seednb-runner-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    server.stop()
    try? FileManager.default.removeItem(at: folder)
  }

  struct Run {
    let summary: NotebookRunner.Summary
    var statuses: [String] { summary.reports.map(\.status.rawValue) }
    var outputs: [String] { summary.reports.map { $0.result.outputs.map(\.plainText).joined(separator: "\n") } }
    var notes: [String?] { summary.reports.map(\.note) }
  }

  /// Runs cells as a notebook in `folder`, with the store beside it.
  func run(
    _ cells: [String], options: NotebookRunner.Options = .init(), fingerprint: @escaping (String) -> String? = { _ in nil },
    baseURL: String? = nil
  ) throws -> Run {
    try run(Notebook(file: folder.appendingPathComponent("nb.seednb").path, title: nil, cellSources: cells), options: options,
      fingerprint: fingerprint, baseURL: baseURL)
  }

  func run(
    _ notebook: Notebook, options: NotebookRunner.Options = .init(), fingerprint: @escaping (String) -> String? = { _ in nil },
    baseURL: String? = nil
  ) throws -> Run {
    let bindings = LLMBindings(
      client: OpenAIClient(configuration: .init(baseURL: baseURL ?? server.baseURL, apiKey: APIKey(name: "OPENAI_API_KEY", text: "sk-runner-tests"), retry: RetryPolicy(maxRetries: 0))))
    let store = try CacheStore(path: CacheStore.path(forNotebook: notebook.file))
    let runner = NotebookRunner(
      loaded: LoadedNotebook(notebook: notebook, parameters: [:]), llm: bindings,
      cache: NotebookCache(store: store, lockfile: nil), runtime: "test", options: options,
      modules: ModuleSearchPath(directories: []), currentFingerprint: fingerprint)
    return Run(summary: LargeStack.run { runner.run(observer: NotebookEventHandler { _ in }) })
  }

  static let cells = [
    "let seeded = chat(\"Tell me about Mars\", seed: 7, temperature: 0)\nprint(seeded.content)",
    "let unseeded = parallel(0..<3) { i in chat(\"Tell me about Mars\").content }\nprint(unseeded)",
    "print(seeded.cached, len(embed([seeded.content, \"x\"])))",
  ]

  func testASecondRunRestoresEveryUnchangedCellUnseededCallsIncluded() throws {
    let first = try run(NotebookRunnerTests.cells)
    XCTAssertEqual(first.statuses, ["live", "live", "live"])
    XCTAssertEqual(first.notes, ["not cached", "not cached", "not cached"])
    let requestsAfterFirst = server.requests.count
    XCTAssertEqual(requestsAfterFirst, 5)
    let second = try run(NotebookRunnerTests.cells)
    XCTAssertEqual(second.statuses, ["cached", "cached", "cached"])
    XCTAssertEqual(second.notes, [nil, nil, nil])
    XCTAssertEqual(server.requests.count, requestsAfterFirst, "a cell restored unchanged replays its unseeded answers too")
    XCTAssertEqual(second.outputs[0...1], first.outputs[0...1])
    XCTAssertEqual(second.outputs[2], "true 2", "a restored cell's record says it came from the cache")
    XCTAssertEqual(second.summary.cachedRequests, 5)
    XCTAssertEqual(second.summary.liveRequests, 0)
  }

  func testAChangedCellGetsItsSeededAnswersFromTheStoreAndSendsItsUnseededOnes() throws {
    let first = try run(NotebookRunnerTests.cells)
    let before = server.requests.count
    var edited = NotebookRunnerTests.cells
    edited[0] += "\nprint(\"edited\")"
    edited[1] += "\nprint(\"edited\")"
    let second = try run(edited)
    XCTAssertEqual(second.statuses, ["changed", "changed", "changed"])
    XCTAssertEqual(second.notes, ["source changed", "source changed", "upstream cell 1 changed"])
    XCTAssertEqual(server.requests.count - before, 3, "only the three unseeded chats went out")
    XCTAssertEqual(second.summary.requestsFromLayers, 2, "the seeded chat and the embedding came from the store")
    XCTAssertEqual(second.outputs[0], first.outputs[0] + "\nedited")
    XCTAssertEqual(second.outputs[2], "true 2", "the record of an answer from the store says cached")
  }

  func testFrozenReplaysEverythingWithoutTheNetworkInItemOrder() throws {
    let first = try run(NotebookRunnerTests.cells)
    server.stop()
    let frozen = try run(NotebookRunnerTests.cells, options: .init(frozen: true))
    XCTAssertEqual(frozen.statuses, ["cached", "cached", "cached"])
    XCTAssertEqual(frozen.outputs[0...1], first.outputs[0...1], "the same answers, each in its item's place")
    XCTAssertNil(frozen.summary.frozenMiss)
  }

  func testFrozenStopsAtARequestTheCacheLacks() throws {
    _ = try run(NotebookRunnerTests.cells)
    let edited = [NotebookRunnerTests.cells[0], "print(chat(\"Something new\", seed: 1).content)"]
    let frozen = try run(edited, options: .init(frozen: true))
    XCTAssertEqual(frozen.statuses, ["cached", "error"])
    let miss = try XCTUnwrap(frozen.summary.frozenMiss)
    XCTAssertTrue(miss.hasPrefix("cell 2: chat {\"frequency_penalty\":0"), miss)
    XCTAssertTrue(miss.contains("Something new"), miss)
  }

  func testAChangedCellRunsAgainAndSoDoOnlyTheCellsThatReadWhatItDefines() throws {
    _ = try run(NotebookRunnerTests.cells)
    var edited = NotebookRunnerTests.cells
    edited[1] = "let unseeded = [\"fixed\"]\nprint(unseeded)"
    let second = try run(edited)
    XCTAssertEqual(second.statuses, ["cached", "changed", "cached"], "cell 3 reads only what cell 1 defines")
    XCTAssertEqual(second.notes[1], "source changed")
    // Whitespace at line ends is not a change.
    var spaced = edited
    spaced[0] = NotebookRunnerTests.cells[0].replacing("\n", with: "   \n") + "\n\n"
    XCTAssertEqual(try run(spaced).statuses, ["cached", "cached", "cached"])
  }

  func testAChangedFingerprintRunsTheCellLiveAndSaysSo() throws {
    _ = try run(NotebookRunnerTests.cells)
    let drifted = try run(NotebookRunnerTests.cells, fingerprint: { _ in "fp_new_backend" })
    XCTAssertEqual(drifted.statuses[0], "drift")
    XCTAssertEqual(drifted.notes[0], "fingerprint changed fp_loopback_1 -> fp_new_backend")
    let same = try run(NotebookRunnerTests.cells, fingerprint: { _ in "fp_loopback_1" })
    XCTAssertEqual(same.statuses[0], "cached")
  }

  func testRefreshRunsEverythingLiveAndRewritesTheEntries() throws {
    _ = try run(NotebookRunnerTests.cells)
    let before = server.requests.count
    let refreshed = try run(NotebookRunnerTests.cells, options: .init(refresh: true))
    XCTAssertEqual(refreshed.statuses, ["live", "live", "live"])
    XCTAssertEqual(refreshed.notes, ["--refresh", "--refresh", "--refresh"])
    XCTAssertEqual(server.requests.count - before, 5)
    XCTAssertEqual(try run(NotebookRunnerTests.cells).statuses, ["cached", "cached", "cached"])
  }

  func testACellMarkedCacheFalseRunsEveryTimeButFrozenReplaysIt() throws {
    let text = """
      ```seed cache=false
      print(chat("Tell me about Mars", seed: 7).content)
      ```
      ```seed
      print(chat("Tell me about Venus", seed: 7).content)
      ```
      """
    let notebook = try Notebook.parse(text, file: folder.appendingPathComponent("nb.seednb").path)
    XCTAssertEqual(try run(notebook).statuses, ["live", "live"])
    XCTAssertEqual(server.requests.count, 2)
    let again = try run(notebook)
    XCTAssertEqual(again.statuses, ["live", "cached"])
    XCTAssertEqual(again.notes, ["cache=false", nil])
    XCTAssertEqual(server.requests.count, 2, "the cache=false cell ran again; its seeded chat was answered from the store")
    XCTAssertEqual(try run(notebook, options: .init(refresh: true)).statuses, ["live", "live"])
    XCTAssertEqual(server.requests.count, 4, "--refresh sends everything")
    XCTAssertEqual(try run(notebook, options: .init(frozen: true)).statuses, ["cached", "cached"])
    XCTAssertEqual(server.requests.count, 4)
  }

  func testAFailedCellIsNotStoredAndRunsAgain() throws {
    let failing = ["let r = chat(\"q\", seed: 3)\nprint(r.content)\nerror(\"stop here\")"]
    XCTAssertEqual(try run(failing).statuses, ["error"])
    XCTAssertEqual(try run(failing).statuses, ["error"])
    XCTAssertEqual(server.requests.count, 2, "the failed cell's call was not kept")
  }

  func testTheStoreHoldsNoKey() throws {
    _ = try run(NotebookRunnerTests.cells)
    let path = CacheStore.path(forNotebook: folder.appendingPathComponent("nb.seednb").path)
    for suffix in ["", "-wal"] {
      let bytes = FileManager.default.contents(atPath: path + suffix) ?? Data()
      XCTAssertNil(bytes.range(of: Data("sk-runner-tests".utf8)), "the key is in \(path + suffix)")
    }
  }
}
