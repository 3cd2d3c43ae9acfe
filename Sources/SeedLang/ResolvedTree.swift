/// The syntax tree once the resolver has been over it: every name is already a slot of its
/// function's frame, a capture of an enclosing function's variable, or a global; every
/// function knows its slots and captures and the globals it reads and writes. The emitter
/// turns this form into closures without looking any name up.

/// A local variable: its slot in the frame, whether closures share it through a box, and
/// what declared it.
struct Local {
  let slot: Int
  /// Captured by a nested function, so kept in a `Box` that the closures share.
  let boxed: Bool
  let role: Role
  let line: Int

  var mutable: Bool { role == .variable }

  /// What declared a local, for the message when code assigns to one it may not change.
  enum Role {
    case variable, constant, function, parameter, loopVariable

    func whyConstant(line: Int) -> String {
      switch self {
      case .variable: return "it is a variable"
      case .constant: return "it is a constant (declared with let at line \(line)); declare it with var"
      case .function: return "it is a function (declared at line \(line))"
      case .parameter: return "it is a parameter; copy it into a var to change it"
      case .loopVariable: return "it is a loop variable; copy it into a var to change it"
      }
    }
  }
}

/// Where a name lives.
enum Binding {
  case local(Local)
  /// A variable of an enclosing function, at this index of the running closure's captures.
  case capture(index: Int, local: Local)
  /// A global, by name; the emitter gives it the interpreter's cell.
  case global(String)

  /// The local when it is one that is not boxed: nothing but its own assignments changes it.
  var plainSlot: Int? {
    if case .local(let local) = self, !local.boxed { return local.slot }
    return nil
  }
}

indirect enum ResolvedExpr {
  case literal(Value, Loc)
  case interpolated([ResolvedPart], Loc)
  case name(String, Binding, Loc)
  case list([ResolvedExpr], Loc)
  case dict([ResolvedEntry], Loc)
  case unary(UnaryOperator, ResolvedExpr, Loc)
  case binary(BinaryOperator, ResolvedExpr, ResolvedExpr, Loc)
  case logical(LogicalOperator, ResolvedExpr, ResolvedExpr, Loc)
  case conditional(ResolvedExpr, ResolvedExpr, ResolvedExpr, Loc)
  /// `a..<b` or `a...b` as a value.
  case range(ResolvedExpr, ResolvedExpr, closed: Bool, Loc)
  /// `xs[a..<b]`, `xs[2...]`, `xs[..<3]`: a range written in a subscript.
  case slice(ResolvedExpr, lower: ResolvedExpr?, upper: ResolvedExpr?, closed: Bool, Loc)
  case call(ResolvedExpr, [ResolvedArgument], Loc)
  /// `receiver.name(arguments)`.
  case methodCall(ResolvedExpr, String, [ResolvedArgument], Loc)
  case member(ResolvedExpr, String, Loc)
  case index(ResolvedExpr, ResolvedExpr, Loc)
  case function(ResolvedFunction)

  var loc: Loc {
    switch self {
    case .literal(_, let loc), .interpolated(_, let loc), .name(_, _, let loc), .list(_, let loc), .dict(_, let loc),
      .unary(_, _, let loc), .binary(_, _, _, let loc), .logical(_, _, _, let loc), .conditional(_, _, _, let loc),
      .range(_, _, _, let loc), .slice(_, _, _, _, let loc), .call(_, _, let loc), .methodCall(_, _, _, let loc),
      .member(_, _, let loc), .index(_, _, let loc):
      return loc
    case .function(let function): return function.loc
    }
  }
}

enum ResolvedPart {
  case text(String)
  case expr(ResolvedExpr)
}

struct ResolvedEntry {
  let key: ResolvedExpr
  let value: ResolvedExpr
}

struct ResolvedArgument {
  let label: String?
  let value: ResolvedExpr
}

/// What an assignment writes to.
enum AssignmentTarget {
  case name(String, Binding, Loc)
  case member(ResolvedExpr, String, Loc)
  case index(ResolvedExpr, ResolvedExpr, Loc)
}

struct ResolvedClause {
  let condition: ResolvedExpr
  let body: [ResolvedStmt]
}

indirect enum ResolvedStmt {
  case expression(ResolvedExpr)
  /// `let` or `var` in the outermost block of a cell or module.
  case defineGlobal(String, mutable: Bool, value: ResolvedExpr?, Loc)
  case declareLocal(Local, value: ResolvedExpr?, Loc)
  case defineGlobalFunction(String, ResolvedFunction)
  case declareLocalFunction(Local, ResolvedFunction)
  /// `target = value`, or `target op= value` with the operator.
  case assignment(AssignmentTarget, BinaryOperator?, ResolvedExpr, Loc)
  case ifChain([ResolvedClause], elseBody: [ResolvedStmt]?, Loc)
  case forIn([Local], sequence: ResolvedExpr, body: [ResolvedStmt], Loc)
  case whileLoop(ResolvedExpr, [ResolvedStmt], Loc)
  case returnStmt(ResolvedExpr?, Loc)
  case breakStmt(Loc)
  case continueStmt(Loc)
  case importStmt(String, Loc)
}

/// A function with its frame laid out: parameters in slots 1..., then its other locals.
final class ResolvedFunction {
  struct Parameter {
    let name: String
    let local: Local
    /// Resolved in the function's scope, seeing only the parameters before it.
    let defaultValue: ResolvedExpr?
  }

  enum Body {
    /// `func double(x) { x * 2 }`: a body that is one expression returns its value.
    case expression(ResolvedExpr)
    case statements([ResolvedStmt])
  }

  let name: String
  let loc: Loc
  var parameters: [Parameter] = []
  var body: Body = .statements([])
  /// Where each capture comes from when a closure of this function is made.
  var captures: [FunctionProto.CaptureSource] = []
  var slotCount = 1
  /// The globals its body reads and writes, with those of the functions nested in it.
  var usage = GlobalUsage()

  init(name: String, loc: Loc) {
    self.name = name
    self.loc = loc
  }
}

/// A cell or module, resolved: its statements, the slots of its frame, and its globals.
struct ResolvedProgram {
  let statements: [ResolvedStmt]
  let slotCount: Int
  let usage: ProgramUsage
}
