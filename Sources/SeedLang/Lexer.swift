/// Turns source text into tokens, all at once, so the parser can look ahead freely.
///
/// Newlines end statements, so the lexer emits them, except inside parentheses and
/// brackets where a statement cannot end. String interpolation is lexed the way Wren does
/// it: the text before `\(` becomes an `interpolation` token, the expression's tokens follow,
/// and the `)` that closes it resumes the string.
struct Lexer {
  private let bytes: [UInt8]
  private var position = 0
  private var line: Int
  private var column = 1
  private var tokens: [Token] = []
  private var nesting: [Nesting] = []

  private enum Nesting {
    case paren, bracket, brace
    case interpolation(StringInProgress)
  }

  /// A string literal whose interpolations are still being lexed.
  private struct StringInProgress {
    var triple: Bool
    var multiline: Bool
    var line: Int
    var column: Int
    var rawSegments: [String] = []
    var tokenIndices: [Int] = []
  }

  init(_ text: String, firstLine: Int = 1) {
    bytes = Array(text.utf8)
    line = firstLine
  }

  static func tokenize(_ text: String, firstLine: Int = 1) -> [Token] {
    var lexer = Lexer(text, firstLine: firstLine)
    return lexer.run()
  }

  private mutating func run() -> [Token] {
    while true {
      skipSpaceAndComments()
      guard position < bytes.count else { break }
      scanToken()
    }
    if case .interpolation(let string)? = nesting.last {
      tokens.append(Token(kind: .error, text: "unterminated string literal", line: string.line, column: string.column))
    }
    emit(.newline, "", line, column)
    // Errors at the end point just past the last token, not at a line after the text.
    let end = tokens.last(where: { $0.kind != .newline }).map { (line: $0.line, column: $0.column + $0.text.count) }
    tokens.append(Token(kind: .eof, text: "", line: end?.line ?? line, column: end?.column ?? column))
    return tokens
  }

  // MARK: - Characters

  private func peek(_ offset: Int = 0) -> UInt8 {
    let index = position + offset
    return index < bytes.count ? bytes[index] : 0
  }

  private mutating func advance() -> UInt8 {
    let byte = bytes[position]
    position += 1
    if byte == UInt8(ascii: "\n") {
      line += 1
      column = 1
    } else if byte & 0xC0 != 0x80 {
      // Columns count characters, not UTF-8 continuation bytes.
      column += 1
    }
    return byte
  }

  private var newlinesAreTokens: Bool {
    switch nesting.last {
    case .paren?, .bracket?, .interpolation?: return false
    default: return true
    }
  }

  private mutating func emit(_ kind: TokenKind, _ text: String, _ line: Int, _ column: Int) {
    if kind == .newline {
      // One newline token stands for any run of blank lines.
      guard let last = tokens.last, last.kind != .newline else { return }
    }
    tokens.append(Token(kind: kind, text: text, line: line, column: column))
  }

  private mutating func skipSpaceAndComments() {
    while position < bytes.count {
      let byte = peek()
      switch byte {
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
        _ = advance()
      case UInt8(ascii: "\n"):
        if newlinesAreTokens { emit(.newline, "\n", line, column) }
        _ = advance()
      case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "/"):
        while position < bytes.count && peek() != UInt8(ascii: "\n") { _ = advance() }
      case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
        skipBlockComment()
      default:
        return
      }
    }
  }

  /// Block comments nest, so commenting out code that holds a comment works.
  private mutating func skipBlockComment() {
    let startLine = line, startColumn = column
    var depth = 0
    repeat {
      if peek() == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "*") {
        depth += 1
        _ = advance(); _ = advance()
      } else if peek() == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/") {
        depth -= 1
        _ = advance(); _ = advance()
      } else if position < bytes.count {
        _ = advance()
      } else {
        tokens.append(Token(kind: .error, text: "unterminated block comment: add */", line: startLine, column: startColumn))
        return
      }
    } while depth > 0
  }

  // MARK: - Tokens

  private mutating func scanToken() {
    let startLine = line, startColumn = column, start = position
    let byte = advance()
    func text() -> String { String(decoding: bytes[start..<position], as: UTF8.self) }
    func simple(_ kind: TokenKind) { emit(kind, text(), startLine, startColumn) }
    func either(_ next: Character, _ two: TokenKind, _ one: TokenKind) {
      if peek() == next.asciiValue { _ = advance(); simple(two) } else { simple(one) }
    }

    switch byte {
    case UInt8(ascii: "("):
      nesting.append(.paren); simple(.leftParen)
    case UInt8(ascii: ")"):
      if case .interpolation(let string)? = nesting.last {
        nesting.removeLast()
        scanString(resuming: string)
        return
      }
      closeNesting(.paren); simple(.rightParen)
    case UInt8(ascii: "["):
      nesting.append(.bracket); simple(.leftBracket)
    case UInt8(ascii: "]"):
      closeNesting(.bracket); simple(.rightBracket)
    case UInt8(ascii: "{"):
      nesting.append(.brace); simple(.leftBrace)
    case UInt8(ascii: "}"):
      closeNesting(.brace); simple(.rightBrace)
    case UInt8(ascii: ","): simple(.comma)
    case UInt8(ascii: ":"): simple(.colon)
    case UInt8(ascii: ";"): simple(.semicolon)
    case UInt8(ascii: "."):
      if peek() == UInt8(ascii: ".") && peek(1) == UInt8(ascii: "<") {
        _ = advance(); _ = advance(); simple(.halfOpenRange)
      } else if peek() == UInt8(ascii: ".") && peek(1) == UInt8(ascii: ".") {
        _ = advance(); _ = advance(); simple(.closedRange)
      } else {
        simple(.dot)
      }
    case UInt8(ascii: "?"): either("?", .questionQuestion, .question)
    case UInt8(ascii: "+"): either("=", .plusEqual, .plus)
    case UInt8(ascii: "-"): either("=", .minusEqual, .minus)
    case UInt8(ascii: "*"): either("=", .starEqual, .star)
    case UInt8(ascii: "/"): either("=", .slashEqual, .slash)
    case UInt8(ascii: "%"): either("=", .percentEqual, .percent)
    case UInt8(ascii: "="): either("=", .equalEqual, .equal)
    case UInt8(ascii: "!"): either("=", .bangEqual, .bang)
    case UInt8(ascii: "<"): either("=", .lessEqual, .less)
    case UInt8(ascii: ">"): either("=", .greaterEqual, .greater)
    case UInt8(ascii: "&") where peek() == UInt8(ascii: "&"):
      _ = advance(); simple(.ampAmp)
    case UInt8(ascii: "|") where peek() == UInt8(ascii: "|"):
      _ = advance(); simple(.pipePipe)
    case UInt8(ascii: "\""):
      let triple = peek() == UInt8(ascii: "\"") && peek(1) == UInt8(ascii: "\"")
      if triple { _ = advance(); _ = advance() }
      var multiline = false
      if triple {
        // A multi-line string starts on the line after its opening quotes.
        var probe = 0
        while peek(probe) == UInt8(ascii: " ") || peek(probe) == UInt8(ascii: "\t") || peek(probe) == UInt8(ascii: "\r") { probe += 1 }
        if peek(probe) == UInt8(ascii: "\n") {
          multiline = true
          for _ in 0...probe { _ = advance() }
        }
      }
      scanString(resuming: StringInProgress(triple: triple, multiline: multiline, line: startLine, column: startColumn))
    case UInt8(ascii: "0")...UInt8(ascii: "9"):
      scanNumber(start: start, line: startLine, column: startColumn)
    case _ where isIdentifierStart(byte):
      while isIdentifierPart(peek()) { _ = advance() }
      let word = text()
      emit(keywords[word] ?? .identifier, word, startLine, startColumn)
    default:
      // Consume the rest of a multi-byte character so it is reported once.
      while position < bytes.count && peek() & 0xC0 == 0x80 { _ = advance() }
      emit(.error, "unexpected character '\(text())'", startLine, startColumn)
    }
  }

  private mutating func closeNesting(_ kind: Nesting) {
    guard let last = nesting.last else { return }
    switch (last, kind) {
    case (.paren, .paren), (.bracket, .bracket), (.brace, .brace):
      nesting.removeLast()
    default:
      // A mismatched closer: the parser reports it; keep the stack as it is.
      break
    }
  }

  private func isIdentifierStart(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
      || byte == UInt8(ascii: "_")
  }

  private func isIdentifierPart(_ byte: UInt8) -> Bool {
    isIdentifierStart(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
  }

  private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

  // number -> digits ('.' digits)? (('e'|'E') ('+'|'-')? digits)? | '0x' hexdigits
  private mutating func scanNumber(start: Int, line startLine: Int, column startColumn: Int) {
    if bytes[start] == UInt8(ascii: "0") && (peek() == UInt8(ascii: "x") || peek() == UInt8(ascii: "X")) {
      _ = advance()
      while peek().isHexDigit || peek() == UInt8(ascii: "_") { _ = advance() }
      let digits = String(decoding: bytes[(start + 2)..<position], as: UTF8.self).replacingUnderscores()
      if let value = Int(digits, radix: 16) {
        emit(.int(value), "0x" + digits, startLine, startColumn)
      } else {
        emit(.error, digits.isEmpty ? "hexadecimal literal has no digits" : "integer literal 0x\(digits) does not fit in 64 bits", startLine, startColumn)
      }
      return
    }
    var isFloat = false
    while isDigit(peek()) || peek() == UInt8(ascii: "_") { _ = advance() }
    // `1..<3` is a range, not the float `1.`: a fraction needs a digit after the dot.
    if peek() == UInt8(ascii: ".") && isDigit(peek(1)) {
      isFloat = true
      _ = advance()
      while isDigit(peek()) || peek() == UInt8(ascii: "_") { _ = advance() }
    }
    if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
      let sign = peek(1) == UInt8(ascii: "+") || peek(1) == UInt8(ascii: "-") ? 1 : 0
      if isDigit(peek(1 + sign)) {
        isFloat = true
        for _ in 0...sign { _ = advance() }
        while isDigit(peek()) { _ = advance() }
      }
    }
    let text = String(decoding: bytes[start..<position], as: UTF8.self)
    let digits = text.replacingUnderscores()
    if isFloat {
      if let value = Double(digits), value.isFinite {
        emit(.float(value), text, startLine, startColumn)
      } else {
        emit(.error, "float literal \(text) is out of range", startLine, startColumn)
      }
    } else if let value = Int(digits) {
      emit(.int(value), text, startLine, startColumn)
    } else if digits == "9223372036854775808" {
      // Only `-9223372036854775808` (Int.min) can use this literal; the parser checks the minus.
      emit(.int(Int.min), text, startLine, startColumn)
    } else {
      emit(.error, "integer literal \(text) does not fit in 64 bits (the largest is \(Int.max))", startLine, startColumn)
    }
  }

  // MARK: - Strings

  /// Scans string text up to its end or to the next `\(`.
  private mutating func scanString(resuming string: StringInProgress) {
    var string = string
    var raw: [UInt8] = []
    while true {
      guard position < bytes.count else {
        emit(.error, "unterminated string literal: add the closing \(string.triple ? "\"\"\"" : "\"")", string.line, string.column)
        return
      }
      let byte = peek()
      if byte == UInt8(ascii: "\n") && !string.triple {
        emit(.error, "unterminated string literal: a \"...\" string ends on its line; use \"\"\" for several lines", string.line, string.column)
        return
      }
      if byte == UInt8(ascii: "\"") {
        if !string.triple {
          _ = advance()
          break
        }
        if peek(1) == UInt8(ascii: "\"") && peek(2) == UInt8(ascii: "\"") {
          _ = advance(); _ = advance(); _ = advance()
          break
        }
      }
      if byte == UInt8(ascii: "\\") {
        if peek(1) == UInt8(ascii: "(") {
          _ = advance(); _ = advance()
          string.rawSegments.append(String(decoding: raw, as: UTF8.self))
          string.tokenIndices.append(tokens.count)
          tokens.append(Token(kind: .interpolation(""), text: "", line: string.line, column: string.column))
          nesting.append(.interpolation(string))
          return
        }
        raw.append(advance())
        if position < bytes.count { raw.append(advance()) }
        continue
      }
      raw.append(advance())
    }
    string.rawSegments.append(String(decoding: raw, as: UTF8.self))
    finish(string)
  }

  /// Strips a multi-line string's indentation, processes escapes, and fills in its tokens.
  private mutating func finish(_ string: StringInProgress) {
    var segments = string.rawSegments
    if string.multiline {
      // Line breaks in the source become "\n" whatever the file uses, as in Swift.
      segments = segments.map { $0.replacing("\r\n", with: "\n") }
      // The closing quotes' indentation is removed from every line, as in Swift.
      let last = segments[segments.count - 1]
      guard let newline = last.lastIndex(of: "\n") else {
        emit(.error, "a multi-line string's closing \"\"\" must be on its own line", string.line, string.column)
        return
      }
      let indent = last[last.index(after: newline)...]
      guard indent.allSatisfy({ $0 == " " || $0 == "\t" }) else {
        emit(.error, "a multi-line string's closing \"\"\" must be on its own line", string.line, string.column)
        return
      }
      var trimmedLast = String(last[..<newline])
      if trimmedLast.hasSuffix("\r") { trimmedLast.removeLast() }
      segments[segments.count - 1] = trimmedLast
      segments = segments.enumerated().map { index, segment in
        Lexer.dedent(segment, by: String(indent), startsLine: index == 0)
      }
    }
    var cooked: [String] = []
    for segment in segments {
      switch Lexer.unescape(segment) {
      case .success(let text): cooked.append(text)
      case .failure(let message):
        emit(.error, message, string.line, string.column)
        return
      }
    }
    for (index, tokenIndex) in string.tokenIndices.enumerated() {
      tokens[tokenIndex].kind = .interpolation(cooked[index])
    }
    tokens.append(Token(kind: .string(cooked[cooked.count - 1]), text: "\"", line: string.line, column: string.column))
  }

  static func dedent(_ segment: String, by indent: String, startsLine: Bool) -> String {
    guard !indent.isEmpty else { return segment }
    var lines = segment.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    for index in lines.indices where index > 0 || startsLine {
      if lines[index].hasPrefix(indent) {
        lines[index].removeFirst(indent.count)
      } else {
        // A blank or shallower line loses the whitespace it has.
        lines[index] = String(lines[index].drop(while: { $0 == " " || $0 == "\t" }))
      }
    }
    return lines.joined(separator: "\n")
  }

  enum Unescaped { case success(String), failure(String) }

  static func unescape(_ raw: String) -> Unescaped {
    guard raw.contains("\\") else { return .success(raw) }
    var out = ""
    var iterator = raw.unicodeScalars.makeIterator()
    while let scalar = iterator.next() {
      guard scalar == "\\" else {
        out.unicodeScalars.append(scalar)
        continue
      }
      guard let escaped = iterator.next() else { return .failure("a string cannot end with a lone backslash") }
      switch escaped {
      case "n": out += "\n"
      case "t": out += "\t"
      case "r": out += "\r"
      case "0": out += "\0"
      case "\\": out += "\\"
      case "\"": out += "\""
      case "'": out += "'"
      case "u":
        guard iterator.next() == "{" else { return .failure("a \\u escape is written \\u{1F600}") }
        var hex = ""
        while let next = iterator.next(), next != "}" {
          hex.unicodeScalars.append(next)
          if hex.count > 8 { break }
        }
        guard let code = UInt32(hex, radix: 16), let value = Unicode.Scalar(code) else {
          return .failure("invalid unicode escape \\u{\(hex)}")
        }
        out.unicodeScalars.append(value)
      default:
        return .failure("invalid escape sequence '\\\(escaped)' in string; write \\\\ for a backslash")
      }
    }
    return .success(out)
  }
}

extension UInt8 {
  fileprivate var isHexDigit: Bool {
    (self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9")) || (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "f"))
      || (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "F"))
  }
}

extension String {
  fileprivate func replacingUnderscores() -> String { filter { $0 != "_" } }
}
