/// Every specialisation of the emitter, registered by name with the shape of code it
/// matches. A specialisation gives faster code for its shape, or nil to leave the node to the
/// next one and finally to the general path; it must behave exactly as the general path
/// does: the same results, the same errors at the same places, the same order of evaluation.
/// `CompilerOptions.specialisations = false` (the host's `SEEDNB_SPECIALISATIONS=off`) turns
/// them all off, and the golden suite runs every fixture both ways.
///
/// Most of them read operands in place (`Operand`) and compute ints and floats with the
/// kernels of `OperatorTable` inline (`FastPath`), so they apply to every operator and to any
/// local, global, capture or constant, not to one spelling.
///
/// `Code` is a struct that holds the closure (`CompiledExpression`, `CompiledStatement`,
/// `CompiledCondition`): a closure passed through a generic type bare would be called through
/// reabstraction thunks for ever after.
struct Specialisation<Node, Code> {
  let name: String
  /// The code it matches, as a user writes it.
  let shape: String
  let build: (Emitter, Node) -> Code?
}

typealias Condition = (Frame) throws -> Bool

enum Specialisations {
  static let expressions: [Specialisation<ResolvedExpr, CompiledExpression>] = [
    expression("text concatenation", "a + b + c with a string literal or an interpolation among the operands", textConcatenation),
    expression("arithmetic", "a + b, a - b, a * b, a / b, a % b", arithmetic),
    expression("comparison value", "a < b (and <=, >, >=, ==, !=) used as a value", comparisonValue),
    expression(
      "logical value", "a < b || (a == b && c > d), !a: the logical test's shapes used as a value, as comparators return them",
      logicalValue),
    expression("list element", "xs[i]", listElement),
    expression("slice of a name", "xs[a..<b], xs[a...b], xs[a...], xs[..<b] with xs a local, global or capture", sliceOfName),
    expression("count of a global", "xs.count with xs a global", countOfGlobal),
    expression("member of a local", "r.name with r an unboxed local, as a parameter", memberOfLocal),
    expression("interpolated local", "\"...\\(x)...\" with x a local", interpolatedLocal),
    expression("global call", "f(a, b) with f a global and no labels", globalCall),
    expression("positional call", "f(a, b) with f any expression and no labels", positionalCall),
    expression("list append", "xs.append(x)", listAppend),
    expression("constant list", "[nil, nil], [0, 0, 0], [\"a\", \"b\"]: a list literal whose items are all literals", constantList),
    expression("method on a name", "x.name(args) with x a local, global, capture or constant", methodOnName),
  ]

  static let conditions: [Specialisation<ResolvedExpr, CompiledCondition>] = [
    condition("item is nil", "xs[i] == nil, xs[i] != nil (either side) with xs an unboxed local", itemIsNil),
    condition("comparison test", "if a < b, while a < b (and <=, >, >=, ==, !=)", comparisonTest),
    condition("logical test", "if !a, if a && b, while a || b, nested, with comparisons inside", logicalTest),
  ]

  static let statements: [Specialisation<ResolvedStmt, CompiledStatement>] = [
    statement("local update", "x += y (and -=, *=, /=, %=) with x a local", localUpdate),
    statement("global update", "x += y (and -=, *=, /=, %=) with x a global", globalUpdate),
    statement(
      "dict entry update",
      "d[k] += y, d[k] = (d[k] ?? x) + y, d[k] = d.get(k, x) + y, d[k] = y + (d[k] ?? x) (and -, *, /, %) with d a name",
      dictUpdate),
    statement("int declaration", "let y = x + 1 (and -, *, /, %) with x a local and an int literal", intDeclaration),
    statement("local test", "if x < 3 (and <=, >, >=, ==, !=) with x a local and an int literal", ifLocalTest),
    statement("counted loop", "for i in a..<b, for i in a...b", countedLoop),
  ]

  static let functionBodies: [Specialisation<[ResolvedStmt], CompiledExpression>] = [
    body("return as value", "a function body ending in return or in an if whose every branch returns", returnAsValue)
  ]

  // Each registry entry wraps what its builder makes in the struct the emitter takes.
  private static func expression(
    _ name: String, _ shape: String, _ build: @escaping (Emitter, ResolvedExpr) -> Evaluate?
  ) -> Specialisation<ResolvedExpr, CompiledExpression> {
    Specialisation(name: name, shape: shape) { emitter, node in
      guard let evaluate = build(emitter, node) else { return nil }
      return CompiledExpression(evaluate: evaluate)
    }
  }

  private static func body(
    _ name: String, _ shape: String, _ build: @escaping (Emitter, [ResolvedStmt]) -> Evaluate?
  ) -> Specialisation<[ResolvedStmt], CompiledExpression> {
    Specialisation(name: name, shape: shape) { emitter, statements in
      guard let evaluate = build(emitter, statements) else { return nil }
      return CompiledExpression(evaluate: evaluate)
    }
  }

  private static func condition(
    _ name: String, _ shape: String, _ build: @escaping (Emitter, ResolvedExpr) -> Condition?
  ) -> Specialisation<ResolvedExpr, CompiledCondition> {
    Specialisation(name: name, shape: shape) { emitter, node in
      guard let test = build(emitter, node) else { return nil }
      return CompiledCondition(test: test)
    }
  }

  private static func statement(
    _ name: String, _ shape: String, _ build: @escaping (Emitter, ResolvedStmt) -> Execute?
  ) -> Specialisation<ResolvedStmt, CompiledStatement> {
    Specialisation(name: name, shape: shape) { emitter, node in
      guard let execute = build(emitter, node) else { return nil }
      return CompiledStatement(execute: execute)
    }
  }

  /// The name and shape of every specialisation, for documentation and tests.
  static var all: [(name: String, shape: String)] {
    expressions.map { ($0.name, $0.shape) } + conditions.map { ($0.name, $0.shape) }
      + statements.map { ($0.name, $0.shape) } + functionBodies.map { ($0.name, $0.shape) }
  }

  // MARK: - Operators

  private static func arithmetic(_ emitter: Emitter, _ expr: ResolvedExpr) -> Evaluate? {
    guard case .binary(let op, let leftExpr, let rightExpr, let loc) = expr else { return nil }
    struct Builder: KernelSpecialiser {
      let left: Operand, right: Operand, slow: (Value, Value) throws -> Value
      func arithmetic<Op: ArithmeticKernel>(_: Op.Type) -> CompiledExpression? {
        CompiledExpression(evaluate: FastPath.arithmetic(Op.self, left, right, slow: slow))
      }
    }
    guard OperatorTable.isArithmetic(op) else { return nil }
    let builder = Builder(
      left: emitter.operand(leftExpr), right: emitter.operand(rightExpr), slow: Emitter.generalOperator(op, at: emitter.location(loc)))
    return OperatorTable.specialise(op, builder)?.evaluate
  }

  /// A chain of `+` with text written among its operands puts text together: it is left to
  /// the general path's chain, which makes one string of it, rather than to `arithmetic`,
  /// which would add it one `+` at a time.
  private static func textConcatenation(_ emitter: Emitter, _ expr: ResolvedExpr) -> Evaluate? {
    guard let chain = expr.additionChain, chain.operands.contains(where: \.isWrittenText) else { return nil }
    return emitter.concatenation(emitter.concatenationPieces(chain.operands, localsInPlace: true), chain.operators)
  }

  private static func comparisonValue(_ emitter: Emitter, _ expr: ResolvedExpr) -> Evaluate? {
    guard case .binary(let op, _, _, _) = expr, !OperatorTable.isArithmetic(op) else { return nil }
    let test = emitter.condition(expr)
    return { frame in .bool(try test(frame)) }
  }

  /// `tree[0] == nil`, how trees and sparse lists are walked: the item is tested where the
  /// list holds it, not copied out (a retain and a release). A key that is not an int in
  /// range, or a local that is not a list, takes the general comparison, with its errors.
  private static func itemIsNil(_ emitter: Emitter, _ expr: ResolvedExpr) -> Condition? {
    guard case .binary(let op, let left, let right, _) = expr, op == .equal || op == .notEqual else { return nil }
    let item: ResolvedExpr
    if case .literal(.nil, _) = right {
      item = left
    } else if case .literal(.nil, _) = left {
      item = right
    } else {
      return nil
    }
    guard case .index(.name(_, let binding, _), let indexExpr, _) = item, let listSlot = binding.plainSlot else { return nil }
    let index = emitter.operand(indexExpr)
    guard index.isInPlace, let general = comparisonTest(emitter, expr) else { return nil }
    let whenNil = op == .equal
    return { frame in
      if case .int(let i) = try index.value(in: frame), i >= 0, let list = frame.list(at: listSlot),
        let isNil = list._withUnsafeGuaranteedRef({ i < $0.items.count ? $0.items[i].isNil : nil })
      {
        return isNil == whenNil
      }
      return try general(frame)
    }
  }

  /// `!`, `&&` and `||` used as a value, as a comparator returns `a < b || (a == b && c > d)`:
  /// tested as a condition, then made a bool once.
  private static func logicalValue(_ emitter: Emitter, _ expr: ResolvedExpr) -> Evaluate? {
    guard let test = logicalTest(emitter, expr) else { return nil }
    return { frame in .bool(try test(frame)) }
  }

  private static func comparisonTest(_ emitter: Emitter, _ expr: ResolvedExpr) -> Condition? {
    guard case .binary(let op, let leftExpr, let rightExpr, let loc) = expr else { return nil }
    struct Builder: KernelSpecialiser {
      let left: Operand, right: Operand, slow: (Value, Value) throws -> Bool
      func comparison<Op: ComparisonKernel>(_: Op.Type) -> CompiledCondition? {
        CompiledCondition(test: FastPath.comparison(Op.self, left, right, slow: slow))
      }
    }
    let general = Emitter.generalOperator(op, at: emitter.location(loc))
    let slow: (Value, Value) throws -> Bool = { a, b in
      guard case .bool(let result) = try general(a, b) else { return false }
      return result
    }
    let left = emitter.comparisonOperand(leftExpr), right = emitter.comparisonOperand(rightExpr)
    return OperatorTable.specialise(op, Builder(left: left, right: right, slow: slow))?.test
  }

  /// `if !columns.contains(x) && !rising.contains(y)`: `!`, `&&` and `||` in a test combine
  /// their operands' bools directly, instead of making a bool value at each level to test it
  /// again. An operand that is a comparison or another of these is tested as a condition;
  /// anything else is evaluated and must be a bool, with the operator's own error.
  private static func logicalTest(_ emitter: Emitter, _ expr: ResolvedExpr) -> Condition? {
    switch expr {
    case .unary(.not, let operandExpr, let loc):
      let operand = boolOperand(emitter, operandExpr, at: emitter.location(loc)) { "'!' needs a bool, got \($0.typeName)" }
      return { frame in !(try operand(frame)) }
    case .logical(let op, let leftExpr, let rightExpr, let loc) where op != .nilCoalescing:
      let at = emitter.location(loc), message: (Value) -> String = { _ in "'\(op.rawValue)' needs bools on both sides" }
      let left = boolOperand(emitter, leftExpr, at: at, message), right = boolOperand(emitter, rightExpr, at: at, message)
      if op == .and { return { frame in try left(frame) && right(frame) } }
      return { frame in try left(frame) || right(frame) }
    default:
      return nil
    }
  }

  /// An operand of `!`, `&&` or `||` as a test; `message` says what is wrong with a value
  /// that is not a bool.
  private static func boolOperand(
    _ emitter: Emitter, _ expr: ResolvedExpr, at: SourceLocation, _ message: @escaping (Value) -> String
  ) -> Condition {
    if alwaysBool(expr) { return emitter.condition(expr) }
    let value = emitter.expression(expr)
    return { frame in
      let result = try value(frame)
      if case .bool(let b) = result { return b }
      throw Diagnostic(.runtime, message(result), at: at)
    }
  }

  /// Whether an expression gives a bool whenever it does not fail: a comparison, `!`, `&&`, `||`.
  private static func alwaysBool(_ expr: ResolvedExpr) -> Bool {
    switch expr {
    case .binary(let op, _, _, _): return !OperatorTable.isArithmetic(op)
    case .unary(.not, _, _): return true
    case .logical(let op, _, _, _): return op != .nilCoalescing
    default: return false
    }
  }

  /// `local op k` with an unboxed local and an int literal, for statements to test or
  /// compute in place.
  static func slotConstant(_ expr: ResolvedExpr) -> SlotConstant? {
    guard case .binary(let op, .name(_, let binding, _), .literal(.int(let k), _), _) = expr, let slot = binding.plainSlot else {
      return nil
    }
    return SlotConstant(op: op, slot: slot, constant: k)
  }

  // MARK: - Subscripts and interpolation

  private static func listElement(_ emitter: Emitter, _ expr: ResolvedExpr) -> Evaluate? {
    guard case .index(let objectExpr, let indexExpr, let loc) = expr else { return nil }
    let at = emitter.location(loc)
    func slow(_ container: Value, _ key: Value) throws -> Value {
      try Emitter.failing(at: at) { try Subscripts.get(container, key) }
    }
    let object = emitter.operand(objectExpr), index = emitter.operand(indexExpr)
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
    // `tree[0]` with the list in a local: the list is read where the slot holds it, without a
    // retain and a release; reading an in-place index runs no code that could replace it.
    if case .slot(let listSlot) = object, index.isInPlace {
      return { frame in
        if let list = frame.list(at: listSlot), let i = index.int(in: frame), i >= 0,
          let item = list._withUnsafeGuaranteedRef({ i < $0.items.count ? $0.items[i] : nil })
        {
          return item
        }
        let key = try index.value(in: frame)
        if case .int(let i) = key, i >= 0, let list = frame.list(at: listSlot),
          let item = list._withUnsafeGuaranteedRef({ i < $0.items.count ? $0.items[i] : nil })
        {
          return item
        }
        return try slow(frame.slots[listSlot], key)
      }
    }
    if object.isInPlace && index.isInPlace {
      return { frame in
        // A list in a global, as top-level code keeps it, is read where the cell holds it,
        // on the terms of the case above; the object is read first, as written.
        if let list = object.list(in: frame), let i = index.int(in: frame), i >= 0,
          let item = list._withUnsafeGuaranteedRef({ i < $0.items.count ? $0.items[i] : nil })
        {
          return item
        }
        // `counts[w]`, a dict in a local or a global: looked in where the variable holds it, on
        // the same terms, the key hashed where it is; a missing key is nil, as in `Subscripts`.
        if let dict = object.dict(in: frame) {
          let key = try index.value(in: frame)
          if let hash = DictKey.hash(of: key) {
            return dict._withUnsafeGuaranteedRef { $0.entries.value(of: key, hash: hash) } ?? .nil
          }
        }
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

  /// `xs[a..<b]` with xs a name: the container is read where the variable holds it, and the
  /// bounds in place where they are locals, constants or globals, instead of through a
  /// closure each. Where reading the bounds runs no code, a list is sliced where its variable
  /// holds it, neither retained nor released; otherwise it is read first, as the general path
  /// reads it, and held while the bounds are computed, which may replace it.
  private static func sliceOfName(_ emitter: Emitter, _ expr: ResolvedExpr) -> Evaluate? {
    guard case .slice(let objectExpr, let lowerExpr, let upperExpr, let closed, let loc) = expr else { return nil }
    let object = emitter.operand(objectExpr)
    guard object.isInPlace else { return nil }
    let at = emitter.location(loc)
    let lower = SliceBound(emitter, lowerExpr), upper = SliceBound(emitter, upperExpr)
    if lower.isInPlace && upper.isInPlace {
      return { frame in
        if let list = object.list(in: frame) {
          let (low, high) = try SliceBound.read(lower, upper, closed: closed, frame, at)
          return list._withUnsafeGuaranteedRef { Subscripts.slice($0, low, high) }
        }
        let container = try object.value(in: frame)
        let (low, high) = try SliceBound.read(lower, upper, closed: closed, frame, at)
        return try Emitter.failing(at: at) { try Subscripts.slice(container, low, high) }
      }
    }
    return { frame in
      let container = try object.value(in: frame)
      let (low, high) = try SliceBound.read(lower, upper, closed: closed, frame, at)
      if case .list(let list) = container { return Subscripts.slice(list, low, high) }
      return try Emitter.failing(at: at) { try Subscripts.slice(container, low, high) }
    }
  }

  /// `xs.count` with xs a global, as top-level loops test it: a list's count is read where
  /// the cell holds it, without a retain and a release. Every other value goes the general
  /// way, a dict too, whose entry named "count" comes before its count. (A local's members
  /// are `memberOfLocal`'s.)
  private static func countOfGlobal(_ emitter: Emitter, _ expr: ResolvedExpr) -> Evaluate? {
    guard case .member(let objectExpr, "count", _) = expr, case .global(let cell, _) = emitter.operand(objectExpr) else {
      return nil
    }
    let general = emitter.generalExpression(expr)
    return { frame in
      if cell.isDefined, let list = cell.list() { return .int(list._withUnsafeGuaranteedRef { $0.items.count }) }
      return try general(frame)
    }
  }

  /// `r.tokens` on a record held in a local, as comparators and key functions read their
  /// parameters: the dict is looked in where the slot holds it, not copied out of the slot
  /// and released again, a retain and a release per read.
  private static func memberOfLocal(_ emitter: Emitter, _ expr: ResolvedExpr) -> Evaluate? {
    guard case .member(slot: let slot, let key, let general)? = emitter.memberOperand(expr) else { return nil }
    return { frame in try Operand.member(in: frame, slot: slot, name: key, general: general) }
  }

  private static func interpolatedLocal(_ emitter: Emitter, _ expr: ResolvedExpr) -> Evaluate? {
    guard case .interpolated(let parts, let loc) = expr else { return nil }
    let pieces: [Emitter.Piece] = parts.map {
      switch $0 {
      case .text(let text): return .text(LiteralBytes(text))
      case .expr(let expr):
        if case .name(_, let binding, _) = expr, let slot = binding.plainSlot { return .slot(slot) }
        return .value(emitter.expression(expr))
      }
    }
    guard pieces.contains(where: { if case .slot = $0 { return true } else { return false } }) else { return nil }
    return Emitter.interpolation(pieces, at: emitter.location(loc))
  }

  // MARK: - Calls

  /// An argument's operand: as `Emitter.operand` gives it, and `local + k` or `local - k`
  /// with an int literal as an offset, which a call computes in place.
  private static func argumentOperand(_ emitter: Emitter, _ expr: ResolvedExpr) -> Operand {
    if case .binary(let op, .name(_, let binding, _), .literal(.int(let k), _), _) = expr, op == .add || op == .subtract,
      op == .add || k != Int.min, let slot = binding.plainSlot
    {
      return .offset(slot: slot, by: op == .add ? k : -k, computed: emitter.expression(expr))
    }
    return emitter.operand(expr)
  }

  /// A global function, the usual callee, is run from its cell without being retained (see
  /// `GlobalCallSite`), its arguments read or computed in place where they can be; a builtin
  /// in the cell is called with its one argument read in place.
  private static func globalCall(_ emitter: Emitter, _ expr: ResolvedExpr) -> Evaluate? {
    guard case .call(.name(let name, .global, let nameLoc), let arguments, let loc) = expr, Emitter.labels(arguments) == nil else {
      return nil
    }
    let operands = arguments.map { argumentOperand(emitter, $0.value) }
    let values = operands.map { CompiledExpression(evaluate: $0.evaluate) }
    let at = emitter.location(loc), handle = emitter.handle
    let cell = emitter.cell(name), callee = emitter.variable(name, .global(name), nameLoc)
    let general: (Interpreter, Frame) throws -> Value = { interpreter, frame in
      if let builtin = cell.builtin() {
        return try builtin._withUnsafeGuaranteedRef { try callBuiltin($0, operands, values, interpreter, frame, at) }
      }
      return try Emitter.callWithStackArguments(interpreter, try callee(frame), receiver: nil, values, nil, frame, at)
    }
    struct Site: CallSiteMaker {
      let cell: GlobalCell, handle: InterpreterHandle, at: SourceLocation, general: (Interpreter, Frame) throws -> Value
      func site<Arguments: CallArguments>(_ arguments: Arguments) -> Evaluate {
        GlobalCallSite.compiled(cell: cell, arguments: arguments, handle: handle, at: at, general: general)
      }
    }
    return callSite(Site(cell: cell, handle: handle, at: at, general: general), operands, values)
  }

  /// A closure called with as many positional arguments as it has parameters, the common
  /// call, gets them evaluated straight into its frame.
  private static func positionalCall(_ emitter: Emitter, _ expr: ResolvedExpr) -> Evaluate? {
    guard case .call(let calleeExpr, let arguments, let loc) = expr, Emitter.labels(arguments) == nil else { return nil }
    let callee = emitter.expression(calleeExpr)
    let operands = arguments.map { argumentOperand(emitter, $0.value) }
    let values = operands.map { CompiledExpression(evaluate: $0.evaluate) }
    let at = emitter.location(loc), handle = emitter.handle
    struct Site: CallSiteMaker {
      let callee: Evaluate, values: [CompiledExpression], handle: InterpreterHandle, at: SourceLocation
      func site<Arguments: CallArguments>(_ arguments: Arguments) -> Evaluate {
        PositionalCallSite.compiled(callee: callee, arguments: arguments, values: values, handle: handle, at: at)
      }
    }
    return callSite(Site(callee: callee, values: values, handle: handle, at: at), operands, values)
  }

  /// Makes a call site from its arguments, typed by their count: `callSite` picks the type.
  private protocol CallSiteMaker {
    func site<Arguments: CallArguments>(_ arguments: Arguments) -> Evaluate
  }

  /// The call site `maker` makes for `operands`: up to three held one by one, the rest past
  /// the third bound from `values`.
  private static func callSite(_ maker: some CallSiteMaker, _ operands: [Operand], _ values: [CompiledExpression]) -> Evaluate {
    let each = operands.map(CallArgument.init)
    switch each.count {
    case 0: return maker.site(NoArguments())
    case 1: return maker.site(OneArgument(first: each[0]))
    case 2: return maker.site(TwoArguments(first: each[0], second: each[1]))
    case 3: return maker.site(ThreeArguments(first: each[0], second: each[1], third: each[2]))
    default:
      let firstThree = ThreeArguments(first: each[0], second: each[1], third: each[2])
      return maker.site(ManyArguments(firstThree: firstThree, count: each.count, rest: argumentBinder(Array(values.dropFirst(3)))))
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
      // Three held directly, then the rest, each binder writing its own slots.
      let a = values[0].evaluate, b = values[1].evaluate, c = values[2].evaluate
      let rest = argumentBinder(Array(values.dropFirst(3)))
      return { base, frame in
        (base + 1).initialize(to: try a(frame))
        (base + 2).initialize(to: try b(frame))
        (base + 3).initialize(to: try c(frame))
        try rest(base + 3, frame)
      }
    }
  }

  /// Calls a builtin with positional arguments: one, `float(x)` and the like, read in place
  /// when it can be, more evaluated onto the value stack.
  private static func callBuiltin(
    _ builtin: Builtin, _ operands: [Operand], _ values: [CompiledExpression], _ interpreter: Interpreter, _ frame: Frame,
    _ at: SourceLocation
  ) throws -> Value {
    let count = values.count
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

  /// `xs.append(x)`, how loops build lists, puts the item in the list as the native method
  /// would, without the call: no arguments on the stack, no retain and release of the item.
  private static func listAppend(_ emitter: Emitter, _ expr: ResolvedExpr) -> Evaluate? {
    guard case .methodCall(let receiverExpr, "append", let arguments, let loc) = expr, arguments.count == 1,
      arguments[0].label == nil, emitter.interpreter.methods.list["append"] != nil
    else { return nil }
    let receiver = emitter.operand(receiverExpr), item = emitter.expression(arguments[0].value)
    let other = emitter.methodCallSite("append", arguments, emitter.location(loc)), handle = emitter.handle
    if case .slot(let slot) = receiver {
      // The list is not retained: the slot keeps it, and nothing the item runs can assign an
      // unboxed local.
      return { frame in
        try handle.with { interpreter in
          guard let list = frame.list(at: slot) else { return try other.call(frame.slots[slot], interpreter, frame) }
          let value = try item(frame)
          list._withUnsafeGuaranteedRef { $0.items.append(value) }
          return .nil
        }
      }
    }
    if case .global(let cell, let checked) = receiver, arguments[0].value.onlyReads {
      // So is a global's, when the item only reads: it calls nothing that could assign it.
      return { frame in
        try handle.with { interpreter in
          guard cell.isDefined, let list = cell.list() else { return try other.call(try checked(frame), interpreter, frame) }
          let value = try item(frame)
          list._withUnsafeGuaranteedRef { $0.items.append(value) }
          return .nil
        }
      }
    }
    let inPlace = receiver.isInPlace, evaluate = receiver.evaluate
    return { frame in
      try handle.with { interpreter in
        let object = inPlace ? try receiver.value(in: frame) : try evaluate(frame)
        guard case .list(let list) = object else { return try other.call(object, interpreter, frame) }
        list.items.append(try item(frame))
        return .nil
      }
    }
  }

  /// A list literal of literals (`[nil, nil]`, `[0, 0, 0]`) is made once: each evaluation is
  /// a new list that shares the items' array until one of them changes it (arrays copy on
  /// write), so making the list allocates its object only, and a list never changed (a leaf,
  /// a default row) never copies.
  private static func constantList(_ emitter: Emitter, _ expr: ResolvedExpr) -> Evaluate? {
    guard case .list(let itemExprs, _) = expr, !itemExprs.isEmpty else { return nil }
    var items: [Value] = []
    items.reserveCapacity(itemExprs.count)
    for itemExpr in itemExprs {
      guard case .literal(let value, _) = itemExpr else { return nil }
      items.append(value)
    }
    return { _ in .list(ListObject(items)) }
  }

  /// A receiver in a local, a global or a constant, as `line.starts_with("a")` has, is read
  /// where it is. An unboxed local is lent to the call (`MethodCallSite.call(lending:)`): only
  /// its own function's assignments change it, and none runs during the call. So is a
  /// defined global when the arguments only read: a function they called could assign it.
  /// A constant is held by the closure, which passes it without a copy.
  private static func methodOnName(_ emitter: Emitter, _ expr: ResolvedExpr) -> Evaluate? {
    guard case .methodCall(let receiverExpr, let name, let arguments, let loc) = expr else { return nil }
    let receiver = emitter.operand(receiverExpr)
    guard receiver.isInPlace else { return nil }
    let site = emitter.methodCallSite(name, arguments, emitter.location(loc)), handle = emitter.handle
    switch receiver {
    case .slot(let slot):
      return { frame in try handle.with { interpreter in try site.call(lending: frame.slots + slot, interpreter, frame) } }
    case .constant(let value):
      return { frame in try handle.with { interpreter in try site.call(value, interpreter, frame) } }
    case .global(let cell, let checked) where arguments.allSatisfy({ $0.value.onlyReads }):
      return { frame in
        try handle.with { interpreter in
          guard cell.isDefined else { return try site.call(try checked(frame), interpreter, frame) }
          return try cell.withValueInPlace { try site.call(lending: $0, interpreter, frame) }
        }
      }
    default:
      return { frame in try handle.with { interpreter in try site.call(try receiver.value(in: frame), interpreter, frame) } }
    }
  }

  // MARK: - Statements

  /// `local op= operand`, computed and stored in one closure.
  private static func localUpdate(_ emitter: Emitter, _ stmt: ResolvedStmt) -> Execute? {
    guard case .assignment(.name(_, let binding, _), let op?, let valueExpr, let loc) = stmt, let slot = binding.plainSlot else {
      return nil
    }
    struct Builder: KernelSpecialiser {
      let slot: Int, operand: Operand, slow: (Value, Value) throws -> Value
      func arithmetic<Op: ArithmeticKernel>(_: Op.Type) -> CompiledStatement? {
        CompiledStatement(execute: FastPath.localUpdate(Op.self, slot, operand, slow: slow))
      }
    }
    let slow = Emitter.generalOperator(op, at: emitter.location(loc))
    return OperatorTable.specialise(op, Builder(slot: slot, operand: emitter.operand(valueExpr), slow: slow))?.execute
  }

  /// `global op= operand`, as top-level code writes `total += i`.
  private static func globalUpdate(_ emitter: Emitter, _ stmt: ResolvedStmt) -> Execute? {
    guard case .assignment(.name(let name, .global, let nameLoc), let op?, let valueExpr, let loc) = stmt else { return nil }
    struct Builder: KernelSpecialiser {
      let cell: GlobalCell, operand: Operand, operandOnlyReads: Bool, handle: InterpreterHandle, unassignable: () -> Error
      let slow: (Value, Value) throws -> Value
      func arithmetic<Op: ArithmeticKernel>(_: Op.Type) -> CompiledStatement? {
        CompiledStatement(
          execute: FastPath.globalUpdate(
            Op.self, cell, operand, operandOnlyReads: operandOnlyReads, handle, unassignable: unassignable, slow: slow))
      }
    }
    let cell = emitter.cell(name)
    let builder = Builder(
      cell: cell, operand: emitter.operand(valueExpr), operandOnlyReads: valueExpr.onlyReads, handle: emitter.handle,
      unassignable: Emitter.unassignable(cell, at: emitter.location(nameLoc)), slow: Emitter.generalOperator(op, at: emitter.location(loc)))
    return OperatorTable.specialise(op, builder)?.execute
  }

  /// `d[k] op= amount`, `d[k] = (d[k] ?? fallback) op amount` and
  /// `d[k] = d.get(k, fallback) op amount` (the read on either side of the operator), how a
  /// dict counts and sums, with one look-up of the key. The dict must be a name; the key any
  /// expression that only reads (evaluated once, where the general path evaluates the two
  /// copies to the same key); the amount and fallback names or literals, or arithmetic on
  /// them, so that nothing evaluated while the entry is being updated can change the dict.
  private static func dictUpdate(_ emitter: Emitter, _ stmt: ResolvedStmt) -> Execute? {
    guard case .assignment(.index(let objectExpr, let keyExpr, _), let compound, let valueExpr, let assignmentLoc) = stmt else {
      return nil
    }
    var shape = DictUpdateShape(op: .add, fallback: nil, amount: valueExpr, loc: assignmentLoc)
    if let compound {
      shape.op = compound
    } else {
      guard case .binary(let binaryOp, let left, let right, let binaryLoc) = valueExpr else { return nil }
      if let read = dictRead(left, objectExpr, keyExpr) {
        shape = DictUpdateShape(op: binaryOp, fallback: read.fallback, amount: right, loc: binaryLoc)
        shape.lazyFallback = read.lazy
        shape.method = read.method
      } else if let read = dictRead(right, objectExpr, keyExpr) {
        shape = DictUpdateShape(op: binaryOp, fallback: read.fallback, amount: left, loc: binaryLoc)
        shape.lazyFallback = read.lazy
        shape.method = read.method
        shape.amountFirst = true
      } else {
        return nil
      }
    }
    let object = emitter.operand(objectExpr)
    guard object.isInPlace, keyExpr.onlyReads, shape.amount.onlyComputesOnNames,
      shape.fallback?.onlyComputesOnNames ?? true
    else { return nil }
    let key = emitter.operand(keyExpr), amount = emitter.operand(shape.amount), fallback = shape.fallback.map { emitter.operand($0) }
    struct Builder: KernelSpecialiser {
      let object: Operand, key: Operand, fallback: Operand?, amount: Operand, shape: DictUpdateShape
      let slow: (Value, Value) throws -> Value, general: Execute
      func arithmetic<Op: ArithmeticKernel>(_: Op.Type) -> CompiledStatement? {
        CompiledStatement(
          execute: FastPath.dictUpdate(
            Op.self, dict: object, key: key, fallback: fallback, lazyFallback: shape.lazyFallback, amount: amount,
            amountFirst: shape.amountFirst, method: shape.method.map(NameKey.init), slow: slow, general: general))
      }
    }
    let builder = Builder(
      object: object, key: key, fallback: fallback, amount: amount, shape: shape,
      slow: Emitter.generalOperator(shape.op, at: emitter.location(shape.loc)), general: emitter.generalStatement(stmt))
    return OperatorTable.specialise(shape.op, builder)?.execute
  }

  /// How a dict update statement reads the entry's old value and combines it.
  private struct DictUpdateShape {
    var op: BinaryOperator
    var fallback: ResolvedExpr?
    var amount: ResolvedExpr
    var loc: Loc
    /// `d[k] ?? x` evaluates `x` only for a missing key; `d.get(k, x)` evaluates it always.
    var lazyFallback = true
    /// `amount op d[k]`: the amount is evaluated first and is the left operand.
    var amountFirst = false
    /// The method that reads the entry (`get`), which a function stored under its name replaces.
    var method: String?
  }

  /// The fallback of `d[k] ?? fallback` or `d.get(k, fallback)` reading the entry that the
  /// statement assigns, the dict and key written as in the target.
  private static func dictRead(
    _ expr: ResolvedExpr, _ objectExpr: ResolvedExpr, _ keyExpr: ResolvedExpr
  ) -> (fallback: ResolvedExpr, lazy: Bool, method: String?)? {
    if case .logical(.nilCoalescing, .index(let readObject, let readKey, _), let fallback, _) = expr,
      readObject.isWrittenLike(objectExpr), readKey.isWrittenLike(keyExpr)
    {
      return (fallback, true, nil)
    }
    if case .methodCall(let readObject, "get", let arguments, _) = expr, arguments.count == 2,
      arguments.allSatisfy({ $0.label == nil }), readObject.isWrittenLike(objectExpr), arguments[0].value.isWrittenLike(keyExpr)
    {
      return (arguments[1].value, false, "get")
    }
    return nil
  }

  /// `let y = x + 1` with an int local: the int is computed and stored in place.
  private static func intDeclaration(_ emitter: Emitter, _ stmt: ResolvedStmt) -> Execute? {
    guard case .declareLocal(let local, let value?, _) = stmt, !local.boxed, let form = slotConstant(value), !form.isComparison else {
      return nil
    }
    let initial = emitter.expression(value), slot = local.slot
    return { frame in
      if let result = form.value(frame) {
        frame.store(.int(result), at: slot)
      } else {
        frame.store(try initial(frame), at: slot)
      }
      return .next
    }
  }

  /// An `if` chain whose tests compare a local with an int literal tests them in place,
  /// without calling the test's closure.
  private static func ifLocalTest(_ emitter: Emitter, _ stmt: ResolvedStmt) -> Execute? {
    guard case .ifChain(let clauses, let elseBody, _) = stmt,
      clauses.contains(where: { slotConstant($0.condition)?.isComparison == true })
    else { return nil }
    var chain: Execute = { _ in .next }
    if let elseBody { chain = emitter.block(elseBody) }
    for clause in clauses.reversed() {
      let test = emitter.condition(clause.condition), body = emitter.block(clause.body), otherwise = chain
      if let form = slotConstant(clause.condition), form.isComparison {
        chain = { frame in try form.test(frame) ?? test(frame) ? try body(frame) : try otherwise(frame) }
      } else {
        chain = { frame in try test(frame) ? try body(frame) : try otherwise(frame) }
      }
    }
    return chain
  }

  /// `for i in a..<b` counts without making a range value.
  private static func countedLoop(_ emitter: Emitter, _ stmt: ResolvedStmt) -> Execute? {
    guard case .forIn(let variables, .range(let lowerExpr, let upperExpr, let closed, let rangeLoc), let body, _) = stmt,
      variables.count == 1
    else { return nil }
    let low = emitter.expression(lowerExpr), high = emitter.expression(upperExpr)
    let at = emitter.location(rangeLoc), handle = emitter.handle
    let statements = body.map { CompiledStatement(execute: emitter.statement($0)) }
    let slot = variables[0].slot, boxed = variables[0].boxed
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
    let run = Emitter.sequence(statements)
    return { frame in try count(frame, run) }
  }

  // MARK: - Function bodies

  /// The value a function returns after running `statements`. A `return`, and an `if` whose
  /// every branch returns, become expressions: `if n < 2 { return n }` then
  /// `return fib(n - 1) + fib(n - 2)` is one conditional, with no `Flow` passed back and no
  /// result slot written and read. Other statements run as statements; a `return` inside
  /// them (in a loop, say) leaves its value in slot 0.
  private static func returnAsValue(_ emitter: Emitter, _ statements: [ResolvedStmt]) -> Evaluate? {
    returnedValue(emitter, statements[...])
  }

  private static func returnedValue(_ emitter: Emitter, _ statements: ArraySlice<ResolvedStmt>) -> Evaluate {
    guard let first = statements.first else { return { _ in .nil } }
    switch first {
    case .returnStmt(let valueExpr, _):
      // Code after a return never runs.
      return emitter.expressionOrNil(valueExpr)
    case .ifChain(let clauses, let elseBody, _) where endsFunction(first):
      let branches = clauses.map {
        CompiledBranch(test: emitter.condition($0.condition), form: slotConstant($0.condition), result: branchResult(emitter, $0.body))
      }
      var otherwise: Evaluate
      if let elseBody {
        otherwise = returnedValue(emitter, elseBody[...])
      } else {
        otherwise = returnedValue(emitter, statements.dropFirst())
      }
      // Each branch is held in one object, which its closure captures alone (see
      // `ReturningBranch`).
      for branch in branches.reversed() {
        if let form = branch.form, form.isComparison, case .slot(let slot) = branch.result {
          let returning = LocalTestReturn(form: form, test: branch.test, slot: slot, otherwise: otherwise)
          otherwise = { frame in try returning.value(frame) }
        } else {
          let returning = ReturningBranch(test: branch.test, form: branch.form, result: branch.result, otherwise: otherwise)
          otherwise = { frame in try returning.value(frame) }
        }
      }
      return otherwise
    default:
      // The statements up to the next return or returning `if` run as one sequence.
      let ordinary = statements.prefix { !endsFunction($0) }
      let run = Emitter.sequence(ordinary.map { CompiledStatement(execute: emitter.statement($0)) })
      let next = returnedValue(emitter, statements.dropFirst(ordinary.count))
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
  private static func branchResult(_ emitter: Emitter, _ body: [ResolvedStmt]) -> Operand {
    if body.count == 1, case .returnStmt(let value?, _) = body[0] { return emitter.operand(value) }
    return .computed(returnedValue(emitter, body[...]))
  }

  /// Whether a statement list returns on every path through it.
  private static func alwaysReturns(_ statements: [ResolvedStmt]) -> Bool {
    switch statements.last {
    case .returnStmt?: return true
    case .ifChain(let clauses, let elseBody?, _)?:
      return clauses.allSatisfy { alwaysReturns($0.body) } && alwaysReturns(elseBody)
    default: return false
    }
  }

  /// Whether `returnedValue` emits a statement as an expression.
  private static func endsFunction(_ statement: ResolvedStmt) -> Bool {
    switch statement {
    case .returnStmt: return true
    case .ifChain(let clauses, let elseBody, _):
      return clauses.allSatisfy { alwaysReturns($0.body) } && elseBody.map(alwaysReturns) ?? true
    default: return false
    }
  }
}

/// A condition kept in a generic container: wrapped in a struct, as `CompiledExpression`
/// wraps an expression, it is called directly instead of through a reabstraction thunk.
struct CompiledCondition {
  let test: Condition
}

struct CompiledBranch {
  let test: Condition
  /// The test as `local op k`, for testing in place.
  let form: SlotConstant?
  let result: Operand
}

extension Emitter {
  /// `r.name` with r an unboxed local as an operand read in place, or nil for other code.
  func memberOperand(_ expr: ResolvedExpr) -> Operand? {
    guard case .member(.name(_, let binding, _), let name, let loc) = expr, let slot = binding.plainSlot else { return nil }
    let key = NameKey(name), at = location(loc)
    return .member(slot: slot, name: key, general: { frame in
      let value = frame.slots[slot]
      return try Emitter.failing(at: at) { try Members.get(value, key) }
    })
  }

  /// How a comparison reads an operand: as `operand` does, and a member of a local in place.
  func comparisonOperand(_ expr: ResolvedExpr) -> Operand {
    memberOperand(expr) ?? operand(expr)
  }

  /// How a specialisation reads an operand: in place when it is an unboxed local, a
  /// constant, a global or a capture, or `xs[i]` of two locals.
  func operand(_ expr: ResolvedExpr) -> Operand {
    switch expr {
    case .literal(let value, _): return .constant(value)
    case .name(let name, let binding, _):
      switch binding {
      case .local(let local) where !local.boxed: return .slot(local.slot)
      case .global: return .global(cell(name), checked: expression(expr))
      case .capture(let index, _): return .capture(index)
      default: return .computed(expression(expr))
      }
    case .index(.name(_, let list, _), .name(_, let index, _), _):
      if let listSlot = list.plainSlot, let indexSlot = index.plainSlot {
        return .element(list: listSlot, index: indexSlot, general: expression(expr))
      }
      return .computed(expression(expr))
    default: return .computed(expression(expr))
    }
  }
}

/// A bound of a slice as `sliceOfName` reads it: absent, in place (a local, constant, global
/// or capture) or computed by its closure.
struct SliceBound {
  let isPresent: Bool
  let isInPlace: Bool
  let operand: Operand
  let computed: Evaluate

  init(_ emitter: Emitter, _ expr: ResolvedExpr?) {
    guard let expr else {
      (isPresent, isInPlace, operand, computed) = (false, true, .constant(.nil), { _ in .nil })
      return
    }
    operand = emitter.operand(expr)
    (isPresent, isInPlace, computed) = (true, operand.isInPlace, operand.evaluate)
  }

  @inline(__always)
  func value(in frame: Frame) throws -> Int? {
    guard isPresent else { return nil }
    if isInPlace, let bound = operand.int(in: frame) { return bound }
    return try Subscripts.bound(isInPlace ? try operand.value(in: frame) : try computed(frame))
  }

  /// Both bounds, in the order they are written, as `Subscripts.slice` takes them; a bound
  /// that is not an int fails at the slice.
  @inline(__always)
  static func read(
    _ lower: SliceBound, _ upper: SliceBound, closed: Bool, _ frame: Frame, _ at: SourceLocation
  ) throws -> (Int?, Int?) {
    do {
      let low = try lower.value(in: frame)
      var high = try upper.value(in: frame)
      // A closed range ending at the last item (-1) or at Int.max runs to the end.
      if closed, let h = high { high = h == -1 || h == Int.max ? nil : h + 1 }
      return (low, high)
    } catch let failure as RuntimeFailure {
      throw Diagnostic(.runtime, failure.message, at: at)
    }
  }
}
