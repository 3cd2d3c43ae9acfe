/// The Chat Completions request and response, field for field as the OpenAI API names them
/// (in snake case on the wire, spelled out in CodingKeys: a key strategy converts every key of
/// every answer and costs more than the rest of decoding). Fields a server leaves out are nil.
public struct ChatMessage: Codable, Sendable, Equatable {
  public var role: String
  public var content: String
  public var name: String?

  public init(role: String, content: String, name: String? = nil) {
    self.role = role
    self.content = content
    self.name = name
  }
}

public struct ChatRequest: Codable, Sendable, Equatable {
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

  enum CodingKeys: String, CodingKey {
    case model, messages, seed, temperature, n, stop, logprobs
    case topP = "top_p", maxTokens = "max_tokens", presencePenalty = "presence_penalty"
    case frequencyPenalty = "frequency_penalty", topLogprobs = "top_logprobs"
  }

  public init(model: String, messages: [ChatMessage]) {
    self.model = model
    self.messages = messages
  }
}

public struct ChatResponse: Codable, Sendable, Equatable {
  public var id: String?
  public var object: String?
  public var created: Int?
  public var model: String?
  public var systemFingerprint: String?
  public var choices: [Choice]
  public var usage: Usage?

  enum CodingKeys: String, CodingKey {
    case id, object, created, model, choices, usage
    case systemFingerprint = "system_fingerprint"
  }

  public struct Choice: Codable, Sendable, Equatable {
    public var index: Int?
    public var message: Message?
    public var finishReason: String?
    public var logprobs: Logprobs?

    enum CodingKeys: String, CodingKey {
      case index, message, logprobs
      case finishReason = "finish_reason"
    }
  }

  public struct Message: Codable, Sendable, Equatable {
    public var role: String?
    public var content: String?
    public var refusal: String?
  }

  public struct Logprobs: Codable, Sendable, Equatable {
    public var content: [TokenLogprob]?
  }

  public struct TokenLogprob: Codable, Sendable, Equatable {
    public var token: String
    public var logprob: Double
    public var topLogprobs: [TopLogprob]?

    enum CodingKeys: String, CodingKey {
      case token, logprob
      case topLogprobs = "top_logprobs"
    }
  }

  public struct TopLogprob: Codable, Sendable, Equatable {
    public var token: String
    public var logprob: Double
  }
}

/// Token counts, with the details newer servers add.
public struct Usage: Codable, Sendable, Equatable {
  public var promptTokens: Int?
  public var completionTokens: Int?
  public var totalTokens: Int?
  public var promptTokensDetails: PromptTokensDetails?
  public var completionTokensDetails: CompletionTokensDetails?

  enum CodingKeys: String, CodingKey {
    case promptTokens = "prompt_tokens", completionTokens = "completion_tokens", totalTokens = "total_tokens"
    case promptTokensDetails = "prompt_tokens_details", completionTokensDetails = "completion_tokens_details"
  }

  public struct PromptTokensDetails: Codable, Sendable, Equatable {
    public var cachedTokens: Int?
    public var audioTokens: Int?

    enum CodingKeys: String, CodingKey {
      case cachedTokens = "cached_tokens", audioTokens = "audio_tokens"
    }
  }

  public struct CompletionTokensDetails: Codable, Sendable, Equatable {
    public var reasoningTokens: Int?
    public var audioTokens: Int?
    public var acceptedPredictionTokens: Int?
    public var rejectedPredictionTokens: Int?

    enum CodingKeys: String, CodingKey {
      case reasoningTokens = "reasoning_tokens", audioTokens = "audio_tokens"
      case acceptedPredictionTokens = "accepted_prediction_tokens", rejectedPredictionTokens = "rejected_prediction_tokens"
    }
  }
}
