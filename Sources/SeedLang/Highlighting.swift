/// Syntax highlighting of seed code with the language's own lexer, for reports and the REPL.
///
/// The lexer's tokens give the places and kinds of names, keywords, numbers and punctuation.
/// What it does not emit as tokens of their own is found between them: comments (the lexer
/// skips them), the extent of a string literal (its tokens carry only where it starts), and
/// the `)` that closes an interpolation `\(...)` (the lexer resumes the string there).
public struct HighlightToken: Equatable, Sendable {
  public enum Kind: String, Sendable, CaseIterable {
    case keyword
    /// `true`, `false`, `nil`.
    case constant
    case identifier
    /// A name that is called or declared as a function: `print(`, `func name`.
    case function
    case number
    /// String text, quotes, escapes, and the `\(` and `)` around an interpolation.
    case string
    case comment
    case `operator`
    case punctuation
    /// Text the lexer could not read.
    case error
  }

  public var kind: Kind
  /// UTF-8 byte offsets into the source.
  public var range: Range<Int>

  public init(kind: Kind, range: Range<Int>) {
    self.kind = kind
    self.range = range
  }
}

public enum Highlighting {
  /// The highlighted spans of `source`, in order and not overlapping; the bytes between them
  /// (spaces, line breaks) are plain.
  public static func highlight(_ source: String) -> [HighlightToken] {
    var highlighter = Highlighter(source)
    return highlighter.run()
  }
}

private struct Highlighter {
  let bytes: [UInt8]
  let tokens: [Token]
  /// Byte offset of each line's start, line 1 first.
  let lineStarts: [Int]
  var out: [HighlightToken] = []

  init(_ source: String) {
    bytes = Array(source.utf8)
    tokens = Lexer.tokenize(source)
    var starts = [0]
    for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { starts.append(index + 1) }
    lineStarts = starts
  }

  /// The byte offset of a token's line and column (columns count characters from 1).
  func offset(line: Int, column: Int) -> Int? {
    guard line >= 1 && line <= lineStarts.count else { return nil }
    var position = lineStarts[line - 1]
    var remaining = column - 1
    while remaining > 0 && position < bytes.count {
      position += 1
      while position < bytes.count && bytes[position] & 0xC0 == 0x80 { position += 1 }
      remaining -= 1
    }
    return position
  }

  static func kind(of token: Token, next: Token?, previous: Token?) -> HighlightToken.Kind? {
    switch token.kind {
    case .identifier:
      if next?.kind == .leftParen || previous?.kind == .kFunc { return .function }
      return .identifier
    case .int, .float: return .number
    case .kTrue, .kFalse, .kNil: return .constant
    case .kLet, .kVar, .kFunc, .kReturn, .kIf, .kElse, .kFor, .kIn, .kWhile, .kBreak, .kContinue, .kImport: return .keyword
    case .leftParen, .rightParen, .leftBracket, .rightBracket, .leftBrace, .rightBrace, .comma, .colon, .semicolon, .dot:
      return .punctuation
    case .error: return .error
    case .string, .interpolation, .newline, .eof: return nil
    default: return .operator
    }
  }

  mutating func run() -> [HighlightToken] {
    // Tokens with a text of their own, by start; and where string literals start.
    var anchors: [Int: (kind: HighlightToken.Kind, length: Int)] = [:]
    var stringStarts: Set<Int> = []
    let real = tokens.filter { $0.kind != .newline && $0.kind != .eof }
    for (index, token) in real.enumerated() {
      guard let start = offset(line: token.line, column: token.column) else { continue }
      switch token.kind {
      case .string, .interpolation:
        stringStarts.insert(start)
      case .error:
        // An error token's text is its message; mark the one character it points at.
        if start < bytes.count, anchors[start] == nil, !stringStarts.contains(start) { anchors[start] = (.error, 1) }
      default:
        let kind = Highlighter.kind(
          of: token, next: index + 1 < real.count ? real[index + 1] : nil, previous: index > 0 ? real[index - 1] : nil)
        if let kind { anchors[start] = (kind, token.text.utf8.count) }
      }
    }
    // Interpolations being read: whether each one's string is triple-quoted.
    var open: [Bool] = []
    var position = 0
    while position < bytes.count {
      if stringStarts.contains(position) && bytes[position] == UInt8(ascii: "\"") {
        let triple = position + 2 < bytes.count && bytes[position + 1] == UInt8(ascii: "\"") && bytes[position + 2] == UInt8(ascii: "\"")
        position = scanString(from: position, skip: triple ? 3 : 1, triple: triple, open: &open)
      } else if let anchor = anchors[position] {
        let end = min(bytes.count, position + max(anchor.length, 1))
        add(anchor.kind, position..<end)
        position = end
      } else if bytes[position] == UInt8(ascii: ")"), let triple = open.popLast() {
        position = scanString(from: position, skip: 1, triple: triple, open: &open)
      } else if bytes[position] == UInt8(ascii: "/") && position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: "/") {
        var end = position
        while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
        add(.comment, position..<end)
        position = end
      } else if bytes[position] == UInt8(ascii: "/") && position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: "*") {
        let end = blockCommentEnd(from: position)
        add(.comment, position..<end)
        position = end
      } else {
        position += 1
      }
    }
    return out
  }

  mutating func add(_ kind: HighlightToken.Kind, _ range: Range<Int>) {
    guard !range.isEmpty else { return }
    if let last = out.last, last.kind == kind, last.range.upperBound == range.lowerBound {
      out[out.count - 1].range = last.range.lowerBound..<range.upperBound
    } else {
      out.append(HighlightToken(kind: kind, range: range))
    }
  }

  /// Reads string text from `start` (after `skip` opening bytes) to its closing quotes, or
  /// to a `\(`, whose expression the main loop reads; returns where to go on.
  mutating func scanString(from start: Int, skip: Int, triple: Bool, open: inout [Bool]) -> Int {
    var position = start + skip
    while position < bytes.count {
      let byte = bytes[position]
      if byte == UInt8(ascii: "\\") {
        if position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: "(") {
          add(.string, start..<(position + 2))
          open.append(triple)
          return position + 2
        }
        position += 2
        continue
      }
      if byte == UInt8(ascii: "\n") && !triple { break }
      if byte == UInt8(ascii: "\"") {
        if !triple {
          position += 1
          break
        }
        if position + 2 < bytes.count && bytes[position + 1] == UInt8(ascii: "\"") && bytes[position + 2] == UInt8(ascii: "\"") {
          position += 3
          break
        }
      }
      position += 1
    }
    position = min(position, bytes.count)
    add(.string, start..<position)
    return position
  }

  func blockCommentEnd(from start: Int) -> Int {
    var depth = 0
    var position = start
    repeat {
      if position + 1 < bytes.count && bytes[position] == UInt8(ascii: "/") && bytes[position + 1] == UInt8(ascii: "*") {
        depth += 1
        position += 2
      } else if position + 1 < bytes.count && bytes[position] == UInt8(ascii: "*") && bytes[position + 1] == UInt8(ascii: "/") {
        depth -= 1
        position += 2
      } else if position < bytes.count {
        position += 1
      } else {
        return bytes.count
      }
    } while depth > 0
    return position
  }
}
