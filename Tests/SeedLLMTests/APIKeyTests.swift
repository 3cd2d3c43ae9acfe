import Foundation
import LoopbackOpenAI
import SeedJSON
import SeedLLM
import XCTest

/// The API key never leaves the client except in the Authorization header: not in a
/// description or dump, not in an error, whatever the server echoes, and not in an answer.
final class APIKeyTests: XCTestCase {
  static let key = "sk-apikey-tests-5f0e9d8c7b6a"
  static let otherKey = "sk-other-key-1a2b3c4d5e6f"
  var server: LoopbackOpenAIServer!

  override func setUpWithError() throws {
    var options = LoopbackOpenAIServer.Options()
    options.requiredKey = APIKeyTests.key
    options.otherKeys = [APIKeyTests.otherKey]
    server = LoopbackOpenAIServer(options: options)
    try server.start()
  }

  override func tearDown() { server.stop() }

  func client(key: String = APIKeyTests.key) -> OpenAIClient {
    OpenAIClient(
      configuration: .init(
        baseURL: server.baseURL, apiKey: APIKey(name: "OPENAI_API_KEY", text: key), retry: RetryPolicy(maxRetries: 0)))
  }

  var request: ChatRequest {
    var request = ChatRequest(model: "gpt-4o-mini", messages: [ChatMessage(role: "user", content: "Hi")])
    request.seed = 1
    return request
  }

  /// The error the request ends in; it must not hold the key in any form.
  func failure(_ client: OpenAIClient, file: StaticString = #filePath, line: UInt = #line) -> String {
    do {
      _ = try client.chat(request)
      XCTFail("expected an error", file: file, line: line)
      return ""
    } catch {
      let text = "\(error)"
      for key in [APIKeyTests.key, APIKeyTests.otherKey] {
        XCTAssertFalse(text.contains(key), text, file: file, line: line)
      }
      return text
    }
  }

  func testAKeyShowsOnlyItsName() {
    let key = APIKey(name: "OPENAI_API_KEY", text: APIKeyTests.key)
    let configuration = OpenAIClient.Configuration(baseURL: "http://127.0.0.1:9/v1", apiKey: key)
    var dumped = ""
    dump(configuration, to: &dumped)
    for shown in ["\(key)", String(describing: key), String(reflecting: key), "\(configuration)", String(reflecting: configuration), dumped] {
      XCTAssertFalse(shown.contains(APIKeyTests.key), shown)
    }
    XCTAssertEqual("\(key)", "••••")
    XCTAssertTrue(String(reflecting: key).contains("OPENAI_API_KEY"))
  }

  func testAnErrorBodyEchoingTheAuthorizationHeaderIsRedacted() {
    server.enqueue(.echoAuthorization(status: 403, json: true))
    let message = failure(client())
    XCTAssertTrue(message.contains("HTTP 403"), message)
    XCTAssertTrue(message.contains("Authorization: Bearer ••••"), message)
  }

  func testAPlainTextBodyEchoingTheHeaderIsRedacted() {
    server.enqueue(.echoAuthorization(status: 502, json: false))
    let message = failure(client())
    XCTAssertTrue(message.contains("HTTP 502"), message)
    XCTAssertTrue(message.contains("Authorization: Bearer ••••"), message)
  }

  func testAShortKeyIsRedactedAfterBearer() throws {
    var options = LoopbackOpenAIServer.Options()
    options.requiredKey = "k3y"
    let short = LoopbackOpenAIServer(options: options)
    try short.start()
    defer { short.stop() }
    short.enqueue(.echoAuthorization(status: 400, json: true))
    let client = OpenAIClient(
      configuration: .init(baseURL: short.baseURL, apiKey: APIKey(name: "K", text: "k3y"), retry: RetryPolicy(maxRetries: 0)))
    do {
      _ = try client.chat(request)
      XCTFail("expected an error")
    } catch {
      XCTAssertFalse("\(error)".contains("Bearer k3y"), "\(error)")
      XCTAssertTrue("\(error)".contains("Bearer ••••"), "\(error)")
    }
  }

  func testAnAnswerThatHoldsTheKeyIsKeptWithoutIt() throws {
    var options = LoopbackOpenAIServer.Options()
    options.requiredKey = APIKeyTests.key
    // A server that names its model after the key puts the key into a successful answer.
    options.model = "model-\(APIKeyTests.key)"
    let echoing = LoopbackOpenAIServer(options: options)
    try echoing.start()
    defer { echoing.stop() }
    let client = OpenAIClient(
      configuration: .init(
        baseURL: echoing.baseURL, apiKey: APIKey(name: "OPENAI_API_KEY", text: APIKeyTests.key),
        retry: RetryPolicy(maxRetries: 0)))
    let answer = try client.chat(request)
    XCTAssertEqual(answer.body.model, "model-••••")
    XCTAssertFalse(answer.json.serialized().contains(APIKeyTests.key))
    let vectors = try client.embeddings(EmbeddingRequest(model: "e", input: ["a"]))
    XCTAssertFalse(vectors.json.serialized().contains(APIKeyTests.key))
    let streamed = try client.chatStreaming(request) { _ in }
    XCTAssertEqual(streamed.body.model, "model-••••")
    XCTAssertFalse(streamed.json.serialized().contains(APIKeyTests.key))
  }

  func testAnotherKeyIsSentInsteadAndRedactedToo() throws {
    let other = client(key: "sk-not-accepted-anywhere-000").using(apiKey: APIKey(name: "OTHER_KEY", text: APIKeyTests.otherKey))
    _ = try other.chat(request)
    XCTAssertEqual(server.requests.last?.headers["authorization"], "Bearer \(APIKeyTests.otherKey)")
    server.enqueue(.echoAuthorization(status: 401, json: true))
    let message = failure(other)
    XCTAssertTrue(message.contains("Bearer ••••"), message)
    XCTAssertEqual(other.configuration.apiKey?.name, "OTHER_KEY")
  }

  /// A key partly masked, as OpenAI's 401 and dashboards show it, gives away its start and
  /// its last four characters: it is removed whole, while text that merely ends the same way
  /// without a mask stays.
  func testTheRedactorRemovesMaskedForms() {
    let key = "sk-proj-abcdefghijklmnop1234wxyz"
    let redactor = Redactor(secrets: [key])
    let cases: [(String, String)] = [
      ("Incorrect API key provided: sk-pr************************wxyz. You can", "Incorrect API key provided: ••••. You can"),
      ("key sk-...wxyz in use", "key •••• in use"),
      ("key sk-proj-…wxyz", "key ••••"),
      ("masked ****wxyz", "masked ••••"),
      ("\"sk-p•••••wxyz\"", "\"••••\""),
      ("the words wxyz and ab.wxyz stay", "the words wxyz and ab.wxyz stay"),
    ]
    for (text, expected) in cases {
      XCTAssertEqual(redactor.redact(text), expected, text)
    }
    XCTAssertTrue(redactor.holdsSecret(Data("{\"error\": \"sk-pr***wxyz\"}".utf8)))
    XCTAssertFalse(redactor.holdsSecret(Data("{\"text\": \"wxyz\"}".utf8)))
    // Too short a key has no masked form: its last four would match ordinary text.
    XCTAssertEqual(Redactor(secrets: ["tok-12wxyz"]).redact("ab...wxyz"), "ab...wxyz")
  }

  func testURLCredentialsAreRemoved() {
    XCTAssertEqual(
      Redactor.withoutURLCredentials("POST https://me:p%40ss@proxy.example:8443/v1/chat and http://plain.example/x"),
      "POST https://••••@proxy.example:8443/v1/chat and http://plain.example/x")
    XCTAssertEqual(Redactor.withoutURLCredentials("mail me@example.org"), "mail me@example.org")
    XCTAssertEqual(Redactor(secrets: []).redact("at http://token@host/v1"), "at http://••••@host/v1")
  }

  func testKeysAreRecognisedByShape() {
    for key in ["sk-abcdefghijklmnop12", "sk-proj-AbC_dEf-1234567890xyz", "hf_abcdefghijklmnopqrstuvwx", "AKIAABCDEFGHIJKLMNOP"] {
      XCTAssertTrue(APIKeyShape.holdsKey(key), key)
      XCTAssertTrue(APIKeyShape.holdsKey("[\"\(key)\"]"), key)
    }
    for text in ["sk-learn", "ask-me-anything", "Say hi", "sk-", "risk-assessment-of-the-plan"] {
      XCTAssertFalse(APIKeyShape.holdsKey(text), text)
    }
    XCTAssertTrue(APIKeyShape.holdsKey("my plain secret value", knownKeys: ["plain secret"]))
    XCTAssertFalse(APIKeyShape.holdsKey("short", knownKeys: ["sho"]), "a known value under 8 characters is ignored")
  }

  func testTheRedactorRemovesEncodedForms() {
    let key = "sk-with/slash+plus-0123456789"
    let redactor = Redactor(secrets: [key])
    let escaped = "{\"m\":\"sk-with\\/slash+plus-0123456789\"}"
    let encoded = "key=sk-with%2Fslash%2Bplus-0123456789"
    for text in [key, escaped, encoded] {
      XCTAssertTrue(redactor.holdsSecret(Data(text.utf8)), text)
      XCTAssertFalse(redactor.redact(text).contains("0123456789"), redactor.redact(text))
    }
    XCTAssertEqual(redactor.redact("plain text"), "plain text")
  }

  func testTheSearchOfAnAnswerFindsTheKeyAnywhereAndNothingElse() {
    let key = "sk-search-0123456789"
    let redactor = Redactor(secrets: [key])
    let found = [key, "ss" + key, "sssk-search-0" + key + "!", "{\"a\":\"s s sk\",\"b\":\"\(key)\"}", "Bearer \(key)"]
    for text in found { XCTAssertTrue(redactor.holdsSecret(Data(text.utf8)), text) }
    let clean = ["", "s", "sk-search-012345678", "sk-search-012345678 9", String(repeating: "sk-search-", count: 50), "plain"]
    for text in clean { XCTAssertFalse(redactor.holdsSecret(Data(text.utf8)), text) }
    XCTAssertFalse(Redactor(secrets: []).holdsSecret(Data(key.utf8)))
  }

  /// Redacting text that holds no secret gives it back whole; a non-ASCII secret is still
  /// found in another normalization form, as characters compare.
  func testRedactingLeavesTextWithoutASecretAsItIs() {
    let redactor = Redactor(secrets: ["sk-ascii-0123456789"])
    for text in ["", "POST http://127.0.0.1:8080/v1/chat/completions", "é ✨ \u{0065}\u{0301}", "sk-ascii-012345678"] {
      XCTAssertEqual(redactor.redact(text), text)
    }
    XCTAssertEqual(redactor.redact("a sk-ascii-0123456789 b"), "a •••• b")
    XCTAssertEqual(redactor.redact("Bearer sk-ascii-0123456789"), "Bearer ••••")
    let composed = "clé-secrète-0123456789", decomposed = "cle\u{0301}-secre\u{0300}te-0123456789"
    let unicode = Redactor(secrets: [composed])
    XCTAssertEqual(unicode.redact("key: \(decomposed)"), "key: ••••")
    XCTAssertEqual(unicode.redact("nothing here"), "nothing here")
  }
}
