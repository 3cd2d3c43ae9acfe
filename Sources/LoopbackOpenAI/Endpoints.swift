import Foundation
import SeedJSON

/// The endpoints the server answers, in one table: path, method, and the function that
/// turns a request into an answer.
enum Endpoints {
  typealias Answer = (LoopbackOpenAIServer.RecordedRequest, LoopbackOpenAIServer.Options)
    throws(OpenAIError)
    -> HTTPResponse

  struct Endpoint {
    var path: String
    var method: String
    var answer: Answer
  }

  static let all: [Endpoint] = [
    Endpoint(path: "/v1/chat/completions", method: "POST", answer: chatCompletions),
    Endpoint(path: "/v1/embeddings", method: "POST", answer: embeddings),
    Endpoint(path: "/v1/models", method: "GET", answer: models),
  ]

  static func chatCompletions(
    _ request: LoopbackOpenAIServer.RecordedRequest, _ options: LoopbackOpenAIServer.Options
  ) throws(OpenAIError) -> HTTPResponse {
    let chat = try decodeRequestBody(ChatCompletionRequest.self, from: request.body)
    let completion = ChatCompletion(answering: chat, options: options)
    guard chat.stream else { return .json(completion.json) }
    return HTTPResponse(
      status: 200, headers: [("content-type", "text/event-stream"), ("cache-control", "no-cache")],
      body: .events(completion.events(includeUsage: chat.includeUsage)))
  }

  static func embeddings(
    _ request: LoopbackOpenAIServer.RecordedRequest, _ options: LoopbackOpenAIServer.Options
  ) throws(OpenAIError) -> HTTPResponse {
    let embeddings = try decodeRequestBody(EmbeddingsRequest.self, from: request.body)
    let dimensions = embeddings.dimensions ?? options.embeddingDimensions
    let data: [JSONValue] = embeddings.inputs.enumerated().map { index, text in
      let vector = Embedding.vector(for: text, dimensions: dimensions)
      let encoded: JSONValue =
        switch embeddings.encodingFormat {
        case .float: .array(vector.map { .double(Double($0)) })
        case .base64: .string(Embedding.base64(vector))
        }
      return ["object": "embedding", "index": .int(index), "embedding": encoded]
    }
    let tokens = embeddings.inputs.reduce(0) { $0 + Vocabulary.tokenCount($1) }
    return .json([
      "object": "list",
      "data": .array(data),
      "model": .string(options.model ?? embeddings.model),
      "usage": ["prompt_tokens": .int(tokens), "total_tokens": .int(tokens)],
    ])
  }

  /// The models listed: the configured one, or a chat and an embedding model by default.
  static func models(
    _ request: LoopbackOpenAIServer.RecordedRequest, _ options: LoopbackOpenAIServer.Options
  ) throws(OpenAIError) -> HTTPResponse {
    let names = options.model.map { [$0] } ?? ["loopback-chat", "loopback-embedding"]
    let data: [JSONValue] = names.map { name in
      ["id": .string(name), "object": "model", "created": 0, "owned_by": "loopback"]
    }
    return .json(["object": "list", "data": .array(data)])
  }
}
