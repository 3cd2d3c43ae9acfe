/// Compiles the syntax tree into a tree of Swift closures, once, before running it.
///
/// Every name is resolved here: a local becomes a slot in its function's frame, a variable
/// captured by a closure becomes a shared box, and anything else a global cell. Running code
/// therefore never looks a name up by its spelling.
final class Compiler {
  /// Compiled code refers to its interpreter through an `InterpreterHandle`, which does not
  /// own it; the compiler itself may.
  let interpreter: Interpreter
  let source: SourceText
  private var scope: FunctionScope
  private var diagnostics: [Diagnostic] = []

  private init(interpreter: Interpreter, source: SourceText, scope: FunctionScope) {
    self.interpreter = interpreter
    self.source = source
    self.scope = scope
  }

  /// Compiles a cell or module. Its outermost declarations become globals; its value is
  /// that of its last statement when that is an expression, else nil.
  static func compileScript(_ program: [Stmt], source: SourceText, interpreter: Interpreter) throws -> FunctionProto {
    let proto = FunctionProto(name: source.unit ?? "<script>")
    let scope = FunctionScope(parent: nil, proto: proto, isScript: true, body: program, parameters: [])
    let compiler = Compiler(interpreter: interpreter, source: source, scope: scope)
    var statements = program.dropLast().map { CompiledStatement(execute: compiler.statement($0)) }
    var value: Evaluate = { _ in .nil }
    if case .expression(let expr)? = program.last {
      value = compiler.expression(expr)
    } else if let last = program.last {
      statements.append(CompiledStatement(execute: compiler.statement(last)))
    }
    let run = Compiler.sequence(statements)
    proto.body = { frame in
      _ = try run(frame)
      return try value(frame)
    }
    proto.slotCount = scope.slotCount
    if !compiler.diagnostics.isEmpty { throw DiagnosticList(compiler.diagnostics) }
    return proto
  }

  private func location(_ loc: Loc) -> SourceLocation {
    SourceLocation(source: source, line: loc.line, column: loc.column)
  }

  private func error(_ message: String, _ loc: Loc) {
    diagnostics.append(Diagnostic(.syntax, message, at: location(loc)))
  }

  // MARK: - Scopes

  private struct Local {
    let slot: Int
    let boxed: Bool
    let role: Role
    let line: Int

    var mutable: Bool { role == .variable }
  }

  /// What declared a local, for the message when code assigns to one it may not change.
  private enum Role {
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

  private enum Resolved {
    case local(Local)
    case capture(index: Int, local: Local)
    case global(GlobalCell)
  }

  /// The compile-time state of one function: its block scopes and its captures.
  private final class FunctionScope {
    let parent: FunctionScope?
    let proto: FunctionProto
    let isScript: Bool
    /// Names used inside functions nested in this one; locals with these names are boxed.
    let capturedNames: Set<String>
    var blocks: [[String: Local]] = [[:]]
    var captureNames: [String] = []
    /// The local each capture refers to, in whichever function declared it.
    var capturedLocals: [Local] = []
    var slotCount = 1
    var loopDepth = 0

    init(parent: FunctionScope?, proto: FunctionProto, isScript: Bool, body: [Stmt], parameters: [Parameter]) {
      self.parent = parent
      self.proto = proto
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
      proto.captures.append(source)
      return (captureNames.count - 1, local)
    }
  }

  private func beginBlock() { scope.blocks.append([:]) }
  private func endBlock() { scope.blocks.removeLast() }

  private func declareLocal(_ name: String, _ role: Role, _ loc: Loc) -> Local {
    if let existing = scope.blocks[scope.blocks.count - 1][name] {
      error("'\(name)' is already declared in this scope (at line \(existing.line))", loc)
    }
    let local = Local(slot: scope.slotCount, boxed: scope.capturedNames.contains(name), role: role, line: loc.line)
    scope.slotCount += 1
    scope.blocks[scope.blocks.count - 1][name] = local
    return local
  }

  private func resolve(_ name: String) -> Resolved {
    if let local = scope.lookup(name) { return .local(local) }
    if let (index, local) = scope.captureIndex(name) { return .capture(index: index, local: local) }
    return .global(interpreter.globalCell(name))
  }

  // MARK: - Statements

  /// Chains statements into nested pairs. Closures kept in an array would be called through
  /// a reabstraction thunk each time; a chain of captured closures is called directly.
  static func sequence(_ statements: [CompiledStatement]) -> Execute {
    guard var chain = statements.last?.execute else { return { _ in .next } }
    for compiled in statements.dropLast().reversed() {
      let statement = compiled.execute
      let rest = chain
      chain = { frame in
        let flow = try statement(frame)
        if flow != .next { return flow }
        return try rest(frame)
      }
    }
    return chain
  }

  private func block(_ statements: [Stmt]) -> Execute {
    beginBlock()
    defer { endBlock() }
    return Compiler.sequence(statements.map { CompiledStatement(execute: statement($0)) })
  }

  private func statement(_ stmt: Stmt) -> Execute {
    switch stmt {
    case .expression(let expr):
      let value = expression(expr)
      return { frame in
        _ = try value(frame)
        return .next
      }
    case .declaration(let name, let mutable, let value, let loc):
      return declaration(name, mutable: mutable, value: value, loc)
    case .function(let decl):
      return functionDeclaration(decl)
    case .assignment(let target, let op, let value, let loc):
      return assignment(target, op, value, loc)
    case .ifChain(let clauses, let elseBody, _):
      return ifChain(clauses, elseBody)
    case .forIn(let names, let sequence, let body, let loc):
      return forIn(names, sequence, body, loc)
    case .whileLoop(let condition, let body, _):
      let test = self.condition(condition)
      scope.loopDepth += 1
      let run = block(body)
      scope.loopDepth -= 1
      let handle = InterpreterHandle(interpreter)
      let at = location(condition.loc)
      return { frame in
        while try test(frame) {
          try handle.checkInterrupt(at: at)
          switch try run(frame) {
          case .breakLoop: return .next
          case .returned: return .returned
          case .next, .continueLoop: continue
          }
        }
        return .next
      }
    case .returnStmt(let value, let loc):
      if scope.isScript { error("'return' outside a function", loc) }
      guard let value else {
        return { frame in
          frame.slots[0] = .nil
          return .returned
        }
      }
      let result = expression(value)
      return { frame in
        frame.slots[0] = try result(frame)
        return .returned
      }
    case .breakStmt(let loc):
      if scope.loopDepth == 0 { error("'break' outside a loop", loc) }
      return { _ in .breakLoop }
    case .continueStmt(let loc):
      if scope.loopDepth == 0 { error("'continue' outside a loop", loc) }
      return { _ in .continueLoop }
    case .importStmt(let name, let loc):
      let handle = InterpreterHandle(interpreter)
      let at = location(loc)
      return { _ in
        try handle.with { try $0.importModule(name, at: at) }
        return .next
      }
    }
  }

  private func declaration(_ name: String, mutable: Bool, value: Expr?, _ loc: Loc) -> Execute {
    // The value is compiled first: in `let x = x + 1` the right side sees the outer x.
    var initial: Evaluate = { _ in .nil }
    if let value { initial = expression(value) }
    let form = value.flatMap(slotConstant)
    if scope.declaresGlobals {
      let cell = interpreter.globalCell(name)
      let handle = InterpreterHandle(interpreter)
      return { frame in
        let value = try initial(frame)
        handle.with { cell.assign(value, in: $0) }
        cell.isDefined = true
        cell.isConstant = !mutable
        return .next
      }
    }
    let local = declareLocal(name, mutable ? .variable : .constant, loc)
    let slot = local.slot
    if local.boxed {
      return { frame in
        frame.slots[slot] = .box(Box(try initial(frame)))
        return .next
      }
    }
    if let form, !form.isComparison {
      return { frame in
        if let result = form.value(frame) {
          frame.store(.int(result), at: slot)
        } else {
          frame.store(try initial(frame), at: slot)
        }
        return .next
      }
    }
    return { frame in
      frame.store(try initial(frame), at: slot)
      return .next
    }
  }

  private func functionDeclaration(_ decl: FunctionDecl) -> Execute {
    if scope.declaresGlobals {
      let cell = interpreter.globalCell(decl.name)
      let proto = function(decl)
      let handle = InterpreterHandle(interpreter)
      return { frame in
        handle.with { cell.assign(.closure(Compiler.makeClosure(proto, frame)), in: $0) }
        cell.isDefined = true
        cell.isConstant = false
        return .next
      }
    }
    // Declared before its body is compiled, so that it can call itself.
    let local = declareLocal(decl.name, .function, decl.loc)
    let proto = function(decl)
    let slot = local.slot
    if local.boxed {
      return { frame in
        let box = Box(.nil)
        frame.slots[slot] = .box(box)
        box.value = .closure(Compiler.makeClosure(proto, frame))
        return .next
      }
    }
    return { frame in
      frame.slots[slot] = .closure(Compiler.makeClosure(proto, frame))
      return .next
    }
  }

  /// Compiles a function body in a scope of its own.
  private func function(_ decl: FunctionDecl) -> FunctionProto {
    let proto = FunctionProto(name: decl.name)
    proto.location = location(decl.loc)
    let outer = scope
    scope = FunctionScope(parent: outer, proto: proto, isScript: false, body: decl.body, parameters: decl.parameters)
    defer { scope = outer }
    var parameters: [FunctionProto.ParameterInfo] = []
    for (index, parameter) in decl.parameters.enumerated() {
      // A default sees only the parameters before it.
      let defaultValue = parameter.defaultValue.map(expression)
      let local = declareLocal(parameter.name, .parameter, parameter.loc)
      if local.boxed { proto.boxedParameters.append(local.slot) }
      parameters.append(.init(name: parameter.name, defaultValue: defaultValue))
      proto.parameterIndex[parameter.name] = index
    }
    proto.parameters = parameters
    // A body that is one expression returns its value, as in Swift.
    if decl.body.count == 1, case .expression(let expr) = decl.body[0] {
      proto.body = expression(expr)
    } else {
      proto.body = valueBlock(decl.body)
    }
    proto.slotCount = scope.slotCount
    return proto
  }

  // MARK: - Function bodies

  /// Compiles statements that end a function, in a block of their own, to the value the
  /// function returns.
  private func valueBlock(_ statements: [Stmt]) -> Evaluate {
    beginBlock()
    defer { endBlock() }
    return returnedValue(statements[...])
  }

  /// The value a function returns after running `statements`. A `return`, and an `if` whose
  /// every branch returns, become expressions: `if n < 2 { return n }` then
  /// `return fib(n - 1) + fib(n - 2)` is one conditional, with no `Flow` passed back and no
  /// result slot written and read. Other statements run as statements; a `return` inside
  /// them (in a loop, say) leaves its value in slot 0.
  private func returnedValue(_ statements: ArraySlice<Stmt>) -> Evaluate {
    guard let first = statements.first else { return { _ in .nil } }
    switch first {
    case .returnStmt(let valueExpr, _):
      var value: Evaluate = { _ in .nil }
      if let valueExpr { value = expression(valueExpr) }
      // Code after a return never runs, but its mistakes are still reported.
      for unreachable in statements.dropFirst() { _ = statement(unreachable) }
      return value
    case .ifChain(let clauses, let elseBody, _)
    where clauses.allSatisfy({ Compiler.alwaysReturns($0.body) }) && elseBody.map(Compiler.alwaysReturns) ?? true:
      // Compiled in source order: a declaration after the `if` must not be visible inside it.
      let branches = clauses.map {
        CompiledBranch(test: condition($0.condition), form: slotConstant($0.condition), result: branchResult($0.body))
      }
      var otherwise: Evaluate
      if let elseBody {
        otherwise = valueBlock(elseBody)
        for unreachable in statements.dropFirst() { _ = statement(unreachable) }
      } else {
        otherwise = returnedValue(statements.dropFirst())
      }
      for branch in branches.reversed() {
        let test = branch.test, next = otherwise
        if let form = branch.form, form.isComparison, case .slot(let slot) = branch.result {
          otherwise = { frame in try form.test(frame) ?? test(frame) ? frame.slots[slot] : try next(frame) }
          continue
        }
        switch branch.result {
        case .slot(let slot): otherwise = { frame in try test(frame) ? frame.slots[slot] : try next(frame) }
        case .constant(let value): otherwise = { frame in try test(frame) ? value : try next(frame) }
        case let result:
          let body = result.evaluate
          otherwise = { frame in try test(frame) ? try body(frame) : try next(frame) }
        }
      }
      return otherwise
    default:
      // The statements up to the next return or returning `if` run as one sequence.
      let ordinary = statements.prefix { !Compiler.endsFunction($0) }
      let run = Compiler.sequence(ordinary.map { CompiledStatement(execute: statement($0)) })
      let next = returnedValue(statements.dropFirst(ordinary.count))
      return { frame in
        if try run(frame) == .returned {
          let result = frame.slots.move()
          frame.slots.initialize(to: .nil)
          return result
        }
        return try next(frame)
      }
    }
  }

  /// What a branch that always returns gives back: `return n` reads its local in place.
  private func branchResult(_ body: [Stmt]) -> Operand {
    if body.count == 1, case .returnStmt(let value?, _) = body[0] {
      beginBlock()
      defer { endBlock() }
      return operand(value)
    }
    return .computed(valueBlock(body))
  }

  /// Whether a statement list returns on every path through it.
  private static func alwaysReturns(_ statements: [Stmt]) -> Bool {
    switch statements.last {
    case .returnStmt?: return true
    case .ifChain(let clauses, let elseBody?, _)?:
      return clauses.allSatisfy { alwaysReturns($0.body) } && alwaysReturns(elseBody)
    default: return false
    }
  }

  /// Whether `returnedValue` compiles a statement as an expression.
  private static func endsFunction(_ statement: Stmt) -> Bool {
    switch statement {
    case .returnStmt: return true
    case .ifChain(let clauses, let elseBody, _):
      return clauses.allSatisfy { alwaysReturns($0.body) } && elseBody.map(alwaysReturns) ?? true
    default: return false
    }
  }

  static func makeClosure(_ proto: FunctionProto, _ frame: Frame) -> Closure {
    if proto.captures.isEmpty { return Closure(proto: proto, captures: []) }
    let captures = proto.captures.map { source -> Box in
      switch source {
      case .local(let slot):
        if case .box(let box) = frame.slots[slot] { return box }
        // Not yet declared when the closure was made; share a box from now on.
        let box = Box(frame.slots[slot])
        frame.slots[slot] = .box(box)
        return box
      case .capture(let index):
        return frame.capturedBox(index)
      }
    }
    return Closure(proto: proto, captures: captures)
  }

  private func ifChain(_ clauses: [IfClause], _ elseBody: [Stmt]?) -> Execute {
    // Folded from the last clause back, so each `else` is the next test's closure.
    var chain: Execute = { _ in .next }
    if let elseBody { chain = block(elseBody) }
    for clause in clauses.reversed() {
      let test = condition(clause.condition), body = block(clause.body), otherwise = chain
      if let form = slotConstant(clause.condition), form.isComparison {
        chain = { frame in try form.test(frame) ?? test(frame) ? try body(frame) : try otherwise(frame) }
      } else {
        chain = { frame in try test(frame) ? try body(frame) : try otherwise(frame) }
      }
    }
    return chain
  }

  private func forIn(_ names: [String], _ sequence: Expr, _ body: [Stmt], _ loc: Loc) -> Execute {
    // `for i in a..<b` counts without making a range value.
    if names.count == 1, case .range(let lower?, let upper?, let closed, let rangeLoc) = sequence {
      let low = expression(lower), high = expression(upper)
      let at = location(rangeLoc)
      beginBlock()
      let variable = declareLocal(names[0], .loopVariable, loc)
      scope.loopDepth += 1
      beginBlock()
      let statements = body.map { CompiledStatement(execute: statement($0)) }
      endBlock()
      scope.loopDepth -= 1
      endBlock()
      let slot = variable.slot, boxed = variable.boxed
      let handle = InterpreterHandle(interpreter)
      @inline(__always)
      func count(_ frame: Frame, _ step: (Frame) throws -> Flow) throws -> Flow {
        guard case .int(let start) = try low(frame), case .int(var end) = try high(frame) else {
          throw Diagnostic(.runtime, "a range's bounds must be ints", at: at)
        }
        if closed {
          guard end < Int.max else { throw Diagnostic(.runtime, "integer overflow: the range ends past \(Int.max)", at: at) }
          end += 1
        }
        var i = start
        while i < end {
          try handle.checkInterrupt(at: at)
          if boxed { frame.slots[slot] = .box(Box(.int(i))) } else { frame.store(.int(i), at: slot) }
          switch try step(frame) {
          case .breakLoop: return .next
          case .returned: return .returned
          case .next, .continueLoop: i += 1
          }
        }
        return .next
      }
      // A body of two statements, as loops often have, is run by the loop itself, without
      // the closure that chains them.
      if statements.count == 2 {
        let first = statements[0].execute, second = statements[1].execute
        return { frame in
          try count(frame) { frame in
            let flow = try first(frame)
            return flow == .next ? try second(frame) : flow
          }
        }
      }
      let run = Compiler.sequence(statements)
      return { frame in try count(frame, run) }
    }
    let start = Iteration.loopStart(over: sequence, in: interpreter, compile: expression, locate: location)
    let at = location(sequence.loc)
    beginBlock()
    let variables = names.map { declareLocal($0, .loopVariable, loc) }
    scope.loopDepth += 1
    let run = block(body)
    scope.loopDepth -= 1
    endBlock()
    let bind = LoopVariables(variables.map { ($0.slot, $0.boxed) }, at: at)
    let handle = InterpreterHandle(interpreter)
    return { frame in
      var iterator = try start(frame)
      while try iterator.next(binding: bind, in: frame) {
        try handle.checkInterrupt(at: at)
        switch try run(frame) {
        case .breakLoop: return .next
        case .returned: return .returned
        case .next, .continueLoop: continue
        }
      }
      return .next
    }
  }

  // MARK: - Assignment

  private func assignment(_ target: Expr, _ op: BinaryOperator?, _ valueExpr: Expr, _ loc: Loc) -> Execute {
    let value = expression(valueExpr)
    let at = location(loc)
    func combine(_ old: Value, _ new: Value) throws -> Value {
      guard let op else { return new }
      do { return try Operators.apply(op, old, new) } catch let failure as RuntimeFailure {
        throw Diagnostic(.runtime, failure.message, at: at)
      }
    }
    switch target {
    case .variable(let name, let nameLoc):
      switch resolve(name) {
      case .local(let local):
        if !local.mutable {
          error("cannot assign to '\(name)': \(local.role.whyConstant(line: local.line))", nameLoc)
        }
        let slot = local.slot
        if local.boxed {
          if op == nil {
            return { frame in
              guard case .box(let box) = frame.slots[slot] else { return .next }
              box.value = try value(frame)
              return .next
            }
          }
          return { frame in
            guard case .box(let box) = frame.slots[slot] else { return .next }
            box.value = try combine(box.value, try value(frame))
            return .next
          }
        }
        // `i += 1` and `total += x * y` on a local: the operator's fast path, stored in place.
        if let op, let update = localUpdate(op, slot: slot, value: valueExpr, at: at) {
          return update
        }
        return { frame in
          frame.store(try combine(frame.slots[slot], try value(frame)), at: slot)
          return .next
        }
      case .capture(let index, let local):
        if !local.mutable { error("cannot assign to '\(name)': \(local.role.whyConstant(line: local.line))", nameLoc) }
        if op == nil {
          return { frame in
            frame.capturedBox(index).value = try value(frame)
            return .next
          }
        }
        return { frame in
          let box = frame.capturedBox(index)
          box.value = try combine(box.value, try value(frame))
          return .next
        }
      case .global(let cell):
        let where_ = location(nameLoc)
        let unassignable: () -> Error = {
          guard cell.isDefined else {
            return Diagnostic(.runtime, "cannot assign to undefined name '\(name)'; declare it first with var \(name) = ...", at: where_)
          }
          return Diagnostic(.runtime, "cannot assign to '\(name)': it is a constant (declared with let); declare it with var", at: where_)
        }
        // `total += i` on a global, as top-level code writes it: the operator's fast path.
        if let op, let update = globalUpdate(op, cell, value: valueExpr, unassignable: unassignable, at: at) {
          return update
        }
        let handle = InterpreterHandle(interpreter)
        return { frame in
          guard cell.isDefined, !cell.isConstant else { throw unassignable() }
          // A plain `=` does not read the old value: reading it would retain it for nothing.
          let new = op == nil ? try value(frame) : try combine(cell.value, try value(frame))
          handle.with { cell.assign(new, in: $0) }
          return .next
        }
      }
    case .member(let objectExpr, let name, let memberLoc):
      let object = expression(objectExpr)
      let where_ = location(memberLoc)
      return { frame in
        let target = try object(frame)
        guard case .dict(let dict) = target else {
          throw Diagnostic(.runtime, "cannot set member '\(name)' on \(target.aTypeName); only dicts have assignable members", at: where_)
        }
        let old = dict[name]
        if op != nil, old == nil { throw Diagnostic(.runtime, "dict has no key \"\(name)\"", at: where_) }
        dict[name] = try combine(old ?? .nil, try value(frame))
        return .next
      }
    case .index(let objectExpr, let indexExpr, let indexLoc):
      let object = operand(objectExpr), index = operand(indexExpr)
      let where_ = location(indexLoc)
      let objectValue = object.evaluate, indexValue = index.evaluate
      let inPlace = object.isInPlace && index.isInPlace
      let general: Execute = { frame in
        let container = inPlace ? try object.value(in: frame) : try objectValue(frame)
        let key = inPlace ? try index.value(in: frame) : try indexValue(frame)
        do {
          let old: Value = op == nil ? .nil : try Subscripts.get(container, key)
          try Subscripts.set(container, key, try combine(old, try value(frame)))
        } catch let failure as RuntimeFailure {
          throw Diagnostic(.runtime, failure.message, at: where_)
        }
        return .next
      }
      if op == nil, inPlace, let counting = dictUpdate(objectExpr, indexExpr, valueExpr, general: general) {
        return counting
      }
      return general
    default:
      error("cannot assign to this expression", loc)
      return { _ in .next }
    }
  }

  /// `d[k] = (d[k] ?? fallback) op amount` with `d` and `k` the same names on both sides and
  /// every operand a name or a literal, through `FastPath.dictUpdate`; nil for any other form.
  private func dictUpdate(_ objectExpr: Expr, _ indexExpr: Expr, _ valueExpr: Expr, general: @escaping Execute) -> Execute? {
    guard case .binary(let op, let readExpr, let amountExpr, let loc) = valueExpr,
      case .logical(.nilCoalescing, .index(.variable(let readObject, _), .variable(let readKey, _), _), let fallbackExpr, _) =
        readExpr,
      case .variable(let objectName, _) = objectExpr, case .variable(let keyName, _) = indexExpr,
      readObject == objectName, readKey == keyName
    else { return nil }
    func isName(_ expr: Expr) -> Bool {
      switch expr {
      case .literal, .variable: return true
      default: return false
      }
    }
    guard isName(fallbackExpr), isName(amountExpr) else { return nil }
    let object = operand(objectExpr), key = operand(indexExpr), fallback = operand(fallbackExpr), amount = operand(amountExpr)
    guard object.isInPlace, key.isInPlace, fallback.isInPlace, amount.isInPlace else { return nil }
    let at = location(loc)
    let slow = Compiler.generalOperator(op, at: at)
    switch op {
    case .add:
      return FastPath.dictUpdate(Addition.self, dict: object, key: key, fallback: fallback, amount: amount, slow: slow, general: general)
    case .subtract:
      return FastPath.dictUpdate(Subtraction.self, dict: object, key: key, fallback: fallback, amount: amount, slow: slow, general: general)
    case .multiply:
      return FastPath.dictUpdate(Multiplication.self, dict: object, key: key, fallback: fallback, amount: amount, slow: slow, general: general)
    default: return nil
    }
  }

  /// The general path of a binary operator, for when a fast path does not apply: its
  /// failures are reported at the operator.
  private static func generalOperator(_ op: BinaryOperator, at: SourceLocation) -> (Value, Value) throws -> Value {
    { a, b in
      do { return try Operators.apply(op, a, b) } catch let failure as RuntimeFailure {
        throw Diagnostic(.runtime, failure.message, at: at)
      }
    }
  }

  /// `slot op value` through the operator's fast path, for the arithmetic operators.
  private func localUpdate(_ op: BinaryOperator, slot: Int, value: Expr, at: SourceLocation) -> Execute? {
    let slow = Compiler.generalOperator(op, at: at)
    let operand = self.operand(value)
    switch op {
    case .add: return FastPath.localUpdate(Addition.self, slot, operand, slow: slow)
    case .subtract: return FastPath.localUpdate(Subtraction.self, slot, operand, slow: slow)
    case .multiply: return FastPath.localUpdate(Multiplication.self, slot, operand, slow: slow)
    case .divide: return FastPath.localUpdate(Division.self, slot, operand, slow: slow)
    case .remainder: return FastPath.localUpdate(Remainder.self, slot, operand, slow: slow)
    default: return nil
    }
  }

  /// `global op value` through the operator's fast path, for the arithmetic operators.
  private func globalUpdate(
    _ op: BinaryOperator, _ cell: GlobalCell, value: Expr, unassignable: @escaping () -> Error, at: SourceLocation
  ) -> Execute? {
    let slow = Compiler.generalOperator(op, at: at)
    let operand = self.operand(value), handle = InterpreterHandle(interpreter)
    switch op {
    case .add: return FastPath.globalUpdate(Addition.self, cell, operand, handle, unassignable: unassignable, slow: slow)
    case .subtract: return FastPath.globalUpdate(Subtraction.self, cell, operand, handle, unassignable: unassignable, slow: slow)
    case .multiply: return FastPath.globalUpdate(Multiplication.self, cell, operand, handle, unassignable: unassignable, slow: slow)
    case .divide: return FastPath.globalUpdate(Division.self, cell, operand, handle, unassignable: unassignable, slow: slow)
    case .remainder: return FastPath.globalUpdate(Remainder.self, cell, operand, handle, unassignable: unassignable, slow: slow)
    default: return nil
    }
  }

  // MARK: - Expressions

  private func expression(_ expr: Expr) -> Evaluate {
    switch expr {
    case .literal(let value, _):
      return { _ in value }
    case .interpolated(let parts, _):
      return interpolation(parts)
    case .variable(let name, let loc):
      return variable(name, loc)
    case .list(let items, _):
      let values = items.map { CompiledExpression(evaluate: expression($0)) }
      return { frame in
        var out: [Value] = []
        out.reserveCapacity(values.count)
        for value in values { out.append(try value.evaluate(frame)) }
        return .list(ListObject(out))
      }
    case .dict(let entries, _):
      let pairs = entries.map { CompiledEntry(key: expression($0.key), value: expression($0.value), at: location($0.key.loc)) }
      return { frame in
        let dict = DictObject(capacity: pairs.count)
        for pair in pairs {
          let key = try pair.key(frame)
          guard let dictKey = DictKey(key) else {
            throw Diagnostic(.runtime, "a dict key must be a string, number, bool or nil, not \(key.aTypeName)", at: pair.at)
          }
          dict.entries[dictKey] = try pair.value(frame)
        }
        return .dict(dict)
      }
    case .unary(let op, let operandExpr, let loc):
      let operand = expression(operandExpr)
      let at = location(loc)
      switch op {
      case .negate:
        return { frame in
          do { return try Operators.negate(try operand(frame)) } catch let failure as RuntimeFailure {
            throw Diagnostic(.runtime, failure.message, at: at)
          }
        }
      case .not:
        return { frame in
          let value = try operand(frame)
          guard case .bool(let b) = value else {
            throw Diagnostic(.runtime, "'!' needs a bool, got \(value.typeName)", at: at)
          }
          return .bool(!b)
        }
      }
    case .binary(let op, let left, let right, let loc):
      return binary(op, left, right, loc)
    case .logical(let op, let leftExpr, let rightExpr, let loc):
      let left = expression(leftExpr), right = expression(rightExpr)
      let at = location(loc)
      switch op {
      case .nilCoalescing:
        return { frame in
          let value = try left(frame)
          if case .nil = value { return try right(frame) }
          return value
        }
      case .and, .or:
        let isAnd = op == .and
        return { frame in
          guard case .bool(let a) = try left(frame) else {
            throw Diagnostic(.runtime, "'\(op.rawValue)' needs bools on both sides", at: at)
          }
          if a != isAnd { return .bool(a) }
          guard case .bool(let b) = try right(frame) else {
            throw Diagnostic(.runtime, "'\(op.rawValue)' needs bools on both sides", at: at)
          }
          return .bool(b)
        }
      }
    case .conditional(let testExpr, let thenExpr, let elseExpr, _):
      let test = condition(testExpr)
      let then = expression(thenExpr), otherwise = expression(elseExpr)
      return { frame in try test(frame) ? try then(frame) : try otherwise(frame) }
    case .range(let lowerExpr, let upperExpr, let closed, let loc):
      guard let lowerExpr, let upperExpr else {
        error("a one-sided range such as 2... or ..<3 can only be used in a subscript", loc)
        return { _ in .nil }
      }
      let lower = expression(lowerExpr), upper = expression(upperExpr)
      let at = location(loc)
      return { frame in
        guard case .int(let low) = try lower(frame), case .int(let high) = try upper(frame) else {
          throw Diagnostic(.runtime, "a range's bounds must be ints", at: at)
        }
        if closed {
          guard high < Int.max else { throw Diagnostic(.runtime, "integer overflow: the range ends past \(Int.max)", at: at) }
          return .range(low, max(low, high + 1))
        }
        return .range(low, max(low, high))
      }
    case .call(let callee, let arguments, let loc):
      return call(callee, arguments, loc)
    case .member(let objectExpr, let name, let loc):
      let object = expression(objectExpr)
      let at = location(loc)
      let key = NameKey(name)
      return { frame in
        do { return try Members.get(try object(frame), key) } catch let failure as RuntimeFailure {
          throw Diagnostic(.runtime, failure.message, at: at)
        }
      }
    case .index(let objectExpr, let indexExpr, let loc):
      return subscriptExpression(objectExpr, indexExpr, loc)
    case .function(let decl):
      let proto = function(decl)
      return { frame in .closure(Compiler.makeClosure(proto, frame)) }
    }
  }

  private func variable(_ name: String, _ loc: Loc) -> Evaluate {
    switch resolve(name) {
    case .local(let local):
      let slot = local.slot
      if local.boxed {
        return { frame in
          if case .box(let box) = frame.slots[slot] { return box.value }
          return frame.slots[slot]
        }
      }
      return { frame in frame.slots[slot] }
    case .capture(let index, _):
      return { frame in frame.capturedValue(index) }
    case .global(let cell):
      let at = location(loc)
      return { _ in
        if cell.isDefined { return cell.value }
        throw Diagnostic(.runtime, "undefined name '\(name)'", at: at)
      }
    }
  }

  private enum Piece {
    case text(LiteralBytes)
    /// A local, read in place.
    case slot(Int)
    case value(Evaluate)
  }

  /// Appends the pieces of an interpolated string, then calls the next link.
  private typealias Emit = (Frame, inout TextBuilder) throws -> Void

  /// `"item \(i): \(i * 2)"` as a chain of closures, one per piece: a piece read from an
  /// array would be copied, its text or closure retained and released, on every use.
  private func interpolation(_ parts: [StringPart]) -> Evaluate {
    let pieces: [Piece] = parts.map {
      switch $0 {
      case .text(let text): return .text(LiteralBytes(text))
      case .expr(let expr):
        let value = operand(expr)
        if case .slot(let slot) = value { return .slot(slot) }
        return .value(value.evaluate)
      }
    }
    var chain: Emit?
    for piece in pieces.reversed() {
      chain = Compiler.link(piece, then: chain)
    }
    guard let emit = chain else { return { _ in .string("") } }
    return { frame in .string(try TextBuilder.build { try emit(frame, &$0) }) }
  }

  private static func link(_ piece: Piece, then next: Emit?) -> Emit {
    switch (piece, next) {
    case (.text(let literal), nil):
      return { _, text in text.append(literal.bytes) }
    case (.text(let literal), let next?):
      return { frame, text in
        text.append(literal.bytes)
        try next(frame, &text)
      }
    case (.slot(let slot), nil):
      return { frame, text in text.append(frame.slots[slot]) }
    case (.slot(let slot), let next?):
      return { frame, text in
        text.append(frame.slots[slot])
        try next(frame, &text)
      }
    case (.value(let value), nil):
      return { frame, text in text.append(try value(frame)) }
    case (.value(let value), let next?):
      return { frame, text in
        text.append(try value(frame))
        try next(frame, &text)
      }
    }
  }

  /// An operand read in place when it is an unboxed local or a constant.
  private func operand(_ expr: Expr) -> Operand {
    switch expr {
    case .literal(let value, _): return .constant(value)
    case .variable(let name, _):
      switch resolve(name) {
      case .local(let local) where !local.boxed: return .slot(local.slot)
      case .global(let cell): return .global(cell, checked: expression(expr))
      case .capture(let index, _): return .capture(index)
      default: return .computed(expression(expr))
      }
    case .index(.variable(let listName, _), .variable(let indexName, _), _):
      if case .local(let list) = resolve(listName), !list.boxed, case .local(let index) = resolve(indexName), !index.boxed {
        return .element(list: list.slot, index: index.slot, general: expression(expr))
      }
      return .computed(expression(expr))
    default: return .computed(expression(expr))
    }
  }

  /// `local op k` with an unboxed local and an int literal, for statements to evaluate in place.
  private func slotConstant(_ expr: Expr) -> SlotConstant? {
    guard case .binary(let op, .variable(let name, _), .literal(.int(let k), _), _) = expr,
      case .local(let local) = resolve(name), !local.boxed
    else { return nil }
    return SlotConstant(op: op, slot: local.slot, constant: k)
  }

  /// An argument's operand: as `operand` gives it, and `local + k` or `local - k` with an
  /// int literal as an offset, which a call computes in place.
  private func argumentOperand(_ expr: Expr) -> Operand {
    if case .binary(let op, .variable(let name, _), .literal(.int(let k), _), _) = expr, op == .add || op == .subtract,
      op == .add || k != Int.min, case .local(let local) = resolve(name), !local.boxed
    {
      return .offset(slot: local.slot, by: op == .add ? k : -k, computed: expression(expr))
    }
    return operand(expr)
  }

  /// Compiles a condition to a Bool, so comparisons in `if` and `while` box no value.
  private func condition(_ expr: Expr) -> (Frame) throws -> Bool {
    if case .binary(let op, let leftExpr, let rightExpr, let loc) = expr,
      [.less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual].contains(op)
    {
      let left = operand(leftExpr), right = operand(rightExpr)
      let at = location(loc)
      let slow: (Value, Value) throws -> Bool = { a, b in
        do {
          guard case .bool(let result) = try Operators.apply(op, a, b) else { return false }
          return result
        } catch let failure as RuntimeFailure {
          throw Diagnostic(.runtime, failure.message, at: at)
        }
      }
      switch op {
      case .less: return FastPath.comparison(LessThan.self, left, right, slow: slow)
      case .lessEqual: return FastPath.comparison(LessOrEqual.self, left, right, slow: slow)
      case .greater: return FastPath.comparison(GreaterThan.self, left, right, slow: slow)
      case .greaterEqual: return FastPath.comparison(GreaterOrEqual.self, left, right, slow: slow)
      case .equal: return FastPath.comparison(Equal.self, left, right, slow: slow)
      default: return FastPath.comparison(NotEqual.self, left, right, slow: slow)
      }
    }
    let value = expression(expr)
    let at = location(expr.loc)
    return { frame in
      let result = try value(frame)
      if case .bool(let b) = result { return b }
      throw Diagnostic(.runtime, "a condition must be a bool, got \(result.typeName)", at: at)
    }
  }

  private func binary(_ op: BinaryOperator, _ leftExpr: Expr, _ rightExpr: Expr, _ loc: Loc) -> Evaluate {
    let at = location(loc)
    let slow = Compiler.generalOperator(op, at: at)
    switch op {
    case .add: return FastPath.arithmetic(Addition.self, operand(leftExpr), operand(rightExpr), slow: slow)
    case .subtract: return FastPath.arithmetic(Subtraction.self, operand(leftExpr), operand(rightExpr), slow: slow)
    case .multiply: return FastPath.arithmetic(Multiplication.self, operand(leftExpr), operand(rightExpr), slow: slow)
    case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual:
      let test = condition(.binary(op, leftExpr, rightExpr, loc))
      return { frame in .bool(try test(frame)) }
    case .divide: return FastPath.arithmetic(Division.self, operand(leftExpr), operand(rightExpr), slow: slow)
    case .remainder: return FastPath.arithmetic(Remainder.self, operand(leftExpr), operand(rightExpr), slow: slow)
    }
  }

  private func subscriptExpression(_ objectExpr: Expr, _ indexExpr: Expr, _ loc: Loc) -> Evaluate {
    let at = location(loc)
    // A range written in a subscript slices, with negative bounds counted from the end
    // (`xs[1..<-1]`, `xs[-2...-1]`); one-sided ranges (`xs[2...]`, `xs[..<3]`) exist only here.
    if case .range(let lowerExpr, let upperExpr, let closed, _) = indexExpr {
      let object = expression(objectExpr)
      let lower = lowerExpr.map(expression), upper = upperExpr.map(expression)
      return { frame in
        let container = try object(frame)
        do {
          let low = try lower.map { try Subscripts.bound(try $0(frame)) }
          var high = try upper.map { try Subscripts.bound(try $0(frame)) }
          // A closed range ending at the last item (-1) or at Int.max runs to the end.
          if closed, let h = high { high = h == -1 || h == Int.max ? nil : h + 1 }
          return try Subscripts.slice(container, low, high)
        } catch let failure as RuntimeFailure {
          throw Diagnostic(.runtime, failure.message, at: at)
        }
      }
    }
    func slow(_ container: Value, _ key: Value) throws -> Value {
      do { return try Subscripts.get(container, key) } catch let failure as RuntimeFailure {
        throw Diagnostic(.runtime, failure.message, at: at)
      }
    }
    let object = operand(objectExpr), index = operand(indexExpr)
    // `xs[i]` with both in locals, the inner loop of vector code, reads them in place.
    if case .slot(let listSlot) = object, case .slot(let indexSlot) = index {
      return { frame in
        if case .list(let list) = frame.slots[listSlot], case .int(let i) = frame.slots[indexSlot], i >= 0,
          i < list.items.count
        {
          return list.items[i]
        }
        return try slow(frame.slots[listSlot], frame.slots[indexSlot])
      }
    }
    if object.isInPlace && index.isInPlace {
      return { frame in
        let container = try object.value(in: frame), key = try index.value(in: frame)
        if case .list(let list) = container, case .int(let i) = key, i >= 0, i < list.items.count {
          return list.items[i]
        }
        return try slow(container, key)
      }
    }
    let container = object.evaluate, key = index.evaluate
    return { frame in
      let container = try container(frame), key = try key(frame)
      if case .list(let list) = container, case .int(let i) = key, i >= 0, i < list.items.count {
        return list.items[i]
      }
      return try slow(container, key)
    }
  }

  // MARK: - Calls

  private func call(_ calleeExpr: Expr, _ arguments: [Argument], _ loc: Loc) -> Evaluate {
    let operands = arguments.map { argumentOperand($0.value) }
    let values = operands.map { CompiledExpression(evaluate: $0.evaluate) }
    let labels: [String?]? = arguments.contains { $0.label != nil } ? arguments.map(\.label) : nil
    let at = location(loc)
    let handle = InterpreterHandle(interpreter)
    if case .member(let receiverExpr, let name, _) = calleeExpr {
      return methodCall(operand(receiverExpr), name, values, labels, at)
    }
    let callee = calleeValue(calleeExpr)
    let count = values.count
    let bindArguments = Compiler.argumentBinder(values)
    // A global function, the usual callee, is run from its cell without being retained (see
    // `GlobalCell.function`). Calls of one or two arguments evaluate them in the call's own
    // closure, saving a closure call per call.
    if labels == nil, case .variable(let name, _) = calleeExpr, case .global(let cell) = resolve(name) {
      let general: (Interpreter, Frame) throws -> Value = { interpreter, frame in
        if let builtin = cell.builtin() {
          return try builtin._withUnsafeGuaranteedRef { try Compiler.callBuiltin($0, operands, values, interpreter, frame, at) }
        }
        return try Compiler.callWithStackArguments(interpreter, try callee(frame), receiver: nil, values, labels, frame, at)
      }
      switch count {
      case 1:
        // `f(n)` and `f(n - 1)`, the arguments of recursion, are read or computed in place.
        switch operands[0] {
        case .slot(let slot):
          return { frame in
            try Compiler.callGlobal(cell, count: 1, handle, frame, at: at, otherwise: general) { base in
              (base + 1).initialize(to: frame.slots[slot])
            }
          }
        case .offset(let slot, let delta, let computed):
          return { frame in
            try Compiler.callGlobal(cell, count: 1, handle, frame, at: at, otherwise: general) { base in
              if case .int(let x) = frame.slots[slot], case (let sum, false) = x.addingReportingOverflow(delta) {
                (base + 1).initialize(to: .int(sum))
              } else {
                (base + 1).initialize(to: try computed(frame))
              }
            }
          }
        default:
          let a = values[0].evaluate
          return { frame in
            try Compiler.callGlobal(cell, count: 1, handle, frame, at: at, otherwise: general) { base in
              (base + 1).initialize(to: try a(frame))
            }
          }
        }
      case 2:
        let a = values[0].evaluate, b = values[1].evaluate
        return { frame in
          try Compiler.callGlobal(cell, count: 2, handle, frame, at: at, otherwise: general) { base in
            (base + 1).initialize(to: try a(frame))
            (base + 2).initialize(to: try b(frame))
          }
        }
      case 0:
        return { frame in try Compiler.callGlobal(cell, count: 0, handle, frame, at: at, otherwise: general) { _ in } }
      default:
        return { frame in
          try Compiler.callGlobal(cell, count: count, handle, frame, at: at, otherwise: general) { base in
            try bindArguments(base, frame)
          }
        }
      }
    }
    return { frame in
      try handle.with { interpreter in
        let function = try callee(frame)
        // The common call: a closure with positional arguments, evaluated straight into its frame.
        if labels == nil, case .closure(let closure) = function, closure.parameterCount == count {
          let base = try interpreter.pushFrame(closure, at: at)
          defer { interpreter.popFrame(base, closure) }
          try bindArguments(base, frame)
          return try interpreter.invoke(closure, frame: Frame(slots: base, closure: closure), at: at)
        }
        return try Compiler.callWithStackArguments(interpreter, function, receiver: nil, values, labels, frame, at)
      }
    }
  }

  /// Calls the closure in a global's cell when it takes `count` arguments, which `bind`
  /// evaluates into its frame; anything else goes the `otherwise` way.
  @inline(__always)
  private static func callGlobal(
    _ cell: GlobalCell, count: Int, _ handle: InterpreterHandle, _ frame: Frame, at: SourceLocation,
    otherwise: (Interpreter, Frame) throws -> Value, bind: (UnsafeMutablePointer<Value>) throws -> Void
  ) throws -> Value {
    try handle.with { interpreter in
      guard let function = cell.function(taking: count) else { return try otherwise(interpreter, frame) }
      return try function._withUnsafeGuaranteedRef { closure in
        let base = try interpreter.pushFrame(closure, at: at)
        defer { interpreter.popFrame(base, closure) }
        try bind(base)
        return try interpreter.invoke(closure, frame: Frame(slots: base, closure: closure), at: at)
      }
    }
  }

  /// Evaluates positional arguments into a new frame's parameter slots. Calls of up to three
  /// arguments hold their closures directly, not in an array. A new frame's slots hold nil,
  /// which owns nothing, so they are initialized rather than assigned.
  private static func argumentBinder(_ values: [CompiledExpression]) -> (UnsafeMutablePointer<Value>, Frame) throws -> Void {
    switch values.count {
    case 0: return { _, _ in }
    case 1:
      let a = values[0].evaluate
      return { base, frame in (base + 1).initialize(to: try a(frame)) }
    case 2:
      let a = values[0].evaluate, b = values[1].evaluate
      return { base, frame in
        (base + 1).initialize(to: try a(frame))
        (base + 2).initialize(to: try b(frame))
      }
    case 3:
      let a = values[0].evaluate, b = values[1].evaluate, c = values[2].evaluate
      return { base, frame in
        (base + 1).initialize(to: try a(frame))
        (base + 2).initialize(to: try b(frame))
        (base + 3).initialize(to: try c(frame))
      }
    default:
      return { base, frame in
        for index in 0..<values.count { (base + 1 + index).initialize(to: try values[index].evaluate(frame)) }
      }
    }
  }

  /// The callee of a call; a global function, the common case, is read from its cell in place.
  private func calleeValue(_ expr: Expr) -> Evaluate {
    guard case .variable(let name, let loc) = expr, case .global(let cell) = resolve(name) else {
      return expression(expr)
    }
    let at = location(loc)
    return { _ in
      if cell.isDefined { return cell.value }
      throw Diagnostic(.runtime, "undefined name '\(name)'", at: at)
    }
  }

  /// Evaluates the arguments onto the value stack and calls through the general path.
  private static func callWithStackArguments(
    _ interpreter: Interpreter, _ function: Value, receiver: Value?, _ values: [CompiledExpression], _ labels: [String?]?,
    _ frame: Frame, _ at: SourceLocation
  ) throws -> Value {
    let count = values.count + (receiver == nil ? 0 : 1)
    return try interpreter.withStackSlots(count, at: at) { base in
      var next = 0
      if let receiver {
        base.initialize(to: receiver)
        next = 1
      }
      for value in values {
        (base + next).initialize(to: try value.evaluate(frame))
        next += 1
      }
      let allLabels = receiver == nil ? labels : labels.map { [nil] + $0 }
      return try interpreter.callValue(function, arguments: base, count: count, labels: allLabels, at: at)
    }
  }

  /// `x.name(args)`: a function stored in a dict under `name`, else the method of x's type.
  private func methodCall(_ receiverOperand: Operand, _ name: String, _ values: [CompiledExpression], _ labels: [String?]?, _ at: SourceLocation) -> Evaluate {
    let handle = InterpreterHandle(interpreter)
    // A receiver in a local or a global, as `xs.append(x)` has, is read in place.
    let receiver = receiverOperand.evaluate, inPlace = receiverOperand.isInPlace
    // The method of each type is found once, here; the tables are complete before any
    // notebook code compiles.
    let methods = interpreter.methods
    let listMethod = methods.list[name], stringMethod = methods.string[name], dictMethod = methods.dict[name]
    let vectorMethod = methods.vector[name], rangeMethod = methods.range[name]
    let nameKey = NameKey(name)
    // A native method called with positional arguments only has nothing to reorder or check,
    // so it is run directly.
    func native(_ method: Value?) -> NativeMethod? {
      guard labels == nil, case .builtin(let builtin)? = method else { return nil }
      return methods.natives[ObjectIdentifier(builtin)]
    }
    let listNative = native(listMethod), stringNative = native(stringMethod), dictNative = native(dictMethod)
    // Runs the call once the receiver is known.
    @inline(__always)
    func dispatch(_ object: Value, _ interpreter: Interpreter, _ frame: Frame) throws -> Value {
      let method: Value?
      switch object {
      case .list:
        if let listNative { return try Compiler.callNative(listNative, name, object, values, interpreter, frame, at) }
        method = listMethod
      case .string:
        if let stringNative { return try Compiler.callNative(stringNative, name, object, values, interpreter, frame, at) }
        method = stringMethod
      case .dict(let dict):
        if let stored = dict.entries[nameKey] {
          return try Compiler.callWithStackArguments(interpreter, stored, receiver: nil, values, labels, frame, at)
        }
        if let dictNative { return try Compiler.callNative(dictNative, name, object, values, interpreter, frame, at) }
        method = dictMethod
      case .vector: method = vectorMethod
      case .range: method = rangeMethod
      default: method = nil
      }
      guard let method else { throw Diagnostic(.runtime, methods.missing(name, for: object), at: at) }
      return try Compiler.callWithStackArguments(interpreter, method, receiver: object, values, labels, frame, at)
    }
    // `xs.append(x)`, how loops build lists, puts the item in the list as the native method
    // would, without the call: no arguments on the stack, no retain and release of the item.
    // The dispatch as one closure, so that the closures below capture little: calling a
    // closure copies out everything it captures.
    let other: (Value, Interpreter, Frame) throws -> Value = { object, interpreter, frame in
      try dispatch(object, interpreter, frame)
    }
    if name == "append", listNative != nil, values.count == 1 {
      let item = values[0].evaluate
      if case .slot(let slot) = receiverOperand {
        return { frame in try handle.with { interpreter in
          guard case .list(let list) = frame.slots[slot] else { return try other(frame.slots[slot], interpreter, frame) }
          list.items.append(try item(frame))
          return .nil
        } }
      }
      return { frame in try handle.with { interpreter in
        let object = inPlace ? try receiverOperand.value(in: frame) : try receiver(frame)
        guard case .list(let list) = object else { return try other(object, interpreter, frame) }
        list.items.append(try item(frame))
        return .nil
      } }
    }
    return { frame in try handle.with { interpreter in
      try other(inPlace ? try receiverOperand.value(in: frame) : try receiver(frame), interpreter, frame)
    } }
  }

  /// Calls a builtin with positional arguments, evaluated into a local when there is one and onto
  /// the value stack when there are more.
  private static func callBuiltin(
    _ builtin: Builtin, _ operands: [Operand], _ values: [CompiledExpression], _ interpreter: Interpreter, _ frame: Frame,
    _ at: SourceLocation
  ) throws -> Value {
    let count = values.count
    // `float(x)` and the like, the usual builtin call, need no slots reserved and cleared.
    if count == 1 {
      var value = operands[0].isInPlace ? try operands[0].value(in: frame) : try values[0].evaluate(frame)
      return try withUnsafeMutablePointer(to: &value) { pointer in
        try interpreter.callBuiltin(builtin, arguments: pointer, count: 1, labels: nil, at: at)
      }
    }
    return try interpreter.withStackSlots(count, at: at) { base in
      for index in 0..<count { (base + index).initialize(to: try values[index].evaluate(frame)) }
      return try interpreter.callBuiltin(builtin, arguments: base, count: count, labels: nil, at: at)
    }
  }

  /// Runs a native method on positional arguments evaluated onto the value stack; errors are
  /// reported as a call of the builtin method would report them.
  private static func callNative(
    _ body: NativeMethod, _ name: String, _ receiver: Value, _ values: [CompiledExpression], _ interpreter: Interpreter,
    _ frame: Frame, _ at: SourceLocation
  ) throws -> Value {
    let count = values.count
    return try interpreter.withStackSlots(count, at: at) { base in
      for index in 0..<count { (base + index).initialize(to: try values[index].evaluate(frame)) }
      var arguments = Arguments(interpreter: interpreter, values: base, count: count, labels: nil, function: name)
      do {
        return try body.call(receiver, &arguments)
      } catch let failure as RuntimeFailure {
        throw Diagnostic(.runtime, failure.message, at: at)
      } catch var diagnostic as Diagnostic {
        diagnostic.addCall(.init(function: name, location: at))
        throw diagnostic
      }
    }
  }
}

/// Compiled code kept in an array. A closure stored directly in an array (or an Optional)
/// is called through a reabstraction thunk; wrapped in a struct it is called directly.
struct CompiledStatement {
  let execute: Execute
}

struct CompiledExpression {
  let evaluate: Evaluate
}

struct CompiledBranch {
  let test: (Frame) throws -> Bool
  /// The test as `local op k`, resolved with the test, before any later declaration.
  let form: SlotConstant?
  let result: Operand
}

struct CompiledEntry {
  let key: Evaluate
  let value: Evaluate
  let at: SourceLocation
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
