/// SeedLLM owns talking to OpenAI-compatible endpoints: the request and response types of
/// Chat Completions and Embeddings, one libcurl multi handle for all HTTP, retries, and
/// error messages that never contain the API key.
import Foundation

public final class OpenAIClient: Sendable {
  public struct Configuration: Sendable, Equatable {
    /// Up to and including the version segment: `https://api.openai.com/v1`.
    public var baseURL: String
    public var apiKey: String?
    public var retry: RetryPolicy
    public var connectTimeout: Double
    public var timeout: Double

    public init(
      baseURL: String = Configuration.defaultBaseURL, apiKey: String? = nil, retry: RetryPolicy = RetryPolicy(),
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
    /// `SEEDNB_CONNECT_TIMEOUT` (seconds) when set.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Configuration {
      var configuration = Configuration(
        baseURL: environment["OPENAI_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultBaseURL,
        apiKey: environment["OPENAI_API_KEY"].flatMap { $0.isEmpty ? nil : $0 })
      if let retries = environment["SEEDNB_MAX_RETRIES"].flatMap(Int.init), retries >= 0 {
        configuration.retry.maxRetries = retries
      }
      if let timeout = environment["SEEDNB_TIMEOUT"].flatMap(Double.init), timeout > 0 { configuration.timeout = timeout }
      if let timeout = environment["SEEDNB_CONNECT_TIMEOUT"].flatMap(Double.init), timeout > 0 {
        configuration.connectTimeout = timeout
      }
      return configuration
    }
  }

  /// A decoded answer and what it took to get it.
  public struct Answer<Body: Sendable>: Sendable {
    public let body: Body
    /// Seconds from the first attempt to the answer, retries included.
    public let latency: Double
    public let attempts: Int
  }

  public let configuration: Configuration
  private let transport: HTTPTransport
  private let redactor: Redactor

  public init(configuration: Configuration, transport: HTTPTransport = .shared) {
    self.configuration = configuration
    self.transport = transport
    redactor = Redactor(secrets: [configuration.apiKey].compactMap { $0 })
  }

  public func chat(_ request: ChatRequest) throws -> Answer<ChatResponse> {
    try send(path: "/chat/completions", request)
  }

  public func embeddings(_ request: EmbeddingRequest) throws -> Answer<EmbeddingResponse> {
    try send(path: "/embeddings", request)
  }

  static let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return encoder
  }()

  static let decoder = JSONDecoder()

  /// Posts `body` as JSON, retrying as the policy says, and decodes the answer.
  func send<Body: Encodable, Reply: Decodable & Sendable>(path: String, _ body: Body) throws -> Answer<Reply> {
    let url = configuration.baseURL + path
    let endpoint = "POST \(redactor.redact(url))"
    let payload: Data
    do {
      payload = try OpenAIClient.encoder.encode(body)
    } catch {
      throw LLMError(endpoint: endpoint, reason: .configuration("cannot encode the request: \(error)"), attempts: 0)
    }
    var headers: [(name: String, value: String)] = [("Content-Type", "application/json"), ("Accept", "application/json")]
    if let key = configuration.apiKey { headers.append(("Authorization", "Bearer \(key)")) }
    let request = HTTPRequest(
      method: "POST", url: url, headers: headers, body: payload,
      connectTimeout: configuration.connectTimeout, timeout: configuration.timeout)
    let start = Date()
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
      do {
        let reply = try OpenAIClient.decoder.decode(Reply.self, from: response.body)
        return Answer(body: reply, latency: Date().timeIntervalSince(start), attempts: attempt)
      } catch {
        throw LLMError(endpoint: endpoint, reason: .invalidResponse(describeUndecodable(response.body, error)), attempts: attempt)
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
    case .unresolvedHost(let text): return .unresolvedHost(redactor.redact(text))
    case .other(let text): return .other(redactor.redact(text))
    case .refused, .timedOut, .cancelled: return failure
    }
  }

  /// The server's `{"error": {"message", "type", "code"}}`, or the start of its body.
  private func serverError(_ response: HTTPResponse) -> LLMError.Reason {
    struct Envelope: Decodable {
      struct Detail: Decodable {
        var message: String?
        var type: String?
        var code: Code?
      }
      var error: Detail
    }
    /// `code` is a string at OpenAI and a number at some compatible servers.
    enum Code: Decodable {
      case text(String)
      init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
          self = .text(text)
        } else if let number = try? container.decode(Int.self) {
          self = .text(String(number))
        } else {
          self = .text("")
        }
      }
    }
    if let envelope = try? JSONDecoder().decode(Envelope.self, from: response.body) {
      var code: String?
      if case .text(let text)? = envelope.error.code, !text.isEmpty { code = redactor.redact(text) }
      return .http(
        status: response.status, message: envelope.error.message.map(redactor.redact),
        type: envelope.error.type.map(redactor.redact), code: code)
    }
    let text = String(decoding: response.body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return .http(status: response.status, message: text.isEmpty ? nil : redactor.redact(text), type: nil, code: nil)
  }

  private func describeUndecodable(_ body: Data, _ error: Error) -> String {
    let start = redactor.redact(String(decoding: body.prefix(200), as: UTF8.self))
    guard (try? JSONSerialization.jsonObject(with: body)) != nil else {
      return "the answer is not JSON: \(start.isEmpty ? "(empty body)" : start)"
    }
    return "the answer is JSON but not the expected shape (\(OpenAIClient.describe(error))): \(start)"
  }

  static func describe(_ error: Error) -> String {
    switch error {
    case DecodingError.keyNotFound(let key, let context):
      return "missing \(OpenAIClient.path(context.codingPath + [key]))"
    case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
      return "unexpected value at \(OpenAIClient.path(context.codingPath))"
    case DecodingError.dataCorrupted(let context):
      return context.debugDescription
    default:
      return "\(error)"
    }
  }

  private static func path(_ keys: [CodingKey]) -> String {
    keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingPrefix(".").description
  }
}
