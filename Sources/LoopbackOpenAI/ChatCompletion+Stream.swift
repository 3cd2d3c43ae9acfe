import Foundation
import SeedJSON

extension ChatCompletion {
  /// The answer as server-sent events, shaped like OpenAI's: per choice, one
  /// `chat.completion.chunk` per word (the first also carrying the role), then one with an
  /// empty delta and the finish reason; a usage chunk when asked for; then `[DONE]`.
  /// The deltas of a choice, concatenated, are its non-streamed text.
  func events(includeUsage: Bool) -> [Data] {
    var chunks: [JSONValue] = []
    for (index, choice) in choices.enumerated() {
      for (position, word) in choice.words.enumerated() {
        let content = JSONValue.string(position == 0 ? word : " " + word)
        let delta: JSONValue =
          position == 0 ? ["role": "assistant", "content": content] : ["content": content]
        chunks.append(chunk(choice: index, delta: delta, finishReason: .null))
      }
      chunks.append(chunk(choice: index, delta: [:], finishReason: .string(choice.finishReason)))
    }
    if includeUsage {
      // OpenAI's usage chunk has no choices.
      chunks.append(
        .object(header(object: "chat.completion.chunk") + [.init(key: "choices", value: []), .init(key: "usage", value: usage)]))
    }
    return chunks.map { Self.event($0.serialized()) } + [Self.event("[DONE]")]
  }

  private func chunk(choice: Int, delta: JSONValue, finishReason: JSONValue) -> JSONValue {
    let choiceObject: JSONValue = [
      "index": .int(choice), "delta": delta, "logprobs": .null, "finish_reason": finishReason,
    ]
    return .object(header(object: "chat.completion.chunk") + [.init(key: "choices", value: [choiceObject])])
  }

  private static func event(_ data: String) -> Data { Data("data: \(data)\n\n".utf8) }
}
