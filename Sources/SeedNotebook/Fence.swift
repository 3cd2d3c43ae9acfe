/// The opening line of a fenced code block, as CommonMark defines it. Only top-level fences
/// count: a fence inside a list item or block quote is prose, as is an indented code block.
struct Fence: Equatable, Sendable {
  /// Spaces before the fence characters (0 to 3).
  var indent: Int
  /// "`" or "~".
  var character: Character
  /// How many fence characters open the block (3 or more).
  var length: Int
  /// The info string after the fence characters, trimmed of blanks.
  var info: String
  /// The 1-based column of the info string's first character.
  var infoColumn: Int

  /// The fence characters, as messages show them: "```", "~~~~".
  var marker: String { String(repeating: character, count: length) }

  /// The info string's first word, which names the block's language.
  var language: Substring { info.prefix { !$0.isBlank } }

  /// Whether the block is a seed code cell rather than prose.
  var isSeedCell: Bool { language == "seed" }

  /// opening-fence -> ' '{0,3} ( '`'{3,} info-without-backticks | '~'{3,} info ) ;
  /// nil when the line is not an opening fence.
  init?(opening line: String) {
    let characters = Array(line)
    var index = 0
    while index < characters.count, index < 4, characters[index] == " " { index += 1 }
    guard index <= 3, index < characters.count,
      characters[index] == "`" || characters[index] == "~"
    else { return nil }
    let character = characters[index]
    let start = index
    while index < characters.count, characters[index] == character { index += 1 }
    let length = index - start
    guard length >= 3 else { return nil }
    // A backtick in the info string would make the line an inline code span instead.
    let rest = characters[index...]
    if character == "`", rest.contains("`") { return nil }
    while index < characters.count, characters[index].isBlank { index += 1 }
    var end = characters.count
    while end > index, characters[end - 1].isBlank { end -= 1 }
    self.indent = start
    self.character = character
    self.length = length
    self.info = String(characters[index..<end])
    self.infoColumn = index + 1
  }

  /// closing-fence -> ' '{0,3} c{n,} blank* , where c and n are this fence's character and
  /// length.
  func isClosed(by line: String) -> Bool {
    var characters = Substring(line)
    var spaces = 0
    while spaces < 4, characters.first == " " {
      characters = characters.dropFirst()
      spaces += 1
    }
    guard spaces <= 3 else { return false }
    let run = characters.prefix { $0 == character }
    return run.count >= length && characters.dropFirst(run.count).allSatisfy(\.isBlank)
  }

  /// The longest run of this fence's character that could close a fence on any of the lines;
  /// a fence longer than that keeps them all inside.
  func longestClosingRun(in lines: [Line]) -> Int {
    var longest = 0
    for line in lines {
      let text = line.text.drop { $0 == " " }
      guard line.text.count - text.count <= 3 else { continue }
      let run = text.prefix { $0 == character }
      if run.count >= 3, text.dropFirst(run.count).allSatisfy(\.isBlank) {
        longest = max(longest, run.count)
      }
    }
    return longest
  }
}
