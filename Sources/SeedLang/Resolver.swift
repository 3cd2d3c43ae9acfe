/// The first pass over a parsed cell or module: it decides where every name lives and lists
/// the globals each piece of code uses.
///
/// A name declared in a function becomes a slot of its frame; one that a nested function uses
/// is boxed, so that closures share it; one declared nowhere around its use is a global. The
/// resolver also reports the mistakes visible without running anything: a name declared twice
/// in a block, an assignment to a constant, `return` outside a function, `break` outside a
/// loop. What it produces, a `ResolvedProgram`, is what the emitter turns into closures.
struct Resolver {
  private let source: SourceText
  private var scope: FunctionScope
  private var diagnostics: [Diagnostic] = []
  /// The global functions the program declares, with the globals of their bodies.
  private var functionUsage: [String: GlobalUsage] = [:]

  private init(source: SourceText, scope: FunctionScope) {
    self.source = source
    self.scope = scope
  }

  /// Resolves a cell or module; its outermost declarations are globals. Throws every
  /// mistake it finds, together.
  static func resolve(_ program: [Stmt], source: SourceText) throws -> ResolvedProgram {
    let scope = FunctionScope(parent: nil, function: nil, isScript: true, body: program, parameters: [])
    var resolver = Resolver(source: source, scope: scope)
    let statements = program.map { resolver.statement($0) }
    if !resolver.diagnostics.isEmpty { throw DiagnosticList(resolver.diagnostics) }
    let usage = ProgramUsage(topLevel: resolver.scope.usage, functions: resolver.functionUsage)
    return ResolvedProgram(statements: statements, slotCount: resolver.scope.slotCount, usage: usage)
  }

  private mutating func error(_ message: String, _ loc: Loc) {
    diagnostics.append(Diagnostic(.syntax, message, at: SourceLocation(source: source, line: loc.line, column: loc.column)))
  }

  // MARK: - Scopes

  /// The state of one function being resolved: its block scopes, captures and globals.
  private final class FunctionScope {
    let parent: FunctionScope?
    /// Nil for the cell or module itself.
    let function: ResolvedFunction?
    let isScript: Bool
    /// Names used inside functions nested in this one; locals with these names are boxed.
    let capturedNames: Set<String>
    var blocks: [[String: Local]] = [[:]]
    var captureNames: [String] = []
    /// The local each capture refers to, in whichever function declared it.
    var capturedLocals: [Local] = []
    var slotCount = 1
    var loopDepth = 0
    var usage = GlobalUsage()

    init(parent: FunctionScope?, function: ResolvedFunction?, isScript: Bool, body: [Stmt], parameters: [Parameter]) {
      self.parent = parent
      self.function = function
      self.isScript = isScript
      var collector = CapturedNameCollector()
      collector.statements(body, nested: false)
      for parameter in parameters {
        if let value = parameter.defaultValue { collector.expression(value, nested: false) }
      }
      capturedNames = collector.names
    }

    /// True where a declaration makes a global: the outermost block of a cell or module.
    var declaresGlobals: Bool { isScript && blocks.count == 1 }

    func lookup(_ name: String) -> Local? {
      for block in blocks.reversed() {
        if let local = block[name] { return local }
      }
      return nil
    }

    /// The index of `name` among this function's captures, adding it (and to every
    /// function in between) if an enclosing function has it as a local.
    func captureIndex(_ name: String) -> (index: Int, local: Local)? {
      if let index = captureNames.firstIndex(of: name) { return (index, capturedLocals[index]) }
      guard let parent else { return nil }
      if let local = parent.lookup(name), local.boxed {
        return addCapture(name, .local(local.slot), local)
      }
      if let (index, local) = parent.captureIndex(name) {
        return addCapture(name, .capture(index), local)
      }
      return nil
    }

    private func addCapture(_ name: String, _ source: FunctionProto.CaptureSource, _ local: Local) -> (Int, Local) {
      captureNames.append(name)
      capturedLocals.append(local)
      function?.captures.append(source)
      return (captureNames.count - 1, local)
    }
  }

  private mutating func beginBlock() { scope.blocks.append([:]) }
  private mutating func endBlock() { scope.blocks.removeLast() }

  private mutating func declareLocal(_ name: String, _ role: Local.Role, _ loc: Loc) -> Local {
    if let existing = scope.blocks[scope.blocks.count - 1][name] {
      error("'\(name)' is already declared in this scope (at line \(existing.line))", loc)
    }
    let local = Local(slot: scope.slotCount, boxed: scope.capturedNames.contains(name), role: role, line: loc.line)
    scope.slotCount += 1
    scope.blocks[scope.blocks.count - 1][name] = local
    return local
  }

  /// Where `name` lives, here; a global is not yet recorded as read or written.
  private func binding(_ name: String) -> Binding {
    if let local = scope.lookup(name) { return .local(local) }
    if let (index, local) = scope.captureIndex(name) { return .capture(index: index, local: local) }
    return .global(name)
  }

  /// A name read as a value.
  private mutating func read(_ name: String) -> Binding {
    let found = binding(name)
    if case .global = found { scope.usage.reads.insert(name) }
    return found
  }

  /// The global at the root of `expr` (`d` in `d["a"].b`), recorded as written: a method
  /// call or an assignment through a subscript or member may change it in place.
  private mutating func recordChange(through expr: Expr) {
    switch expr {
    case .variable(let name, _):
      if case .global = binding(name) { scope.usage.writes.insert(name) }
    case .member(let inner, _, _), .index(let inner, _, _):
      recordChange(through: inner)
    default: break
    }
  }

  // MARK: - Statements

  private mutating func block(_ statements: [Stmt]) -> [ResolvedStmt] {
    beginBlock()
    defer { endBlock() }
    return statements.map { statement($0) }
  }

  private mutating func statement(_ stmt: Stmt) -> ResolvedStmt {
    switch stmt {
    case .expression(let expr):
      return .expression(expression(expr))
    case .declaration(let name, let mutable, let value, let loc):
      // The value is resolved first: in `let x = x + 1` the right side sees the outer x.
      let initial = value.map { expression($0) }
      if scope.declaresGlobals {
        scope.usage.writes.insert(name)
        return .defineGlobal(name, mutable: mutable, value: initial, loc)
      }
      return .declareLocal(declareLocal(name, mutable ? .variable : .constant, loc), value: initial, loc)
    case .function(let decl):
      if scope.declaresGlobals {
        scope.usage.writes.insert(decl.name)
        return .defineGlobalFunction(decl.name, function(decl, global: true))
      }
      // Declared before its body is resolved, so that it can call itself.
      let local = declareLocal(decl.name, .function, decl.loc)
      return .declareLocalFunction(local, function(decl, global: false))
    case .assignment(let target, let op, let value, let loc):
      return assignment(target, op, value, loc)
    case .ifChain(let clauses, let elseBody, let loc):
      let resolved = clauses.map { ResolvedClause(condition: expression($0.condition), body: block($0.body)) }
      return .ifChain(resolved, elseBody: elseBody.map { block($0) }, loc)
    case .forIn(let names, let sequence, let body, let loc):
      let items = expression(sequence)
      beginBlock()
      let variables = names.map { declareLocal($0, .loopVariable, loc) }
      scope.loopDepth += 1
      let resolvedBody = block(body)
      scope.loopDepth -= 1
      endBlock()
      return .forIn(variables, sequence: items, body: resolvedBody, loc)
    case .whileLoop(let condition, let body, let loc):
      let test = expression(condition)
      scope.loopDepth += 1
      defer { scope.loopDepth -= 1 }
      return .whileLoop(test, block(body), loc)
    case .returnStmt(let value, let loc):
      if scope.isScript { error("'return' outside a function", loc) }
      return .returnStmt(value.map { expression($0) }, loc)
    case .breakStmt(let loc):
      if scope.loopDepth == 0 { error("'break' outside a loop", loc) }
      return .breakStmt(loc)
    case .continueStmt(let loc):
      if scope.loopDepth == 0 { error("'continue' outside a loop", loc) }
      return .continueStmt(loc)
    case .importStmt(let name, let loc):
      scope.usage.imports.insert(name)
      return .importStmt(name, loc)
    }
  }

  /// Resolves a function body in a scope of its own. A global function's globals are listed
  /// under its name; any other's count as its enclosing code's, which may run it.
  private mutating func function(_ decl: FunctionDecl, global: Bool) -> ResolvedFunction {
    let resolved = ResolvedFunction(name: decl.name, loc: decl.loc)
    let outer = scope
    scope = FunctionScope(parent: outer, function: resolved, isScript: false, body: decl.body, parameters: decl.parameters)
    for parameter in decl.parameters {
      // A default sees only the parameters before it.
      let defaultValue = parameter.defaultValue.map { expression($0) }
      let local = declareLocal(parameter.name, .parameter, parameter.loc)
      resolved.parameters.append(.init(name: parameter.name, local: local, defaultValue: defaultValue))
    }
    if decl.body.count == 1, case .expression(let expr) = decl.body[0] {
      resolved.body = .expression(expression(expr))
    } else {
      resolved.body = .statements(block(decl.body))
    }
    resolved.slotCount = scope.slotCount
    resolved.usage = scope.usage
    scope = outer
    if global {
      functionUsage[decl.name] = resolved.usage
    } else {
      scope.usage.formUnion(resolved.usage)
    }
    return resolved
  }

  private mutating func assignment(_ target: Expr, _ op: BinaryOperator?, _ valueExpr: Expr, _ loc: Loc) -> ResolvedStmt {
    let value = expression(valueExpr)
    switch target {
    case .variable(let name, let nameLoc):
      let found = binding(name)
      switch found {
      case .local(let local), .capture(_, let local):
        if !local.mutable { error("cannot assign to '\(name)': \(local.role.whyConstant(line: local.line))", nameLoc) }
      case .global:
        scope.usage.writes.insert(name)
        if op != nil { scope.usage.reads.insert(name) }
      }
      return .assignment(.name(name, found, nameLoc), op, value, loc)
    case .member(let object, let name, let memberLoc):
      recordChange(through: object)
      return .assignment(.member(expression(object), name, memberLoc), op, value, loc)
    case .index(let object, let index, let indexLoc):
      recordChange(through: object)
      return .assignment(.index(expression(object), expression(index), indexLoc), op, value, loc)
    default:
      error("cannot assign to this expression", loc)
      return .expression(value)
    }
  }

  // MARK: - Expressions

  private mutating func expression(_ expr: Expr) -> ResolvedExpr {
    switch expr {
    case .literal(let value, let loc):
      return .literal(value, loc)
    case .interpolated(let parts, let loc):
      return .interpolated(
        parts.map {
          switch $0 {
          case .text(let text): return .text(text)
          case .expr(let expr): return .expr(expression(expr))
          }
        }, loc)
    case .variable(let name, let loc):
      return .name(name, read(name), loc)
    case .list(let items, let loc):
      return .list(items.map { expression($0) }, loc)
    case .dict(let entries, let loc):
      return .dict(entries.map { ResolvedEntry(key: expression($0.key), value: expression($0.value)) }, loc)
    case .unary(let op, let operand, let loc):
      return .unary(op, expression(operand), loc)
    case .binary(let op, let left, let right, let loc):
      return .binary(op, expression(left), expression(right), loc)
    case .logical(let op, let left, let right, let loc):
      return .logical(op, expression(left), expression(right), loc)
    case .conditional(let test, let then, let otherwise, let loc):
      return .conditional(expression(test), expression(then), expression(otherwise), loc)
    case .range(_, _, _, let loc):
      guard case .range(let lower?, let upper?, let closed, _) = expr else {
        error("a one-sided range such as 2... or ..<3 can only be used in a subscript", loc)
        return .literal(.nil, loc)
      }
      return .range(expression(lower), expression(upper), closed: closed, loc)
    case .call(.member(let receiver, let name, _), let arguments, let loc):
      recordChange(through: receiver)
      return .methodCall(expression(receiver), name, arguments.map { argument($0) }, loc)
    case .call(let callee, let arguments, let loc):
      if case .variable(let name, _) = callee, case .global = binding(name) { scope.usage.calls.insert(name) }
      return .call(expression(callee), arguments.map { argument($0) }, loc)
    case .member(let object, let name, let loc):
      return .member(expression(object), name, loc)
    case .index(let object, .range(let lower, let upper, let closed, _), let loc):
      // A range written in a subscript slices; only here may it be one-sided.
      return .slice(expression(object), lower: lower.map { expression($0) }, upper: upper.map { expression($0) }, closed: closed, loc)
    case .index(let object, let index, let loc):
      return .index(expression(object), expression(index), loc)
    case .function(let decl):
      return .function(function(decl, global: false))
    }
  }

  private mutating func argument(_ argument: Argument) -> ResolvedArgument {
    ResolvedArgument(label: argument.label, value: expression(argument.value))
  }
}

/// Collects the names used inside functions nested in a body: the locals that closures may
/// capture. Over-approximating by name is safe; a boxed local that is never captured only
/// costs a box.
private struct CapturedNameCollector {
  var names: Set<String> = []

  mutating func statements(_ statements: [Stmt], nested: Bool) {
    for statement in statements { self.statement(statement, nested: nested) }
  }

  mutating func function(_ decl: FunctionDecl) {
    names.insert(decl.name)
    for parameter in decl.parameters {
      if let value = parameter.defaultValue { expression(value, nested: true) }
    }
    statements(decl.body, nested: true)
  }

  mutating func statement(_ statement: Stmt, nested: Bool) {
    switch statement {
    case .expression(let expr): expression(expr, nested: nested)
    case .declaration(_, _, let value, _): if let value { expression(value, nested: nested) }
    case .function(let decl): function(decl)
    case .assignment(let target, _, let value, _):
      expression(target, nested: nested)
      expression(value, nested: nested)
    case .ifChain(let clauses, let elseBody, _):
      for clause in clauses {
        expression(clause.condition, nested: nested)
        statements(clause.body, nested: nested)
      }
      if let elseBody { statements(elseBody, nested: nested) }
    case .forIn(_, let sequence, let body, _):
      expression(sequence, nested: nested)
      statements(body, nested: nested)
    case .whileLoop(let condition, let body, _):
      expression(condition, nested: nested)
      statements(body, nested: nested)
    case .returnStmt(let value, _): if let value { expression(value, nested: nested) }
    case .breakStmt, .continueStmt, .importStmt: break
    }
  }

  mutating func expression(_ expr: Expr, nested: Bool) {
    switch expr {
    case .literal: break
    case .variable(let name, _): if nested { names.insert(name) }
    case .interpolated(let parts, _):
      for case .expr(let e) in parts { expression(e, nested: nested) }
    case .list(let items, _): for item in items { expression(item, nested: nested) }
    case .dict(let entries, _):
      for entry in entries {
        expression(entry.key, nested: nested)
        expression(entry.value, nested: nested)
      }
    case .unary(_, let e, _), .member(let e, _, _): expression(e, nested: nested)
    case .binary(_, let a, let b, _), .logical(_, let a, let b, _), .index(let a, let b, _):
      expression(a, nested: nested)
      expression(b, nested: nested)
    case .conditional(let a, let b, let c, _):
      expression(a, nested: nested)
      expression(b, nested: nested)
      expression(c, nested: nested)
    case .range(let a, let b, _, _):
      if let a { expression(a, nested: nested) }
      if let b { expression(b, nested: nested) }
    case .call(let callee, let arguments, _):
      expression(callee, nested: nested)
      for argument in arguments { expression(argument.value, nested: nested) }
    case .function(let decl): function(decl)
    }
  }
}
