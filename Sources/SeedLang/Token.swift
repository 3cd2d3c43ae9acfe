/// The kinds of token the lexer produces; keywords and punctuation spelled as in the source.
enum TokenKind: Hashable {
  case identifier
  case int(Int)
  case float(Double)
  /// A whole string literal, or the last part of an interpolated one.
  case string(String)
  /// The text of a string literal up to a `\(`; the interpolated expression's tokens follow.
  case interpolation(String)
  case newline
  case eof
  /// A lexical error; the token's text is the message.
  case error

  // Keywords.
  case kLet, kVar, kFunc, kReturn, kIf, kElse, kFor, kIn, kWhile, kBreak, kContinue
  case kTrue, kFalse, kNil, kImport

  // Punctuation and operators.
  case leftParen, rightParen, leftBracket, rightBracket, leftBrace, rightBrace
  case comma, colon, semicolon, dot, question
  case plus, minus, star, slash, percent
  case equal, plusEqual, minusEqual, starEqual, slashEqual, percentEqual
  case equalEqual, bangEqual, less, lessEqual, greater, greaterEqual
  case bang, ampAmp, pipePipe, questionQuestion
  case halfOpenRange, closedRange  // ..<  ...
}

/// Keywords by spelling; anything else that looks like a name is an identifier.
let keywords: [String: TokenKind] = [
  "let": .kLet, "var": .kVar, "func": .kFunc, "return": .kReturn, "if": .kIf, "else": .kElse,
  "for": .kFor, "in": .kIn, "while": .kWhile, "break": .kBreak, "continue": .kContinue,
  "true": .kTrue, "false": .kFalse, "nil": .kNil, "import": .kImport,
]

struct Token {
  var kind: TokenKind
  /// The source text of the token (for an error token, the message).
  var text: String
  var line: Int
  var column: Int
}
