import SeedLang

/// Source text through the highlighter (the lexer alone), then the parser and compiler, and
/// every diagnostic they report rendered with its source line and caret.
enum LanguageFuzzing {
  static func run(_ bytes: [UInt8], violations: inout [String]) {
    let text = String(decoding: bytes, as: UTF8.self)
    for token in Highlighting.highlight(text) {
      // Highlight ranges are UTF-8 offsets into the text; one outside it is a lexer bug.
      if token.range.lowerBound < 0 || token.range.upperBound > text.utf8.count {
        violations.append("highlight range \(token.range) outside \(text.utf8.count) bytes")
      }
    }
    let interpreter = Interpreter()
    do {
      try interpreter.check(SourceText(file: "fuzz.seed", text: text))
    } catch {
      _ = DiagnosticRendering.render(error)
    }
  }
}
