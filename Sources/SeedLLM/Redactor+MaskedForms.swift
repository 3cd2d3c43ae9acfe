import Foundation

/// Keys shown partly masked, and credentials in URLs.
///
/// A server that refuses a key often echoes it with its middle masked, as OpenAI does
/// (`Incorrect API key provided: sk-ab***************wxyz`), and dashboards show keys as
/// `sk-...wxyz`. Such a form still gives away the key's first characters and its last four,
/// which identify it, so it is removed like the key itself: a run of mask characters (`*`,
/// `.`, `…`, `•`, `x`), three or more (or one `…`), followed by the key's last four
/// characters, together with whatever start of the key comes right before the run.
extension Redactor {
  /// A key shorter than this has no masked form worth finding: four of its characters would be
  /// most of it, and they would match ordinary text.
  static let shortestMaskable = 12

  static let maskCharacters: Set<Character> = ["*", ".", "…", "•", "x", "X"]

  func redactingMaskedForms(_ text: String) -> String {
    guard !maskable.isEmpty else { return text }
    var text = text
    for key in maskable {
      let tail = String(key.suffix(4))
      guard text.contains(tail) else { continue }
      text = Redactor.redactingMasked(key: key, tail: tail, in: text)
    }
    return text
  }

  /// Whether bytes hold a masked form of a key: only when they hold one's last four
  /// characters is the text looked at.
  func holdsMaskedForm(_ bytes: Data) -> Bool {
    let candidates = maskable.filter { key in
      let tail = Array(key.suffix(4).utf8)
      return bytes.withUnsafeBytes { haystack in tail.withUnsafeBytes { Redactor.find($0, in: haystack) } }
    }
    guard !candidates.isEmpty else { return false }
    let text = String(decoding: bytes, as: UTF8.self)
    return candidates.contains { Redactor.redactingMasked(key: $0, tail: String($0.suffix(4)), in: text) != text }
  }

  private static func redactingMasked(key: String, tail: String, in text: String) -> String {
    let characters = Array(text)
    let tailCharacters = Array(tail)
    let keyCharacters = Array(key)
    var out: [Character] = []
    out.reserveCapacity(characters.count)
    var index = 0
    // Where `out` stands in `characters`: masked forms found so far are replaced in `out`.
    while index < characters.count {
      guard index + tailCharacters.count <= characters.count,
        characters[index..<index + tailCharacters.count].elementsEqual(tailCharacters)
      else {
        out.append(characters[index])
        index += 1
        continue
      }
      // The run of mask characters before the tail, in what was copied already.
      var maskStart = out.count
      while maskStart > 0, maskCharacters.contains(out[maskStart - 1]) { maskStart -= 1 }
      let mask = out[maskStart...]
      let longEnough = mask.count >= 3 || mask.contains("…")
      guard longEnough else {
        out.append(characters[index])
        index += 1
        continue
      }
      // The longest start of the key right before the run (`sk-ab`), taken with it.
      var start = maskStart
      var length = min(maskStart, keyCharacters.count - 4)
      while length > 0 {
        if out[(maskStart - length)..<maskStart].elementsEqual(keyCharacters[0..<length]) {
          start = maskStart - length
          break
        }
        length -= 1
      }
      out.removeSubrange(start...)
      out.append(contentsOf: "••••")
      index += tailCharacters.count
    }
    return String(out)
  }

  /// Text with the `user:password@` of every URL in it replaced by `••••@`
  /// (`https://••••@proxy.example/v1`): an `OPENAI_BASE_URL` may carry credentials, and libcurl
  /// and servers repeat the URL.
  public static func withoutURLCredentials(_ text: String) -> String {
    guard text.contains("://"), text.contains("@") else { return text }
    var out = ""
    var rest = Substring(text)
    while let scheme = rest.range(of: "://") {
      out += rest[..<scheme.upperBound]
      rest = rest[scheme.upperBound...]
      // The authority ends at the first '/', '?', '#' or blank; credentials end at its last '@'.
      let authorityEnd = rest.firstIndex { "/?#".contains($0) || $0.isWhitespace || $0 == "\"" || $0 == "'" } ?? rest.endIndex
      if let at = rest[..<authorityEnd].lastIndex(of: "@") {
        out += "••••"
        rest = rest[at...]
      }
    }
    return out + rest
  }
}
