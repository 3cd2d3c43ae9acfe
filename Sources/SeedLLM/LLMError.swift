import Foundation

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

/// Removes secrets from text that may be shown, logged or stored: each key as it is, as JSON
/// writes it inside a string, and as percent-encoding writes it, since a server may echo any
/// of them; whatever follows `Bearer ` when it is the key, however short; a key partly masked
/// (`sk-ab****wxyz`, `sk-...wxyz`: see `Redactor+MaskedForms.swift`); and the `user:password@`
/// of any URL.
public struct Redactor: Sendable {
  private let secrets: [String]
  /// The keys as given, long enough for their masked forms to be recognised.
  let maskable: [String]
  private let bearers: [String]
  /// Every form searched for in an answer's bytes, as bytes.
  private let patterns: [[UInt8]]
  /// Whether every form is ASCII, so that a text holds one exactly when its bytes do: `replacing`
  /// compares characters, which finds a non-ASCII secret in other normalization forms too.
  private let asciiOnly: Bool

  public init(secrets: [String]) {
    var forms: [String] = []
    for secret in secrets {
      forms.append(secret)
      forms.append(Redactor.jsonEscaped(secret))
      forms.append(secret.addingPercentEncoding(withAllowedCharacters: Redactor.unreserved) ?? secret)
    }
    // Short strings alone would blank out ordinary text; a real key is never that short.
    // Longest first, so that one form never leaves a piece of another.
    var unique: [String] = []
    for form in forms where form.count >= 8 && !unique.contains(form) { unique.append(form) }
    self.secrets = unique.sorted { $0.count > $1.count }
    bearers = secrets.filter { !$0.isEmpty }.map { "Bearer \($0)" }
    patterns = (bearers + self.secrets).map { Array($0.utf8) }
    asciiOnly = patterns.allSatisfy { $0.allSatisfy { $0 < 0x80 } }
    maskable = secrets.filter { $0.count >= Redactor.shortestMaskable }
  }

  public init(keys: [APIKey]) { self.init(secrets: keys.map(\.text)) }

  public func redact(_ text: String) -> String {
    // Text without a secret, nearly all of it, is found so by `memchr` and left as it is:
    // `replacing` costs tens of thousands of instructions even when it finds nothing.
    var text = Redactor.withoutURLCredentials(text)
    text = redactingMaskedForms(text)
    if asciiOnly, !text.withUTF8({ holdsSecret(UnsafeRawBufferPointer($0)) }) { return text }
    let short = bearers.reduce(text) { $0.replacing($1, with: "Bearer ••••") }
    return secrets.reduce(short) { $0.replacing($1, with: "••••") }
  }

  /// Whether bytes (an answer's body) hold a secret in any form `redact` removes.
  /// Every answer is searched, so the search runs on `memchr` and `memcmp`: `Data.range(of:)`
  /// took a tenth of a whole request's time.
  public func holdsSecret(_ bytes: Data) -> Bool {
    guard !patterns.isEmpty else { return false }
    if bytes.withUnsafeBytes({ holdsSecret($0) }) { return true }
    return holdsMaskedForm(bytes)
  }

  private func holdsSecret(_ haystack: UnsafeRawBufferPointer) -> Bool {
    patterns.contains { pattern in pattern.withUnsafeBytes { Redactor.find($0, in: haystack) } }
  }

  static func find(_ needle: UnsafeRawBufferPointer, in haystack: UnsafeRawBufferPointer) -> Bool {
    guard let first = needle.first, let needleStart = needle.baseAddress, let base = haystack.baseAddress,
      needle.count <= haystack.count
    else { return needle.isEmpty }
    var from = base
    // The last place the needle can start.
    let last = base + (haystack.count - needle.count)
    while from <= last, let found = memchr(from, Int32(first), last - from + 1) {
      if memcmp(found, needleStart, needle.count) == 0 { return true }
      from = UnsafeRawPointer(found) + 1
    }
    return false
  }

  /// What percent-encoding leaves as it is (RFC 3986).
  static let unreserved = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))

  static func jsonEscaped(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "/": out += "\\/"
      case _ where scalar.value < 0x20 || scalar.value > 0x7E:
        out += scalar.utf16.map { "\\u" + String(format: "%04x", $0) }.joined()
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}
