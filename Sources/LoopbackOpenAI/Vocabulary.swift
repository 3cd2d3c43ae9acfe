/// The words generated answers are made of: fixed, so seeded answers never change between
/// versions of the server. Plain lowercase ASCII, one token each by our count.
enum Vocabulary {
  static let words = [
    "the", "seed", "model", "answer", "river", "stone", "light", "quiet", "north", "garden",
    "paper", "signal", "window", "number", "copper", "silver", "morning", "evening", "bridge",
    "harbor", "forest", "winter", "summer", "cloud", "orbit", "engine", "letter", "market",
    "meadow", "candle", "mirror", "pocket", "ladder", "thread", "circle", "anchor", "valley",
    "island", "lantern", "marble", "pepper", "rocket", "saddle", "temple", "velvet", "willow",
    "yellow", "zephyr", "amber", "basket", "cotton", "desert", "feather", "ginger", "hollow",
    "ivory", "jungle", "kettle", "lemon", "maple", "needle", "olive", "puzzle", "quartz",
  ]

  /// Words of an answer drawn from `generator`.
  static func words(count: Int, using generator: inout SplitMix64) -> [String] {
    (0..<count).map { _ in words[generator.integer(in: 0...(words.count - 1))] }
  }

  /// How many tokens a text counts as: its whitespace-separated words.
  static func tokenCount(_ text: String) -> Int {
    text.split(whereSeparator: { $0.isWhitespace }).count
  }
}
