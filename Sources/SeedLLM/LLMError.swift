/// Every way an LLM call can fail, as one message that names the endpoint and either the
/// HTTP status with the server's own error text or the transport problem. Texts are
/// redacted of the API key before they are stored here.
public struct LLMError: Error, Sendable, CustomStringConvertible {
  public enum Reason: Sendable, Equatable {
    /// The server answered with an error status; its `{"error": {...}}` fields when given.
    case http(status: Int, message: String?, type: String?, code: String?)
    case transport(TransportFailure)
    /// A success status whose body is not the expected JSON.
    case invalidResponse(String)
    case configuration(String)
  }

  /// `POST http://host/v1/chat/completions`.
  public let endpoint: String
  public let reason: Reason
  /// How many attempts were made, retries included.
  public let attempts: Int

  public init(endpoint: String, reason: Reason, attempts: Int) {
    self.endpoint = endpoint
    self.reason = reason
    self.attempts = attempts
  }

  public var description: String {
    let tries = attempts > 1 ? " (after \(attempts) attempts)" : ""
    switch reason {
    case .http(let status, let message, let type, let code):
      let kind = [type, code].compactMap { $0 }.joined(separator: ", ")
      let detail = message.map { ": \($0)" } ?? ""
      return "\(endpoint): HTTP \(status)\(kind.isEmpty ? "" : " (\(kind))")\(detail)\(tries)"
    case .transport(let failure):
      return "\(endpoint): \(failure.description)\(tries)"
    case .invalidResponse(let detail):
      return "\(endpoint): \(detail)\(tries)"
    case .configuration(let detail):
      return "\(endpoint): \(detail)"
    }
  }
}

/// Removes secrets from text that may be shown, logged or stored.
public struct Redactor: Sendable {
  public let secrets: [String]

  public init(secrets: [String]) {
    // Short strings would blank out ordinary text; a real key is never that short.
    self.secrets = secrets.filter { $0.count >= 8 }
  }

  public func redact(_ text: String) -> String {
    secrets.reduce(text) { $0.replacing($1, with: "••••") }
  }
}
