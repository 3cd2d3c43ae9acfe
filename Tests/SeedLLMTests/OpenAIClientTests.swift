import Foundation
import LoopbackOpenAI
import SeedLLM
import XCTest

/// The client against a real server on loopback: answers decoded, every injected fault
/// ending either in success after a retry or in one clear error, and the key in none of it.
final class OpenAIClientTests: XCTestCase {
  static let key = "sk-test-DO-NOT-LEAK-0123456789abcdef"
  var server: LoopbackOpenAIServer!

  override func setUpWithError() throws {
    var options = LoopbackOpenAIServer.Options()
    options.requiredKey = OpenAIClientTests.key
    server = LoopbackOpenAIServer(options: options)
    try server.start()
  }

  override func tearDown() {
    server.stop()
  }

  func client(retries: Int = 2, timeout: Double = 10, key: String? = OpenAIClientTests.key, baseURL: String? = nil) -> OpenAIClient {
    // Short backoff keeps the retry tests quick; the policy's shape is what is tested.
    let retry = RetryPolicy(maxRetries: retries, initialDelay: 0.01, maxDelay: 0.05)
    return OpenAIClient(
      configuration: .init(baseURL: baseURL ?? server.baseURL, apiKey: key.map { APIKey(name: "OPENAI_API_KEY", text: $0) }, retry: retry, connectTimeout: 2, timeout: timeout))
  }

  func chatRequest(seed: Int? = 123, content: String = "Tell me a story about how the universe began") -> ChatRequest {
    var request = ChatRequest(
      model: "gpt-4o-mini",
      messages: [ChatMessage(role: "system", content: "You are a helpful assistant."), ChatMessage(role: "user", content: content)])
    request.seed = seed
    request.temperature = 0
    request.maxTokens = 200
    return request
  }

  func assertError(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line, _ check: (LLMError) -> Void) {
    do {
      try body()
      XCTFail("expected an error", file: file, line: line)
    } catch let error as LLMError {
      XCTAssertFalse(error.description.contains(OpenAIClientTests.key), error.description, file: file, line: line)
      check(error)
    } catch {
      XCTFail("expected an LLMError, got \(error)", file: file, line: line)
    }
  }

  // MARK: - Answers

  func testChatAnswerIsDecodedWholeAndSeededAnswersRepeat() throws {
    let first = try client().chat(chatRequest())
    let second = try client().chat(chatRequest())
    let response = first.body
    XCTAssertEqual(response.systemFingerprint, "fp_loopback_1")
    XCTAssertEqual(response.model, "gpt-4o-mini")
    XCTAssertEqual(response.choices.count, 1)
    XCTAssertEqual(response.choices[0].message?.role, "assistant")
    XCTAssertFalse((response.choices[0].message?.content ?? "").isEmpty)
    XCTAssertNotNil(response.choices[0].finishReason)
    XCTAssertNotNil(response.id)
    XCTAssertNotNil(response.created)
    let usage = try XCTUnwrap(response.usage)
    XCTAssertEqual(usage.totalTokens, (usage.promptTokens ?? 0) + (usage.completionTokens ?? 0))
    XCTAssertEqual(usage.cachedTokens, 0)
    XCTAssertEqual(usage.reasoningTokens, 0)
    XCTAssertEqual(first.attempts, 1)
    XCTAssertGreaterThan(first.latency, 0)
    XCTAssertEqual(second.body.choices[0].message?.content, response.choices[0].message?.content)
  }

  func testRequestCarriesEveryParameterInSnakeCaseAndTheKeyOnlyInItsHeader() throws {
    var request = chatRequest()
    request.topP = 0.5
    request.n = 2
    request.stop = ["\n\n"]
    request.presencePenalty = 0.1
    request.frequencyPenalty = 0.2
    request.logprobs = true
    request.topLogprobs = 2
    let answer = try client().chat(request)
    XCTAssertEqual(answer.body.choices.count, 2)
    let recorded = try XCTUnwrap(server.requests.last)
    XCTAssertEqual(recorded.path, "/v1/chat/completions")
    XCTAssertEqual(recorded.headers["authorization"], "Bearer \(OpenAIClientTests.key)")
    let body = try XCTUnwrap(JSONSerialization.jsonObject(with: recorded.body) as? [String: Any])
    XCTAssertEqual(body["seed"] as? Int, 123)
    XCTAssertEqual(body["top_p"] as? Double, 0.5)
    XCTAssertEqual(body["max_tokens"] as? Int, 200)
    XCTAssertEqual(body["presence_penalty"] as? Double, 0.1)
    XCTAssertEqual(body["frequency_penalty"] as? Double, 0.2)
    XCTAssertEqual(body["top_logprobs"] as? Int, 2)
    XCTAssertEqual(body["stop"] as? [String], ["\n\n"])
    XCTAssertFalse(String(decoding: recorded.body, as: UTF8.self).contains(OpenAIClientTests.key))
    XCTAssertFalse(recorded.path.contains(OpenAIClientTests.key))
  }

  func testEmbeddingsAsFloatsAndAsBase64AreTheSame() throws {
    var request = EmbeddingRequest(model: "text-embedding-3-small", input: ["a journey to mars", "tax law"], dimensions: 8)
    let floats = try client().embeddings(request).body
    XCTAssertEqual(floats.data.map(\.index), [0, 1])
    XCTAssertEqual(floats.data[0].embedding.count, 8)
    let recorded = try XCTUnwrap(server.requests.last)
    let body = try XCTUnwrap(JSONSerialization.jsonObject(with: recorded.body) as? [String: Any])
    XCTAssertEqual(body["encoding_format"] as? String, "float", "float is asked for explicitly")
    request.encodingFormat = "base64"
    let decoded = try client().embeddings(request).body
    for (a, b) in zip(floats.data[0].embedding, decoded.data[0].embedding) {
      XCTAssertEqual(a, b, accuracy: 1e-6, "base64 carries float32")
    }
  }

  // MARK: - Faults that a retry mends

  func testRateLimitWithRetryAfterIsRetriedAfterTheServersWait() throws {
    server.enqueue(.status(429, message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded", headers: ["retry-after": "0.3"]))
    let start = Date()
    let answer = try client().chat(chatRequest())
    XCTAssertEqual(answer.attempts, 2)
    XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 0.3, "waited as retry-after said")
    XCTAssertEqual(server.requests.count, 2)
  }

  func testRetryAfterMillisecondsWins() throws {
    server.enqueue(.status(429, message: "slow down", headers: ["retry-after-ms": "150", "retry-after": "30"]))
    let start = Date()
    _ = try client().chat(chatRequest())
    let waited = Date().timeIntervalSince(start)
    XCTAssertGreaterThanOrEqual(waited, 0.15)
    XCTAssertLessThan(waited, 10, "retry-after-ms is preferred to retry-after")
  }

  func testServerErrorsAreRetried() throws {
    for status in [500, 502, 503, 408, 409] {
      server.enqueue(.status(status, message: "transient"))
      XCTAssertEqual(try client().chat(chatRequest()).attempts, 2, "status \(status)")
    }
  }

  func testConnectionResetMidBodyIsRetried() throws {
    server.enqueue(.resetMidBody)
    XCTAssertEqual(try client().chat(chatRequest()).attempts, 2)
    server.enqueue(.truncated)
    XCTAssertEqual(try client().chat(chatRequest()).attempts, 2)
    // On a reused connection libcurl itself resends once when the server closed it unanswered,
    // so the client may see one attempt; the server saw the request twice either way.
    let before = server.requests.count
    server.enqueue(.closeWithoutAnswer)
    XCTAssertLessThanOrEqual(try client().chat(chatRequest()).attempts, 2)
    XCTAssertEqual(server.requests.count - before, 2)
  }

  func testSlowAnswerPastTheTimeoutIsRetried() throws {
    server.enqueue(.delay(3))
    let start = Date()
    let answer = try client(timeout: 0.5).chat(chatRequest())
    XCTAssertEqual(answer.attempts, 2)
    XCTAssertLessThan(Date().timeIntervalSince(start), 2.5)
  }

  /// A server that sends half its answer and then nothing: the transfer is abandoned after the
  /// stall timeout (here 1 s, not the 600 s of the whole request's) and retried.
  func testAnAnswerThatStallsMidBodyIsAbandonedAndRetried() throws {
    server.enqueue(.stallMidBody(30))
    var stalling = client(timeout: 600)
    var configuration = stalling.configuration
    configuration.stallTimeout = 1
    stalling = OpenAIClient(configuration: configuration)
    let start = Date()
    let answer = try stalling.chat(chatRequest())
    XCTAssertEqual(answer.attempts, 2)
    XCTAssertEqual(server.requests.count, 2)
    let elapsed = Date().timeIntervalSince(start)
    XCTAssertGreaterThanOrEqual(elapsed, 1, "not before the stall timeout")
    XCTAssertLessThan(elapsed, 10, "long before the stalled server gives up (30 s)")
  }

  /// A slow start is not a stall: the clock runs only once the answer has begun.
  func testASlowStartIsNotAStall() throws {
    server.enqueue(.delay(2.5))
    var configuration = client(timeout: 600).configuration
    configuration.stallTimeout = 1
    let answer = try OpenAIClient(configuration: configuration).chat(chatRequest())
    XCTAssertEqual(answer.attempts, 1)
  }

  func testAStallThatPersistsSaysSo() {
    server.enqueue(.stallMidBody(30), .stallMidBody(30))
    var configuration = client(retries: 1, timeout: 600).configuration
    configuration.stallTimeout = 1
    assertError({ _ = try OpenAIClient(configuration: configuration).chat(chatRequest()) }) { error in
      XCTAssertEqual(
        error.description,
        "POST \(server.baseURL)/chat/completions: the answer began, then nothing arrived for 1 s (SEEDNB_STALL_TIMEOUT); it was abandoned (after 2 attempts)")
    }
  }

  func testTheStallTimeoutIsReadFromTheEnvironment() {
    XCTAssertEqual(OpenAIClient.Configuration.fromEnvironment([:]).stallTimeout, 60)
    XCTAssertEqual(OpenAIClient.Configuration.fromEnvironment(["SEEDNB_STALL_TIMEOUT": "2.5"]).stallTimeout, 2.5)
    XCTAssertEqual(OpenAIClient.Configuration.fromEnvironment(["SEEDNB_STALL_TIMEOUT": "0"]).stallTimeout, 60)
  }

  // MARK: - Faults that end in a clear error

  func testServerErrorThatPersistsNamesEndpointStatusAndServerText() {
    server.enqueue(
      .status(503, message: "The engine is currently overloaded", type: "server_error"),
      .status(503, message: "The engine is currently overloaded", type: "server_error"),
      .status(503, message: "The engine is currently overloaded", type: "server_error"))
    assertError({ _ = try client().chat(chatRequest()) }) { error in
      XCTAssertEqual(
        error.description,
        "POST \(server.baseURL)/chat/completions: HTTP 503 (server_error): The engine is currently overloaded (after 3 attempts)")
      XCTAssertEqual(error.attempts, 3)
    }
    XCTAssertEqual(server.requests.count, 3, "at most the configured number of retries")
  }

  func testUnauthorizedIsNotRetriedAndNeverShowsTheKey() {
    assertError({ _ = try client(key: "sk-wrong-key-that-is-long-enough").chat(chatRequest()) }) { error in
      guard case .http(let status, let message, let type, _) = error.reason else { return XCTFail("\(error)") }
      XCTAssertEqual(status, 401)
      XCTAssertEqual(type, "invalid_request_error")
      XCTAssertNotNil(message)
      XCTAssertFalse(error.description.contains("sk-wrong-key-that-is-long-enough"), error.description)
      XCTAssertEqual(error.attempts, 1)
    }
    XCTAssertEqual(server.requests.count, 1)
  }

  func testAServerThatEchoesTheKeyHasItRedacted() {
    server.enqueue(.status(400, message: "Incorrect API key provided: \(OpenAIClientTests.key)", type: "invalid_request_error", code: "invalid_api_key"))
    assertError({ _ = try client().chat(chatRequest()) }) { error in
      XCTAssertTrue(error.description.contains("Incorrect API key provided: ••••"), error.description)
      XCTAssertTrue(error.description.contains("(invalid_request_error, invalid_api_key)"), error.description)
    }
  }

  /// OpenAI's own 401 repeats the key partly masked (`sk-te*****cdef`): that goes too.
  func testAServerThatEchoesTheKeyMaskedHasItRedacted() {
    server.enqueue(.echoMaskedKey)
    assertError({ _ = try client().chat(chatRequest()) }) { error in
      XCTAssertTrue(error.description.contains("Incorrect API key provided: ••••. You can find"), error.description)
      XCTAssertFalse(error.description.contains("cdef"), error.description)
    }
  }

  /// Credentials in the base URL are never shown, in the endpoint or in libcurl's texts.
  func testCredentialsInTheBaseURLAreRedacted() throws {
    let port = try XCTUnwrap(URL(string: server.baseURL)?.port)
    let withCredentials = "http://user:hunter2pw@127.0.0.1:\(port)/v1"
    server.enqueue(.status(500, message: "at http://user:hunter2pw@127.0.0.1/ it fell over"))
    assertError({ _ = try client(retries: 0, baseURL: withCredentials).chat(chatRequest()) }) { error in
      XCTAssertEqual(
        error.description,
        "POST http://••••@127.0.0.1:\(port)/v1/chat/completions: HTTP 500 (server_error): at http://••••@127.0.0.1/ it fell over")
    }
  }

  func testABodyThatIsNotJSONIsAnErrorWithoutRetry() {
    server.enqueue(.notJSON)
    assertError({ _ = try client().chat(chatRequest()) }) { error in
      XCTAssertEqual(error.description, "POST \(server.baseURL)/chat/completions: the answer is not JSON: <html>upstream error</html>")
    }
    XCTAssertEqual(server.requests.count, 1)
  }

  func testJSONOfTheWrongShapeSaysWhichFieldIsMissing() {
    server.enqueue(.status(200, message: "not a completion"))
    assertError({ _ = try client().chat(chatRequest()) }) { error in
      XCTAssertTrue(
        error.description.hasPrefix(
          "POST \(server.baseURL)/chat/completions: the answer is JSON but not the expected shape (choices is missing or not a list): {"),
        error.description)
    }
  }

  func testResetsOnEveryAttemptEndInATruncationError() {
    server.enqueue(.resetMidBody, .resetMidBody, .resetMidBody)
    assertError({ _ = try client().chat(chatRequest()) }) { error in
      guard case .transport(.truncated) = error.reason else { return XCTFail("\(error)") }
      XCTAssertTrue(error.description.contains("the connection broke before the whole answer arrived"), error.description)
      XCTAssertTrue(error.description.hasSuffix("(after 3 attempts)"), error.description)
    }
  }

  func testTimeoutOnEveryAttemptSaysSo() {
    server.enqueue(.delay(3), .delay(3))
    assertError({ _ = try client(retries: 1, timeout: 0.3).chat(chatRequest()) }) { error in
      XCTAssertEqual(error.description, "POST \(server.baseURL)/chat/completions: timed out after 0.3 s (after 2 attempts)")
    }
  }

  func testRefusedConnectionSaysSo() throws {
    let closed = LoopbackOpenAIServer()
    let port = try closed.start()
    closed.stop()
    assertError({ _ = try client(baseURL: "http://127.0.0.1:\(port)/v1").chat(chatRequest()) }) { error in
      XCTAssertEqual(error.description, "POST http://127.0.0.1:\(port)/v1/chat/completions: connection refused (after 3 attempts)")
    }
  }

  func testTLSToAServerThatAnswersInPlainTextIsATLSError() throws {
    let server = try RawServer(reply: Array("HTTP/1.1 400 Bad Request\r\n\r\n".utf8))
    defer { server.stop() }
    let url = "https://127.0.0.1:\(server.port)/v1"
    assertError({ _ = try client(retries: 0, baseURL: url).chat(chatRequest()) }) { error in
      guard case .transport(.tls) = error.reason else { return XCTFail("\(error)") }
      XCTAssertTrue(error.description.hasPrefix("POST \(url)/chat/completions: TLS error: "), error.description)
    }
  }

  func testAHandshakeThatNeverEndsIsAConnectTimeout() throws {
    let server = try RawServer(reply: nil)
    defer { server.stop() }
    let url = "https://127.0.0.1:\(server.port)/v1"
    let retry = RetryPolicy(maxRetries: 0)
    let client = OpenAIClient(configuration: .init(baseURL: url, apiKey: nil, retry: retry, connectTimeout: 0.5, timeout: 30))
    let start = Date()
    assertError({ _ = try client.chat(chatRequest()) }) { error in
      XCTAssertEqual(error.description, "POST \(url)/chat/completions: timed out connecting after 0.5 s")
    }
    XCTAssertLessThan(Date().timeIntervalSince(start), 5)
  }

  // MARK: - One multi handle

  func testSequentialRequestsReuseOneConnection() throws {
    for _ in 0..<5 { _ = try client().chat(chatRequest()) }
    XCTAssertEqual(server.connectionsAccepted, 1)
  }

  func testRequestsFromManyThreadsAreInFlightTogether() throws {
    let slow = LoopbackOpenAIServer(options: { var o = LoopbackOpenAIServer.Options(); o.delay = 0.3; return o }())
    try slow.start()
    defer { slow.stop() }
    let client = self.client(baseURL: slow.baseURL)
    let request = chatRequest()
    let start = Date()
    let failures = Failures()
    // A thread each: concurrentPerform would use only as many threads as cores.
    let finished = DispatchGroup()
    for _ in 0..<16 {
      finished.enter()
      Thread {
        do { _ = try client.chat(request) } catch { failures.add(error) }
        finished.leave()
      }.start()
    }
    finished.wait()
    let elapsed = Date().timeIntervalSince(start)
    XCTAssertTrue(failures.all.isEmpty, "\(failures.all)")
    XCTAssertLessThan(elapsed, 1.5, "16 requests of 0.3 s each overlap (sequential would take 4.8 s)")
  }

  func testCancelAllEndsRequestsInFlight() throws {
    server.enqueue(.delay(5))
    let client = self.client(retries: 0)
    DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { HTTPTransport.shared.cancelAll() }
    let start = Date()
    assertError({ _ = try client.chat(chatRequest()) }) { error in
      XCTAssertEqual(error.reason, .transport(.cancelled))
    }
    XCTAssertLessThan(Date().timeIntervalSince(start), 3)
  }

  // MARK: - Retry policy

  func testRetryAfterForms() {
    let now = Date(timeIntervalSince1970: 1_700_000_000)
    XCTAssertEqual(RetryPolicy.serverDelay(["retry-after": "2"], now: now), 2)
    XCTAssertEqual(RetryPolicy.serverDelay(["retry-after-ms": "250"], now: now), 0.25)
    XCTAssertEqual(RetryPolicy.serverDelay(["retry-after": "Tue, 14 Nov 2023 22:13:30 GMT"], now: now), 10)
    XCTAssertNil(RetryPolicy.serverDelay(["retry-after": "3600"], now: now), "waits past a minute are ignored")
    XCTAssertNil(RetryPolicy.serverDelay(["retry-after": "soon"], now: now))
    let policy = RetryPolicy(maxRetries: 2, initialDelay: 0.5, maxDelay: 8)
    for retry in 0..<6 {
      let delay = policy.delay(beforeRetry: retry, headers: [:])
      let ceiling = min(0.5 * pow(2, Double(retry)), 8)
      XCTAssertLessThanOrEqual(delay, ceiling)
      XCTAssertGreaterThanOrEqual(delay, ceiling * 0.75)
    }
    XCTAssertTrue(RetryPolicy.isRetryable(status: 429))
    XCTAssertFalse(RetryPolicy.isRetryable(status: 400))
    XCTAssertFalse(RetryPolicy.isRetryable(status: 401))
  }

  func testConfigurationFromEnvironment() {
    let configuration = OpenAIClient.Configuration.fromEnvironment([
      "OPENAI_BASE_URL": "http://127.0.0.1:9/v1/", "OPENAI_API_KEY": "sk-x", "SEEDNB_MAX_RETRIES": "5", "SEEDNB_TIMEOUT": "7",
    ])
    XCTAssertEqual(configuration.baseURL, "http://127.0.0.1:9/v1")
    XCTAssertEqual(configuration.apiKey, APIKey(name: "OPENAI_API_KEY", text: "sk-x"))
    XCTAssertEqual("\(configuration)".contains("sk-x"), false, "a configuration never shows its key")
    XCTAssertEqual(configuration.retry.maxRetries, 5)
    XCTAssertEqual(configuration.timeout, 7)
    XCTAssertEqual(OpenAIClient.Configuration.fromEnvironment([:]).baseURL, "https://api.openai.com/v1")
    XCTAssertEqual(OpenAIClient.Configuration.fromEnvironment([:]).retry.maxRetries, 2)
  }
}

/// Errors collected from concurrent work.
final class Failures: @unchecked Sendable {
  private let lock = NSLock()
  private var errors: [Error] = []
  func add(_ error: Error) { lock.withLock { errors.append(error) } }
  var all: [Error] { lock.withLock { errors } }
}

/// A TCP listener on loopback that answers every connection with fixed bytes and keeps it
/// open (or says nothing at all): a peer that does not speak TLS.
final class RawServer: @unchecked Sendable {
  let port: Int
  private let listener: Int32
  private var connections: [Int32] = []
  private let lock = NSLock()

  init(reply: [UInt8]?) throws {
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    self.listener = listener
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0, listen(listener, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
    }
    port = Int(UInt16(bigEndian: address.sin_port))
    Thread { [weak self] in
      while true {
        let connection = accept(listener, nil, nil)
        guard connection >= 0 else { return }
        self?.lock.withLock { self?.connections.append(connection) }
        if let reply { _ = reply.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, 0) } }
      }
    }.start()
  }

  func stop() {
    shutdown(listener, Int32(SHUT_RDWR))
    close(listener)
    lock.withLock { connections.forEach { close($0) } }
  }
}
