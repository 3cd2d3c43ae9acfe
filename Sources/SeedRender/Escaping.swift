/// Escaping of text that did not come from the author's own HTML: model answers, files,
/// parameters, error messages, code. Everything a report shows goes through one of these,
/// except `display(html(...))`.
enum Escape {
  /// Text for HTML element content and attribute values (double-quoted or not).
  static func html(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count + 16)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      case "\0": out += "\u{FFFD}"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// Characters that open inline Markdown (emphasis, code, links, images, strikethrough,
  /// table cells, escapes); each is escaped with a backslash.
  private static let markdownPunctuation: Set<Unicode.Scalar> = ["\\", "`", "*", "_", "[", "]", "!", "|", "~", "#"]

  /// Text as inline GitHub Markdown that shows exactly the text: punctuation escaped, `<`,
  /// `>` and `&` as entities (so no HTML or entity can form). Line breaks become `<br>` in a
  /// table cell, else spaces (so no line can start a block).
  static func markdownInline(_ text: String, inTable: Bool = false) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\r": continue
      case "\n": out += inTable ? "<br>" : " "
      case _ where markdownPunctuation.contains(scalar): out += "\\" + String(scalar)
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// A fence for a Markdown code block holding `text`: longer than any run of backticks in it.
  static func fence(for text: String) -> String {
    var longest = 0, run = 0
    for character in text {
      if character == "`" { run += 1; longest = max(longest, run) } else { run = 0 }
    }
    return String(repeating: "`", count: max(3, longest + 1))
  }

  /// A name safe in a file name and an HTML id: letters, digits, `-` and `_`.
  static func slug(_ text: String) -> String {
    let kept = text.unicodeScalars.map { scalar -> String in
      (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_") && scalar.isASCII
        ? String(scalar) : "-"
    }.joined()
    return kept.isEmpty ? "cell" : kept
  }
}
