import Foundation
import SeedLLM
import SeedLang

/// Where `chat` and `embed` go: an OpenAI-compatible endpoint, or the local model, which is
/// started on first use.
public enum LLMBackend: Sendable {
  case remote(OpenAIClient)
  /// The local server, and the retries and timeouts for talking to it.
  case local(LocalConnection)

  /// The local model, asked with the retries and timeouts of `settings` (`SEEDNB_TIMEOUT`,
  /// `SEEDNB_STALL_TIMEOUT`, ...); the address is the server's once it has started, and no
  /// key is sent.
  public static func local(_ server: LocalModelServer, settings: OpenAIClient.Configuration = .init()) -> LLMBackend {
    .local(LocalConnection(server: server, settings: settings))
  }

  public var name: String {
    switch self {
    case .remote: return "openai"
    case .local: return "local"
    }
  }

  /// The client to send with, with `apiKey` instead of the backend's own when given; the
  /// local server starts here on first use.
  func client(apiKey: APIKey? = nil) throws -> OpenAIClient {
    switch self {
    case .remote(let client):
      if let apiKey { return client.using(apiKey: apiKey) }
      let configuration = client.configuration
      // A request to OpenAI itself needs a key; saying so beats sending one that must fail.
      if configuration.apiKey == nil && configuration.baseURL == OpenAIClient.Configuration.defaultBaseURL {
        throw RuntimeFailure(
          "no LLM backend is configured: set OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL for any OpenAI-compatible server")
      }
      return client
    case .local(let connection):
      let client = try connection.client()
      return apiKey.map(client.using(apiKey:)) ?? client
    }
  }

  /// The fingerprint the backend answers a model with now, or nil when it cannot be told.
  /// The local server's is read from its installation; a remote backend is asked with a
  /// one-token request, once per model and run.
  public func currentFingerprint(model: String) -> String? {
    switch self {
    case .local(let connection): return connection.server.installation.fingerprint
    case .remote(let client): return FingerprintProbe.shared.fingerprint(of: client, model: model)
    }
  }

  /// Fits a chat request to the backend. The local model answers whatever model is asked
  /// for, and a call without a seed gets a fresh random one: otherwise the server derives one
  /// from its own state and unseeded calls would not vary. Returns whether the seed is random.
  @discardableResult
  func adapt(_ request: inout ChatRequest) -> Bool {
    guard case .local = self else { return false }
    request.model = LocalModelServer.chatModel
    guard request.seed == nil else { return false }
    request.seed = Int(UInt32.random(in: 0...UInt32.max))
    return true
  }

  func adapt(_ request: inout EmbeddingRequest) {
    if case .local = self { request.model = LocalModelServer.embeddingModel }
  }
}

/// The local server and the client for it, made once it has started.
public final class LocalConnection: @unchecked Sendable {
  public let server: LocalModelServer
  private let settings: OpenAIClient.Configuration
  private let lock = NSLock()
  private var started: OpenAIClient?

  init(server: LocalModelServer, settings: OpenAIClient.Configuration) {
    self.server = server
    self.settings = settings
  }

  func client() throws -> OpenAIClient {
    try lock.withLock {
      if let started { return started }
      let baseURL: String
      do { baseURL = try server.start() } catch let failure as LocalModelServer.StartFailure {
        throw RuntimeFailure(failure.description)
      }
      var configuration = settings
      configuration.baseURL = baseURL
      configuration.apiKey = nil
      let client = OpenAIClient(configuration: configuration)
      started = client
      return client
    }
  }
}

/// One-token requests that learn a remote backend's fingerprint, remembered per model.
final class FingerprintProbe: @unchecked Sendable {
  static let shared = FingerprintProbe()
  private let lock = NSLock()
  private var known: [String: String?] = [:]

  func fingerprint(of client: OpenAIClient, model: String) -> String? {
    let memo = client.configuration.baseURL + "|" + model
    if let answer = lock.withLock({ known[memo] }) { return answer }
    var request = ChatRequest(model: model, messages: [ChatMessage(role: "user", content: "Hi")])
    request.maxTokens = 1
    request.seed = 0
    let answer = (try? client.chat(request))?.body.systemFingerprint
    lock.withLock { known[memo] = .some(answer) }
    return answer
  }
}
