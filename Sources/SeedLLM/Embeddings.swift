import Foundation
import SeedJSON

/// The Embeddings request and response. Requests ask for floats explicitly; answers in
/// base64 (little-endian float32, as OpenAI sends them) are decoded too.
public struct EmbeddingRequest: Sendable, Equatable, JSONRequestBody {
  public var model: String
  public var input: [String]
  public var dimensions: Int?
  public var encodingFormat: String

  public init(model: String, input: [String], dimensions: Int? = nil, encodingFormat: String = "float") {
    self.model = model
    self.input = input
    self.dimensions = dimensions
    self.encodingFormat = encodingFormat
  }

  public var json: JSONValue {
    var members: [JSONValue.Member] = [
      .init(key: "model", value: .string(model)), .init(key: "input", value: .array(input.map(JSONValue.string))),
      .init(key: "encoding_format", value: .string(encodingFormat)),
    ]
    if let dimensions { members.append(.init(key: "dimensions", value: .int(dimensions))) }
    return .object(members)
  }
}

public struct EmbeddingResponse: Sendable, Equatable, JSONResponseBody {
  public var data: [Embedding]
  public var model: String?
  public var usage: Usage?

  public struct Embedding: Sendable, Equatable {
    public var index: Int
    public var embedding: [Double]

    public init(index: Int, embedding: [Double]) {
      self.index = index
      self.embedding = embedding
    }
  }

  public init(json: JSONValue) throws {
    guard let data = json["data"]?.array else { throw ResponseShapeError(path: "data", expected: "a list") }
    self.data = try data.enumerated().map { position, item in
      let path = "data[\(position)].embedding"
      let vector: [Double]
      switch item["embedding"] {
      case .array(let numbers)?:
        vector = try numbers.map { number in
          guard let value = number.double else { throw ResponseShapeError(path: path, expected: "a list of numbers") }
          return value
        }
      case .string(let text)?:
        guard let decoded = EmbeddingResponse.floats(fromBase64: text) else {
          throw ResponseShapeError(path: path, expected: "a list of numbers or base64 float32")
        }
        vector = decoded
      default:
        throw ResponseShapeError(path: path, expected: "a list of numbers or base64 float32")
      }
      return Embedding(index: item["index"]?.int ?? position, embedding: vector)
    }
    model = json["model"]?.string
    usage = json["usage"].flatMap(Usage.init(json:))
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
