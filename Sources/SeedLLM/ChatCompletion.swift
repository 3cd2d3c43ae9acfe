import SeedJSON

/// The Chat Completions request and response, field for field as the OpenAI API names them.
/// Fields a server leaves out are nil. Each type reads and writes its own JSON: a
/// `JSONDecoder` costs more per answer than the rest of a loopback request.
public struct ChatMessage: Sendable, Equatable {
  public var role: String
  public var content: String
  public var name: String?

  public init(role: String, content: String, name: String? = nil) {
    self.role = role
    self.content = content
    self.name = name
  }

  var json: JSONValue {
    .object([.init(key: "role", value: .string(role)), .init(key: "content", value: .string(content))]
      + (name.map { [.init(key: "name", value: .string($0))] } ?? []))
  }
}

public struct ChatRequest: Sendable, Equatable, JSONRequestBody {
  public var model: String
  public var messages: [ChatMessage]
  public var seed: Int?
  public var temperature: Double?
  public var topP: Double?
  public var maxTokens: Int?
  public var n: Int?
  public var stop: [String]?
  public var presencePenalty: Double?
  public var frequencyPenalty: Double?
  public var logprobs: Bool?
  public var topLogprobs: Int?

  public init(model: String, messages: [ChatMessage]) {
    self.model = model
    self.messages = messages
  }

  /// The request body, with the optional fields that are set, in the API's spelling.
  public var json: JSONValue {
    var members: [JSONValue.Member] = [
      .init(key: "model", value: .string(model)), .init(key: "messages", value: .array(messages.map(\.json))),
    ]
    func add(_ key: String, _ value: JSONValue?) {
      if let value { members.append(.init(key: key, value: value)) }
    }
    add("seed", seed.map(JSONValue.int))
    add("temperature", temperature.map(JSONValue.double))
    add("top_p", topP.map(JSONValue.double))
    add("max_tokens", maxTokens.map(JSONValue.int))
    add("n", n.map(JSONValue.int))
    add("stop", stop.map { .array($0.map(JSONValue.string)) })
    add("presence_penalty", presencePenalty.map(JSONValue.double))
    add("frequency_penalty", frequencyPenalty.map(JSONValue.double))
    add("logprobs", logprobs.map(JSONValue.bool))
    add("top_logprobs", topLogprobs.map(JSONValue.int))
    return .object(members)
  }
}

extension ChatRequest {
  /// The request as a cache sees it: the API's defaults filled in, so that leaving out
  /// `temperature` and sending its default are the same request.
  public var normalized: JSONValue {
    var filled = self
    filled.temperature = temperature ?? 1
    filled.topP = topP ?? 1
    filled.n = n ?? 1
    filled.presencePenalty = presencePenalty ?? 0
    filled.frequencyPenalty = frequencyPenalty ?? 0
    filled.logprobs = logprobs ?? false
    return filled.json
  }
}

public struct ChatResponse: Sendable, Equatable, JSONResponseBody {
  public var id: String?
  public var object: String?
  public var created: Int?
  public var model: String?
  public var systemFingerprint: String?
  public var choices: [Choice]
  public var usage: Usage?

  public struct Choice: Sendable, Equatable {
    public var index: Int?
    public var message: Message?
    public var finishReason: String?
    public var logprobs: [TokenLogprob]?
  }

  public struct Message: Sendable, Equatable {
    public var role: String?
    public var content: String?
    public var refusal: String?
  }

  public struct TokenLogprob: Sendable, Equatable {
    public var token: String
    public var logprob: Double
    public var topLogprobs: [TopLogprob]
  }

  public struct TopLogprob: Sendable, Equatable {
    public var token: String
    public var logprob: Double
  }

  public init(json: JSONValue) throws {
    guard case .object = json else { throw ResponseShapeError(path: "the answer", expected: "an object") }
    id = json["id"]?.string
    object = json["object"]?.string
    created = json["created"]?.int
    model = json["model"]?.string
    systemFingerprint = json["system_fingerprint"]?.string
    guard let choices = json["choices"]?.array else { throw ResponseShapeError(path: "choices", expected: "a list") }
    self.choices = try choices.enumerated().map { position, choice in
      guard case .object = choice else { throw ResponseShapeError(path: "choices[\(position)]", expected: "an object") }
      let message = choice["message"].flatMap { message -> Message? in
        guard case .object = message else { return nil }
        return Message(role: message["role"]?.string, content: message["content"]?.string, refusal: message["refusal"]?.string)
      }
      let logprobs = choice["logprobs"]?["content"]?.array?.compactMap { token -> TokenLogprob? in
        guard let text = token["token"]?.string, let logprob = token["logprob"]?.double else { return nil }
        let top = token["top_logprobs"]?.array?.compactMap { alternative -> TopLogprob? in
          guard let text = alternative["token"]?.string, let logprob = alternative["logprob"]?.double else { return nil }
          return TopLogprob(token: text, logprob: logprob)
        }
        return TokenLogprob(token: text, logprob: logprob, topLogprobs: top ?? [])
      }
      return Choice(
        index: choice["index"]?.int, message: message, finishReason: choice["finish_reason"]?.string, logprobs: logprobs)
    }
    usage = json["usage"].flatMap(Usage.init(json:))
  }
}

/// Token counts, with the details newer servers add.
public struct Usage: Sendable, Equatable {
  public var promptTokens: Int?
  public var completionTokens: Int?
  public var totalTokens: Int?
  public var cachedTokens: Int?
  public var reasoningTokens: Int?

  public init(
    promptTokens: Int? = nil, completionTokens: Int? = nil, totalTokens: Int? = nil, cachedTokens: Int? = nil,
    reasoningTokens: Int? = nil
  ) {
    self.promptTokens = promptTokens
    self.completionTokens = completionTokens
    self.totalTokens = totalTokens
    self.cachedTokens = cachedTokens
    self.reasoningTokens = reasoningTokens
  }

  /// nil when the answer has no usage object.
  init?(json: JSONValue) {
    guard case .object = json else { return nil }
    self.init(
      promptTokens: json["prompt_tokens"]?.int, completionTokens: json["completion_tokens"]?.int,
      totalTokens: json["total_tokens"]?.int, cachedTokens: json["prompt_tokens_details"]?["cached_tokens"]?.int,
      reasoningTokens: json["completion_tokens_details"]?["reasoning_tokens"]?.int)
  }
}

/// A body the client sends.
protocol JSONRequestBody: Sendable {
  var json: JSONValue { get }
}

/// An answer the client reads.
protocol JSONResponseBody: Sendable {
  init(json: JSONValue) throws
}

/// An answer that is JSON but lacks a field the API promises.
struct ResponseShapeError: Error, CustomStringConvertible {
  let path: String
  let expected: String
  var description: String { "\(path) is missing or not \(expected)" }
}

extension ChatRequest {
  /// A request read back from its body, as `json` or `normalized` wrote it: the inverse of
  /// `json`, so `ChatRequest(json: r.json) == r`. A cache keeps requests this way.
  public init(json: JSONValue) throws {
    guard case .object = json else { throw ResponseShapeError(path: "the request", expected: "an object") }
    guard let model = json["model"]?.string else { throw ResponseShapeError(path: "model", expected: "a string") }
    guard let messages = json["messages"]?.array else { throw ResponseShapeError(path: "messages", expected: "a list") }
    self.init(
      model: model,
      messages: try messages.enumerated().map { position, message in
        guard let role = message["role"]?.string, let content = message["content"]?.string else {
          throw ResponseShapeError(path: "messages[\(position)]", expected: "an object with a string role and content")
        }
        return ChatMessage(role: role, content: content, name: message["name"]?.string)
      })
    seed = json["seed"]?.int
    temperature = json["temperature"]?.double
    topP = json["top_p"]?.double
    maxTokens = json["max_tokens"]?.int
    n = json["n"]?.int
    stop = json["stop"]?.array?.compactMap(\.string)
    presencePenalty = json["presence_penalty"]?.double
    frequencyPenalty = json["frequency_penalty"]?.double
    logprobs = json["logprobs"]?.bool
    topLogprobs = json["top_logprobs"]?.int
  }
}
