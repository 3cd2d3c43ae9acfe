import Foundation
import LoopbackOpenAI
import SeedLLM
import SeedLang
import SeedNotebook
import XCTest

/// `secret(name)` as the notebook host installs it, and `api_key:` of `chat` and `embed`,
/// against a server on loopback that accepts two keys.
final class SecretBindingsTests: XCTestCase {
  static let key = "sk-secret-bindings-main-0123456789"
  static let otherKey = "sk-secret-bindings-other-9876543210"
  var server: LoopbackOpenAIServer!

  override func setUpWithError() throws {
    var options = LoopbackOpenAIServer.Options()
    options.requiredKey = SecretBindingsTests.key
    options.otherKeys = [SecretBindingsTests.otherKey]
    server = LoopbackOpenAIServer(options: options)
    try server.start()
  }

  override func tearDown() { server.stop() }

  /// Runs cells in one session whose environment holds OTHER_KEY; each cell's text or error.
  func run(_ cells: [String]) -> [String] {
    let notebook = Notebook(file: "secrets.seednb", title: nil, cellSources: cells)
    let client = OpenAIClient(
      configuration: .init(
        baseURL: server.baseURL, apiKey: APIKey(name: "OPENAI_API_KEY", text: SecretBindingsTests.key),
        retry: RetryPolicy(maxRetries: 0)))
    var bindings = LLMBindings(client: client)
    let environment = ["OTHER_KEY": SecretBindingsTests.otherKey]
    bindings.secrets = SecretAccess.notebook { environment[$0] }
    bindings.secrets.allow(frontMatter: ["OTHER_KEY", "NOT_IN_THIS_ENVIRONMENT"], commandLine: [])
    let session = NotebookSession(notebook: notebook, parameters: [:], modules: ModuleSearchPath(directories: []), llm: bindings)
    let results = LargeStack.run { notebook.cells.map { session.run($0) } }
    return results.map { result in
      let text = result.outputs.map(\.plainText).joined(separator: "\n")
      guard let error = result.error else { return text }
      if case .runtime(let diagnostic) = error { return "error: \(diagnostic.message)" }
      return "error: \(error)"
    }
  }

  func assertNoKey(_ texts: [String], file: StaticString = #filePath, line: UInt = #line) {
    for text in texts {
      XCTAssertFalse(text.contains(SecretBindingsTests.otherKey), text, file: file, line: line)
      XCTAssertFalse(text.contains(SecretBindingsTests.key), text, file: file, line: line)
    }
  }

  func testSecretReadsTheHostEnvironmentAndShowsMasked() {
    let texts = run([
      "let other = secret(\"OTHER_KEY\")\nprint(other, other.name)\nother",
      "secret(\"NOT_IN_THIS_ENVIRONMENT\")",
      "secret(\"HOME\")",
    ])
    assertNoKey(texts)
    XCTAssertEqual(texts[0], "•••• OTHER_KEY\n••••")
    XCTAssertEqual(texts[1], "error: secret(): the environment variable NOT_IN_THIS_ENVIRONMENT is not set")
    XCTAssertEqual(
      texts[2],
      "error: secret(): the environment variable HOME may not be read (allowed: OTHER_KEY, NOT_IN_THIS_ENVIRONMENT); to allow it, list it in the front matter (secrets: [HOME]) or pass --allow-secret HOME")
  }

  func testChatAndEmbedSendTheSecretAsTheirKey() throws {
    let texts = run([
      """
      let other = secret("OTHER_KEY")
      let r = chat("Hi", seed: 3, api_key: other)
      print(r.content.count > 0, r.seed)
      print(embed(["a", "b"], api_key: other).count)
      print(parallel([1, 2]) { i in chat("item \\(i)", seed: i, api_key: other).seed })
      print(chat("Hi", seed: 3).seed)
      """
    ])
    assertNoKey(texts)
    XCTAssertEqual(texts[0], "true 3\n2\n[1, 2]\n3")
    let authorizations = server.requests.map { $0.headers["authorization"] ?? "" }
    XCTAssertEqual(authorizations.filter { $0 == "Bearer \(SecretBindingsTests.otherKey)" }.count, 4)
    XCTAssertEqual(authorizations.last, "Bearer \(SecretBindingsTests.key)")
  }

  func testAKeyMustBeASecretAndASecretIsNeverSentAsText() {
    let texts = run([
      "chat(\"Hi\", api_key: \"sk-typed-into-the-notebook\")",
      "chat(\"Hi\", api_key: 42)",
      "embed(\"a\", api_key: \"sk-typed-into-the-notebook\")",
      "chat(secret(\"OTHER_KEY\"))",
      "chat(messages: [[\"role\": \"user\", \"content\": secret(\"OTHER_KEY\")]])",
      "embed(secret(\"OTHER_KEY\"))",
      "chat(\"Hi\", system: secret(\"OTHER_KEY\"))",
    ])
    assertNoKey(texts)
    XCTAssertEqual(
      texts,
      [
        "error: chat(): api_key must be a secret, not a string: write api_key: secret(\"NAME\") to read the environment variable NAME",
        "error: chat(): api_key must be a secret (api_key: secret(\"NAME\")), got int",
        "error: embed(): api_key must be a secret, not a string: write api_key: secret(\"NAME\") to read the environment variable NAME",
        "error: chat(): the prompt is a secret; a secret is only sent as api_key",
        "error: chat(): message 0's content is a secret; a secret is only sent as api_key",
        "error: embed() expects a string or a list of strings as argument 1, got secret",
        "error: chat(): system is a secret; a secret is only sent as api_key",
      ])
    XCTAssertTrue(server.requests.isEmpty, "nothing may be sent")
  }

  func testAnErrorThatEchoesTheOtherKeyIsRedacted() {
    server.enqueue(.echoAuthorization(status: 401, json: true))
    let texts = run(["chat(\"Hi\", seed: 1, api_key: secret(\"OTHER_KEY\"))"])
    assertNoKey(texts)
    XCTAssertTrue(texts[0].contains("HTTP 401"), texts[0])
    XCTAssertTrue(texts[0].contains("Authorization: Bearer ••••"), texts[0])
  }
}
