import Foundation
import LoopbackOpenAI
import SeedLLM
import SeedLang
import SeedNotebook
import XCTest

/// `chat`, `embed` and `parallel` in a notebook session, against a server on loopback.
final class LLMBindingsTests: XCTestCase {
  static let key = "sk-bindings-test-key-0123456789"
  var server: LoopbackOpenAIServer!

  override func setUpWithError() throws {
    var options = LoopbackOpenAIServer.Options()
    options.delay = 0.2
    options.requiredKey = LLMBindingsTests.key
    server = LoopbackOpenAIServer(options: options)
    try server.start()
  }

  override func tearDown() { server.stop() }

  /// Runs cells of seed code in one session; returns each cell's text output or error.
  func run(_ cells: [String], key: String? = LLMBindingsTests.key, baseURL: String? = nil) throws -> [NotebookSession.CellResult] {
    let notebook = Notebook(file: "llm.seednb", title: nil, cellSources: cells)
    let client = OpenAIClient(
      configuration: .init(baseURL: baseURL ?? server.baseURL, apiKey: key.map { APIKey(name: "OPENAI_API_KEY", text: $0) }, retry: RetryPolicy(maxRetries: 0)))
    let session = NotebookSession(
      notebook: notebook, parameters: [:], modules: ModuleSearchPath(directories: []), llm: LLMBindings(client: client))
    return LargeStack.run { notebook.cells.map { session.run($0) } }
  }

  func text(_ result: NotebookSession.CellResult) -> String {
    result.outputs.map(\.plainText).joined(separator: "\n")
  }

  func testChatReturnsARecordWithFingerprintUsageModelSeedAndLatency() throws {
    let results = try run([
      """
      let r = chat(messages: [["role": "system", "content": "You are terse."], ["role": "user", "content": "Hi there"]], seed: 123, temperature: 0, max_tokens: 50)
      print(r.system_fingerprint, r.model, r.seed, r.finish_reason, r.cached)
      print(r.usage.total_tokens == r.usage.prompt_tokens + r.usage.completion_tokens, r.usage.prompt_tokens)
      print(r.latency >= 0.2, type(r.content), r.content.count > 0)
      let again = chat(messages: [["role": "system", "content": "You are terse."], ["role": "user", "content": "Hi there"]], seed: 123, temperature: 0, max_tokens: 50)
      print(again.content == r.content)
      """
    ])
    XCTAssertNil(results[0].error, "\(results[0].error!)")
    XCTAssertEqual(text(results[0]), "fp_loopback_1 gpt-4o-mini 123 stop false\ntrue 5\ntrue string true\ntrue")
  }

  func testPromptSystemAndOptionsReachTheRequest() throws {
    let results = try run(["chat(\"Tell me a joke\", system: \"Be brief.\", model: \"other-model\", top_p: 0.5, stop: \"END\", n: 2).choices.count"])
    XCTAssertNil(results[0].error)
    XCTAssertEqual(text(results[0]), "2")
    let body = try XCTUnwrap(JSONSerialization.jsonObject(with: XCTUnwrap(server.requests.last).body) as? [String: Any])
    XCTAssertEqual(body["model"] as? String, "other-model")
    XCTAssertEqual(body["stop"] as? [String], ["END"])
    let messages = try XCTUnwrap(body["messages"] as? [[String: Any]])
    XCTAssertEqual(messages.map { $0["role"] as? String }, ["system", "user"])
  }

  func testEmbedGivesAVectorOrAListOfVectors() throws {
    let results = try run([
      """
      let one = embed("a journey to mars", dimensions: 4)
      let many = embed(["a", "b", "a"], dimensions: 4)
      print(type(one), one.count, type(many), many.count, many[0] == many[2], many[0] == many[1])
      print(abs(norm(one) - 1.0) < 1e-6, embed([]))
      """
    ])
    XCTAssertNil(results[0].error)
    XCTAssertEqual(text(results[0]), "vector 4 list 3 true false\ntrue []")
  }

  func testParallelChatsAreInFlightTogetherAndKeepInputOrder() throws {
    let start = Date()
    let results = try run([
      """
      let answers = parallel(0..<16) { i in chat("Question \\(i)", seed: i) }
      print(answers.count, answers.map { r in r.seed })
      """
    ])
    let elapsed = Date().timeIntervalSince(start)
    XCTAssertNil(results[0].error)
    XCTAssertEqual(text(results[0]), "16 [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]")
    XCTAssertLessThan(elapsed, 1.6, "16 calls of 0.2 s overlap; one after another they take 3.2 s")
  }

  func testAnErrorInOneParallelItemNamesItsIndex() throws {
    let results = try run([
      """
      parallel([1, 2, 3, 4]) { n in
        if n == 3 { error("no answer for \\(n)") }
        return chat("q", seed: n).content
      }
      """
    ])
    let error = try XCTUnwrap(results[0].error)
    XCTAssertTrue(error.description.contains("error: parallel item 2: no answer for 3"), error.description)
  }

  func testServerErrorsBecomeCellErrorsWithLocationAndNoKey() throws {
    server.enqueue(.status(400, message: "Invalid key \(LLMBindingsTests.key)", type: "invalid_request_error", code: "bad"))
    let results = try run(["print(\"before\")\nlet r = chat(\"x\")"])
    let error = try XCTUnwrap(results[0].error)
    let rendered = error.description
    XCTAssertTrue(rendered.hasPrefix("llm.seednb:cell 1:3:13: error: POST \(server.baseURL)/chat/completions: HTTP 400"), rendered)
    XCTAssertTrue(rendered.contains("Invalid key ••••"), rendered)
    XCTAssertFalse(rendered.contains(LLMBindingsTests.key))
    XCTAssertEqual(text(results[0]), "before")
  }

  func testBadArgumentsAreClearErrors() throws {
    let cases: [(String, String)] = [
      ("chat()", "chat() needs a prompt or messages"),
      ("chat(messages: [[\"role\": \"user\"]])", "chat(): message 0 must be a dict with a string \"role\" and a string \"content\""),
      ("chat(\"x\", seed: \"abc\")", "seed must be an int, got string"),
      ("chat(\"x\", temprature: 0)", "chat() has no parameter named 'temprature'"),
      ("embed(42)", "embed() expects a string or a list of strings as argument 1, got int"),
      ("embed([\"a\", 1])", "embed(): item 1 must be a string, got int"),
    ]
    for (code, message) in cases {
      let results = try run([code])
      let error = try XCTUnwrap(results[0].error, code)
      XCTAssertTrue(error.description.contains(message), "\(code): \(error.description)")
    }
  }

  func testWithoutAnyBackendTheErrorSaysWhatToSet() throws {
    let results = try run(["chat(\"hello\")"], key: nil, baseURL: OpenAIClient.Configuration.defaultBaseURL)
    let error = try XCTUnwrap(results[0].error)
    XCTAssertTrue(error.description.contains("no LLM backend is configured: set OPENAI_API_KEY"), error.description)
  }
}
