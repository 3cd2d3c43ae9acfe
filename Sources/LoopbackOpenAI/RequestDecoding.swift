import Foundation

/// Decodes a JSON request body, turning decoding errors into the 400 OpenAI would send,
/// with the offending field named.
func decodeRequestBody<Request: Decodable>(_ type: Request.Type, from body: Data)
  throws(OpenAIError)
  -> Request
{
  do {
    return try JSONDecoder().decode(Request.self, from: body)
  } catch let error as OpenAIError {
    throw error
  } catch let DecodingError.keyNotFound(key, context) {
    let field = fieldPath(context.codingPath + [key])
    throw .invalidRequest("Missing required parameter: '\(field)'.", param: field)
  } catch let DecodingError.valueNotFound(_, context) {
    let field = fieldPath(context.codingPath)
    throw .invalidRequest("Missing required parameter: '\(field)'.", param: field)
  } catch let DecodingError.typeMismatch(_, context) {
    let field = fieldPath(context.codingPath)
    throw .invalidRequest("Invalid type for '\(field)': \(context.debugDescription)", param: field)
  } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
    let field = fieldPath(context.codingPath)
    throw .invalidRequest("Invalid value for '\(field)': \(context.debugDescription)", param: field)
  } catch {
    throw .invalidRequest(
      "We could not parse the JSON body of your request. (The body must be a JSON object.)")
  }
}

/// `messages[0].content`, as OpenAI names fields in its errors.
private func fieldPath(_ path: [CodingKey]) -> String {
  var text = ""
  for key in path {
    if let index = key.intValue {
      text += "[\(index)]"
    } else {
      text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
    }
  }
  return text
}
