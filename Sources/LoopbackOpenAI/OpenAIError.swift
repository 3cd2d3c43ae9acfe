import SeedJSON
/// OpenAI's error answer: `{"error":{"message","type","param","code"}}`.
struct OpenAIError: Error {
  var status: Int
  var message: String
  var type: String
  var param: String? = nil
  var code: String? = nil

  var response: HTTPResponse { response(extraHeaders: []) }

  func response(extraHeaders: [(name: String, value: String)]) -> HTTPResponse {
    let error: JSONValue = [
      "message": .string(message),
      "type": .string(type),
      "param": .nullable(param),
      "code": .nullable(code),
    ]
    return .json(["error": error], status: status, headers: extraHeaders)
  }

  /// A 400 for a request body we cannot use.
  static func invalidRequest(_ message: String, param: String? = nil) -> OpenAIError {
    OpenAIError(status: 400, message: message, type: "invalid_request_error", param: param)
  }

  static func notFound(_ method: String, _ path: String) -> OpenAIError {
    OpenAIError(
      status: 404, message: "Invalid URL (\(method) \(path))", type: "invalid_request_error")
  }

  static func methodNotAllowed(_ method: String, _ path: String) -> OpenAIError {
    OpenAIError(
      status: 405, message: "Method \(method) is not allowed for \(path).",
      type: "invalid_request_error", code: "method_not_allowed")
  }

  static let invalidAPIKey = OpenAIError(
    status: 401, message: "Incorrect API key provided.", type: "invalid_request_error",
    code: "invalid_api_key")

  static let missingAPIKey = OpenAIError(
    status: 401,
    message: "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.",
    type: "invalid_request_error")
}
