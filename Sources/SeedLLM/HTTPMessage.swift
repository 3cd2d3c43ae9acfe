import Foundation

/// An HTTP request as the transport sends it.
public struct HTTPRequest: Sendable {
  public var method: String
  public var url: String
  public var headers: [(name: String, value: String)]
  public var body: Data?
  /// Seconds to wait for a connection, and for the whole exchange.
  public var connectTimeout: Double
  public var timeout: Double
  /// Seconds without a byte, once the answer has begun, after which the transfer is
  /// abandoned as stalled. Before the answer begins a model may think for minutes, which
  /// only `timeout` bounds.
  public var stallTimeout: Double

  public init(
    method: String, url: String, headers: [(name: String, value: String)] = [], body: Data? = nil,
    connectTimeout: Double = 10, timeout: Double = 600, stallTimeout: Double = 60
  ) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
    self.connectTimeout = connectTimeout
    self.timeout = timeout
    self.stallTimeout = stallTimeout
  }
}

/// An HTTP response: status, headers (names lowercased) and body.
public struct HTTPResponse: Sendable {
  public var status: Int
  public var headers: [String: String]
  public var body: Data

  public init(status: Int, headers: [String: String], body: Data) {
    self.status = status
    self.headers = headers
    self.body = body
  }
}

/// Why an exchange produced no response.
public enum TransportFailure: Error, Equatable, Sendable {
  case refused
  /// No answer in time; `connecting` when the connection (TLS included) was not yet made.
  case timedOut(seconds: Double, connecting: Bool)
  case tls(String)
  /// The connection broke or closed before the whole answer arrived.
  case truncated(String)
  /// The answer began, then nothing more arrived for so many seconds.
  case stalled(seconds: Double)
  case unresolvedHost(String)
  case cancelled
  /// libcurl could not be loaded (the text says why); no request can be sent.
  case libcurlUnavailable(String)
  case other(String)

  /// Whether a new attempt may succeed.
  var isRetryable: Bool {
    switch self {
    case .refused, .timedOut, .truncated, .stalled, .other: return true
    case .tls, .unresolvedHost, .cancelled, .libcurlUnavailable: return false
    }
  }

  public var description: String {
    switch self {
    case .refused: return "connection refused"
    case .timedOut(let seconds, let connecting):
      return "timed out \(connecting ? "connecting " : "")after \(TransportFailure.format(seconds)) s"
    case .tls(let detail): return "TLS error: \(detail)"
    case .truncated(let detail): return "the connection broke before the whole answer arrived (\(detail))"
    case .stalled(let seconds):
      return "the answer began, then nothing arrived for \(TransportFailure.format(seconds)) s (SEEDNB_STALL_TIMEOUT); it was abandoned"
    case .unresolvedHost(let host): return "cannot resolve host \(host)"
    case .cancelled: return "cancelled"
    case .libcurlUnavailable(let detail): return detail
    case .other(let detail): return detail
    }
  }

  static func format(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.3g", seconds)
  }
}
