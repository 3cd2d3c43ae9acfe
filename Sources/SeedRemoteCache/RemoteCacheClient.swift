import Foundation
import SeedLLM

/// Bazel's HTTP cache protocol: `GET`, `PUT` and `HEAD` of bytes at `URL/ac/<key>` (the action
/// cache: any 64-hex-digit key) and `URL/cas/<sha256>` (content addressed: the key is the
/// bytes' own SHA-256), as bazel-remote, BuildBuddy or nginx with WebDAV serve it. Requests go
/// over the process's one libcurl multi handle (`HTTPTransport`), each with its own time-out,
/// and are never retried: a cache that fails is left alone for the run (see `RemoteCache`).
public struct RemoteCacheClient: Sendable {
  public enum Area: String, Sendable {
    case ac, cas
  }

  public let address: RemoteCacheAddress
  /// Sent as `Authorization: Bearer`; never shown.
  let token: APIKey?
  /// Seconds for each request, connecting included.
  public let timeout: Double
  /// Remove the token and the URL's password from texts shown.
  private let redactors: [Redactor]

  public init(address: RemoteCacheAddress, token: APIKey?, timeout: Double) {
    self.address = address
    self.token = token
    self.timeout = timeout
    redactors = [Redactor(keys: token.map { [$0] } ?? []), Redactor(secrets: address.credential.map { [$0] } ?? [])]
  }

  /// The bytes stored under the key, or nil when the cache has none (404).
  public func get(_ area: Area, _ key: String) throws -> Data? {
    let response = try send("GET", area, key)
    switch response.status {
    case 200: return response.body
    case 404: return nil
    default: throw fault("GET", area, key, .status(response.status, excerpt(response.body)))
    }
  }

  /// Whether the cache holds the key.
  public func head(_ area: Area, _ key: String) throws -> Bool {
    let response = try send("HEAD", area, key)
    switch response.status {
    case 200: return true
    case 404: return false
    default: throw fault("HEAD", area, key, .status(response.status, ""))
    }
  }

  /// Stores bytes under the key, replacing what was there.
  public func put(_ area: Area, _ key: String, _ bytes: Data) throws {
    let response = try send("PUT", area, key, body: bytes)
    guard (200..<300).contains(response.status) else {
      throw fault("PUT", area, key, .status(response.status, excerpt(response.body)))
    }
  }

  private func send(_ method: String, _ area: Area, _ key: String, body: Data? = nil) throws -> HTTPResponse {
    var headers: [(name: String, value: String)] = []
    if let token { headers.append(token.authorization) }
    // Bytes, whatever they hold: bazel-remote reads an `application/json` action-cache entry
    // as a JSON ActionResult.
    if body != nil { headers.append(("Content-Type", "application/octet-stream")) }
    let request = HTTPRequest(
      method: method, url: address.url(area, key), headers: headers, body: body, connectTimeout: timeout, timeout: timeout)
    do {
      return try HTTPTransport.shared.perform(request)
    } catch let failure as TransportFailure {
      throw fault(method, area, key, failure == .cancelled ? .cancelled : .transport(redact(failure.description)))
    }
  }

  private func fault(_ method: String, _ area: Area, _ key: String, _ reason: RemoteCacheFault.Reason) -> RemoteCacheFault {
    RemoteCacheFault(address: address.shown, operation: "\(method) \(area.rawValue)/\(key)", reason: reason)
  }

  /// The start of a server's error text, on one line, without a secret.
  private func excerpt(_ body: Data) -> String {
    let text = String(decoding: body.prefix(200), as: UTF8.self)
    let plain = text.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
    return redact(plain.split(whereSeparator: \.isWhitespace).joined(separator: " "))
  }

  private func redact(_ text: String) -> String {
    redactors.reduce(text.replacingOccurrences(of: address.base, with: address.shown)) { $1.redact($0) }
  }
}

/// Why a remote cache could not answer: the transport's failure or an unexpected status.
public struct RemoteCacheFault: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Reason: Sendable, Equatable {
    case transport(String)
    /// The status and the start of the server's text.
    case status(Int, String)
    /// Ctrl-C ended the request: no fault of the cache.
    case cancelled
  }

  /// The cache's URL as shown (no password).
  public let address: String
  /// `GET ac/<key>`.
  public let operation: String
  public let reason: Reason

  public var detail: String {
    switch reason {
    case .transport(let text): return text
    case .status(let status, let text): return text.isEmpty ? "HTTP \(status)" : "HTTP \(status): \(text)"
    case .cancelled: return "cancelled"
    }
  }

  public var description: String { "\(address): \(operation): \(detail)" }
}
