/// A 1-based line and column in the source text being compiled.
struct Loc: Equatable {
  var line: Int
  var column: Int
}

enum BinaryOperator: String {
  case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
  case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
}

enum LogicalOperator: String {
  case and = "&&", or = "||", nilCoalescing = "??"
}

enum UnaryOperator: String {
  case negate = "-", not = "!"
}

struct Argument {
  var label: String?
  var value: Expr
  var loc: Loc
}

struct Parameter {
  var name: String
  var defaultValue: Expr?
  var loc: Loc
}

/// A `func` declaration or a closure literal.
final class FunctionDecl {
  let name: String
  let parameters: [Parameter]
  let body: [Stmt]
  let loc: Loc

  init(name: String, parameters: [Parameter], body: [Stmt], loc: Loc) {
    self.name = name
    self.parameters = parameters
    self.body = body
    self.loc = loc
  }
}

enum StringPart {
  case text(String)
  case expr(Expr)
}

indirect enum Expr {
  case literal(Value, Loc)
  case interpolated([StringPart], Loc)
  case variable(String, Loc)
  case list([Expr], Loc)
  case dict([(key: Expr, value: Expr)], Loc)
  case unary(UnaryOperator, Expr, Loc)
  case binary(BinaryOperator, Expr, Expr, Loc)
  case logical(LogicalOperator, Expr, Expr, Loc)
  case conditional(Expr, Expr, Expr, Loc)
  /// `a..<b`, `a...b`, and in subscripts the one-sided `a...`, `..<b`, `...b`.
  case range(Expr?, Expr?, closed: Bool, Loc)
  case call(Expr, [Argument], Loc)
  case member(Expr, String, Loc)
  case index(Expr, Expr, Loc)
  case function(FunctionDecl)

  var loc: Loc {
    switch self {
    case .literal(_, let loc), .interpolated(_, let loc), .variable(_, let loc), .list(_, let loc),
      .dict(_, let loc), .unary(_, _, let loc), .binary(_, _, _, let loc), .logical(_, _, _, let loc),
      .conditional(_, _, _, let loc), .range(_, _, _, let loc), .call(_, _, let loc), .member(_, _, let loc),
      .index(_, _, let loc):
      return loc
    case .function(let decl):
      return decl.loc
    }
  }
}

struct IfClause {
  var condition: Expr
  var body: [Stmt]
}

indirect enum Stmt {
  case expression(Expr)
  /// `let name = value` or `var name [= value]`.
  case declaration(name: String, mutable: Bool, value: Expr?, Loc)
  case function(FunctionDecl)
  /// `target = value`, or `target op= value` with the operator.
  case assignment(target: Expr, op: BinaryOperator?, value: Expr, Loc)
  case ifChain([IfClause], elseBody: [Stmt]?, Loc)
  /// `for a in seq` or `for a, b in seq` (each element unpacked).
  case forIn(names: [String], sequence: Expr, body: [Stmt], Loc)
  case whileLoop(Expr, [Stmt], Loc)
  case returnStmt(Expr?, Loc)
  case breakStmt(Loc)
  case continueStmt(Loc)
  case importStmt(String, Loc)
}
