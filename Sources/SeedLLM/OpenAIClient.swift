/// SeedLLM owns talking to OpenAI-compatible endpoints: the request and response types of
/// Chat Completions and Embeddings, one libcurl multi handle for all HTTP, retries, and
/// error messages that never contain the API key.
import Foundation
import SeedJSON

public final class OpenAIClient: Sendable {
  public struct Configuration: Sendable, Equatable {
    /// Up to and including the version segment: `https://api.openai.com/v1`.
    public var baseURL: String
    /// Sent as `Authorization: Bearer ...`; shows as `••••` everywhere else.
    public var apiKey: APIKey?
    public var retry: RetryPolicy
    public var connectTimeout: Double
    public var timeout: Double
    /// Seconds without a byte once an answer has begun before it is abandoned and retried.
    public var stallTimeout: Double = 60

    public init(
      baseURL: String = Configuration.defaultBaseURL, apiKey: APIKey? = nil, retry: RetryPolicy = RetryPolicy(),
      connectTimeout: Double = 10, timeout: Double = 600
    ) {
      self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
      self.apiKey = apiKey
      self.retry = retry
      self.connectTimeout = connectTimeout
      self.timeout = timeout
    }

    public static let defaultBaseURL = "https://api.openai.com/v1"

    /// `OPENAI_BASE_URL`, `OPENAI_API_KEY`, and `SEEDNB_MAX_RETRIES`, `SEEDNB_TIMEOUT`,
    /// `SEEDNB_CONNECT_TIMEOUT`, `SEEDNB_STALL_TIMEOUT` (seconds) when set.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Configuration {
      var configuration = Configuration(
        baseURL: environment["OPENAI_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultBaseURL,
        apiKey: APIKey.fromEnvironment("OPENAI_API_KEY", in: environment))
      if let retries = environment["SEEDNB_MAX_RETRIES"].flatMap(Int.init), retries >= 0 {
        configuration.retry.maxRetries = retries
      }
      if let timeout = environment["SEEDNB_TIMEOUT"].flatMap(Double.init), timeout > 0 { configuration.timeout = timeout }
      if let timeout = environment["SEEDNB_CONNECT_TIMEOUT"].flatMap(Double.init), timeout > 0 {
        configuration.connectTimeout = timeout
      }
      if let timeout = environment["SEEDNB_STALL_TIMEOUT"].flatMap(Double.init), timeout > 0, timeout.isFinite {
        configuration.stallTimeout = timeout
      }
      return configuration
    }
  }

  /// A decoded answer and what it took to get it.
  public struct Answer<Body: Sendable>: Sendable {
    public let body: Body
    /// The answer as the server sent it, for a cache to keep.
    public let json: JSONValue
    /// Seconds from the first attempt to the answer, retries included.
    public let latency: Double
    public let attempts: Int

    public init(body: Body, json: JSONValue, latency: Double, attempts: Int) {
      self.body = body
      self.json = json
      self.latency = latency
      self.attempts = attempts
    }
  }

  public let configuration: Configuration
  private let transport: HTTPTransport
  private let redactor: Redactor

  public init(configuration: Configuration, transport: HTTPTransport = .shared) {
    self.configuration = configuration
    self.transport = transport
    redactor = Redactor(keys: [configuration.apiKey].compactMap { $0 })
  }

  /// The same endpoint and settings with another key: `chat(api_key: secret("NAME"))`.
  public func using(apiKey: APIKey) -> OpenAIClient {
    var changed = configuration
    changed.apiKey = apiKey
    return OpenAIClient(configuration: changed, transport: transport)
  }

  public func chat(_ request: ChatRequest) throws -> Answer<ChatResponse> {
    try send(path: "/chat/completions", request)
  }

  public func embeddings(_ request: EmbeddingRequest) throws -> Answer<EmbeddingResponse> {
    try send(path: "/embeddings", request)
  }

  /// Posts `body` as JSON, retrying as the policy says, and decodes the answer.
  func send<Body: JSONRequestBody, Reply: JSONResponseBody>(path: String, _ body: Body) throws -> Answer<Reply> {
    let url = configuration.baseURL + path
    let endpoint = "POST \(redactor.redact(url))"
    let payload = Data(body.json.serialized().utf8)
    var headers: [(name: String, value: String)] = [("Content-Type", "application/json"), ("Accept", "application/json")]
    if let key = configuration.apiKey { headers.append(key.authorization) }
    let request = HTTPRequest(
      method: "POST", url: url, headers: headers, body: payload,
      connectTimeout: configuration.connectTimeout, timeout: configuration.timeout, stallTimeout: configuration.stallTimeout)
    let begin = Date()
    var attempt = 0
    while true {
      attempt += 1
      let retriesLeft = attempt <= configuration.retry.maxRetries
      let response: HTTPResponse
      do {
        response = try transport.perform(request)
      } catch let failure as TransportFailure {
        if failure.isRetryable && retriesLeft {
          try pause(configuration.retry.delay(beforeRetry: attempt - 1, headers: [:]), endpoint: endpoint, attempt: attempt)
          continue
        }
        throw LLMError(endpoint: endpoint, reason: .transport(redacted(failure)), attempts: attempt)
      }
      if RetryPolicy.isRetryable(status: response.status) && retriesLeft {
        try pause(configuration.retry.delay(beforeRetry: attempt - 1, headers: response.headers), endpoint: endpoint, attempt: attempt)
        continue
      }
      guard (200..<300).contains(response.status) else {
        throw LLMError(endpoint: endpoint, reason: serverError(response), attempts: attempt)
      }
      // The answer's start, for an error about it.
      func start() -> String { redactor.redact(String(decoding: response.body.prefix(200), as: UTF8.self)) }
      // A server that echoes the key in an answer must not get it into a cache or a record.
      var body = response.body
      if redactor.holdsSecret(body) { body = Data(redactor.redact(String(decoding: body, as: UTF8.self)).utf8) }
      let json: JSONValue
      do {
        json = try JSONValue.parse(bytes: Array(body))
      } catch {
        let shown = start()
        throw LLMError(
          endpoint: endpoint, reason: .invalidResponse("the answer is not JSON: \(shown.isEmpty ? "(empty body)" : shown)"),
          attempts: attempt)
      }
      do {
        return Answer(body: try Reply(json: json), json: json, latency: Date().timeIntervalSince(begin), attempts: attempt)
      } catch {
        throw LLMError(
          endpoint: endpoint, reason: .invalidResponse("the answer is JSON but not the expected shape (\(error)): \(start())"),
          attempts: attempt)
      }
    }
  }

  private func pause(_ seconds: Double, endpoint: String, attempt: Int) throws {
    do { try transport.pause(seconds) } catch {
      throw LLMError(endpoint: endpoint, reason: .transport(.cancelled), attempts: attempt)
    }
  }

  private func redacted(_ failure: TransportFailure) -> TransportFailure {
    switch failure {
    case .tls(let text): return .tls(redactor.redact(text))
    case .truncated(let text): return .truncated(redactor.redact(text))
    case .stalled: return failure
    case .unresolvedHost(let text): return .unresolvedHost(redactor.redact(text))
    case .other(let text): return .other(redactor.redact(text))
    case .libcurlUnavailable(let text): return .libcurlUnavailable(redactor.redact(text))
    case .refused, .timedOut, .cancelled: return failure
    }
  }

  /// The server's `{"error": {"message", "type", "code"}}`, or the start of its body.
  private func serverError(_ response: HTTPResponse) -> LLMError.Reason {
    if let error = (try? JSONValue.parse(bytes: Array(response.body)))?["error"], case .object = error {
      // `code` is a string at OpenAI and a number at some compatible servers.
      let code = error["code"]?.string ?? error["code"]?.int.map(String.init)
      return .http(
        status: response.status, message: error["message"]?.string.map(redactor.redact),
        type: error["type"]?.string.map(redactor.redact), code: code.map(redactor.redact))
    }
    let text = String(decoding: response.body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return .http(status: response.status, message: text.isEmpty ? nil : redactor.redact(text), type: nil, code: nil)
  }
}
