import Foundation
import SeedJSON
import SeedLLM
import SeedLang

/// The LLM builtins a notebook's code calls: `chat` and `embed`. Each blocks only its own
/// thread, with the interpreter released, so that calls inside `parallel` are in flight at
/// the same time.
public struct LLMBindings: Sendable {
  public let backend: LLMBackend
  public var defaultChatModel: String
  public var defaultEmbeddingModel: String
  /// Answers calls from the cache and records them; without one every call goes live.
  public var journal: CallJournal?
  /// When set, a live chat outside `parallel` asking for one choice is streamed, and this
  /// hears its text piece by piece (the REPL prints it as it comes).
  public var onToken: (@Sendable (String) -> Void)?
  /// What `secret(name)` may read, and where: the process environment, and nothing until the
  /// host allows names (the front matter's `secrets:`, `--allow-secret`).
  public var secrets = SecretAccess.notebook()

  public init(
    backend: LLMBackend, defaultChatModel: String = "gpt-4o-mini", defaultEmbeddingModel: String = "text-embedding-3-small"
  ) {
    self.backend = backend
    self.defaultChatModel = defaultChatModel
    self.defaultEmbeddingModel = defaultEmbeddingModel
  }

  public init(client: OpenAIClient) {
    self.init(backend: .remote(client))
  }

  public func install(in interpreter: Interpreter) {
    let bindings = self
    interpreter.defineBuiltin("chat") { args in try bindings.chat(&args) }
    interpreter.defineBuiltin("embed") { args in try bindings.embed(&args) }
    interpreter.defineSecretBuiltin(secrets)
  }

  static let chatParameters: Set<String> = [
    "model", "messages", "system", "seed", "temperature", "top_p", "max_tokens", "n", "stop",
    "presence_penalty", "frequency_penalty", "logprobs", "top_logprobs", "api_key",
  ]

  /// `api_key:` of `chat` and `embed`: a secret, never a string, so that no key is written
  /// in a notebook, shown in its report or kept in its cache.
  static func apiKey(_ args: Arguments) throws -> APIKey? {
    switch args.named("api_key") {
    case nil, .nil?: return nil
    case .secret(let secret)?: return APIKey(name: secret.name, text: secret.reveal())
    case .string?:
      throw RuntimeFailure(
        "\(args.function)(): api_key must be a secret, not a string: write api_key: secret(\"NAME\") to read the environment variable NAME")
    case let other?:
      throw RuntimeFailure("\(args.function)(): api_key must be a secret (api_key: secret(\"NAME\")), got \(other.typeName)")
    }
  }


  // chat(prompt?, model:, messages:, system:, seed:, temperature:, top_p:, max_tokens:, n:, stop:, ..., api_key:)
  func chat(_ args: inout Arguments) throws -> Value {
    try args.checkLabels(LLMBindings.chatParameters)
    try args.expect(0...1)
    var messages: [ChatMessage] = []
    if let system = args.named("system") {
      messages.append(ChatMessage(role: "system", content: try text(system, "system")))
    }
    if let given = args.named("messages") {
      messages += try LLMBindings.messages(from: given)
    }
    if args.positionalCount == 1 {
      messages.append(ChatMessage(role: "user", content: try text(args[0], "the prompt")))
    }
    guard !messages.isEmpty else {
      throw RuntimeFailure("chat() needs a prompt or messages: chat(\"...\") or chat(messages: [[\"role\": \"user\", \"content\": \"...\"]])")
    }
    let apiKey = try LLMBindings.apiKey(args)
    var request = ChatRequest(model: try args.named("model").map { try text($0, "model") } ?? defaultChatModel, messages: messages)
    request.seed = try args.named("seed").flatMap { try optionalInt($0, "seed") }
    request.temperature = try args.named("temperature").flatMap { try optionalNumber($0, "temperature") }
    request.topP = try args.named("top_p").flatMap { try optionalNumber($0, "top_p") }
    request.maxTokens = try args.named("max_tokens").flatMap { try optionalInt($0, "max_tokens") }
    request.n = try args.named("n").flatMap { try optionalInt($0, "n") }
    request.presencePenalty = try args.named("presence_penalty").flatMap { try optionalNumber($0, "presence_penalty") }
    request.frequencyPenalty = try args.named("frequency_penalty").flatMap { try optionalNumber($0, "frequency_penalty") }
    request.topLogprobs = try args.named("top_logprobs").flatMap { try optionalInt($0, "top_logprobs") }
    if let logprobs = args.named("logprobs") {
      guard case .bool(let flag) = logprobs else { throw RuntimeFailure("chat(): logprobs must be a bool") }
      request.logprobs = flag
    }
    if let stop = args.named("stop") {
      switch stop {
      case .nil: break
      case .string(let s): request.stop = [s]
      case .list(let list): request.stop = try list.items.map { try text($0, "stop") }
      default: throw RuntimeFailure("chat(): stop must be a string or a list of strings")
      }
    }
    let requestedModel = request.model
    let seeded = request.seed != nil
    // The key is taken before the backend adapts the request: a random seed is not part of it.
    // Without a journal (a plain script) there is no cache, and no key to compute.
    let keyed = journal.map { _ in CacheKeys.requestKey(request, apiKeyName: apiKey?.name) }
    let consulted = try keyed.flatMap { keyed in
      try journal?.consult(
        kind: .chat, requestKey: keyed.key, requestText: keyed.text, taskPath: args.interpreter.taskPath, seeded: seeded,
        model: request.model)
    }
    if let call = consulted?.replay {
      return try LLMBindings.replayedRecord(call, requestedModel: requestedModel, request: request)
    }
    let randomSeed = backend.adapt(&request)
    let backend = self.backend
    let observer = journal?.observer
    let tokens: (@Sendable (String) -> Void)? =
      onToken ?? (observer?.streamsTokens == true ? { @Sendable text in observer?.notebook(.token(text)) } : nil)
    let stream = (request.n ?? 1) == 1 && args.interpreter.taskPath.isEmpty ? tokens : nil
    let answer = try args.interpreter.blocking {
      do {
        if let stream { return try backend.client(apiKey: apiKey).chatStreaming(request, onToken: stream) }
        return try backend.client(apiKey: apiKey).chat(request)
      } catch let error as LLMError { throw RuntimeFailure(error.description) }
    }
    if let journal, let slot = consulted?.slot, let (key, requestText) = keyed {
      journal.note(
        RecordedCall(
          kind: .chat, requestKey: key, taskPath: slot.taskPath, occurrence: slot.occurrence, request: requestText,
          response: answer.json.serialized(), model: answer.body.model, fingerprint: answer.body.systemFingerprint,
          seed: request.seed, seeded: seeded, latency: answer.latency, promptTokens: answer.body.usage?.promptTokens ?? 0,
          completionTokens: answer.body.usage?.completionTokens ?? 0, apiKeyName: apiKey?.name),
        source: .live)
    }
    return LLMBindings.record(of: answer, for: request, requestedModel: requestedModel, randomSeed: randomSeed, cached: false)
  }

  /// The record of a chat answered from the cache, as it was when the answer was live.
  static func replayedRecord(_ call: RecordedCall, requestedModel: String, request: ChatRequest) throws -> Value {
    let json = try JSONValue.parse(call.response)
    let body = try ChatResponse(json: json)
    var sent = request
    sent.seed = call.seed
    return record(
      of: OpenAIClient.Answer(body: body, json: json, latency: call.latency, attempts: 0), for: sent,
      requestedModel: requestedModel, randomSeed: !call.seeded && call.seed != nil, cached: true)
  }

  // embed(text or [texts], model:, dimensions:, api_key:): a vector, or a list of vectors.
  func embed(_ args: inout Arguments) throws -> Value {
    try args.checkLabels(["model", "dimensions", "api_key"])
    try args.expect(1)
    let single: Bool
    let inputs: [String]
    switch args[0] {
    case .string(let s):
      single = true
      inputs = [s]
    case .list(let list):
      single = false
      inputs = try list.items.enumerated().map { index, item in
        guard case .string(let s) = item else { throw RuntimeFailure("embed(): item \(index) must be a string, got \(item.typeName)") }
        return s
      }
    default:
      throw args.failure(0, expected: "a string or a list of strings")
    }
    let apiKey = try LLMBindings.apiKey(args)
    if inputs.isEmpty { return .list(ListObject([])) }
    var request = EmbeddingRequest(model: try args.named("model").map { try text($0, "model") } ?? defaultEmbeddingModel, input: inputs)
    request.dimensions = try args.named("dimensions").flatMap { try optionalInt($0, "dimensions") }
    let keyed = journal.map { _ in CacheKeys.requestKey(request, apiKeyName: apiKey?.name) }
    let consulted = try keyed.flatMap { keyed in
      try journal?.consult(
        kind: .embed, requestKey: keyed.key, requestText: keyed.text, taskPath: args.interpreter.taskPath, seeded: false,
        model: request.model)
    }
    var response = try consulted?.replay.map { try EmbeddingResponse(json: try JSONValue.parse($0.response)) }
    if response == nil {
      backend.adapt(&request)
      let backend = self.backend
      let answer = try args.interpreter.blocking {
        do { return try backend.client(apiKey: apiKey).embeddings(request) } catch let error as LLMError {
          throw RuntimeFailure(error.description)
        }
      }
      response = answer.body
      if let journal, let slot = consulted?.slot, let (key, requestText) = keyed {
        journal.note(
          RecordedCall(
            kind: .embed, requestKey: key, taskPath: slot.taskPath, occurrence: slot.occurrence, request: requestText,
            response: answer.json.serialized(), model: answer.body.model,
            fingerprint: answer.json["system_fingerprint"]?.string, seed: nil, seeded: false,
            latency: answer.latency, promptTokens: answer.body.usage?.promptTokens ?? 0, completionTokens: 0,
            apiKeyName: apiKey?.name),
          source: .live)
      }
    }
    let ordered = (response?.data ?? []).sorted { $0.index < $1.index }
    guard ordered.count == inputs.count else {
      throw RuntimeFailure("embed(): the server returned \(ordered.count) embeddings for \(inputs.count) inputs")
    }
    let vectors = ordered.map { Value.vector(VectorObject($0.embedding)) }
    return single ? vectors[0] : .list(ListObject(vectors))
  }

  /// messages -> list of ["role": text, "content": text]
  static func messages(from value: Value) throws -> [ChatMessage] {
    guard case .list(let list) = value else { throw RuntimeFailure("chat(): messages must be a list of dicts") }
    return try list.items.enumerated().map { index, item in
      if case .dict(let dict) = item, case .secret? = dict["content"] {
        throw RuntimeFailure("chat(): message \(index)'s content is a secret; a secret is only sent as api_key")
      }
      guard case .dict(let dict) = item, case .string(let role)? = dict["role"], case .string(let content)? = dict["content"] else {
        throw RuntimeFailure("chat(): message \(index) must be a dict with a string \"role\" and a string \"content\"")
      }
      var name: String?
      if case .string(let given)? = dict["name"] { name = given }
      return ChatMessage(role: role, content: content, name: name)
    }
  }

  /// The record `chat` returns: the first choice's content and finish reason at the top,
  /// with the fingerprint, usage, the model that answered, the seed sent and the latency.
  static func record(
    of answer: OpenAIClient.Answer<ChatResponse>, for request: ChatRequest, requestedModel: String, randomSeed: Bool,
    cached: Bool
  ) -> Value {
    let response = answer.body
    let record = DictObject(capacity: 14)
    let first = response.choices.first
    record["content"] = .string(first?.message?.content ?? "")
    record["finish_reason"] = first?.finishReason.map(Value.string) ?? .nil
    record["system_fingerprint"] = response.systemFingerprint.map(Value.string) ?? .nil
    record["usage"] = usage(response.usage)
    record["model"] = .string(response.model ?? request.model)
    record["requested_model"] = .string(requestedModel)
    record["seed"] = request.seed.map(Value.int) ?? .nil
    record["random_seed"] = .bool(randomSeed)
    record["temperature"] = request.temperature.map(Value.float) ?? .nil
    record["latency"] = .float(answer.latency)
    record["cached"] = .bool(cached)
    record["id"] = response.id.map(Value.string) ?? .nil
    record["created"] = response.created.map(Value.int) ?? .nil
    record["choices"] = .list(
      ListObject(
        response.choices.enumerated().map { position, choice in
          let entry = DictObject(capacity: 4)
          entry["index"] = .int(choice.index ?? position)
          entry["content"] = .string(choice.message?.content ?? "")
          entry["finish_reason"] = choice.finishReason.map(Value.string) ?? .nil
          if let tokens = choice.logprobs {
            entry["logprobs"] = .list(
              ListObject(
                tokens.map { token in
                  let item = DictObject(capacity: 2)
                  item["token"] = .string(token.token)
                  item["logprob"] = .float(token.logprob)
                  return .dict(item)
                }))
          }
          return .dict(entry)
        }))
    return .dict(record)
  }

  static func usage(_ usage: Usage?) -> Value {
    let dict = DictObject(capacity: 5)
    dict["prompt_tokens"] = .int(usage?.promptTokens ?? 0)
    dict["completion_tokens"] = .int(usage?.completionTokens ?? 0)
    dict["total_tokens"] = .int(usage?.totalTokens ?? (usage?.promptTokens ?? 0) + (usage?.completionTokens ?? 0))
    if let cached = usage?.cachedTokens { dict["cached_tokens"] = .int(cached) }
    if let reasoning = usage?.reasoningTokens { dict["reasoning_tokens"] = .int(reasoning) }
    return .dict(dict)
  }
}

private func text(_ value: Value, _ what: String) throws -> String {
  if case .secret = value { throw RuntimeFailure("chat(): \(what) is a secret; a secret is only sent as api_key") }
  guard case .string(let s) = value else { throw RuntimeFailure("chat(): \(what) must be a string, got \(value.typeName)") }
  return s
}

private func optionalInt(_ value: Value, _ what: String) throws -> Int? {
  switch value {
  case .nil: return nil
  case .int(let i): return i
  default: throw RuntimeFailure("\(what) must be an int, got \(value.typeName)")
  }
}

private func optionalNumber(_ value: Value, _ what: String) throws -> Double? {
  switch value {
  case .nil: return nil
  case .int(let i): return Double(i)
  case .float(let f): return f
  default: throw RuntimeFailure("\(what) must be a number, got \(value.typeName)")
  }
}
