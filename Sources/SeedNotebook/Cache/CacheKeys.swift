import Foundation
import SeedJSON
import SeedLLM
import SeedRemoteCache

/// The keys of the cache: SHA-256 hex digests of what must match for an entry to be reused.
/// No key ever includes an API key; a call sent with a key of its own (`api_key: secret("NAME")`)
/// has the key's name in its request key.
enum CacheKeys {
  /// The SHA-256 of the text's UTF-8, in hex: the remote cache's content address, so that
  /// both name the same bytes alike.
  static func sha256(_ text: String) -> String { RemoteCache.sha256(Data(text.utf8)) }

  /// The source without what cannot change its meaning: trailing spaces, blank lines at the
  /// ends, and the kind of line break.
  static func normalized(_ source: String) -> String {
    var lines = source.replacing("\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map {
      String($0.reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
    while lines.last?.isEmpty == true { lines.removeLast() }
    while lines.first?.isEmpty == true { lines.removeFirst() }
    return lines.joined(separator: "\n")
  }

  /// A request's key: its kind and its body with the API's defaults filled in.
  static func requestKey(_ request: ChatRequest, apiKeyName: String? = nil) -> (key: String, text: String) {
    let text = request.normalized.serialized(sortedKeys: true)
    return (sha256("chat\u{0}" + text + keyNamePart(apiKeyName)), text)
  }

  static func requestKey(_ request: EmbeddingRequest, apiKeyName: String? = nil) -> (key: String, text: String) {
    let text = request.json.serialized(sortedKeys: true)
    return (sha256("embed\u{0}" + text + keyNamePart(apiKeyName)), text)
  }

  /// Nothing for the backend's own key, so that the keys of such calls stay as they were.
  private static func keyNamePart(_ name: String?) -> String {
    name.map { "\u{0}api_key\u{0}" + $0 } ?? ""
  }
}
