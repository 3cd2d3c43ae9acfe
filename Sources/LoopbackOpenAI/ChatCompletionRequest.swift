import Foundation

/// The fields of an OpenAI Chat Completions request that shape our answer. The others
/// (top_p, stop, penalties, logprobs, ...) are accepted and ignored.
struct ChatCompletionRequest: Decodable {
  struct Message: Decodable {
    var role: String
    /// The text of the message; content given as parts keeps only the text parts, joined.
    var content: String

    private enum CodingKeys: String, CodingKey { case role, content }
    private struct Part: Decodable {
      var type: String
      var text: String?
    }

    init(from decoder: Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      role = try container.decode(String.self, forKey: .role)
      // content = string | [part] | null (assistant messages that only call tools)
      if try container.decodeNil(forKey: .content) {
        content = ""
      } else if let text = try? container.decode(String.self, forKey: .content) {
        content = text
      } else {
        let parts = try container.decode([Part].self, forKey: .content)
        content = parts.compactMap(\.text).joined(separator: " ")
      }
    }
  }

  var model: String
  var messages: [Message]
  var seed: Int?
  var temperature: Double?
  var maxTokens: Int?
  var n: Int
  var stream: Bool
  var includeUsage: Bool

  private enum CodingKeys: String, CodingKey {
    case model, messages, seed, temperature, n, stream
    case maxTokens = "max_tokens"
    case maxCompletionTokens = "max_completion_tokens"
    case streamOptions = "stream_options"
  }

  private struct StreamOptions: Decodable {
    var includeUsage: Bool?
    private enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
  }

  init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    model = try container.decode(String.self, forKey: .model)
    messages = try container.decode([Message].self, forKey: .messages)
    seed = try container.decodeIfPresent(Int.self, forKey: .seed)
    temperature = try container.decodeIfPresent(Double.self, forKey: .temperature)
    // max_completion_tokens is the newer name of max_tokens.
    maxTokens =
      try container.decodeIfPresent(Int.self, forKey: .maxCompletionTokens)
      ?? container.decodeIfPresent(Int.self, forKey: .maxTokens)
    n = try container.decodeIfPresent(Int.self, forKey: .n) ?? 1
    stream = try container.decodeIfPresent(Bool.self, forKey: .stream) ?? false
    includeUsage =
      try container.decodeIfPresent(StreamOptions.self, forKey: .streamOptions)?.includeUsage
      ?? false

    if messages.isEmpty {
      throw OpenAIError.invalidRequest(
        "'messages' must contain at least one message.", param: "messages")
    }
    if let maxTokens, maxTokens < 1 {
      throw OpenAIError.invalidRequest("'max_tokens' must be at least 1.", param: "max_tokens")
    }
    if !(1...128).contains(n) {
      throw OpenAIError.invalidRequest("'n' must be between 1 and 128.", param: "n")
    }
  }

  /// The seed of the generator that writes the answer: for a seeded request, a hash of
  /// everything that should change it (seed, model, temperature, messages), so the same
  /// request always gets the same text; nil when the request has no seed.
  var answerSeed: UInt64? {
    guard let seed else { return nil }
    var key =
      "seed=\(seed)\nmodel=\(model)\ntemperature=\(temperature.map { "\($0)" } ?? "default")\n"
    for message in messages {
      // Each field ends in NUL, so ("ab", "c") and ("a", "bc") hash differently.
      key += "\(message.role)\u{0}\(message.content)\u{0}"
    }
    return FNV1a.hash(key)
  }

  /// Prompt tokens as we count them: the words of every message's content.
  var promptTokens: Int { messages.reduce(0) { $0 + Vocabulary.tokenCount($1.content) } }
}
