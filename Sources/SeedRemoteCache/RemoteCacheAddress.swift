import Foundation

/// Where a remote cache is: its base URL as given (with any `user:password@`, which libcurl
/// sends as basic auth) and as it may be shown, with the password replaced by `••••`.
public struct RemoteCacheAddress: Sendable, Equatable, CustomStringConvertible {
  /// The URL as given, without a trailing slash: only requests are made with it.
  let base: String
  /// The URL with its credentials redacted: the only form that appears in any message.
  public let shown: String
  /// The password (or the whole user part, when it has no `:`), to redact from texts that
  /// libcurl or the server may echo.
  let credential: String?

  /// Why a text is not a remote cache's URL.
  public struct Invalid: Error, CustomStringConvertible {
    public let description: String
  }

  public init(_ text: String) throws {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard let schemeEnd = trimmed.range(of: "://") else {
      throw Invalid(description: "the remote cache's URL needs http:// or https://, not '\(RemoteCacheAddress.redacted(trimmed).shown)'")
    }
    let scheme = trimmed[..<schemeEnd.lowerBound].lowercased()
    let (shown, credential) = RemoteCacheAddress.redacted(trimmed)
    guard scheme == "http" || scheme == "https" else {
      throw Invalid(description: "the remote cache's URL needs http:// or https://, not '\(shown)'")
    }
    let rest = trimmed[schemeEnd.upperBound...]
    let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
    let host = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
    guard !host.isEmpty, !host.hasPrefix(":") else {
      throw Invalid(description: "the remote cache's URL '\(shown)' names no host")
    }
    guard !rest.contains("?"), !rest.contains("#") else {
      throw Invalid(description: "the remote cache's URL '\(shown)' has a query or fragment; give the cache's root (http://host:port/path)")
    }
    var base = trimmed
    while base.hasSuffix("/") { base.removeLast() }
    self.base = base
    var shownBase = shown
    while shownBase.hasSuffix("/") { shownBase.removeLast() }
    self.shown = shownBase
    self.credential = credential
  }

  /// The URL of an entry: `<base>/ac/<key>` or `<base>/cas/<key>`.
  func url(_ area: RemoteCacheClient.Area, _ key: String) -> String { "\(base)/\(area.rawValue)/\(key)" }

  public var description: String { shown }

  /// The text with the password of its user part (or the whole user part, when it holds no
  /// `:`, as a token given as a user name would) replaced by `••••`, and what was replaced.
  static func redacted(_ text: String) -> (shown: String, credential: String?) {
    guard let schemeEnd = text.range(of: "://") else { return (text, nil) }
    let rest = text[schemeEnd.upperBound...]
    let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
    let authority = rest[..<authorityEnd]
    guard let at = authority.lastIndex(of: "@") else { return (text, nil) }
    let userPart = authority[..<at]
    let prefix = text[..<schemeEnd.upperBound]
    let suffix = text[at...]
    if let colon = userPart.firstIndex(of: ":") {
      let password = String(userPart[userPart.index(after: colon)...])
      return (prefix + userPart[...colon] + "••••" + suffix, password.isEmpty ? nil : password)
    }
    return (prefix + "••••" + suffix, userPart.isEmpty ? nil : String(userPart))
  }
}
