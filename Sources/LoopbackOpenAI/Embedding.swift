import Foundation

/// The vector for a text: drawn from a generator seeded with the text's hash, so the same
/// text always gets the same vector, then scaled to length 1 as OpenAI's are.
enum Embedding {
  static func vector(for text: String, dimensions: Int) -> [Float] {
    var generator = SplitMix64(seed: FNV1a.hash(text))
    let raw = (0..<dimensions).map { _ in generator.signedUnit() }
    let length = raw.reduce(0) { $0 + $1 * $1 }.squareRoot()
    // A zero vector cannot be scaled; 53 random bits make one all but impossible.
    guard length > 0 else { return [Float](repeating: 0, count: dimensions) }
    return raw.map { Float($0 / length) }
  }

  /// OpenAI's base64 form: the float32 values little-endian, back to back.
  static func base64(_ vector: [Float]) -> String {
    var bytes = Data(capacity: vector.count * 4)
    for value in vector {
      withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }
    return bytes.base64EncodedString()
  }
}
