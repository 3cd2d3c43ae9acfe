/// Where two texts first part, with a little of each around that place, for a person to
/// read: `check` shows it when a seeded answer no longer repeats.
public struct TextDifference: Sendable, Equatable {
  /// Characters (grapheme clusters) the texts share from the start.
  public let offset: Int
  /// Up to `before` characters before the offset and `after` from it, of each text, with
  /// line breaks and tabs written as `\n` and `\t`, and "…" where an excerpt was cut.
  public let cachedExcerpt: String
  public let newExcerpt: String
  /// Whether a text ends where the other goes on: one is the start of the other.
  public let cachedEnds: Bool
  public let newEnds: Bool

  /// Characters of context before the first difference and from it.
  static let before = 20
  static let after = 30

  /// nil when the texts are equal.
  public init?(cached: String, new: String) {
    guard cached != new else { return nil }
    let a = Array(cached), b = Array(new)
    var offset = 0
    while offset < a.count, offset < b.count, a[offset] == b[offset] { offset += 1 }
    self.offset = offset
    cachedExcerpt = TextDifference.excerpt(a, around: offset)
    newExcerpt = TextDifference.excerpt(b, around: offset)
    cachedEnds = offset == a.count
    newEnds = offset == b.count
  }

  static func excerpt(_ characters: [Character], around offset: Int) -> String {
    let start = max(0, offset - before)
    let end = min(characters.count, offset + after)
    var text = start > 0 ? "…" : ""
    for character in characters[start..<max(start, end)] {
      switch character {
      case "\n", "\r\n": text += "\\n"
      case "\r": text += "\\r"
      case "\t": text += "\\t"
      default: text.append(character)
      }
    }
    if end < characters.count { text += "…" }
    return text
  }
}

/// scipy's cosine distance, as stdlib/embeddings_utils.seed writes it: 1 - a·b / sqrt(|a|²|b|²),
/// clipped to [0, 2]. nil for vectors of different lengths or a zero vector.
public func cosineDistance(_ a: [Double], _ b: [Double]) -> Double? {
  guard a.count == b.count, !a.isEmpty else { return nil }
  var dot = 0.0, aa = 0.0, bb = 0.0
  for i in a.indices {
    dot += a[i] * b[i]
    aa += a[i] * a[i]
    bb += b[i] * b[i]
  }
  let lengths = aa * bb
  guard lengths > 0 else { return nil }
  return min(max(1 - dot / lengths.squareRoot(), 0), 2)
}
