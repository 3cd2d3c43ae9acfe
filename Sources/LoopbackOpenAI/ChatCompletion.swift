import Foundation
import SeedJSON

/// A generated chat answer, before it is written as one JSON object or as a stream.
struct ChatCompletion {
  struct Choice {
    var words: [String]
    /// "stop", or "length" when max_tokens cut the answer short.
    var finishReason: String
    var text: String { words.joined(separator: " ") }
  }

  static let wordRange = 8...24

  var id: String
  var created: Int
  var model: String
  var fingerprint: String?
  var choices: [Choice]
  var promptTokens: Int
  var completionTokens: Int { choices.reduce(0) { $0 + $1.words.count } }

  init(answering request: ChatCompletionRequest, options: LoopbackOpenAIServer.Options) {
    var generator = request.answerSeed.map(SplitMix64.init(seed:)) ?? .unseeded()
    // One generator for all n choices: each draws on from where the previous stopped, so
    // choices differ from one another yet a seeded request repeats all of them.
    choices = (0..<request.n).map { _ in
      let length = generator.integer(in: Self.wordRange)
      let words = Vocabulary.words(count: length, using: &generator)
      guard let limit = request.maxTokens, limit < length else {
        return Choice(words: words, finishReason: "stop")
      }
      return Choice(words: Array(words.prefix(limit)), finishReason: "length")
    }
    id = "chatcmpl-loopback\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
    created = Int(Date().timeIntervalSince1970)
    model = options.model ?? request.model
    fingerprint = options.fingerprint
    promptTokens = request.promptTokens
  }

  /// The `usage` object; the detail objects are there because clients read them.
  var usage: JSONValue {
    [
      "prompt_tokens": .int(promptTokens),
      "completion_tokens": .int(completionTokens),
      "total_tokens": .int(promptTokens + completionTokens),
      "prompt_tokens_details": ["cached_tokens": 0],
      "completion_tokens_details": ["reasoning_tokens": 0],
    ]
  }

  /// The leading fields every object and chunk of this answer share.
  func header(object: String) -> [JSONValue.Member] {
    var fields: [JSONValue.Member] = [
      .init(key: "id", value: .string(id)), .init(key: "object", value: .string(object)),
      .init(key: "created", value: .int(created)), .init(key: "model", value: .string(model)),
    ]
    if let fingerprint { fields.append(.init(key: "system_fingerprint", value: .string(fingerprint))) }
    return fields
  }

  /// The whole answer as a `chat.completion` object.
  var json: JSONValue {
    let choiceObjects: [JSONValue] = choices.enumerated().map { index, choice in
      [
        "index": .int(index),
        "message": ["role": "assistant", "content": .string(choice.text)],
        "logprobs": .null,
        "finish_reason": .string(choice.finishReason),
      ]
    }
    return .object(
      header(object: "chat.completion") + [.init(key: "choices", value: .array(choiceObjects)), .init(key: "usage", value: usage)])
  }
}
