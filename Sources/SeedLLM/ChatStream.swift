import Foundation
import SeedJSON

/// Streamed Chat Completions (`stream: true`): the server sends server-sent events, one
/// `chat.completion.chunk` per piece of text, and the client hands each piece of the first
/// choice's text to a callback as it arrives. The chunks are put back together into the answer
/// a plain request would have given, so a caller (and a cache) cannot tell the two apart.
extension OpenAIClient {
  /// Sends `request` streamed; `onToken` hears the first choice's text piece by piece, on
  /// the thread that drives the transport. When the server answers with an error, or the
  /// connection fails before any text arrived, the request is sent again unstreamed, so that
  /// retries and error messages are those of `chat(_:)`.
  public func chatStreaming(_ request: ChatRequest, onToken: @escaping (String) -> Void) throws -> Answer<ChatResponse> {
    let url = configuration.baseURL + "/chat/completions"
    guard case .object(var members) = request.json else { return try chat(request) }
    members.append(.init(key: "stream", value: .bool(true)))
    members.append(.init(key: "stream_options", value: ["include_usage": true]))
    var headers: [(name: String, value: String)] = [("Content-Type", "application/json"), ("Accept", "text/event-stream")]
    if let key = configuration.apiKey { headers.append(key.authorization) }
    let http = HTTPRequest(
      method: "POST", url: url, headers: headers, body: Data(JSONValue.object(members).serialized().utf8),
      connectTimeout: configuration.connectTimeout, timeout: configuration.timeout, stallTimeout: configuration.stallTimeout)
    let assembler = StreamAssembler(onToken: onToken)
    let begin = Date()
    let response: HTTPResponse
    do {
      response = try HTTPTransport.shared.perform(http) { assembler.feed($0) }
    } catch TransportFailure.cancelled {
      let endpoint = "POST \(Redactor(keys: [configuration.apiKey].compactMap { $0 }).redact(url))"
      throw LLMError(endpoint: endpoint, reason: .transport(.cancelled), attempts: 1)
    } catch {
      if assembler.sawEvents { throw error }
      return try chat(request)
    }
    guard (200..<300).contains(response.status) else { return try chat(request) }
    // A server that ignores `stream` answers with one JSON body.
    guard assembler.sawEvents else { return try chat(request) }
    var json = assembler.answer()
    // As for an unstreamed answer: an echoed key does not reach a cache or a record.
    let redactor = Redactor(keys: [configuration.apiKey].compactMap { $0 })
    let text = json.serialized()
    if redactor.holdsSecret(Data(text.utf8)), let redacted = try? JSONValue.parse(redactor.redact(text)) { json = redacted }
    return Answer(body: try ChatResponse(json: json), json: json, latency: Date().timeIntervalSince(begin), attempts: 1)
  }
}

/// Reads server-sent events as they arrive and keeps what the chunks say. Package-visible so
/// that SeedFuzzing can feed it arbitrary streams.
package final class StreamAssembler: @unchecked Sendable {
  private let onToken: (String) -> Void
  private var pending = Data()
  package private(set) var sawEvents = false
  private var header: [String: JSONValue] = [:]
  private var texts: [Int: String] = [:]
  private var finishReasons: [Int: JSONValue] = [:]
  private var logprobs: [Int: [JSONValue]] = [:]
  private var usage: JSONValue?

  package init(onToken: @escaping (String) -> Void) { self.onToken = onToken }

  package func feed(_ data: Data) {
    pending.append(data)
    while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
      let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
      pending.removeSubrange(pending.startIndex...newline)
      handle(line.hasSuffix("\r") ? String(line.dropLast()) : line)
    }
  }

  private func handle(_ line: String) {
    guard line.hasPrefix("data:") else { return }
    let payload = line.dropFirst(5).trimmingCharacters(in: .whitespaces)
    sawEvents = true
    guard payload != "[DONE]", let chunk = try? JSONValue.parse(payload) else { return }
    for key in ["id", "created", "model", "system_fingerprint"] {
      if let value = chunk[key], value != .null { header[key] = value }
    }
    if let value = chunk["usage"], value != .null { usage = value }
    for (position, choice) in (chunk["choices"]?.array ?? []).enumerated() {
      let index = choice["index"]?.int ?? position
      if let piece = choice["delta"]?["content"]?.string, !piece.isEmpty {
        texts[index, default: ""] += piece
        if index == 0 { onToken(piece) }
      } else if texts[index] == nil {
        texts[index] = ""
      }
      if let reason = choice["finish_reason"], reason != .null { finishReasons[index] = reason }
      if let tokens = choice["logprobs"]?["content"]?.array { logprobs[index, default: []] += tokens }
    }
  }

  /// The answer as an unstreamed request would have had it.
  package func answer() -> JSONValue {
    var members: [JSONValue.Member] = []
    if let id = header["id"] { members.append(.init(key: "id", value: id)) }
    members.append(.init(key: "object", value: "chat.completion"))
    for key in ["created", "model", "system_fingerprint"] {
      if let value = header[key] { members.append(.init(key: key, value: value)) }
    }
    let choices: [JSONValue] = texts.keys.sorted().map { index in
      var choice: [JSONValue.Member] = [
        .init(key: "index", value: .int(index)),
        .init(key: "message", value: ["role": "assistant", "content": .string(texts[index] ?? "")]),
        .init(key: "finish_reason", value: finishReasons[index] ?? .null),
      ]
      if let tokens = logprobs[index] { choice.append(.init(key: "logprobs", value: ["content": .array(tokens)])) }
      return .object(choice)
    }
    members.append(.init(key: "choices", value: .array(choices)))
    if let usage { members.append(.init(key: "usage", value: usage)) }
    return .object(members)
  }
}
