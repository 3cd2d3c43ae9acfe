import Foundation
import Synchronization

/// One interpreter session: the globals every cell shares, the value stack that holds the
/// locals of running functions, and the host's hooks (outputs, modules).
public final class Interpreter {
  /// Where `import NAME` finds a module's source.
  public enum ModuleLookup {
    case found(SourceText)
    /// Not found; the places looked in, for the error message.
    case notFound(searched: [String])
  }

  /// Receives each output item that `print` and `display` record.
  public var outputHandler: (OutputItem) -> Void = { _ in }
  /// Finds the source of `import NAME`; without one, every import fails.
  public var moduleLoader: (String) -> ModuleLookup = { _ in .notFound(searched: []) }

  /// Calls nested deeper than this end in a "stack overflow" error instead of a crash.
  public var maxCallDepth = 2_000

  /// The most output (bytes of text, see `OutputItem.size`) one top-level run, a cell, may
  /// record; the `print` or `display` that goes past it fails instead.
  public var maxOutputBytes = 10_000_000
  /// Output recorded since the top-level run began.
  var outputBytes = 0

  /// Set from any thread (Ctrl-C, a timeout) to stop the running code at its next loop
  /// iteration or call with an "interrupted" error.
  private let interruptFlag = Atomic<Bool>(false)

  public func interrupt() { interruptFlag.store(true, ordering: .relaxed) }

  /// Whether an interrupt is pending; it stays so until the next top-level `run`, so that
  /// every `parallel` worker stops, not just the first to notice.
  public var isInterrupted: Bool { interruptFlag.load(ordering: .relaxed) }

  /// Checked at every loop iteration and call; one relaxed load when nothing is pending.
  @inline(__always)
  func checkInterrupt(at location: SourceLocation?) throws {
    if interruptFlag.load(ordering: .relaxed) {
      throw Diagnostic(.runtime, "interrupted", at: location)
    }
  }

  var globals: [String: GlobalCell] = [:]
  var methods = MethodTables()
  private var importedModules: Set<String> = []

  // The value stack of the thread running code now: each running function's locals are a
  // window onto it, and `parallel` gives each worker its own. Its slots are initialized as it
  // grows, up to `stackEnd`, so a session that stays shallow never touches the memory a deep
  // recursion would need; `stackLimit` is the end of the allocation.
  var stack: UnsafeMutablePointer<Value>
  var stackEnd: UnsafeMutablePointer<Value>
  var stackLimit: UnsafeMutablePointer<Value>
  var top: UnsafeMutablePointer<Value>
  var depth = 0
  /// The `parallel` item indices the running code is inside, outermost first; empty outside.
  /// It names a call's place independently of how the workers were scheduled.
  public internal(set) var taskPath: [Int] = []
  private let mainStack: UnsafeMutablePointer<Value>
  static let stackCapacity = 1 << 18

  /// Held by whichever thread runs seed code while `parallel` workers exist.
  let executionLock = NSLock()
  /// How many `parallel` calls are running; while above zero, threads share the interpreter.
  var sharingDepth = 0
  /// `parallel` worker threads alive now, nested calls included; guarded by the execution lock.
  var workerThreads = 0
  private var runDepth = 0

  public init() {
    mainStack = UnsafeMutablePointer<Value>.allocate(capacity: Interpreter.stackCapacity)
    stack = mainStack
    stackEnd = mainStack
    stackLimit = mainStack + Interpreter.stackCapacity
    top = mainStack
    registerBuiltins()
    loadCoreLibrary()
  }

  deinit {
    // A global function refers to its own cell when it calls itself or another global; that
    // cycle would outlive the session.
    for cell in globals.values { cell.clear() }
    // Workers have ended, so the registers are the main stack's.
    if stack == mainStack { mainStack.deinitialize(count: stackEnd - mainStack) }
    mainStack.deallocate()
  }

  /// Functions and builtins taken out of a global while seed code was running. A call
  /// through a global's cell does not retain what it runs (that would cost an atomic
  /// increment and decrement per call), so one replaced while calls may be running it is
  /// kept here until the outermost run ends.
  var retiredFunctions: [Value] = []

  /// Whether a call may be running: any seed code at all, a builtin's included, on this
  /// thread or a `parallel` worker's.
  var mayBeCalling: Bool { runDepth > 0 || depth > 0 || sharingDepth > 0 }

  /// Makes sure `count` slots from `top` are usable; false when the stack is full.
  @inline(__always)
  func reserve(_ count: Int) -> Bool {
    top + count <= stackEnd || grow(to: top + count)
  }

  @inline(never)
  private func grow(to needed: UnsafeMutablePointer<Value>) -> Bool {
    guard needed <= stackLimit else { return false }
    let end = min(stackLimit, max(needed, stackEnd + 4096))
    stackEnd.initialize(repeating: .nil, count: end - stackEnd)
    stackEnd = end
    return true
  }

  // MARK: - Globals

  /// The cell of a global name, made (undefined) on first mention so code can refer to
  /// names defined later.
  func globalCell(_ name: String) -> GlobalCell {
    if let cell = globals[name] { return cell }
    let cell = GlobalCell(name: name)
    globals[name] = cell
    return cell
  }

  /// Binds a global, as parameters and host builtins are bound.
  public func define(_ name: String, _ value: Value, constant: Bool = false) {
    let cell = globalCell(name)
    cell.assign(value, in: self)
    cell.isDefined = true
    cell.isConstant = constant
  }

  /// A global's value, or nil if the name is not defined.
  public func global(_ name: String) -> Value? {
    guard let cell = globals[name], cell.isDefined else { return nil }
    return cell.value
  }

  /// The names defined so far, sorted; for completion and `:help`.
  public var globalNames: [String] { globals.values.filter(\.isDefined).map(\.name).sorted() }

  /// Registers a host function as a global.
  public func defineBuiltin(_ name: String, _ body: @escaping (inout Arguments) throws -> Value) {
    define(name, .builtin(Builtin(name: name, body: body)))
  }

  // MARK: - Running code

  /// Compiles and runs a source text in the session. Returns the value of its last statement
  /// when that is an expression, for a REPL or notebook to show.
  @discardableResult
  public func run(_ source: SourceText) throws -> Value {
    if runDepth == 0 {
      interruptFlag.store(false, ordering: .relaxed)
      outputBytes = 0
    }
    runDepth += 1
    defer {
      runDepth -= 1
      if runDepth == 0 && depth == 0 && sharingDepth == 0 { retiredFunctions.removeAll() }
    }
    let program = try Parser.parse(source)
    let script = try Compiler.compileScript(program, source: source, interpreter: self)
    return try runScript(script)
  }

  /// Parses and compiles a source text without running it; throws its syntax errors.
  public func check(_ source: SourceText) throws {
    _ = try Compiler.compileScript(try Parser.parse(source), source: source, interpreter: self)
  }

  func runScript(_ proto: FunctionProto) throws -> Value {
    let base = top
    guard reserve(proto.slotCount) else {
      throw Diagnostic(.runtime, "stack overflow: the value stack is full", at: nil)
    }
    top = base + proto.slotCount
    defer {
      Interpreter.clear(base, count: proto.slotCount)
      top = base
    }
    return try proto.body(Frame(slots: base, closure: nil))
  }

  func importModule(_ name: String, at location: SourceLocation) throws {
    guard !importedModules.contains(name) else { return }
    switch moduleLoader(name) {
    case .notFound(let searched):
      let places = searched.isEmpty ? "" : " (looked for \(name).seed in: \(searched.joined(separator: ", ")))"
      throw Diagnostic(.runtime, "no module named '\(name)'\(places)", at: location)
    case .found(let source):
      // Marked first, so that modules importing each other do not loop.
      importedModules.insert(name)
      do {
        try run(source)
      } catch {
        importedModules.remove(name)
        throw error
      }
    }
  }

  // MARK: - Calls

  /// Calls a function value with positional arguments; for builtins that take callbacks.
  public func call(_ callee: Value, _ arguments: [Value]) throws -> Value {
    try withStackSlots(arguments.count, at: nil) { base in
      for (index, argument) in arguments.enumerated() { (base + index).initialize(to: argument) }
      return try callValue(callee, arguments: base, count: arguments.count, labels: nil, at: nil)
    }
  }

  /// `callee` ready to be called with `arity` arguments once per item, as `map`, `filter`
  /// and `reduce` call it.
  public func callback(_ callee: Value, arity: Int) -> Callback {
    if case .closure(let closure) = callee, closure.parameterCount == arity {
      return Callback(interpreter: self, callee: callee, closure: closure)
    }
    return Callback(interpreter: self, callee: callee, closure: nil)
  }

  /// Calls a function value with one or two positional arguments, without building an array;
  /// for builtins that call back for every item.
  public func call(_ callee: Value, _ first: Value, _ second: Value? = nil) throws -> Value {
    let count = second == nil ? 1 : 2
    // A closure taking just these arguments, as map, filter and reduce pass them, gets them
    // straight in its frame.
    if case .closure(let closure) = callee, closure.parameterCount == count {
      return try enter(closure, at: nil) { base in
        (base + 1).initialize(to: first)
        if let second { (base + 2).initialize(to: second) }
      }
    }
    return try withStackSlots(count, at: nil) { base in
      base.initialize(to: first)
      if let second { (base + 1).initialize(to: second) }
      return try callValue(callee, arguments: base, count: count, labels: nil, at: nil)
    }
  }

  /// Calls `callee` with `count` arguments already on the value stack at `arguments`.
  func callValue(
    _ callee: Value, arguments: UnsafeMutablePointer<Value>, count: Int, labels: [String?]?, at location: SourceLocation?
  ) throws -> Value {
    switch callee {
    case .closure(let closure):
      return try callClosure(closure, arguments: arguments, count: count, labels: labels, at: location)
    case .builtin(let builtin):
      return try callBuiltin(builtin, arguments: arguments, count: count, labels: labels, at: location)
    default:
      let message = "cannot call a value of type \(callee.typeName)"
      if location == nil { throw RuntimeFailure(message) }
      throw Diagnostic(.runtime, message, at: location)
    }
  }

  /// Runs a builtin on `count` arguments on the value stack; what it throws becomes an error
  /// at the call.
  @inline(__always)
  func callBuiltin(
    _ builtin: Builtin, arguments: UnsafeMutablePointer<Value>, count: Int, labels: [String?]?, at location: SourceLocation?
  ) throws -> Value {
    var args = Arguments(interpreter: self, values: arguments, count: count, labels: labels, function: builtin.name)
    do {
      if labels == nil, let positional = builtin.positional { return try positional(&args) }
      return try builtin.body(&args)
    } catch let failure as RuntimeFailure {
      throw Diagnostic(.runtime, failure.message, at: location)
    } catch var diagnostic as Diagnostic {
      if let location { diagnostic.addCall(.init(function: builtin.name, location: location)) }
      throw diagnostic
    }
  }

  func callClosure(
    _ closure: Closure, arguments: UnsafeMutablePointer<Value>, count: Int, labels: [String?]?, at location: SourceLocation?
  ) throws -> Value {
    try enter(closure, at: location) { base in
      let frame = Frame(slots: base, closure: closure)
      try bind(closure.proto, frame: frame, arguments: arguments, count: count, labels: labels, at: location)
    }
  }

  /// Calls `closure` in a new frame whose parameters `bind` fills in. Compiled calls write
  /// the same steps out in place (`Compiler.call`): through a closure argument, the hottest
  /// path of all would pay for one more call.
  @inline(__always)
  func enter(
    _ closure: Closure, at location: SourceLocation?, binding bind: (UnsafeMutablePointer<Value>) throws -> Void
  ) throws -> Value {
    let base = try pushFrame(closure, at: location)
    // Popped on each path rather than in a `defer`, which is compiled as a function of its
    // own and called.
    do {
      try bind(base)
      let result = try invoke(closure, frame: Frame(slots: base, closure: closure), at: location)
      popFrame(base, closure)
      return result
    } catch {
      popFrame(base, closure)
      throw error
    }
  }

  /// Reserves a frame's slots on the value stack.
  @inline(__always)
  func pushFrame(_ closure: Closure, at location: SourceLocation?) throws -> UnsafeMutablePointer<Value> {
    try checkInterrupt(at: location)
    let base = top
    guard depth < maxCallDepth, reserve(closure.slotCount) else {
      let message = "stack overflow: more than \(maxCallDepth) nested calls (does a recursion lack its base case?)"
      if location == nil { throw RuntimeFailure(message) }
      throw Diagnostic(.runtime, message, at: location)
    }
    top = base + closure.slotCount
    depth += 1
    return base
  }

  @inline(__always)
  func popFrame(_ base: UnsafeMutablePointer<Value>, _ closure: Closure) {
    Interpreter.clear(base, count: closure.slotCount)
    top = base
    depth -= 1
  }

  /// Runs `body` with `count` slots reserved on the value stack, for arguments; they are
  /// cleared when it returns.
  @inline(__always)
  func withStackSlots<Result>(
    _ count: Int, at location: SourceLocation?, _ body: (UnsafeMutablePointer<Value>) throws -> Result
  ) throws -> Result {
    let base = top
    guard reserve(count) else {
      let message = "stack overflow: the value stack is full"
      if location == nil { throw RuntimeFailure(message) }
      throw Diagnostic(.runtime, message, at: location)
    }
    top = base + count
    defer {
      Interpreter.clear(base, count: count)
      top = base
    }
    return try body(base)
  }

  /// Sets slots leaving the stack back to nil, releasing what they held. Every slot above the
  /// top holds nil, so a new frame starts with its locals nil and can initialize them.
  @inline(__always)
  static func clear(_ base: UnsafeMutablePointer<Value>, count: Int) {
    for index in 0..<count {
      if base[index].holdsObject { base[index] = .nil } else { (base + index).initialize(to: .nil) }
    }
  }

  /// Runs a bound frame's body and returns its result; errors gain the call on their stack.
  @inline(__always)
  func invoke(_ closure: Closure, frame: Frame, at location: SourceLocation?) throws -> Value {
    if closure.hasBoxedParameters {
      for slot in closure.proto.boxedParameters { frame.slots[slot] = .box(Box(frame.slots[slot])) }
    }
    do {
      return try closure.body(frame)
    } catch {
      throw Interpreter.addingCall(to: error, closure, at: location)
    }
  }

  /// `error` with the call of `closure` added to its stack. Kept out of line, so that every
  /// compiled call does not carry it.
  @inline(never)
  static func addingCall(to error: Error, _ closure: Closure, at location: SourceLocation?) -> Error {
    guard var diagnostic = error as? Diagnostic else { return error }
    // A function a builtin called back has no call site in seed code; its own place stands in.
    let proto = closure.proto
    if let at = location ?? proto.location { diagnostic.addCall(.init(function: proto.name, location: at)) }
    return diagnostic
  }

  /// Binds positional and named arguments to parameters and fills in defaults.
  func bind(
    _ proto: FunctionProto, frame: Frame, arguments: UnsafeMutablePointer<Value>, count: Int, labels: [String?]?,
    at location: SourceLocation?
  ) throws {
    let parameters = proto.parameters
    // The common case needs no bookkeeping: every parameter given by position.
    if labels == nil && count == parameters.count {
      for index in 0..<count { frame.slots[1 + index] = arguments[index] }
      return
    }
    func failure(_ message: String) -> Error {
      location.map { Diagnostic(.runtime, message, at: $0) } ?? RuntimeFailure(message)
    }
    var bound = [Bool](repeating: false, count: parameters.count)
    var trailing: [Int] = []
    var seenLabel = false
    for index in 0..<count {
      if labels?[index] == nil && seenLabel {
        // A trailing closure after named arguments fills the first parameter left unbound.
        trailing.append(index)
        continue
      }
      if let label = labels?[index] {
        seenLabel = true
        guard let position = proto.parameterIndex[label] else {
          let names = parameters.map(\.name).joined(separator: ", ")
          throw failure("\(proto.name)() has no parameter named '\(label)' (its parameters: \(names.isEmpty ? "none" : names))")
        }
        if bound[position] { throw failure("\(proto.name)() got two values for parameter '\(label)'") }
        frame.slots[1 + position] = arguments[index]
        bound[position] = true
      } else {
        guard index < parameters.count else {
          throw failure("\(proto.name)() takes \(parameters.count) argument\(parameters.count == 1 ? "" : "s") but \(count) were given")
        }
        frame.slots[1 + index] = arguments[index]
        bound[index] = true
      }
    }
    for index in trailing {
      guard let position = bound.firstIndex(of: false) else {
        throw failure("\(proto.name)() takes \(parameters.count) argument\(parameters.count == 1 ? "" : "s") but \(count) were given")
      }
      frame.slots[1 + position] = arguments[index]
      bound[position] = true
    }
    for (position, parameter) in parameters.enumerated() where !bound[position] {
      guard let defaultValue = parameter.defaultValue else {
        throw failure("\(proto.name)() is missing the argument '\(parameter.name)'")
      }
      frame.slots[1 + position] = try defaultValue(frame)
    }
  }
}

/// A function a builtin calls once per item. A closure taking exactly the arguments given is
/// held here for the whole loop, so each call enters it directly, without matching the
/// value or retaining the closure again.
public struct Callback {
  let interpreter: InterpreterHandle
  /// Holds the function alive; `closure` refers to it without a count of its own.
  let callee: Value
  let closure: Unmanaged<Closure>?

  init(interpreter: Interpreter, callee: Value, closure: Closure?) {
    self.interpreter = InterpreterHandle(interpreter)
    self.callee = callee
    self.closure = closure.map { .passUnretained($0) }
  }

  public func callAsFunction(_ first: Value) throws -> Value {
    try interpreter.with { interpreter in
      guard let closure else { return try interpreter.call(callee, first) }
      return try closure._withUnsafeGuaranteedRef { function in
        try interpreter.enter(function, at: nil) { base in (base + 1).initialize(to: first) }
      }
    }
  }

  /// Calls the function once for each of `items`, handing `body` each item with its result,
  /// as `map` and `filter` do. A closure's frame is made once for all the calls and cleared
  /// after each, so that each call starts as in a new frame: a third less work a call.
  public func forEach(_ items: [Value], _ body: (Value, Value) throws -> Void) throws {
    guard let closure else {
      for item in items { try body(item, try self(item)) }
      return
    }
    try interpreter.with { interpreter in
      try closure._withUnsafeGuaranteedRef { function in
        let base = try interpreter.pushFrame(function, at: nil)
        defer { interpreter.popFrame(base, function) }
        let frame = Frame(slots: base, closure: function)
        for item in items {
          (base + 1).initialize(to: item)
          let result = try interpreter.invoke(function, frame: frame, at: nil)
          Interpreter.clear(base, count: function.slotCount)
          try body(item, result)
          try interpreter.checkInterrupt(at: nil)
        }
      }
    }
  }

  /// Folds `items` into one value, calling the function with the value so far and each item,
  /// as `reduce` does; its frame is made once, as in `forEach`.
  public func fold(_ items: [Value], from initial: Value) throws -> Value {
    guard let closure else { return try items.reduce(initial) { try self($0, $1) } }
    return try interpreter.with { interpreter in
      try closure._withUnsafeGuaranteedRef { function in
        let base = try interpreter.pushFrame(function, at: nil)
        defer { interpreter.popFrame(base, function) }
        let frame = Frame(slots: base, closure: function)
        var accumulator = initial
        for item in items {
          (base + 1).initialize(to: accumulator)
          (base + 2).initialize(to: item)
          accumulator = try interpreter.invoke(function, frame: frame, at: nil)
          Interpreter.clear(base, count: function.slotCount)
          try interpreter.checkInterrupt(at: nil)
        }
        return accumulator
      }
    }
  }

  public func callAsFunction(_ first: Value, _ second: Value) throws -> Value {
    try interpreter.with { interpreter in
      guard let closure else { return try interpreter.call(callee, first, second) }
      return try closure._withUnsafeGuaranteedRef { function in
        try interpreter.enter(function, at: nil) { base in
          (base + 1).initialize(to: first)
          (base + 2).initialize(to: second)
        }
      }
    }
  }
}

/// How compiled code holds its interpreter: without owning it, since the interpreter owns the
/// code (through its globals and methods) and an owning reference back would keep every
/// interpreter alive forever; and without the retain and release that an `unowned` reference
/// costs at every use, which slowed calls by a sixth. Compiled code runs only inside its
/// interpreter's `run` or `call`, so the interpreter is alive whenever the code is.
struct InterpreterHandle {
  private let reference: Unmanaged<Interpreter>

  init(_ interpreter: Interpreter) { reference = .passUnretained(interpreter) }

  @inline(__always)
  func with<Result>(_ body: (Interpreter) throws -> Result) rethrows -> Result {
    try reference._withUnsafeGuaranteedRef(body)
  }

  @inline(__always)
  func checkInterrupt(at location: SourceLocation?) throws {
    try with { try $0.checkInterrupt(at: location) }
  }
}

/// A global variable. Compiled code holds its cell directly, so reading a global is one load.
final class GlobalCell {
  let name: String
  /// Set through `assign`, which keeps a replaced function alive while calls may be running it.
  private(set) var value: Value = .nil
  var isDefined = false
  var isConstant = false

  init(name: String) { self.name = name }

  @inline(__always)
  func assign(_ newValue: Value, in interpreter: Interpreter) {
    switch value {
    case .closure, .builtin: if interpreter.mayBeCalling { interpreter.retiredFunctions.append(value) }
    default: break
    }
    value = newValue
  }

  /// Sets an int or a float where one is: no function can be replaced.
  @inline(__always)
  func assignNumber(_ newValue: Value) {
    value = newValue
  }

  /// Drops the value, when the session ends and no code runs.
  func clear() { value = .nil }

  /// The function in the cell when it takes `count` arguments, not retained: the cell keeps
  /// it alive, and `assign` keeps it alive past a replacement while a call may be running.
  @inline(__always)
  func function(taking count: Int) -> Unmanaged<Closure>? {
    guard case .closure(let closure) = value, closure.parameterCount == count else { return nil }
    return .passUnretained(closure)
  }

  /// The builtin in the cell, not retained, as `function(taking:)` gives a closure.
  @inline(__always)
  func builtin() -> Unmanaged<Builtin>? {
    guard case .builtin(let builtin) = value else { return nil }
    return .passUnretained(builtin)
  }
}

/// A running function's window onto the value stack. Slot 0 is where a `return` inside
/// statements (in a loop, say) leaves the function's value; parameters follow it.
struct Frame {
  let slots: UnsafeMutablePointer<Value>
  /// The running closure, for its captures. The caller holds it for the whole call, so the
  /// frame need not retain it: that saves a retain and a release on every call.
  private let running: Unmanaged<Closure>?

  init(slots: UnsafeMutablePointer<Value>, closure: Closure?) {
    self.slots = slots
    running = closure.map { .passUnretained($0) }
  }

  /// The value of the running closure's capture at `index`. Read through the unretained
  /// reference: an `unowned(unsafe)` one would be retained and released around the read.
  @inline(__always)
  func capturedValue(_ index: Int) -> Value {
    running.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.capturedValue(index) }
  }

  /// The box of the running closure's capture at `index`.
  @inline(__always)
  func capturedBox(_ index: Int) -> Box {
    running.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.captures[index] }
  }

  /// Stores a local. When the slot holds an int, a float or another value that owns
  /// nothing, as a loop's locals mostly do, there is nothing to release: the slot is
  /// initialized, instead of assigned through the general destroy of the old value.
  @inline(__always)
  func store(_ value: consuming Value, at slot: Int) {
    let target = slots + slot
    if target.pointee.holdsObject { target.pointee = value } else { target.initialize(to: value) }
  }
}

/// What a statement tells the block around it to do next.
enum Flow {
  case next, breakLoop, continueLoop, returned
}

typealias Evaluate = (Frame) throws -> Value
typealias Execute = (Frame) throws -> Flow

/// A compiled function: its parameters, how many slots its frame needs, and its body.
final class FunctionProto {
  struct ParameterInfo {
    let name: String
    /// Evaluated in the callee's frame, so a default may use the parameters before it.
    let defaultValue: Evaluate?
  }

  /// Where a closure finds a captured variable when it is made.
  enum CaptureSource {
    /// The boxed local in this slot of the enclosing frame.
    case local(Int)
    /// The enclosing closure's own capture at this index.
    case capture(Int)
  }

  let name: String
  /// Where the function is written.
  var location: SourceLocation?
  var parameters: [ParameterInfo] = []
  var parameterIndex: [String: Int] = [:]
  var boxedParameters: [Int] = []
  var captures: [CaptureSource] = []
  var slotCount = 1
  /// Runs the body in a bound frame and returns the function's value (a script's: its last
  /// expression's).
  var body: Evaluate = { _ in .nil }

  init(name: String) { self.name = name }
}

public final class Closure {
  let proto: FunctionProto
  let captures: [Box]
  // What a call needs, copied from the finished proto: a call then reads only immutable
  // fields of the closure it already holds, and retains neither the proto nor the body.
  let body: Evaluate
  let slotCount: Int
  let parameterCount: Int
  let hasBoxedParameters: Bool

  init(proto: FunctionProto, captures: [Box]) {
    self.proto = proto
    self.captures = captures
    body = proto.body
    slotCount = proto.slotCount
    parameterCount = proto.parameters.count
    hasBoxedParameters = !proto.boxedParameters.isEmpty
  }

  public var name: String { proto.name }

  /// The value of a captured variable, read through the buffer: `captures[index]` would
  /// retain and release the box.
  @inline(__always)
  func capturedValue(_ index: Int) -> Value {
    captures.withUnsafeBufferPointer { $0[index].value }
  }
}

public final class Builtin {
  public let name: String
  let body: (inout Arguments) throws -> Value
  /// For a native that checks and reorders labels before its own body: that body, which a
  /// call with positional arguments only can run directly.
  let positional: ((inout Arguments) throws -> Value)?

  public convenience init(name: String, body: @escaping (inout Arguments) throws -> Value) {
    self.init(name: name, body: body, positional: nil)
  }

  init(name: String, body: @escaping (inout Arguments) throws -> Value, positional: ((inout Arguments) throws -> Value)?) {
    self.name = name
    self.body = body
    self.positional = positional
  }
}

/// An error a builtin raises; the call site adds the location.
public struct RuntimeFailure: Error {
  public let message: String
  public init(_ message: String) { self.message = message }
}
