import Foundation
import SeedLLM
import SeedNotebook

/// Which LLM backend a run uses: `--backend`, else the notebook's front matter, else OpenAI
/// (or any compatible endpoint) when `OPENAI_BASE_URL` or `OPENAI_API_KEY` is set, else the
/// local model.
enum Backend: String, CaseIterable {
  case local
  case openai

  struct UnknownBackend: Error, CustomStringConvertible {
    let name: String
    let source: String
    var description: String {
      "seednb: unknown backend '\(name)' \(source); use one of: \(Backend.allCases.map(\.rawValue).joined(separator: ", "))"
    }
  }

  static func choose(
    flag: String?, frontMatter: String?, environment: [String: String] = ProcessEnvironment.current
  ) throws -> Backend {
    if let flag {
      guard let backend = Backend(rawValue: flag) else { throw UnknownBackend(name: flag, source: "given to --backend") }
      return backend
    }
    if let frontMatter {
      guard let backend = Backend(rawValue: frontMatter) else {
        throw UnknownBackend(name: frontMatter, source: "in the front matter")
      }
      return backend
    }
    let configured = ["OPENAI_BASE_URL", "OPENAI_API_KEY"].contains { !(environment[$0] ?? "").isEmpty }
    return configured ? .openai : .local
  }

  func bindings(model: String?) -> LLMBindings {
    let environment = ProcessEnvironment.current
    let configuration = OpenAIClient.Configuration.fromEnvironment(environment)
    let backend: LLMBackend
    switch self {
    case .openai: backend = .remote(OpenAIClient(configuration: configuration))
    case .local:
      backend = .local(LocalModelServer(installation: .standard(environment)), settings: configuration)
    }
    var bindings = LLMBindings(backend: backend)
    if let model { bindings.defaultChatModel = model }
    return bindings
  }
}
