/// The normal answer to a request: the API key is checked, then the endpoint table decides.
struct Router {
  var options: LoopbackOpenAIServer.Options

  func answer(_ request: LoopbackOpenAIServer.RecordedRequest) -> HTTPResponse {
    do throws(OpenAIError) {
      try checkKey(request)
      let path = request.path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
      let atPath = Endpoints.all.filter { $0.path == path }
      guard !atPath.isEmpty else { throw OpenAIError.notFound(request.method, path) }
      guard let endpoint = atPath.first(where: { $0.method == request.method }) else {
        let allowed = atPath.map(\.method).joined(separator: ", ")
        return OpenAIError.methodNotAllowed(request.method, path).response(extraHeaders: [
          ("allow", allowed)
        ])
      }
      return try endpoint.answer(request, options)
    } catch {
      return error.response
    }
  }

  private func checkKey(_ request: LoopbackOpenAIServer.RecordedRequest) throws(OpenAIError) {
    guard let key = options.requiredKey else { return }
    guard let authorization = request.headers["authorization"] else { throw .missingAPIKey }
    guard ([key] + options.otherKeys).contains(where: { authorization == "Bearer \($0)" }) else { throw .invalidAPIKey }
  }
}
