/// "Did you mean" hints for misspelt names.
enum Suggestion {
  /// The candidate within two edits of the name, if there is exactly one closest.
  static func closest(to name: String, among candidates: [String]) -> String? {
    let scored = candidates.compactMap { candidate -> (String, Int)? in
      // Names far apart in length cannot be close; skipping them also bounds the work.
      guard abs(candidate.count - name.count) <= 2 else { return nil }
      let distance = editDistance(Array(name), Array(candidate))
      return distance <= 2 && distance > 0 ? (candidate, distance) : nil
    }
    guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
    return scored.filter { $0.1 == best.1 }.count == 1 ? best.0 : nil
  }

  /// Levenshtein distance: insertions, deletions and substitutions each cost one.
  static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    var previous = Array(0...b.count)
    for (i, x) in a.enumerated() {
      var current = [i + 1] + Array(repeating: 0, count: b.count)
      for (j, y) in b.enumerated() {
        current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
      }
      previous = current
    }
    return previous[b.count]
  }
}
