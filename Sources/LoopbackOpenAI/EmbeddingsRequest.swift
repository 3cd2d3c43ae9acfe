/// The fields of an OpenAI Embeddings request.
struct EmbeddingsRequest: Decodable {
  enum EncodingFormat: String, Decodable {
    case float
    /// The little-endian float32 array, base64-encoded.
    case base64
  }

  var model: String
  /// `input` is a string or a list of strings; token-id arrays are not supported.
  var inputs: [String]
  var dimensions: Int?
  var encodingFormat: EncodingFormat

  private enum CodingKeys: String, CodingKey {
    case model, input, dimensions
    case encodingFormat = "encoding_format"
  }

  init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    model = try container.decode(String.self, forKey: .model)
    if let single = try? container.decode(String.self, forKey: .input) {
      inputs = [single]
    } else {
      inputs = try container.decode([String].self, forKey: .input)
    }
    dimensions = try container.decodeIfPresent(Int.self, forKey: .dimensions)
    encodingFormat =
      try container.decodeIfPresent(EncodingFormat.self, forKey: .encodingFormat) ?? .float

    if inputs.isEmpty {
      throw OpenAIError.invalidRequest("'input' must not be empty.", param: "input")
    }
    if let dimensions, !(1...8192).contains(dimensions) {
      throw OpenAIError.invalidRequest(
        "'dimensions' must be between 1 and 8192.", param: "dimensions")
    }
  }
}
