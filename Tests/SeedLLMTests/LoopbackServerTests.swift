import Foundation
import LoopbackOpenAI
import XCTest

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The loopback server driven over raw sockets, so what is tested is the server's bytes on
/// the wire and not some client's reading of them.
final class LoopbackServerTests: XCTestCase {
  private var server: LoopbackOpenAIServer!

  override func setUpWithError() throws {
    server = try startedServer()
  }

  override func tearDown() {
    server.stop()
  }

  private func startedServer(_ configure: (inout LoopbackOpenAIServer.Options) -> Void = { _ in })
    throws
    -> LoopbackOpenAIServer
  {
    var options = LoopbackOpenAIServer.Options()
    configure(&options)
    let server = LoopbackOpenAIServer(options: options)
    try server.start()
    return server
  }

  private func chat(_ extra: [String: Any] = [:]) -> [String: Any] {
    var body: [String: Any] = [
      "model": "gpt-test",
      "messages": [
        ["role": "system", "content": "You are a helpful assistant."],
        ["role": "user", "content": "Tell me a story"],
      ],
    ]
    body.merge(extra) { _, new in new }
    return body
  }

  /// One request on a fresh connection.
  private func post(_ path: String, _ body: Any, to server: LoopbackOpenAIServer? = nil) throws
    -> RawResponse
  {
    let target = server ?? self.server!
    let connection = try RawConnection(port: target.port)
    defer { connection.close() }
    try connection.send(
      method: "POST", path: path, body: JSONSerialization.data(withJSONObject: body))
    return try connection.readResponse()
  }

  private func get(_ path: String) throws -> RawResponse {
    let connection = try RawConnection(port: server.port)
    defer { connection.close() }
    try connection.send(method: "GET", path: path)
    return try connection.readResponse()
  }

  private func content(_ response: RawResponse, choice: Int = 0) throws -> String {
    let choices = try XCTUnwrap(response.json["choices"] as? [[String: Any]])
    let message = try XCTUnwrap(choices[choice]["message"] as? [String: Any])
    return try XCTUnwrap(message["content"] as? String)
  }

  // MARK: Chat completions

  func testSeededChatAnswersTheSameTextEveryTime() throws {
    let first = try post("/v1/chat/completions", chat(["seed": 123, "temperature": 0.7]))
    let second = try post("/v1/chat/completions", chat(["seed": 123, "temperature": 0.7]))
    let otherServer = try startedServer()
    defer { otherServer.stop() }
    let elsewhere = try post(
      "/v1/chat/completions", chat(["seed": 123, "temperature": 0.7]), to: otherServer)

    XCTAssertEqual(first.status, 200)
    XCTAssertEqual(try content(first), try content(second))
    XCTAssertEqual(
      try content(first), try content(elsewhere), "the text depends on the request alone")
    let otherSeed = try post("/v1/chat/completions", chat(["seed": 124, "temperature": 0.7]))
    XCTAssertNotEqual(try content(first), try content(otherSeed))
  }

  func testUnseededChatAnswersDiffer() throws {
    let first = try post("/v1/chat/completions", chat())
    let second = try post("/v1/chat/completions", chat())
    XCTAssertNotEqual(try content(first), try content(second))
  }

  func testChatAnswerHasOpenAIShapeAndWordCountUsage() throws {
    let response = try post("/v1/chat/completions", chat(["seed": 7]))
    XCTAssertEqual(response.status, 200)
    XCTAssertEqual(response.headers["content-type"], "application/json")
    let json = response.json
    XCTAssertEqual(json["object"] as? String, "chat.completion")
    XCTAssertEqual(json["model"] as? String, "gpt-test")
    XCTAssertEqual(json["system_fingerprint"] as? String, "fp_loopback_1")
    XCTAssertTrue((json["id"] as? String)?.hasPrefix("chatcmpl-") ?? false)
    XCTAssertNotNil(json["created"] as? Int)

    let choice = try XCTUnwrap((json["choices"] as? [[String: Any]])?.first)
    XCTAssertEqual(choice["index"] as? Int, 0)
    XCTAssertEqual(choice["finish_reason"] as? String, "stop")
    XCTAssertTrue(choice["logprobs"] is NSNull)
    XCTAssertEqual((choice["message"] as? [String: Any])?["role"] as? String, "assistant")

    let words = try content(response).split(separator: " ").count
    XCTAssertTrue((8...24).contains(words), "\(words) words")
    let usage = try XCTUnwrap(json["usage"] as? [String: Any])
    XCTAssertEqual(
      usage["prompt_tokens"] as? Int, 9, "5 words of system message + 4 of user message")
    XCTAssertEqual(usage["completion_tokens"] as? Int, words)
    XCTAssertEqual(usage["total_tokens"] as? Int, 9 + words)
    XCTAssertEqual((usage["prompt_tokens_details"] as? [String: Any])?["cached_tokens"] as? Int, 0)
    XCTAssertEqual(
      (usage["completion_tokens_details"] as? [String: Any])?["reasoning_tokens"] as? Int, 0)
  }

  func testMaxTokensCutsTheAnswerWithFinishReasonLength() throws {
    let response = try post("/v1/chat/completions", chat(["max_tokens": 3]))
    XCTAssertEqual(try content(response).split(separator: " ").count, 3)
    let choice = try XCTUnwrap((response.json["choices"] as? [[String: Any]])?.first)
    XCTAssertEqual(choice["finish_reason"] as? String, "length")
    XCTAssertEqual((response.json["usage"] as? [String: Any])?["completion_tokens"] as? Int, 3)
  }

  func testNGivesThatManyDifferentChoices() throws {
    let response = try post("/v1/chat/completions", chat(["n": 3, "seed": 5]))
    let choices = try XCTUnwrap(response.json["choices"] as? [[String: Any]])
    XCTAssertEqual(choices.map { $0["index"] as? Int }, [0, 1, 2])
    let texts = try (0..<3).map { try content(response, choice: $0) }
    XCTAssertEqual(Set(texts).count, 3)
    let words = texts.reduce(0) { $0 + $1.split(separator: " ").count }
    XCTAssertEqual((response.json["usage"] as? [String: Any])?["completion_tokens"] as? Int, words)
  }

  func testConfiguredModelAndMissingFingerprint() throws {
    let configured = try startedServer {
      $0.model = "local-llama"
      $0.fingerprint = nil
    }
    defer { configured.stop() }
    let response = try post("/v1/chat/completions", chat(), to: configured)
    XCTAssertEqual(response.json["model"] as? String, "local-llama")
    XCTAssertNil(response.json["system_fingerprint"], "the field is left out, not null")
  }

  func testStreamedChatIsServerSentChunksEndingInDone() throws {
    let request = chat(["seed": 42, "stream": true, "stream_options": ["include_usage": true]])
    let response = try post("/v1/chat/completions", request)
    XCTAssertEqual(response.status, 200)
    XCTAssertEqual(response.headers["content-type"], "text/event-stream")

    let text = String(decoding: response.body, as: UTF8.self)
    XCTAssertTrue(text.hasSuffix("data: [DONE]\n\n"))
    let events = text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
    XCTAssertTrue(events.allSatisfy { $0.hasPrefix("data: ") })
    let chunks = try events.dropLast().map { event in
      try XCTUnwrap(
        JSONSerialization.jsonObject(with: Data(event.dropFirst(6).utf8)) as? [String: Any])
    }
    XCTAssertTrue(chunks.allSatisfy { $0["object"] as? String == "chat.completion.chunk" })
    XCTAssertEqual(
      Set(chunks.compactMap { $0["id"] as? String }).count, 1, "one id for the whole stream")

    let usageChunk = try XCTUnwrap(chunks.last)
    XCTAssertEqual((usageChunk["choices"] as? [Any])?.count, 0)
    let usage = try XCTUnwrap(usageChunk["usage"] as? [String: Any])

    let choiceChunks = chunks.dropLast().map { ($0["choices"] as? [[String: Any]])?.first ?? [:] }
    let deltas = choiceChunks.map { $0["delta"] as? [String: Any] ?? [:] }
    XCTAssertEqual(deltas.first?["role"] as? String, "assistant")
    XCTAssertTrue(deltas.dropFirst().allSatisfy { $0["role"] == nil })
    let finishing = try XCTUnwrap(choiceChunks.last)
    XCTAssertEqual(finishing["finish_reason"] as? String, "stop")
    XCTAssertEqual(deltas.last?.count, 0, "the finishing chunk's delta is empty")
    XCTAssertTrue(choiceChunks.dropLast().allSatisfy { $0["finish_reason"] is NSNull })

    let words = deltas.dropLast().compactMap { $0["content"] as? String }
    XCTAssertEqual(words.count, deltas.count - 1, "one word per chunk")
    XCTAssertEqual(usage["completion_tokens"] as? Int, words.count)
    let plain = try post("/v1/chat/completions", chat(["seed": 42]))
    XCTAssertEqual(words.joined(), try content(plain), "the deltas add up to the unstreamed answer")
  }

  // MARK: Embeddings

  func testEmbeddingsAreDeterministicUnitVectors() throws {
    let request: [String: Any] = ["model": "embed-test", "input": ["red apple", "green pear"]]
    let first = try post("/v1/embeddings", request)
    let second = try post("/v1/embeddings", request)
    XCTAssertEqual(first.status, 200)
    XCTAssertEqual(first.json["object"] as? String, "list")
    XCTAssertEqual(first.json["model"] as? String, "embed-test")
    let usage = try XCTUnwrap(first.json["usage"] as? [String: Any])
    XCTAssertEqual(usage["prompt_tokens"] as? Int, 4)
    XCTAssertEqual(usage["total_tokens"] as? Int, 4)

    let vectors = try embeddings(first)
    XCTAssertEqual(vectors.count, 2)
    XCTAssertEqual(vectors, try embeddings(second))
    XCTAssertNotEqual(vectors[0], vectors[1])
    for vector in vectors {
      XCTAssertEqual(vector.count, 16, "the default dimensions")
      XCTAssertEqual(vector.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1, accuracy: 1e-5)
    }
    let data = try XCTUnwrap(first.json["data"] as? [[String: Any]])
    XCTAssertEqual(data.map { $0["index"] as? Int }, [0, 1])
    XCTAssertEqual(data.map { $0["object"] as? String }, ["embedding", "embedding"])

    let single = try post(
      "/v1/embeddings", ["model": "embed-test", "input": "green pear", "dimensions": 16])
    XCTAssertEqual(try embeddings(single), [vectors[1]], "a string input is a list of one")
    let short = try post(
      "/v1/embeddings", ["model": "embed-test", "input": "green pear", "dimensions": 5])
    XCTAssertEqual(try embeddings(short).first?.count, 5)
  }

  func testBase64EmbeddingsDecodeToTheSameFloats() throws {
    let floats = try embeddings(post("/v1/embeddings", ["model": "e", "input": "hello world"]))
    let encoded = try post(
      "/v1/embeddings", ["model": "e", "input": "hello world", "encoding_format": "base64"])
    let data = try XCTUnwrap(encoded.json["data"] as? [[String: Any]])
    let base64 = try XCTUnwrap(data.first?["embedding"] as? String)
    let bytes = try XCTUnwrap(Data(base64Encoded: base64))
    XCTAssertEqual(bytes.count, 16 * 4)
    let decoded = stride(from: 0, to: bytes.count, by: 4).map { offset in
      Float(bitPattern: bytes[offset..<offset + 4].reversed().reduce(0) { $0 << 8 | UInt32($1) })
    }
    XCTAssertEqual(decoded, floats.first)
  }

  private func embeddings(_ response: RawResponse) throws -> [[Float]] {
    let data = try XCTUnwrap(response.json["data"] as? [[String: Any]])
    return try data.map { item in
      try XCTUnwrap(item["embedding"] as? [NSNumber]).map { $0.floatValue }
    }
  }

  // MARK: Models and errors

  func testModelsAreListed() throws {
    let response = try get("/v1/models")
    XCTAssertEqual(response.status, 200)
    XCTAssertEqual(response.json["object"] as? String, "list")
    let models = try XCTUnwrap(response.json["data"] as? [[String: Any]])
    XCTAssertFalse(models.isEmpty)
    XCTAssertTrue(models.allSatisfy { $0["object"] as? String == "model" && $0["id"] is String })
  }

  func testUnknownPathIs404WithOpenAIErrorBody() throws {
    let response = try get("/v1/nothing-here")
    XCTAssertEqual(response.status, 404)
    XCTAssertNotNil(response.error?["message"] as? String)
    XCTAssertEqual(response.error?["type"] as? String, "invalid_request_error")
  }

  func testWrongMethodIs405() throws {
    let response = try get("/v1/chat/completions")
    XCTAssertEqual(response.status, 405)
    XCTAssertEqual(response.headers["allow"], "POST")
    XCTAssertNotNil(response.error?["message"] as? String)
  }

  func testMalformedJSONIs400() throws {
    let connection = try RawConnection(port: server.port)
    defer { connection.close() }
    try connection.send(
      method: "POST", path: "/v1/chat/completions", body: Data("{\"model\":".utf8))
    let response = try connection.readResponse()
    XCTAssertEqual(response.status, 400)
    XCTAssertTrue((response.error?["message"] as? String)?.contains("JSON") ?? false)
  }

  func testMissingFieldIs400NamingIt() throws {
    let noMessages = try post("/v1/chat/completions", ["model": "m"])
    XCTAssertEqual(noMessages.status, 400)
    XCTAssertEqual(noMessages.error?["param"] as? String, "messages")
    XCTAssertTrue((noMessages.error?["message"] as? String)?.contains("'messages'") ?? false)

    let noInput = try post("/v1/embeddings", ["model": "m"])
    XCTAssertEqual(noInput.status, 400)
    XCTAssertEqual(noInput.error?["param"] as? String, "input")

    let noModel = try post(
      "/v1/chat/completions", ["messages": [["role": "user", "content": "hi"]]])
    XCTAssertEqual(noModel.status, 400)
    XCTAssertEqual(noModel.error?["param"] as? String, "model")
  }

  func testRequiredKeyIsEnforced() throws {
    let guarded = try startedServer { $0.requiredKey = "sk-right" }
    defer { guarded.stop() }
    func status(_ authorization: String?) throws -> Int {
      let connection = try RawConnection(port: guarded.port)
      defer { connection.close() }
      let headers = authorization.map { ["Authorization": $0] } ?? [:]
      try connection.send(method: "GET", path: "/v1/models", headers: headers)
      return try connection.readResponse().status
    }
    XCTAssertEqual(try status(nil), 401)
    XCTAssertEqual(try status("Bearer sk-wrong"), 401)
    XCTAssertEqual(try status("Bearer sk-right"), 200)
  }

  // MARK: Faults

  func testStatusFaultSendsErrorBodyAndHeadersThenTheQueueEmpties() throws {
    server.enqueue(
      .status(
        429, message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded",
        headers: ["retry-after-ms": "50", "retry-after": "1"]),
      .status(503, message: "Overloaded"))
    let limited = try post("/v1/chat/completions", chat())
    XCTAssertEqual(limited.status, 429)
    XCTAssertEqual(limited.headers["retry-after-ms"], "50")
    XCTAssertEqual(limited.headers["retry-after"], "1")
    XCTAssertEqual(limited.error?["message"] as? String, "Rate limit reached")
    XCTAssertEqual(limited.error?["type"] as? String, "requests")
    XCTAssertEqual(limited.error?["code"] as? String, "rate_limit_exceeded")

    let overloaded = try get("/v1/models")
    XCTAssertEqual(overloaded.status, 503, "faults apply to any endpoint")
    XCTAssertEqual(overloaded.error?["type"] as? String, "server_error")
    XCTAssertTrue(overloaded.error?["code"] is NSNull)

    XCTAssertEqual(try post("/v1/chat/completions", chat()).status, 200)
  }

  func testResetMidBodySendsHalfTheBodyThenARST() throws {
    server.enqueue(.resetMidBody)
    let response = try post("/v1/chat/completions", chat())
    XCTAssertEqual(response.status, 200)
    let declared = try XCTUnwrap(response.headers["content-length"].flatMap { Int($0) })
    XCTAssertLessThan(response.body.count, declared)
    XCTAssertEqual(response.ending, .reset)
  }

  func testTruncatedSendsLessThanContentLengthThenAFIN() throws {
    server.enqueue(.truncated)
    let response = try post("/v1/embeddings", ["model": "e", "input": "x"])
    XCTAssertEqual(response.status, 200)
    let declared = try XCTUnwrap(response.headers["content-length"].flatMap { Int($0) })
    XCTAssertGreaterThan(response.body.count, 0)
    XCTAssertLessThan(response.body.count, declared)
    XCTAssertEqual(response.ending, .closedEarly)
  }

  func testNotJSONSendsHTMLLabelledAsJSON() throws {
    server.enqueue(.notJSON)
    let response = try post("/v1/chat/completions", chat())
    XCTAssertEqual(response.status, 200)
    XCTAssertEqual(response.headers["content-type"], "application/json")
    XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "<html>upstream error</html>")
    XCTAssertEqual(response.ending, .complete)
  }

  func testDelayFaultAnswersNormallyAfterTheDelay() throws {
    server.enqueue(.delay(0.3))
    let started = Date()
    let response = try post("/v1/chat/completions", chat())
    XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 0.3)
    XCTAssertEqual(response.status, 200)
    XCTAssertFalse(try content(response).isEmpty)
  }

  func testCloseWithoutAnswerReadsTheRequestThenCloses() throws {
    server.enqueue(.closeWithoutAnswer)
    let connection = try RawConnection(port: server.port)
    defer { connection.close() }
    try connection.send(
      method: "POST", path: "/v1/chat/completions",
      body: JSONSerialization.data(withJSONObject: chat()))
    let (bytes, ending) = connection.readToEnd()
    XCTAssertEqual(bytes.count, 0)
    XCTAssertEqual(ending, .closedEarly)
    XCTAssertEqual(server.requests.count, 1, "the request was read and recorded")
  }

  // MARK: Connections

  func testKeepAliveServesSeveralRequestsOnOneConnectionAndRecordsThem() throws {
    let connection = try RawConnection(port: server.port)
    defer { connection.close() }
    let chatBody = try JSONSerialization.data(withJSONObject: chat())
    try connection.send(
      method: "POST", path: "/v1/chat/completions", headers: ["X-Trace": "one"], body: chatBody)
    XCTAssertEqual(try connection.readResponse().status, 200)
    try connection.send(method: "GET", path: "/v1/models?limit=5")
    XCTAssertEqual(try connection.readResponse().status, 200)

    XCTAssertEqual(server.connectionsAccepted, 1)
    let requests = server.requests
    XCTAssertEqual(requests.map(\.method), ["POST", "GET"])
    XCTAssertEqual(requests.map(\.path), ["/v1/chat/completions", "/v1/models?limit=5"])
    XCTAssertEqual(requests.first?.headers["x-trace"], "one", "header names are lowercased")
    XCTAssertEqual(requests.first?.body, chatBody)
  }

  func testConcurrentDelayedRequestsAreNotSerialised() throws {
    try assertAnsweredTogether(count: 16, delay: 0.2)
  }

  func testSixtyFourConnectionsWaitTogether() throws {
    try assertAnsweredTogether(count: 64, delay: 0.2)
  }

  /// Sends `count` requests on as many connections at once to a server that waits `delay`
  /// before answering; all must be answered in far less than `count` delays.
  private func assertAnsweredTogether(count: Int, delay: Double, line: UInt = #line) throws {
    let slow = try startedServer { $0.delay = delay }
    defer { slow.stop() }
    let connections = try (0..<count).map { _ in try RawConnection(port: slow.port) }
    defer { connections.forEach { $0.close() } }
    let body = try JSONSerialization.data(withJSONObject: chat())

    let started = Date()
    for connection in connections {
      try connection.send(method: "POST", path: "/v1/chat/completions", body: body)
    }
    let statuses = try connections.map { try $0.readResponse().status }
    let elapsed = Date().timeIntervalSince(started)

    XCTAssertEqual(statuses, Array(repeating: 200, count: count), line: line)
    XCTAssertGreaterThanOrEqual(elapsed, delay, line: line)
    // 8 delays rather than ~1: a loaded machine must not make this flaky.
    XCTAssertLessThan(
      elapsed, 8 * delay, "\(count) requests delayed \(delay) s took \(elapsed) s", line: line)
    XCTAssertEqual(slow.connectionsAccepted, count, line: line)
  }

  func testStopClosesConnectionsWaitingOnADelayAndTheListener() throws {
    let slow = try startedServer { $0.delay = 30 }
    let connection = try RawConnection(port: slow.port)
    defer { connection.close() }
    try connection.send(method: "GET", path: "/v1/models")
    XCTAssertTrue(waitUntil { slow.requests.count == 1 })

    let started = Date()
    slow.stop()
    slow.stop()
    XCTAssertLessThan(Date().timeIntervalSince(started), 2, "stop does not wait out the delay")
    XCTAssertEqual(connection.readToEnd().bytes.count, 0)
    XCTAssertThrowsError(try RawConnection(port: slow.port), "nothing listens after stop")
  }

  private func waitUntil(_ condition: () -> Bool) -> Bool {
    let deadline = Date(timeIntervalSinceNow: 5)
    while !condition() && Date() < deadline { usleep(5_000) }
    return condition()
  }
}

// MARK: - A raw HTTP/1.1 client

/// How a read of a response ended.
private enum Ending: Equatable {
  /// The whole body, as the framing promised.
  case complete
  /// An orderly close (FIN) before the promised body.
  case closedEarly
  /// The connection was reset (RST).
  case reset
}

private struct RawResponse {
  var status: Int
  /// Names lowercased.
  var headers: [String: String]
  var body: Data
  var ending: Ending

  var json: [String: Any] {
    (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
  }

  /// The `error` object of an OpenAI error body.
  var error: [String: Any]? { json["error"] as? [String: Any] }
}

private struct RawClientError: Error, CustomStringConvertible {
  var description: String
}

/// One TCP connection to the server, writing requests and reading responses by hand:
/// Content-Length and chunked bodies, and how the connection ended.
private final class RawConnection {
  private let descriptor: Int32
  private var buffer: [UInt8] = []
  /// Set once the server closed or reset the connection.
  private var ended: Ending?

  init(port: Int) throws {
    #if canImport(Glibc)
      descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
      descriptor = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard descriptor >= 0 else { throw RawClientError(description: "socket failed") }
    // A test must fail, not hang, when the server goes quiet.
    var timeout = timeval(tv_sec: 10, tv_usec: 0)
    setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port)).bigEndian
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else {
      let reason = String(cString: strerror(errno))
      _ = Self.closeDescriptor(descriptor)
      throw RawClientError(description: "connect to port \(port): \(reason)")
    }
  }

  func close() { _ = Self.closeDescriptor(descriptor) }

  private static func closeDescriptor(_ descriptor: Int32) -> Int32 {
    #if canImport(Glibc)
      return Glibc.close(descriptor)
    #else
      return Darwin.close(descriptor)
    #endif
  }

  func send(method: String, path: String, headers: [String: String] = [:], body: Data? = nil) throws
  {
    var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    for (name, value) in headers { head += "\(name): \(value)\r\n" }
    if let body {
      head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n"
    }
    let bytes = Array((head + "\r\n").utf8) + Array(body ?? Data())
    let sent = bytes.withUnsafeBytes { Foundation.send(descriptor, $0.baseAddress, bytes.count, 0) }
    guard sent == bytes.count else { throw RawClientError(description: "send failed") }
  }

  /// Reads one response. Throws when no status line arrives at all.
  func readResponse() throws -> RawResponse {
    guard let headEnd = fill(until: { self.find("\r\n\r\n") }) else {
      throw RawClientError(description: "no response head (\(ended.map { "\($0)" } ?? "timeout"))")
    }
    let head = String(decoding: buffer[0..<headEnd], as: UTF8.self)
    buffer.removeFirst(headEnd + 4)
    var lines = head.components(separatedBy: "\r\n")
    let statusLine = lines.removeFirst().split(separator: " ")
    guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
      throw RawClientError(description: "bad status line in \(head)")
    }
    var headers: [String: String] = [:]
    for line in lines {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
        in: .whitespaces)
    }

    if headers["transfer-encoding"] == "chunked" {
      return readChunked(status: status, headers: headers)
    }
    let length = headers["content-length"].flatMap { Int($0) } ?? 0
    _ = fill(until: { self.buffer.count >= length ? length : nil })
    let body = Data(buffer.prefix(length))
    buffer.removeFirst(body.count)
    return RawResponse(
      status: status, headers: headers, body: body,
      ending: body.count == length ? .complete : ended ?? .closedEarly)
  }

  /// chunked-body = *chunk last-chunk CRLF;  chunk = chunk-size CRLF chunk-data CRLF
  private func readChunked(status: Int, headers: [String: String]) -> RawResponse {
    var body = Data()
    while true {
      guard let lineEnd = fill(until: { self.find("\r\n") }),
        let size = Int(String(decoding: buffer[0..<lineEnd], as: UTF8.self), radix: 16),
        fill(until: { self.buffer.count >= lineEnd + 2 + size + 2 ? 0 : nil }) != nil
      else {
        return RawResponse(
          status: status, headers: headers, body: body, ending: ended ?? .closedEarly)
      }
      body.append(contentsOf: buffer[(lineEnd + 2)..<(lineEnd + 2 + size)])
      buffer.removeFirst(lineEnd + 2 + size + 2)
      if size == 0 {
        return RawResponse(status: status, headers: headers, body: body, ending: .complete)
      }
    }
  }

  /// Everything until the server closes, and how it closed.
  func readToEnd() -> (bytes: [UInt8], ending: Ending) {
    _ = fill(until: { nil })
    defer { buffer.removeAll() }
    return (buffer, ended ?? .closedEarly)
  }

  /// Reads until `found` returns a value or the connection ends (or times out).
  private func fill(until found: () -> Int?) -> Int? {
    while true {
      if let value = found() { return value }
      guard ended == nil else { return nil }
      var chunk = [UInt8](repeating: 0, count: 65536)
      let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, 65536, 0) }
      if count > 0 {
        buffer += chunk[0..<count]
      } else if count == 0 {
        ended = .closedEarly
      } else if errno == ECONNRESET {
        ended = .reset
      } else if errno != EINTR {
        return nil
      }
    }
  }

  private func find(_ text: String) -> Int? {
    let needle = Array(text.utf8)
    guard buffer.count >= needle.count else { return nil }
    return (0...(buffer.count - needle.count)).first {
      buffer[$0..<($0 + needle.count)].elementsEqual(needle)
    }
  }
}
