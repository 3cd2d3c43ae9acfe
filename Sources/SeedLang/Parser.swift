/// A recursive-descent parser with a Pratt table for expressions. It recovers at statement
/// boundaries so that one run reports every syntax error, not just the first.
struct Parser {
  private var tokens: [Token]
  private var current = 0
  private let source: SourceText
  private var diagnostics: [Diagnostic] = []
  /// Nesting of expressions and blocks; bounded so that no input can exhaust the stack.
  private var depth = 0
  static let maxDepth = 400
  /// In `if`, `while` and `for` headers a `{` opens the body, not a trailing closure.
  private var trailingClosuresAllowed = true

  init(_ source: SourceText) {
    self.source = source
    var tokens: [Token] = []
    var lexical: [Diagnostic] = []
    for token in Lexer.tokenize(source.text, firstLine: source.firstLine) {
      if token.kind == .error {
        var diagnostic = Diagnostic(.syntax, token.text, at: SourceLocation(source: source, line: token.line, column: token.column))
        diagnostic.atEndOfInput = token.text.hasPrefix("unterminated")
        lexical.append(diagnostic)
      } else {
        tokens.append(token)
      }
    }
    self.tokens = tokens
    self.diagnostics = lexical
    linesWithLexicalErrors = Set(lexical.compactMap { $0.location?.line })
  }

  /// A lexical error leaves a hole in the tokens; the parser's complaint about the hole
  /// would only repeat it.
  private let linesWithLexicalErrors: Set<Int>

  /// Parses a whole program; throws every syntax error found.
  static func parse(_ source: SourceText) throws -> [Stmt] {
    var parser = Parser(source)
    let program = parser.program()
    if !parser.diagnostics.isEmpty { throw DiagnosticList(parser.diagnostics) }
    return program
  }

  private struct Failure: Error {}

  // MARK: - Token helpers

  private var peek: Token { tokens[current] }
  private func peek(_ offset: Int) -> Token { tokens[min(current + offset, tokens.count - 1)] }
  private var atEnd: Bool { peek.kind == .eof }

  @discardableResult
  private mutating func advance() -> Token {
    let token = tokens[current]
    if token.kind != .eof { current += 1 }
    return token
  }

  private func check(_ kind: TokenKind) -> Bool { peek.kind == kind }

  private mutating func match(_ kind: TokenKind) -> Bool {
    guard check(kind) else { return false }
    advance()
    return true
  }

  @discardableResult
  private mutating func consume(_ kind: TokenKind, _ message: String) throws -> Token {
    if check(kind) { return advance() }
    throw error(message)
  }

  private mutating func skipNewlines() { while check(.newline) { advance() } }

  /// After this many syntax errors the rest are mostly echoes of the first; parsing stops.
  static let maxDiagnostics = 50

  private mutating func error(_ message: String, at token: Token? = nil) -> Failure {
    let token = token ?? peek
    if linesWithLexicalErrors.contains(token.line) || diagnostics.count >= Parser.maxDiagnostics { return Failure() }
    var text = message
    // What was found instead helps only when something else was expected.
    if message.hasPrefix("expected") {
      let found = token.kind == .eof ? "end of input" : token.kind == .newline ? "end of line" : "'\(token.text)'"
      text += ", found \(found)"
    }
    var diagnostic = Diagnostic(.syntax, text, at: location(token))
    // The lexer ends every text with a newline token of no text: meeting it is meeting the end.
    diagnostic.atEndOfInput = token.kind == .eof || (token.kind == .newline && token.text.isEmpty)
    diagnostics.append(diagnostic)
    return Failure()
  }

  private func location(_ token: Token) -> SourceLocation {
    SourceLocation(source: source, line: token.line, column: token.column)
  }

  private func loc(_ token: Token) -> Loc { Loc(line: token.line, column: token.column) }

  private mutating func nested<T>(_ token: Token, _ body: (inout Parser) throws -> T) throws -> T {
    depth += 1
    defer { depth -= 1 }
    if depth > Parser.maxDepth {
      throw error("code is nested too deeply (more than \(Parser.maxDepth) levels)", at: token)
    }
    return try body(&self)
  }

  // MARK: - Statements

  // program -> statement* EOF
  private mutating func program() -> [Stmt] {
    var statements: [Stmt] = []
    skipNewlines()
    while !atEnd {
      if let statement = recoveringStatement() { statements.append(statement) }
      skipNewlines()
    }
    return statements
  }

  private mutating func recoveringStatement() -> Stmt? {
    if diagnostics.count >= Parser.maxDiagnostics {
      // Enough has been said: skip to the end, so every loop above ends at once.
      current = tokens.count - 1
      return nil
    }
    do {
      let statement = try self.statement()
      try endOfStatement()
      return statement
    } catch {
      synchronize()
      return nil
    }
  }

  // A statement ends at a newline, a ';', a '}' or the end of input.
  private mutating func endOfStatement() throws {
    if match(.newline) || match(.semicolon) || check(.rightBrace) || atEnd { return }
    throw error("expected a new line or ';' after the statement")
  }

  /// Skips to the start of the next statement after an error.
  private mutating func synchronize() {
    var braces = 0
    while !atEnd {
      let token = advance()
      switch token.kind {
      case .leftBrace: braces += 1
      case .rightBrace:
        braces -= 1
        if braces < 0 { return }
      case .newline, .semicolon:
        if braces <= 0 { return }
      default: break
      }
    }
  }

  // statement -> let | var | func | if | for | while | return | break | continue | import | simple
  private mutating func statement() throws -> Stmt {
    let token = peek
    return try nested(token) { parser in
      switch token.kind {
      case .kLet, .kVar: return try parser.declaration()
      case .kFunc:
        parser.advance()
        return .function(try parser.function(named: true, at: token))
      case .kIf: return try parser.ifStatement()
      case .kFor: return try parser.forStatement()
      case .kWhile: return try parser.whileStatement()
      case .kReturn:
        parser.advance()
        if parser.check(.newline) || parser.check(.semicolon) || parser.check(.rightBrace) || parser.atEnd {
          return .returnStmt(nil, parser.loc(token))
        }
        return .returnStmt(try parser.expression(), parser.loc(token))
      case .kBreak:
        parser.advance()
        return .breakStmt(parser.loc(token))
      case .kContinue:
        parser.advance()
        return .continueStmt(parser.loc(token))
      case .kImport:
        parser.advance()
        let name = try parser.consume(.identifier, "expected a module name after 'import'")
        return .importStmt(name.text, parser.loc(name))
      default:
        return try parser.simpleStatement()
      }
    }
  }

  // declaration -> ('let' | 'var') IDENT ('=' expression)?
  private mutating func declaration() throws -> Stmt {
    let keyword = advance()
    let mutable = keyword.kind == .kVar
    let name = try consume(.identifier, "expected a name after '\(keyword.text)'")
    if match(.equal) {
      return .declaration(name: name.text, mutable: mutable, value: try expression(), loc(name))
    }
    if !mutable { throw error("'let \(name.text)' needs a value: let \(name.text) = ...") }
    return .declaration(name: name.text, mutable: true, value: nil, loc(name))
  }

  // function -> 'func' IDENT '(' (IDENT ('=' expression)?) % ',' ')' block
  private mutating func function(named: Bool, at keyword: Token) throws -> FunctionDecl {
    let name = try consume(.identifier, "expected a function name after 'func'")
    try consume(.leftParen, "expected '(' after the function name")
    var parameters: [Parameter] = []
    var seen: Set<String> = []
    if !check(.rightParen) {
      repeat {
        if check(.rightParen) { break }
        let parameter = try consume(.identifier, "expected a parameter name")
        if !seen.insert(parameter.text).inserted {
          throw error("duplicate parameter '\(parameter.text)'", at: parameter)
        }
        var defaultValue: Expr?
        if match(.equal) {
          defaultValue = try expression()
        } else if parameters.last?.defaultValue != nil {
          throw error("parameter '\(parameter.text)' needs a default value, as the ones before it have", at: parameter)
        }
        parameters.append(Parameter(name: parameter.text, defaultValue: defaultValue, loc: loc(parameter)))
      } while match(.comma)
    }
    try consume(.rightParen, "expected ')' to close the parameters of '\(name.text)'")
    let body = try block(after: "the parameters of '\(name.text)'")
    return FunctionDecl(name: name.text, parameters: parameters, body: body, loc: loc(name))
  }

  // block -> '{' statement* '}'
  private mutating func block(after what: String) throws -> [Stmt] {
    let open = peek
    try consume(.leftBrace, "expected '{' after \(what)")
    var statements: [Stmt] = []
    skipNewlines()
    while !check(.rightBrace) && !atEnd {
      if let statement = recoveringStatement() { statements.append(statement) }
      skipNewlines()
    }
    if atEnd {
      throw error("expected '}' to close the block opened at line \(open.line)")
    }
    advance()
    return statements
  }

  /// Parses a header expression in which `{` opens the body rather than a trailing closure.
  private mutating func header() throws -> Expr {
    let saved = trailingClosuresAllowed
    trailingClosuresAllowed = false
    defer { trailingClosuresAllowed = saved }
    return try expression()
  }

  // if -> 'if' expression block ('else' (if | block))?
  private mutating func ifStatement() throws -> Stmt {
    let keyword = advance()
    var clauses = [IfClause(condition: try header(), body: try block(after: "the 'if' condition"))]
    var elseBody: [Stmt]?
    while match(.kElse) {
      if match(.kIf) {
        clauses.append(IfClause(condition: try header(), body: try block(after: "the 'else if' condition")))
      } else {
        elseBody = try block(after: "'else'")
        break
      }
    }
    return .ifChain(clauses, elseBody: elseBody, loc(keyword))
  }

  // for -> 'for' ('(' names ')' | names) 'in' expression block ; names -> IDENT (',' IDENT)*
  private mutating func forStatement() throws -> Stmt {
    let keyword = advance()
    let parenthesized = match(.leftParen)
    var names = [try consume(.identifier, "expected a loop variable after 'for'").text]
    while match(.comma) {
      names.append(try consume(.identifier, "expected a loop variable after ','").text)
    }
    if parenthesized { try consume(.rightParen, "expected ')' after the loop variables") }
    try consume(.kIn, "expected 'in' after the loop variable")
    let sequence = try header()
    let body = try block(after: "the 'for' sequence")
    return .forIn(names: names, sequence: sequence, body: body, loc(keyword))
  }

  // while -> 'while' expression block
  private mutating func whileStatement() throws -> Stmt {
    let keyword = advance()
    return .whileLoop(try header(), try block(after: "the 'while' condition"), loc(keyword))
  }

  // simple -> expression (('=' | '+=' | '-=' | '*=' | '/=' | '%=') expression)?
  private mutating func simpleStatement() throws -> Stmt {
    let start = peek
    let target = try expression()
    guard let op = Parser.assignment(peek.kind) else { return .expression(target) }
    let opToken = advance()
    switch target {
    case .variable, .member, .index: break
    default: throw error("cannot assign to this expression; only names, members and subscripts can be assigned", at: start)
    }
    return .assignment(target: target, op: op, value: try expression(), loc(opToken))
  }

  // MARK: - Expressions

  // The three tables below are searched, not hashed: a dictionary keyed by `TokenKind` makes
  // the Swift runtime look up `TokenKind: Hashable` at start-up, a search of every
  // conformance in the executable (400,000 instructions, a tenth of a run's start).

  /// How tightly an infix operator binds: the binary operators' rows of `OperatorTable`,
  /// and the operators the parser builds other nodes for; nil when the token is none.
  private static func infix(_ kind: TokenKind) -> Precedence? {
    switch kind {
    case .question: return .conditional
    case .questionQuestion: return .nilCoalescing
    case .pipePipe: return .or
    case .ampAmp: return .and
    case .halfOpenRange, .closedRange: return .range
    default: return OperatorTable.rows.first { $0.token == kind }?.precedence
    }
  }

  private static func binary(_ kind: TokenKind) -> BinaryOperator? {
    OperatorTable.rows.first { $0.token == kind }?.op
  }

  /// `=` (nil inside) and the compound assignments, from `OperatorTable`; nil when the token
  /// assigns nothing.
  private static func assignment(_ kind: TokenKind) -> BinaryOperator?? {
    if kind == .equal { return .some(nil) }
    guard let row = OperatorTable.rows.first(where: { $0.assignmentToken == kind }) else { return nil }
    return .some(row.op)
  }

  mutating func expression() throws -> Expr { try expression(.conditional) }

  // expression -> prefix (infix-operator expression)*, by precedence climbing
  private mutating func expression(_ minimum: Precedence) throws -> Expr {
    let start = peek
    return try nested(start) { parser in
      var left = try parser.prefix()
      var chain = 0
      while let precedence = Parser.infix(parser.peek.kind), precedence >= minimum {
        // A long chain `a + b + c ...` nests as deeply as parentheses would.
        chain += 1
        if parser.depth + chain > Parser.maxDepth {
          throw parser.error("expression is nested too deeply (more than \(Parser.maxDepth) levels)")
        }
        left = try parser.infix(left, precedence)
      }
      return left
    }
  }

  private mutating func infix(_ left: Expr, _ precedence: Precedence) throws -> Expr {
    let op = advance()
    // An operator at the end of a line continues the expression on the next.
    skipNewlines()
    switch op.kind {
    case .question:
      let then = try expression(.conditional)
      skipNewlines()
      try consume(.colon, "expected ':' in the conditional expression")
      skipNewlines()
      return .conditional(left, then, try expression(.conditional), loc(op))
    case .questionQuestion:
      return .logical(.nilCoalescing, left, try expression(.nilCoalescing), loc(op))
    case .pipePipe:
      return .logical(.or, left, try expression(.and), loc(op))
    case .ampAmp:
      return .logical(.and, left, try expression(.comparison), loc(op))
    case .halfOpenRange, .closedRange:
      let closed = op.kind == .closedRange
      // `xs[2...]`: a one-sided range ends at the closing bracket.
      if check(.rightBracket) { return .range(left, nil, closed: closed, loc(op)) }
      return .range(left, try expression(.term), closed: closed, loc(op))
    default:
      guard let binary = Parser.binary(op.kind) else { throw error("unexpected operator", at: op) }
      let next = Precedence(rawValue: precedence.rawValue + 1) ?? .prefix
      return .binary(binary, left, try expression(next), loc(op))
    }
  }

  // prefix -> ('-' | '!') prefix | ('..<' | '...') expression | postfix
  private mutating func prefix() throws -> Expr {
    let token = peek
    switch token.kind {
    case .minus:
      advance()
      if case .int(Int.min) = peek.kind {
        advance()
        return .literal(.int(Int.min), loc(token))
      }
      let operand = try nested(token) { try $0.prefix() }
      // Fold negative literals so that Int.min can be written.
      if case .literal(.int(let value), _) = operand { return .literal(.int(0 &- value), loc(token)) }
      if case .literal(.float(let value), _) = operand { return .literal(.float(-value), loc(token)) }
      return .unary(.negate, operand, loc(token))
    case .bang:
      advance()
      return .unary(.not, try nested(token) { try $0.prefix() }, loc(token))
    case .halfOpenRange, .closedRange:
      advance()
      return .range(nil, try expression(.term), closed: token.kind == .closedRange, loc(token))
    default:
      return try postfix(try primary())
    }
  }

  // postfix -> primary ('(' arguments ')' closure? | closure | '[' expression ']' | '.' IDENT)*
  private mutating func postfix(_ start: Expr) throws -> Expr {
    var expr = start
    var chain = 0
    while true {
      chain += 1
      if depth + chain > Parser.maxDepth {
        throw error("expression is nested too deeply (more than \(Parser.maxDepth) levels)")
      }
      let token = peek
      switch token.kind {
      case .leftParen:
        advance()
        var arguments = try self.arguments()
        if trailingClosuresAllowed && check(.leftBrace) {
          arguments.append(Argument(label: nil, value: try closure(), loc: loc(peek)))
        }
        expr = .call(expr, arguments, loc(token))
      case .leftBrace where trailingClosuresAllowed && isCallable(expr):
        expr = .call(expr, [Argument(label: nil, value: try closure(), loc: loc(token))], loc(token))
      case .leftBracket:
        advance()
        let saved = trailingClosuresAllowed
        trailingClosuresAllowed = true
        defer { trailingClosuresAllowed = saved }
        skipNewlines()
        let index = try expression()
        skipNewlines()
        try consume(.rightBracket, "expected ']' to close the subscript opened at line \(token.line)")
        expr = .index(expr, index, loc(token))
      case .dot:
        advance()
        let name = try consume(.identifier, "expected a member name after '.'")
        expr = .member(expr, name.text, loc(name))
      case .newline where peek(1).kind == .dot:
        // A method chain may continue on the next line: `xs\n  .map { ... }`.
        advance()
      default:
        return expr
      }
    }
  }

  /// Only names, members and calls take a trailing closure; `[1, 2] { ... }` is an error.
  private func isCallable(_ expr: Expr) -> Bool {
    switch expr {
    case .variable, .member, .call: return true
    default: return false
    }
  }

  // arguments -> ((IDENT ':')? expression) % ',' ')'
  private mutating func arguments() throws -> [Argument] {
    let saved = trailingClosuresAllowed
    trailingClosuresAllowed = true
    defer { trailingClosuresAllowed = saved }
    var arguments: [Argument] = []
    var labels: Set<String> = []
    while !check(.rightParen) {
      let start = peek
      var label: String?
      if start.kind == .identifier && peek(1).kind == .colon {
        advance(); advance()
        label = start.text
        if !labels.insert(start.text).inserted { throw error("argument '\(start.text)' is given twice", at: start) }
      } else if !labels.isEmpty {
        throw error("a positional argument cannot follow a named one", at: start)
      }
      arguments.append(Argument(label: label, value: try expression(), loc: loc(start)))
      if !match(.comma) { break }
    }
    try consume(.rightParen, "expected ')' to close the call's arguments")
    return arguments
  }

  // primary -> literal | string | IDENT | '(' expression ')' | list | dict | closure
  private mutating func primary() throws -> Expr {
    let token = peek
    switch token.kind {
    case .int(let value):
      if value == Int.min {
        throw error("integer literal \(token.text) does not fit in 64 bits (the largest is \(Int.max))", at: token)
      }
      advance()
      return .literal(.int(value), loc(token))
    case .float(let value):
      advance()
      return .literal(.float(value), loc(token))
    case .string(let value):
      advance()
      return .literal(.string(value), loc(token))
    case .interpolation:
      return try interpolated()
    case .kTrue:
      advance()
      return .literal(.bool(true), loc(token))
    case .kFalse:
      advance()
      return .literal(.bool(false), loc(token))
    case .kNil:
      advance()
      return .literal(.nil, loc(token))
    case .identifier:
      advance()
      return .variable(token.text, loc(token))
    case .leftParen:
      advance()
      let saved = trailingClosuresAllowed
      trailingClosuresAllowed = true
      defer { trailingClosuresAllowed = saved }
      let expr = try expression()
      try consume(.rightParen, "expected ')' to close the '(' opened at line \(token.line)")
      return expr
    case .leftBracket:
      return try collection()
    case .leftBrace:
      return try closure()
    case .kFunc:
      // An anonymous function is written as a closure: `{ x in ... }`.
      throw error("'func' declares a named function as a statement; write an anonymous function as { x in ... }")
    default:
      throw error("expected an expression")
    }
  }

  // string -> (INTERPOLATION expression)* STRING
  private mutating func interpolated() throws -> Expr {
    let start = peek
    var parts: [StringPart] = []
    while case .interpolation(let text) = peek.kind {
      advance()
      if !text.isEmpty { parts.append(.text(text)) }
      parts.append(.expr(try expression()))
    }
    guard case .string(let tail) = peek.kind else {
      throw error("expected ')' to close the interpolation \\( in the string at line \(start.line)")
    }
    advance()
    if !tail.isEmpty { parts.append(.text(tail)) }
    return .interpolated(parts, loc(start))
  }

  // list -> '[' (expression % ',') ','? ']' ; dict -> '[' ':' ']' | '[' (expression ':' expression) % ',' ','? ']'
  private mutating func collection() throws -> Expr {
    let open = advance()
    let saved = trailingClosuresAllowed
    trailingClosuresAllowed = true
    defer { trailingClosuresAllowed = saved }
    if match(.colon) {
      try consume(.rightBracket, "expected ']' after '[:' in an empty dictionary")
      return .dict([], loc(open))
    }
    if match(.rightBracket) { return .list([], loc(open)) }
    let first = try expression()
    if match(.colon) {
      var entries = [(key: first, value: try expression())]
      while match(.comma) {
        if check(.rightBracket) { break }
        let key = try expression()
        try consume(.colon, "expected ':' after a dictionary key")
        entries.append((key: key, value: try expression()))
      }
      try consume(.rightBracket, "expected ']' to close the dictionary opened at line \(open.line)")
      return .dict(entries, loc(open))
    }
    var items = [first]
    while match(.comma) {
      if check(.rightBracket) { break }
      items.append(try expression())
    }
    try consume(.rightBracket, "expected ']' to close the list opened at line \(open.line)")
    return .list(items, loc(open))
  }

  // closure -> '{' (params 'in')? statement* '}' ; params -> IDENT % ',' | '(' IDENT % ',' ')'
  private mutating func closure() throws -> Expr {
    let open = advance()
    var parameters: [Parameter] = []
    if hasClosureParameters() {
      let parenthesized = match(.leftParen)
      while check(.identifier) {
        let name = advance()
        if parameters.contains(where: { $0.name == name.text }) {
          throw error("duplicate parameter '\(name.text)'", at: name)
        }
        parameters.append(Parameter(name: name.text, defaultValue: nil, loc: loc(name)))
        if !match(.comma) { break }
      }
      if parenthesized { try consume(.rightParen, "expected ')' after the closure's parameters") }
      try consume(.kIn, "expected 'in' after the closure's parameters")
    }
    let saved = trailingClosuresAllowed
    trailingClosuresAllowed = true
    defer { trailingClosuresAllowed = saved }
    var body: [Stmt] = []
    skipNewlines()
    while !check(.rightBrace) && !atEnd {
      if let statement = recoveringStatement() { body.append(statement) }
      skipNewlines()
    }
    if atEnd { throw error("expected '}' to close the closure opened at line \(open.line)") }
    advance()
    return .function(FunctionDecl(name: "closure", parameters: parameters, body: body, loc: loc(open)))
  }

  /// Looks ahead for `a, b in` or `(a, b) in` at the start of a closure.
  private func hasClosureParameters() -> Bool {
    var offset = 0
    let parenthesized = peek(0).kind == .leftParen
    if parenthesized { offset += 1 }
    while peek(offset).kind == .identifier {
      offset += 1
      if peek(offset).kind == .comma { offset += 1 } else { break }
    }
    if parenthesized {
      guard peek(offset).kind == .rightParen else { return false }
      offset += 1
    }
    return peek(offset).kind == .kIn
  }
}
