import Foundation

extension LoopbackOpenAIServer {
  /// A misbehaviour to play instead of one normal answer. Queued with `enqueue`; each
  /// incoming request, whatever its endpoint, takes the next one.
  public enum Fault: Sendable {
    /// An HTTP error with OpenAI's error body `{"error":{"message","type","param","code"}}`
    /// and extra headers, e.g. `["retry-after": "1"]` or `["retry-after-ms": "50"]`.
    case status(
      Int, message: String, type: String = "server_error", code: String? = nil,
      headers: [String: String] = [:])
    /// 200 headers with the Content-Length of the normal answer, half its body, then a RST.
    case resetMidBody
    /// 200 headers with the Content-Length of the normal answer, half its body, then a FIN.
    case truncated
    /// 200 with content-type application/json and the body `<html>upstream error</html>`.
    case notJSON
    /// The normal answer after this many seconds (instead of `Options.delay`).
    case delay(Double)
    /// Reads the request, then closes the connection without a word.
    case closeWithoutAnswer
    /// An HTTP error whose text repeats the request's `Authorization` header, as a careless
    /// proxy's does: in OpenAI's error body when `json`, else as plain text.
    case echoAuthorization(status: Int, json: Bool)
    /// OpenAI's 401 for a wrong key, which repeats the key partly masked: its first five
    /// characters, asterisks, and its last four (`sk-ab*************wxyz`).
    case echoMaskedKey
    /// 200 headers with the Content-Length of the normal answer, half its body, then nothing
    /// for this many seconds (or until the server stops), then the connection closes: an
    /// upstream that hangs mid-answer.
    case stallMidBody(Double)
  }
}
