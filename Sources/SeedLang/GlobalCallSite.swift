/// A compiled call `f(a, b)` of a global with positional arguments (the `global call`
/// specialisation). Everything the call needs is a field of this one object, and its compiled
/// closure captures nothing else: a closure capturing one object has that object as its context,
/// so it is entered directly, where a closure capturing a dozen values was entered through a
/// forwarder that copied them all onto the machine stack, a fifth of the cost of a call.
final class GlobalCallSite<Arguments: CallArguments> {
  let cell: GlobalCell
  let arguments: Arguments
  let handle: InterpreterHandle
  let at: SourceLocation
  /// Any other value in the cell: a builtin, a closure taking another number of arguments,
  /// something that is no function.
  let general: (Interpreter, Frame) throws -> Value

  init(
    cell: GlobalCell, arguments: Arguments, handle: InterpreterHandle, at: SourceLocation,
    general: @escaping (Interpreter, Frame) throws -> Value
  ) {
    self.cell = cell
    self.arguments = arguments
    self.handle = handle
    self.at = at
    self.general = general
  }

  /// The call as compiled code.
  static func compiled(
    cell: GlobalCell, arguments: Arguments, handle: InterpreterHandle, at: SourceLocation,
    general: @escaping (Interpreter, Frame) throws -> Value
  ) -> Evaluate {
    let site = GlobalCallSite(cell: cell, arguments: arguments, handle: handle, at: at, general: general)
    return { frame in try site.call(frame) }
  }

  /// Runs the closure in the cell, not retained (see `GlobalCell.function`), with the
  /// arguments evaluated straight into its frame.
  @inline(__always)
  func call(_ frame: Frame) throws -> Value {
    try handle.with { interpreter in
      guard let function = cell.function(taking: arguments.count) else { return try general(interpreter, frame) }
      return try function._withUnsafeGuaranteedRef { closure in
        try interpreter.enter(closure, at: at) { base in try arguments.bind(into: base, from: frame) }
      }
    }
  }
}

/// How a compiled call puts its positional arguments in the callee's new frame: each is
/// evaluated in the caller's frame, in order, into its parameter's slot (`base + 1` on). A
/// new frame's slots hold nil, which owns nothing, so they are initialized, not assigned.
protocol CallArguments {
  var count: Int { get }
  func bind(into base: UnsafeMutablePointer<Value>, from frame: Frame) throws
}

/// One argument of a compiled call, read in place where it can be: a closure call for `n`
/// costs several times the read.
enum CallArgument {
  /// An unboxed local.
  case local(Int)
  /// `local + k` or `local - k` (as `by: -k`), as recursion passes `n - 1`: an int is
  /// computed in place; anything else, or an overflow, by `computed`, with the operator's
  /// errors.
  case offset(slot: Int, by: Int, computed: Evaluate)
  case constant(Value)
  case computed(Evaluate)

  init(_ operand: Operand) {
    switch operand {
    case .slot(let slot): self = .local(slot)
    case .offset(let slot, let delta, let computed): self = .offset(slot: slot, by: delta, computed: computed)
    case .constant(let value): self = .constant(value)
    default: self = .computed(operand.evaluate)
    }
  }

  @inline(__always)
  func value(in frame: Frame) throws -> Value {
    switch self {
    case .local(let slot): return frame.slots[slot]
    case .offset(let slot, let delta, let computed):
      if case .int(let x) = frame.slots[slot], case (let sum, false) = x.addingReportingOverflow(delta) { return .int(sum) }
      return try computed(frame)
    case .constant(let value): return value
    case .computed(let evaluate): return try evaluate(frame)
    }
  }
}

struct NoArguments: CallArguments {
  var count: Int { 0 }
  @inline(__always)
  func bind(into base: UnsafeMutablePointer<Value>, from frame: Frame) throws {}
}

struct OneArgument: CallArguments {
  let first: CallArgument
  var count: Int { 1 }
  @inline(__always)
  func bind(into base: UnsafeMutablePointer<Value>, from frame: Frame) throws {
    (base + 1).initialize(to: try first.value(in: frame))
  }
}

struct TwoArguments: CallArguments {
  let first: CallArgument, second: CallArgument
  var count: Int { 2 }
  @inline(__always)
  func bind(into base: UnsafeMutablePointer<Value>, from frame: Frame) throws {
    (base + 1).initialize(to: try first.value(in: frame))
    (base + 2).initialize(to: try second.value(in: frame))
  }
}

struct ThreeArguments: CallArguments {
  let first: CallArgument, second: CallArgument, third: CallArgument
  var count: Int { 3 }
  @inline(__always)
  func bind(into base: UnsafeMutablePointer<Value>, from frame: Frame) throws {
    (base + 1).initialize(to: try first.value(in: frame))
    (base + 2).initialize(to: try second.value(in: frame))
    (base + 3).initialize(to: try third.value(in: frame))
  }
}

/// More than three arguments: the first three as `ThreeArguments` holds them, the rest
/// evaluated by a chain of closures (`Specialisations.argumentBinder`) that write their slots
/// after them.
struct ManyArguments: CallArguments {
  let firstThree: ThreeArguments
  let count: Int
  let rest: (UnsafeMutablePointer<Value>, Frame) throws -> Void
  @inline(__always)
  func bind(into base: UnsafeMutablePointer<Value>, from frame: Frame) throws {
    try firstThree.bind(into: base, from: frame)
    try rest(base + 3, frame)
  }
}

/// A compiled call `f(a, b)` of any other callee with positional arguments (the `positional
/// call` specialisation), held in one object as `GlobalCallSite` is, for the same reason.
final class PositionalCallSite<Arguments: CallArguments> {
  let callee: Evaluate
  let arguments: Arguments
  /// The arguments for any callee other than a closure taking `arguments.count`.
  let values: [CompiledExpression]
  let handle: InterpreterHandle
  let at: SourceLocation

  init(callee: @escaping Evaluate, arguments: Arguments, values: [CompiledExpression], handle: InterpreterHandle, at: SourceLocation) {
    self.callee = callee
    self.arguments = arguments
    self.values = values
    self.handle = handle
    self.at = at
  }

  /// The call as compiled code.
  static func compiled(
    callee: @escaping Evaluate, arguments: Arguments, values: [CompiledExpression], handle: InterpreterHandle, at: SourceLocation
  ) -> Evaluate {
    let site = PositionalCallSite(callee: callee, arguments: arguments, values: values, handle: handle, at: at)
    return { frame in try site.call(frame) }
  }

  @inline(__always)
  func call(_ frame: Frame) throws -> Value {
    try handle.with { interpreter in
      // Held for the whole call: the call may replace the variable the callee came from.
      let function = try callee(frame)
      if case .closure(let closure) = function, closure.parameterCount == arguments.count {
        return try interpreter.enter(closure, at: at) { base in try arguments.bind(into: base, from: frame) }
      }
      return try Emitter.callWithStackArguments(interpreter, function, receiver: nil, values, nil, frame, at)
    }
  }
}
