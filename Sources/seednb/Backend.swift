import SeedLLM
import SeedNotebook

/// The LLM backend a run uses, from the environment (`OPENAI_BASE_URL`, `OPENAI_API_KEY`).
enum Backend {
  static func bindings(model: String?) -> LLMBindings {
    var bindings = LLMBindings(client: OpenAIClient(configuration: .fromEnvironment()))
    if let model { bindings.defaultChatModel = model }
    return bindings
  }
}
