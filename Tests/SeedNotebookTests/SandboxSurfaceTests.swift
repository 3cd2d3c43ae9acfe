import Foundation
import LoopbackOpenAI
import SeedLLM
import SeedLang
import SeedNotebook
import XCTest

/// What notebook code can reach. Its powers are the globals it sees, so their complete list
/// is pinned here: a new builtin that could start a process or open a connection must show
/// up in review as a change to this list. And nothing a notebook controls (front matter,
/// parameters, `chat` arguments) can send a request, and the key with it, anywhere but the
/// configured endpoint.
final class SandboxSurfaceTests: XCTestCase {
  /// Every global a notebook session starts with: the language's builtins and core library,
  /// `chat` and `embed`, the file builtins confined to the notebook's folder, and `secret`,
  /// which reads an environment variable as a value that is never shown. None starts a
  /// process or opens a connection of its own.
  static let pinnedGlobals = [
    "abs", "all", "any", "append_file", "assert", "atan2", "ceil", "chart", "chat", "contains", "cos", "count_where",
    "display", "dot", "embed", "enumerate", "error", "exp", "file_exists", "filter", "first_where", "flat_map",
    "float", "floor", "format", "html", "int", "json", "json_decode", "json_encode", "len", "list", "list_dir", "log",
    "make_dir", "map", "markdown", "max", "mean", "min", "norm", "parallel", "pi", "pow", "print", "read_file",
    "read_json", "record", "reduce", "repr", "reversed", "round", "secret", "sin", "sorted", "sqrt", "str", "sum", "table", "tan", "type",
    "vector", "write_file", "write_json", "zeros", "zip",
  ]

  var endpoint: LoopbackOpenAIServer!
  var elsewhere: LoopbackOpenAIServer!
  static let key = "sk-sandbox-surface-key-0123456789"

  override func setUpWithError() throws {
    var options = LoopbackOpenAIServer.Options()
    options.requiredKey = SandboxSurfaceTests.key
    endpoint = LoopbackOpenAIServer(options: options)
    elsewhere = LoopbackOpenAIServer(options: options)
    try endpoint.start()
    try elsewhere.start()
  }

  override func tearDown() {
    endpoint.stop()
    elsewhere.stop()
  }

  func session(_ text: String) throws -> NotebookSession {
    let notebook = try Notebook.parse(text, file: "surface.seednb")
    let client = OpenAIClient(configuration: .init(baseURL: endpoint.baseURL, apiKey: APIKey(name: "OPENAI_API_KEY", text: SandboxSurfaceTests.key), retry: RetryPolicy(maxRetries: 0)))
    let parameters = try ParameterOverrides.resolve([], declared: notebook.frontMatter?.params ?? [:])
    var bindings = LLMBindings(client: client)
    if let model = notebook.frontMatter?.model { bindings.defaultChatModel = model }
    return NotebookSession(notebook: notebook, parameters: parameters, modules: ModuleSearchPath(directories: []), llm: bindings)
  }

  func testTheGlobalsANotebookSeesArePinned() throws {
    let names = try session("```seed\n1\n```\n").interpreter.globalNames
    XCTAssertEqual(
      names, SandboxSurfaceTests.pinnedGlobals,
      "the globals notebook code sees changed: review what the new ones can reach before pinning them. Added: "
        + "\(Set(names).subtracting(SandboxSurfaceTests.pinnedGlobals).sorted()), removed: "
        + "\(Set(SandboxSurfaceTests.pinnedGlobals).subtracting(names).sorted())")
  }

  func testNothingANotebookControlsRedirectsTheRequests() throws {
    let other = elsewhere.baseURL
    let session = try session(
      """
      ---
      model: "\(other)"
      params:
        OPENAI_BASE_URL: "\(other)"
        base_url: "\(other)"
      ---
      ```seed
      let r = chat("hello", model: "\(other)/chat/completions", seed: 1, messages: [["role": "user", "content": "\(other)", "name": "x"]])
      let e = embed("\(other)", model: "\(other)")
      print(r.cached, type(e))
      ```
      """)
    let result = LargeStack.run { session.run(session.notebook.cells[0]) }
    XCTAssertNil(result.error.map { "\($0)" })
    XCTAssertEqual(result.outputs, [.text("false vector\n")])
    XCTAssertEqual(endpoint.requests.count, 2)
    XCTAssertEqual(elsewhere.requests.count, 0, "a request went where the notebook pointed")
  }

  func testChatAndEmbedTakeNoEndpointAndNoKeyAsText() throws {
    let session = try session("```seed\nchat(\"hi\", base_url: \"x\")\n```\n```seed\nembed(\"hi\", api_key: \"x\")\n```\n")
    let results = LargeStack.run { session.notebook.cells.map { session.run($0) } }
    XCTAssertEqual(
      results.map { result -> String in
        guard case .runtime(let diagnostic)? = result.error else { return "no error" }
        return diagnostic.message
      },
      [
        "chat() has no parameter named 'base_url' (it takes: api_key, frequency_penalty, logprobs, max_tokens, messages, model, n, presence_penalty, seed, stop, system, temperature, top_logprobs, top_p)",
        "embed(): api_key must be a secret, not a string: write api_key: secret(\"NAME\") to read the environment variable NAME",
      ])
    XCTAssertEqual(endpoint.requests.count + elsewhere.requests.count, 0)
  }

  func testFrontMatterCannotNameAnEndpoint() {
    XCTAssertThrowsError(try Notebook.parse("---\nbase_url: http://127.0.0.1:1/v1\n---\n```seed\n1\n```\n", file: "fm.seednb")) { error in
      XCTAssertTrue("\(error)".contains("base_url"), "\(error)")
    }
  }

  func testOnlyHTTPIsSpokenEvenWhenTheConfiguredURLNamesAnotherScheme() throws {
    // A file: URL would otherwise be read by libcurl as the answer.
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("seednb-scheme-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("chat"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let answer = #"{"id":"x","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"from a file"},"finish_reason":"stop"}]}"#
    try answer.write(to: folder.appendingPathComponent("chat/completions"), atomically: true, encoding: .utf8)
    let client = OpenAIClient(configuration: .init(baseURL: "file://" + folder.path, apiKey: APIKey(name: "OPENAI_API_KEY", text: SandboxSurfaceTests.key), retry: RetryPolicy(maxRetries: 0)))
    XCTAssertThrowsError(try client.chat(ChatRequest(model: "m", messages: [ChatMessage(role: "user", content: "hi")]))) { error in
      XCTAssertTrue("\(error)".contains("Protocol \"file\" not supported"), "\(error)")
    }
  }
}
