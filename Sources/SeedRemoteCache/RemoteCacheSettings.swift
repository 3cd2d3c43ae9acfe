import Foundation
import SeedLLM

/// How a command reaches a remote cache: `--remote-cache URL` or `SEEDNB_REMOTE_CACHE`,
/// `--remote-cache-read-only` or `SEEDNB_REMOTE_CACHE_READ_ONLY=1`, `--remote-cache-timeout`
/// or `SEEDNB_REMOTE_CACHE_TIMEOUT` (seconds per request), and a bearer token read from the
/// variable that `SEEDNB_REMOTE_CACHE_TOKEN_ENV` names.
public struct RemoteCacheSettings: Sendable {
  public static let defaultTimeout = 5.0

  public var url: String?
  public var readOnly = false
  public var timeout: Double?

  public init(url: String? = nil, readOnly: Bool = false, timeout: Double? = nil) {
    self.url = url
    self.readOnly = readOnly
    self.timeout = timeout
  }

  /// Why the settings cannot be used.
  public struct Invalid: Error, CustomStringConvertible {
    public let description: String
  }

  /// The client the settings and the environment describe, or nil when no remote cache is set.
  public func client(environment: [String: String]) throws -> (client: RemoteCacheClient, readOnly: Bool)? {
    guard let text = url ?? environment["SEEDNB_REMOTE_CACHE"].flatMap({ $0.isEmpty ? nil : $0 }) else { return nil }
    let address: RemoteCacheAddress
    do { address = try RemoteCacheAddress(text) } catch let invalid as RemoteCacheAddress.Invalid {
      throw Invalid(description: invalid.description)
    }
    var seconds = RemoteCacheSettings.defaultTimeout
    if let timeout {
      seconds = timeout
    } else if let text = environment["SEEDNB_REMOTE_CACHE_TIMEOUT"], !text.isEmpty {
      guard let value = Double(text) else {
        throw Invalid(description: "SEEDNB_REMOTE_CACHE_TIMEOUT needs a number of seconds, not '\(text)'")
      }
      seconds = value
    }
    guard seconds > 0 && seconds <= 3600 else {
      throw Invalid(description: "the remote cache's time-out needs a number of seconds above 0 and at most 3600, not \(seconds)")
    }
    var token: APIKey?
    if let name = environment["SEEDNB_REMOTE_CACHE_TOKEN_ENV"], !name.isEmpty {
      guard let key = APIKey.fromEnvironment(name, in: environment) else {
        throw Invalid(
          description: "SEEDNB_REMOTE_CACHE_TOKEN_ENV names the variable \(name), which is not set; set it to the remote cache's token"
        )
      }
      token = key
    }
    let readOnly = self.readOnly || ["1", "true", "yes"].contains(environment["SEEDNB_REMOTE_CACHE_READ_ONLY"]?.lowercased() ?? "")
    return (RemoteCacheClient(address: address, token: token, timeout: seconds), readOnly)
  }
}
