/// A 1-based line and column in the source text being compiled.
public struct Loc: Equatable {
  public var line: Int
  public var column: Int
}

public enum BinaryOperator: String {
  case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
  case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
}

public enum LogicalOperator: String {
  case and = "&&", or = "||", nilCoalescing = "??"
}

public enum UnaryOperator: String {
  case negate = "-", not = "!"
}

public struct Argument {
  public var label: String?
  public var value: Expr
  public var loc: Loc
}

public struct Parameter {
  public var name: String
  public var defaultValue: Expr?
  public var loc: Loc
}

/// A `func` declaration or a closure literal.
public final class FunctionDecl {
  public let name: String
  public let parameters: [Parameter]
  public let body: [Stmt]
  public let loc: Loc

  init(name: String, parameters: [Parameter], body: [Stmt], loc: Loc) {
    self.name = name
    self.parameters = parameters
    self.body = body
    self.loc = loc
  }
}

public enum StringPart {
  case text(String)
  case expr(Expr)
}

public indirect enum Expr {
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

  public var loc: Loc {
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

public struct IfClause {
  public var condition: Expr
  public var body: [Stmt]
}

public indirect enum Stmt {
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
