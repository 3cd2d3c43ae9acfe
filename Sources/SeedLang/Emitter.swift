/// The second pass: turns a resolved cell or module into a tree of Swift closures, once,
/// before running it.
///
/// Every path here is the general one: it is correct for every value and every shape of
/// code, and it is the specification the fast paths are checked against. Before emitting a
/// node the general way, the emitter offers it to the specialisations registered in
/// `Specialisations`, unless `CompilerOptions.specialisations` is off; the golden suite runs
/// every fixture both ways.
final class Emitter {
  /// Compiled code refers to its interpreter through an `InterpreterHandle`, which does not
  /// own it; the emitter itself may.
  let interpreter: Interpreter
  let source: SourceText
  /// Whether to offer nodes to the specialisations first.
  let specialises: Bool

  private init(interpreter: Interpreter, source: SourceText, options: CompilerOptions) {
    self.interpreter = interpreter
    self.source = source
    specialises = options.specialisations
  }

  /// Emits a cell or module. Its value is that of its last statement when that is an
  /// expression, else nil.
  static func emitScript(_ program: ResolvedProgram, source: SourceText, interpreter: Interpreter) -> FunctionProto {
    let emitter = Emitter(interpreter: interpreter, source: source, options: interpreter.compilerOptions)
    let proto = FunctionProto(name: source.unit ?? "<script>")
    var statements = program.statements
    var value: Evaluate = { _ in .nil }
    if case .expression(let expr)? = statements.last {
      value = emitter.expression(expr)
      statements.removeLast()
    }
    let run = Emitter.sequence(statements.map { CompiledStatement(execute: emitter.statement($0)) })
    proto.body = { frame in
      _ = try run(frame)
      return try value(frame)
    }
    proto.slotCount = program.slotCount
    return proto
  }

  func location(_ loc: Loc) -> SourceLocation {
    SourceLocation(source: source, line: loc.line, column: loc.column)
  }

  var handle: InterpreterHandle { InterpreterHandle(interpreter) }

  func cell(_ name: String) -> GlobalCell { interpreter.globalCell(name) }

  /// A `RuntimeFailure` from `body` as an error at `at`.
  @inline(__always)
  static func failing<Result>(at: SourceLocation, _ body: () throws -> Result) throws -> Result {
    do { return try body() } catch let failure as RuntimeFailure {
      throw Diagnostic(.runtime, failure.message, at: at)
    }
  }

  /// The general function of a binary operator, its failures reported at the operator.
  static func generalOperator(_ op: BinaryOperator, at: SourceLocation) -> (Value, Value) throws -> Value {
    let general = OperatorTable.row(op).general
    return { a, b in try Emitter.failing(at: at) { try general(a, b) } }
  }

  /// The code of the first specialisation that takes `node`; nil when none does, or when
  /// specialisations are off.
  private func specialised<Node, Code>(_ specialisations: [Specialisation<Node, Code>], _ node: Node) -> Code? {
    guard specialises else { return nil }
    for specialisation in specialisations {
      if let code = specialisation.build(self, node) { return code }
    }
    return nil
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

  func block(_ statements: [ResolvedStmt]) -> Execute {
    Emitter.sequence(statements.map { CompiledStatement(execute: statement($0)) })
  }

  func statement(_ stmt: ResolvedStmt) -> Execute {
    if let code = specialised(Specialisations.statements, stmt) { return code.execute }
    return generalStatement(stmt)
  }

  func generalStatement(_ stmt: ResolvedStmt) -> Execute {
    switch stmt {
    case .expression(let expr):
      let value = expression(expr)
      return { frame in
        _ = try value(frame)
        return .next
      }
    case .defineGlobal(let name, let mutable, let value, _):
      let initial = expressionOrNil(value)
      let cell = cell(name), handle = handle
      return { frame in
        let value = try initial(frame)
        handle.with { cell.assign(value, in: $0) }
        cell.isDefined = true
        cell.isConstant = !mutable
        return .next
      }
    case .declareLocal(let local, let value, _):
      let initial = expressionOrNil(value)
      let slot = local.slot
      if local.boxed {
        return { frame in
          frame.slots[slot] = .box(Box(try initial(frame)))
          return .next
        }
      }
      return { frame in
        frame.store(try initial(frame), at: slot)
        return .next
      }
    case .defineGlobalFunction(let name, let function):
      let cell = cell(name), proto = self.function(function), handle = handle
      return { frame in
        handle.with { cell.assign(.closure(Emitter.makeClosure(proto, frame)), in: $0) }
        cell.isDefined = true
        cell.isConstant = false
        return .next
      }
    case .declareLocalFunction(let local, let function):
      let proto = self.function(function), slot = local.slot
      if local.boxed {
        return { frame in
          // The box is in place before the closure is made, so that the function can call itself.
          let box = Box(.nil)
          frame.slots[slot] = .box(box)
          box.value = .closure(Emitter.makeClosure(proto, frame))
          return .next
        }
      }
      return { frame in
        frame.slots[slot] = .closure(Emitter.makeClosure(proto, frame))
        return .next
      }
    case .assignment(let target, let op, let value, let loc):
      return assignment(target, op, value, loc)
    case .ifChain(let clauses, let elseBody, _):
      // Folded from the last clause back, so each `else` is the next test's closure.
      var chain: Execute = { _ in .next }
      if let elseBody { chain = block(elseBody) }
      for clause in clauses.reversed() {
        let test = condition(clause.condition), body = block(clause.body), otherwise = chain
        chain = { frame in try test(frame) ? try body(frame) : try otherwise(frame) }
      }
      return chain
    case .forIn(let variables, let sequence, let body, _):
      let start = Iteration.loopStart(over: sequence, in: interpreter, compile: expression, locate: location)
      let at = location(sequence.loc)
      let run = block(body), handle = handle
      let bind = LoopVariables(variables.map { ($0.slot, $0.boxed) }, at: at)
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
    case .whileLoop(let test, let body, _):
      let condition = self.condition(test), run = block(body), handle = handle, at = location(test.loc)
      return { frame in
        while try condition(frame) {
          try handle.checkInterrupt(at: at)
          switch try run(frame) {
          case .breakLoop: return .next
          case .returned: return .returned
          case .next, .continueLoop: continue
          }
        }
        return .next
      }
    case .returnStmt(let value, _):
      // The function's body takes the value from slot 0.
      let result = expressionOrNil(value)
      return { frame in
        frame.slots[0] = try result(frame)
        return .returned
      }
    case .breakStmt:
      return { _ in .breakLoop }
    case .continueStmt:
      return { _ in .continueLoop }
    case .importStmt(let name, let loc):
      let handle = handle, at = location(loc)
      return { _ in
        try handle.with { try $0.importModule(name, at: at) }
        return .next
      }
    }
  }

  // MARK: - Functions

  /// The function's proto: its frame's layout, its parameters' defaults, its body.
  func function(_ function: ResolvedFunction) -> FunctionProto {
    let proto = FunctionProto(name: function.name)
    proto.location = location(function.loc)
    proto.captures = function.captures
    for (index, parameter) in function.parameters.enumerated() {
      if parameter.local.boxed { proto.boxedParameters.append(parameter.local.slot) }
      proto.parameters.append(.init(name: parameter.name, defaultValue: parameter.defaultValue.map { expression($0) }))
      proto.parameterIndex[parameter.name] = index
    }
    switch function.body {
    case .expression(let expr): proto.body = expression(expr)
    case .statements(let statements): proto.body = functionBody(statements)
    }
    proto.slotCount = function.slotCount
    return proto
  }

  /// Runs a function's statements; a `return` left its value in slot 0.
  func functionBody(_ statements: [ResolvedStmt]) -> Evaluate {
    if let code = specialised(Specialisations.functionBodies, statements) { return code.evaluate }
    let run = block(statements)
    return { frame in
      guard try run(frame) == .returned else { return .nil }
      let result = frame.slots.move()
      frame.slots.initialize(to: .nil)
      return result
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

  // MARK: - Assignment

  /// `x = y` or `x op= y` on a boxed variable, a local that closures share or a capture.
  /// When `appending`, a string operand grows the box's string in place.
  @inline(__always)
  private static func update(
    _ box: Box, appending: Bool, _ value: Evaluate, _ combine: (Value, Value) throws -> Value, _ frame: Frame
  ) throws {
    if appending {
      let new = try value(frame)
      if case .string(let suffix) = new, withUnsafeMutablePointer(to: &box.value, { Value.append(suffix, toStringAt: $0) }) {
        return
      }
      box.value = try combine(box.value, new)
      return
    }
    box.value = try combine(box.value, try value(frame))
  }

  private func assignment(_ target: AssignmentTarget, _ op: BinaryOperator?, _ valueExpr: ResolvedExpr, _ loc: Loc) -> Execute {
    let value = expression(valueExpr)
    let combine: (Value, Value) throws -> Value
    if let op {
      combine = Emitter.generalOperator(op, at: location(loc))
    } else {
      combine = { _, new in new }
    }
    // `s += t` grows a string in place (`Value.append(_:toStringAt:)`), reading the old value
    // after the operand. An unboxed local cannot change while the operand runs; a box or a
    // global can, through a call, so for them only an operand that only reads qualifies.
    let appends = op == .add, appendsAfterAnyOperand = appends && valueExpr.onlyReads
    switch target {
    case .name(_, .local(let local), _):
      let slot = local.slot
      if local.boxed {
        return { frame in
          guard case .box(let box) = frame.slots[slot] else { return .next }
          try Emitter.update(box, appending: appendsAfterAnyOperand, value, combine, frame)
          return .next
        }
      }
      return { frame in
        if appends {
          let new = try value(frame)
          if case .string(let suffix) = new, Value.append(suffix, toStringAt: frame.slots + slot) { return .next }
          frame.store(try combine(frame.slots[slot], new), at: slot)
          return .next
        }
        frame.store(try combine(frame.slots[slot], try value(frame)), at: slot)
        return .next
      }
    case .name(_, .capture(let index, _), _):
      return { frame in
        try Emitter.update(frame.capturedBox(index), appending: appendsAfterAnyOperand, value, combine, frame)
        return .next
      }
    case .name(let name, .global, let nameLoc):
      let cell = cell(name), handle = handle
      let unassignable = Emitter.unassignable(cell, at: location(nameLoc))
      return { frame in
        guard cell.isDefined, !cell.isConstant else { throw unassignable() }
        if appendsAfterAnyOperand {
          let new = try value(frame)
          if case .string(let suffix) = new, cell.append(suffix) { return .next }
          let sum = try combine(cell.value, new)
          handle.with { cell.assign(sum, in: $0) }
          return .next
        }
        // A plain `=` does not read the old value: reading it would retain it for nothing.
        let new = op == nil ? try value(frame) : try combine(cell.value, try value(frame))
        handle.with { cell.assign(new, in: $0) }
        return .next
      }
    case .member(let objectExpr, let name, let memberLoc):
      let object = expression(objectExpr), at = location(memberLoc)
      return { frame in
        let target = try object(frame)
        guard case .dict(let dict) = target else {
          throw Diagnostic(.runtime, "cannot set member '\(name)' on \(target.aTypeName); only dicts have assignable members", at: at)
        }
        let old = dict[name]
        if op != nil, old == nil { throw Diagnostic(.runtime, "dict has no key \"\(name)\"", at: at) }
        dict[name] = try combine(old ?? .nil, try value(frame))
        return .next
      }
    case .index(let objectExpr, let indexExpr, let indexLoc):
      let object = expression(objectExpr), index = expression(indexExpr), at = location(indexLoc)
      return { frame in
        let container = try object(frame), key = try index(frame)
        try Emitter.failing(at: at) {
          let old: Value = op == nil ? .nil : try Subscripts.get(container, key)
          try Subscripts.set(container, key, try combine(old, try value(frame)))
        }
        return .next
      }
    }
  }

  /// The error for assigning to a global that is undefined or a constant.
  static func unassignable(_ cell: GlobalCell, at: SourceLocation) -> () -> Error {
    let name = cell.name
    return {
      guard cell.isDefined else {
        return Diagnostic(.runtime, "cannot assign to undefined name '\(name)'; declare it first with var \(name) = ...", at: at)
      }
      return Diagnostic(.runtime, "cannot assign to '\(name)': it is a constant (declared with let); declare it with var", at: at)
    }
  }

  // MARK: - Expressions

  func expression(_ expr: ResolvedExpr) -> Evaluate {
    if let code = specialised(Specialisations.expressions, expr) { return code.evaluate }
    return generalExpression(expr)
  }

  func generalExpression(_ expr: ResolvedExpr) -> Evaluate {
    switch expr {
    case .literal(let value, _):
      return { _ in value }
    case .interpolated(let parts, let loc):
      return Emitter.interpolation(
        parts.map { part in
          switch part {
          case .text(let text): return .text(LiteralBytes(text))
          case .expr(let expr): return .value(expression(expr))
          }
        }, at: location(loc))
    case .name(let name, let binding, let loc):
      return variable(name, binding, loc)
    case .list(let items, _):
      let values = items.map { CompiledExpression(evaluate: expression($0)) }
      // A pair or a triple, as trees and records are built, holds its closures directly and
      // makes its array at its size in one step, with no loop over an array of closures.
      switch values.count {
      case 0: return { _ in .list(ListObject([])) }
      case 1:
        let a = values[0].evaluate
        return { frame in .list(ListObject([try a(frame)])) }
      case 2:
        let a = values[0].evaluate, b = values[1].evaluate
        // Every item is evaluated before the array is made: an item stored in it while a later
        // one may still throw is copied (a retain and a release) so the array can be unwound.
        return { frame in
          let first = try a(frame), second = try b(frame)
          return .list(ListObject([first, second]))
        }
      case 3:
        let a = values[0].evaluate, b = values[1].evaluate, c = values[2].evaluate
        return { frame in
          let first = try a(frame), second = try b(frame), third = try c(frame)
          return .list(ListObject([first, second, third]))
        }
      default: break
      }
      return { frame in
        var out: [Value] = []
        out.reserveCapacity(values.count)
        for value in values { out.append(try value.evaluate(frame)) }
        return .list(ListObject(out))
      }
    case .dict(let entries, _):
      // Records are written with string literals for keys (`["id": i, "name": n]`): those are
      // hashed once here, and the dict is filled by name, without evaluating the keys.
      let names = entries.compactMap { Emitter.literalName($0.key) }
      if names.count == entries.count {
        let values = entries.map { CompiledExpression(evaluate: expression($0.value)) }
        return { frame in
          let dict = DictObject(capacity: names.count)
          try names.withUnsafeBufferPointer { names in
            for index in names.indices { dict.entries.set(try values[index].evaluate(frame), named: names[index]) }
          }
          return .dict(dict)
        }
      }
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
    case .unary(.negate, let operandExpr, let loc):
      let operand = expression(operandExpr), at = location(loc)
      return { frame in
        let value = try operand(frame)
        return try Emitter.failing(at: at) { try Operators.negate(value) }
      }
    case .unary(.not, let operandExpr, let loc):
      let operand = expression(operandExpr), at = location(loc)
      return { frame in
        let value = try operand(frame)
        guard case .bool(let b) = value else {
          throw Diagnostic(.runtime, "'!' needs a bool, got \(value.typeName)", at: at)
        }
        return .bool(!b)
      }
    case .binary(let op, let leftExpr, let rightExpr, let loc):
      if let chain = expr.additionChain {
        return concatenation(concatenationPieces(chain.operands, localsInPlace: false), chain.operators)
      }
      let left = expression(leftExpr), right = expression(rightExpr)
      let general = Emitter.generalOperator(op, at: location(loc))
      return { frame in
        let a = try left(frame)
        return try general(a, try right(frame))
      }
    case .logical(.nilCoalescing, let leftExpr, let rightExpr, _):
      let left = expression(leftExpr), right = expression(rightExpr)
      return { frame in
        let value = try left(frame)
        if case .nil = value { return try right(frame) }
        return value
      }
    case .logical(let op, let leftExpr, let rightExpr, let loc):
      let left = expression(leftExpr), right = expression(rightExpr), at = location(loc)
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
    case .conditional(let testExpr, let thenExpr, let elseExpr, _):
      let test = condition(testExpr), then = expression(thenExpr), otherwise = expression(elseExpr)
      return { frame in try test(frame) ? try then(frame) : try otherwise(frame) }
    case .range(let lowerExpr, let upperExpr, let closed, let loc):
      let lower = expression(lowerExpr), upper = expression(upperExpr), at = location(loc)
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
    case .slice(let objectExpr, let lowerExpr, let upperExpr, let closed, let loc):
      // Negative bounds count from the end (`xs[1..<-1]`, `xs[-2...-1]`).
      // The bounds are kept as plain closures and flags, and failures caught in place: optional
      // closures mapped and a closure for `failing` retained and released their captures on
      // every slice.
      let object = expression(objectExpr), at = location(loc)
      let lower = expressionOrNil(lowerExpr), upper = expressionOrNil(upperExpr)
      let hasLower = lowerExpr != nil, hasUpper = upperExpr != nil
      return { frame in
        let container = try object(frame)
        do {
          let low = hasLower ? try Subscripts.bound(try lower(frame)) : nil
          var high = hasUpper ? try Subscripts.bound(try upper(frame)) : nil
          // A closed range ending at the last item (-1) or at Int.max runs to the end.
          if closed, let h = high { high = h == -1 || h == Int.max ? nil : h + 1 }
          return try Subscripts.slice(container, low, high)
        } catch let failure as RuntimeFailure {
          throw Diagnostic(.runtime, failure.message, at: at)
        }
      }
    case .call(let calleeExpr, let arguments, let loc):
      let callee = expression(calleeExpr)
      let values = arguments.map { CompiledExpression(evaluate: expression($0.value)) }
      let labels = Emitter.labels(arguments), at = location(loc), handle = handle
      return { frame in
        try handle.with { interpreter in
          try Emitter.callWithStackArguments(interpreter, try callee(frame), receiver: nil, values, labels, frame, at)
        }
      }
    case .methodCall(let receiverExpr, let name, let arguments, let loc):
      let receiver = expression(receiverExpr), site = methodCallSite(name, arguments, location(loc)), handle = handle
      return { frame in try handle.with { interpreter in try site.call(try receiver(frame), interpreter, frame) } }
    case .member(let objectExpr, let name, let loc):
      let object = expression(objectExpr), at = location(loc), key = NameKey(name)
      return { frame in
        let value = try object(frame)
        return try Emitter.failing(at: at) { try Members.get(value, key) }
      }
    case .index(let objectExpr, let indexExpr, let loc):
      let object = expression(objectExpr), index = expression(indexExpr), at = location(loc)
      return { frame in
        let container = try object(frame), key = try index(frame)
        return try Emitter.failing(at: at) { try Subscripts.get(container, key) }
      }
    case .function(let function):
      let proto = self.function(function)
      return { frame in .closure(Emitter.makeClosure(proto, frame)) }
    }
  }

  /// The expression, or nil when there is none (`var x`, `return`). Written out rather than
  /// with `Optional.map` and `??`: a closure passed through their generic parameter may come
  /// back wrapped in reabstraction thunks, paid on every call.
  func expressionOrNil(_ expr: ResolvedExpr?) -> Evaluate {
    guard let expr else { return { _ in .nil } }
    return expression(expr)
  }

  func variable(_ name: String, _ binding: Binding, _ loc: Loc) -> Evaluate {
    switch binding {
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
    case .global:
      let cell = cell(name), at = location(loc)
      return { _ in
        if cell.isDefined { return cell.value }
        throw Diagnostic(.runtime, "undefined name '\(name)'", at: at)
      }
    }
  }

  /// Evaluates a condition to a Bool; anything but a bool is an error.
  func condition(_ expr: ResolvedExpr) -> (Frame) throws -> Bool {
    if let code = specialised(Specialisations.conditions, expr) { return code.test }
    let value = expression(expr), at = location(expr.loc)
    return { frame in
      let result = try value(frame)
      if case .bool(let b) = result { return b }
      throw Diagnostic(.runtime, "a condition must be a bool, got \(result.typeName)", at: at)
    }
  }

  // MARK: - Interpolation

  enum Piece {
    case text(LiteralBytes)
    /// A local, read in place.
    case slot(Int)
    case value(Evaluate)
  }

  /// Appends the pieces of an interpolated string, then calls the next link.
  private typealias Emit = (Frame, inout TextBuilder) throws -> Void

  /// `"item \(i): \(i * 2)"` as a chain of closures, one per piece: a piece read from an
  /// array would be copied, its text or closure retained and released, on every use.
  /// A string that would pass the size limit is an error at `at`.
  static func interpolation(_ pieces: [Piece], at: SourceLocation) -> Evaluate {
    var chain: Emit?
    for piece in pieces.reversed() {
      chain = link(piece, then: chain)
    }
    guard let emit = chain else { return { _ in .string("") } }
    return { frame in .string(try Emitter.failing(at: at) { try TextBuilder.build { try emit(frame, &$0) } }) }
  }

  private static func link(_ piece: Piece, then next: Emit?) -> Emit {
    switch (piece, next) {
    case (.text(let literal), nil):
      return { _, text in text.append(literal) }
    case (.text(let literal), let next?):
      return { frame, text in
        text.append(literal)
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

  // MARK: - Calls

  /// The labels of a call's arguments; nil when every argument is positional.
  static func labels(_ arguments: [ResolvedArgument]) -> [String?]? {
    arguments.contains { $0.label != nil } ? arguments.map(\.label) : nil
  }

  /// Evaluates the arguments onto the value stack and calls through the general path.
  static func callWithStackArguments(
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

  /// The call site of `receiver.name(arguments)`, which finds the method once for each type
  /// of receiver (`MethodCallSite`).
  func methodCallSite(_ name: String, _ arguments: [ResolvedArgument], _ at: SourceLocation) -> MethodCallSite {
    MethodCallSite(
      name: name, arguments: arguments.map { CompiledExpression(evaluate: expression($0.value)) },
      literals: arguments.map { argument in
        guard case .literal(let value, _) = argument.value else { return nil }
        return value
      }, labels: Emitter.labels(arguments), at: at, methods: interpreter.methods)
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

struct CompiledEntry {
  let key: Evaluate
  let value: Evaluate
  let at: SourceLocation
}

extension Emitter {
  /// A dict literal's key when it is a string literal, with its hash worked out once.
  static func literalName(_ key: ResolvedExpr) -> NameKey? {
    guard case .literal(.string(let name), _) = key else { return nil }
    return NameKey(name)
  }
}
