import Foundation

/// The Embeddings request and response. Requests ask for floats explicitly; answers in
/// base64 (little-endian float32, as OpenAI sends them) are decoded too.
public struct EmbeddingRequest: Codable, Sendable, Equatable {
  public var model: String
  public var input: [String]
  public var dimensions: Int?
  public var encodingFormat: String

  enum CodingKeys: String, CodingKey {
    case model, input, dimensions
    case encodingFormat = "encoding_format"
  }

  public init(model: String, input: [String], dimensions: Int? = nil, encodingFormat: String = "float") {
    self.model = model
    self.input = input
    self.dimensions = dimensions
    self.encodingFormat = encodingFormat
  }
}

public struct EmbeddingResponse: Codable, Sendable, Equatable {
  public var data: [Embedding]
  public var model: String?
  public var usage: Usage?

  public struct Embedding: Codable, Sendable, Equatable {
    public var index: Int
    public var embedding: [Double]

    enum CodingKeys: String, CodingKey {
      case index, embedding
    }

    public init(index: Int, embedding: [Double]) {
      self.index = index
      self.embedding = embedding
    }

    public init(from decoder: Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      index = try container.decodeIfPresent(Int.self, forKey: .index) ?? 0
      if let floats = try? container.decode([Double].self, forKey: .embedding) {
        embedding = floats
      } else {
        let text = try container.decode(String.self, forKey: .embedding)
        guard let decoded = Embedding.floats(fromBase64: text) else {
          throw DecodingError.dataCorruptedError(
            forKey: .embedding, in: container, debugDescription: "embedding is neither a list of numbers nor base64 float32")
        }
        embedding = decoded
      }
    }

    /// Little-endian float32 values from base64 text.
    public static func floats(fromBase64 text: String) -> [Double]? {
      guard let data = Data(base64Encoded: text), data.count % 4 == 0 else { return nil }
      var floats: [Double] = []
      floats.reserveCapacity(data.count / 4)
      data.withUnsafeBytes { bytes in
        for offset in stride(from: 0, to: bytes.count, by: 4) {
          let bits = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
          floats.append(Double(Float(bitPattern: bits)))
        }
      }
      return floats
    }
  }
}
