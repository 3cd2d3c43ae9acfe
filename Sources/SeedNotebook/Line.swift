/// One line of a notebook file. The text and the line break that ended it are kept apart so
/// the parser reads the text while the printer writes back the exact bytes.
struct Line: Equatable, Sendable {
  /// 1-based line number in the file.
  var number: Int
  /// The line without its line break.
  var text: String
  /// `"\n"`, `"\r\n"`, or `""` for a last line that has none.
  var lineBreak: String

  var raw: String { text + lineBreak }

  /// Splits text into lines at each LF. A CR just before the LF belongs to the line break, so
  /// CRLF files read like LF files. A lone CR is an ordinary character: `SourceText`, which
  /// diagnostics print lines from, does not break lines there either.
  static func split(_ text: String, firstNumber: Int = 1) -> [Line] {
    // Scalars, not Characters: Swift joins "\r\n" into one Character, which would hide the LF.
    let scalars = text.unicodeScalars
    var lines: [Line] = []
    var start = scalars.startIndex
    var index = start
    while index < scalars.endIndex {
      if scalars[index] == "\n" {
        var end = index
        var lineBreak = "\n"
        if end > start, scalars[scalars.index(before: end)] == "\r" {
          end = scalars.index(before: end)
          lineBreak = "\r\n"
        }
        let text = String(Substring(scalars[start..<end]))
        lines.append(Line(number: firstNumber + lines.count, text: text, lineBreak: lineBreak))
        start = scalars.index(after: index)
      }
      index = scalars.index(after: index)
    }
    if start < scalars.endIndex {
      let text = String(Substring(scalars[start...]))
      lines.append(Line(number: firstNumber + lines.count, text: text, lineBreak: ""))
    }
    return lines
  }

  /// How many lines `split` finds in the text.
  static func count(in text: String) -> Int {
    var count = 0
    var pending = false
    for scalar in text.unicodeScalars {
      if scalar == "\n" {
        count += 1
        pending = false
      } else {
        pending = true
      }
    }
    return pending ? count + 1 : count
  }
}

extension Character {
  /// The blanks that separate words on a fence line. A CR counts so that a final line ending in
  /// a lone CR still closes its fence.
  var isBlank: Bool { self == " " || self == "\t" || self == "\r" }
}

extension StringProtocol {
  /// The text without blanks at either end.
  func trimmingBlanks() -> String {
    String(drop(while: \.isBlank).reversed().drop(while: \.isBlank).reversed())
  }
}
