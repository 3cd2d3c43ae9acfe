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
  @exclusivity(unchecked) public var maxCallDepth = 2_000

  /// The most output (bytes of text, see `OutputItem.size`) one top-level run, a cell, may
  /// record; the `print` or `display` that goes past it fails instead.
  @exclusivity(unchecked) public var maxOutputBytes = 10_000_000
  /// Output recorded since the top-level run began.
  @exclusivity(unchecked) var outputBytes = 0

  /// Set from any thread (Ctrl-C, a timeout) to stop the running code at its next loop
  /// iteration or call with an "interrupted" error.
  private let interruptFlag = Atomic<Bool>(false)

  public func interrupt() { interruptFlag.store(true, ordering: .relaxed) }

  /// Checked at every loop iteration and call; one relaxed load when nothing is pending.
  @inline(__always)
  func checkInterrupt(at location: SourceLocation?) throws {
    if interruptFlag.load(ordering: .relaxed) { throw Interpreter.interrupted(at: location) }
  }

  /// Kept out of line: made inline, the error's making took stack space and register spills
  /// in every compiled call and loop.
  @inline(never)
  private static func interrupted(at location: SourceLocation?) -> Error {
    Diagnostic(.runtime, "interrupted", at: location)
  }

  var globals: [String: GlobalCell] = [:]
  var methods = MethodTables()
  private var importedModules: Set<String> = []

  // The value stack of the thread running code now: each running function's locals are a
  // window onto it, and `parallel` gives each worker its own. Its slots are initialized as it
  // grows, up to `stackEnd`, so a session that stays shallow never touches the memory a deep
  // recursion would need; `stackLimit` is the end of the allocation.
  @exclusivity(unchecked) var stack: UnsafeMutablePointer<Value>
  @exclusivity(unchecked) var stackEnd: UnsafeMutablePointer<Value>
  @exclusivity(unchecked) var stackLimit: UnsafeMutablePointer<Value>
  @exclusivity(unchecked) var top: UnsafeMutablePointer<Value>
  @exclusivity(unchecked) var depth = 0
  /// The `parallel` item indices the running code is inside, outermost first; empty outside.
  /// It names a call's place independently of how the workers were scheduled.
  public internal(set) var taskPath: [Int] = []
  private let mainStack: UnsafeMutablePointer<Value>
  static let stackCapacity = 1 << 18

  /// Held by whichever thread runs seed code while `parallel` workers exist.
  let executionLock = NSLock()
  /// How many `parallel` calls are running; while above zero, threads share the interpreter.
  @exclusivity(unchecked) var sharingDepth = 0
  /// `parallel` worker threads alive now, nested calls included; guarded by the execution lock.
  @exclusivity(unchecked) var workerThreads = 0
  @exclusivity(unchecked) private var runDepth = 0

  /// How `run` and `check` compile code; fixed for the session, the core library included.
  public let compilerOptions: CompilerOptions

  public init(options: CompilerOptions = CompilerOptions()) {
    compilerOptions = options
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
  @exclusivity(unchecked) var retiredFunctions: [Value] = []

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
    let program = try Resolver.resolve(try Parser.parse(source), source: source)
    return try runScript(Emitter.emitScript(program, source: source, interpreter: self))
  }

  /// Parses and resolves a source text without running it; throws its syntax errors and
  /// gives the globals it uses.
  @discardableResult
  public func check(_ source: SourceText) throws -> ProgramUsage {
    try Resolver.resolve(try Parser.parse(source), source: source).usage
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
    var args = Arguments(interpreter: self, values: arguments, count: count, labels: labels, builtin: .passUnretained(builtin))
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
  /// the same steps out in place (`Specialisations.globalCall`): through a closure argument, the hottest
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
    guard depth < maxCallDepth, reserve(closure.slotCount) else { throw stackOverflow(at: location) }
    top = base + closure.slotCount
    // `depth` is below `maxCallDepth`, an Int, so neither step can overflow.
    depth &+= 1
    return base
  }

  /// Kept out of line, so that every compiled call does not carry the making of the message.
  @inline(never)
  private func stackOverflow(at location: SourceLocation?) -> Error {
    let message = "stack overflow: more than \(maxCallDepth) nested calls (does a recursion lack its base case?)"
    guard let location else { return RuntimeFailure(message) }
    return Diagnostic(.runtime, message, at: location)
  }

  /// Releases a frame's slots. Slot 0 is not cleared: it holds nil whenever a body has
  /// returned or thrown, since the `return` that fills it is followed by no code that could
  /// fail before the body moves the value out (`Emitter.functionBody`).
  @inline(__always)
  func popFrame(_ base: UnsafeMutablePointer<Value>, _ closure: Closure) {
    Interpreter.clear(base + 1, count: closure.slotCount &- 1)
    top = base
    depth &-= 1
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

  /// Puts a value in a parameter's slot without a count of its own: the caller keeps it alive
  /// for the call and takes it back with `takeBack`, saving a retain and a release per
  /// argument. Only for a closure without boxed parameters: no code assigns to a parameter
  /// (the resolver refuses it), so nothing else releases the slot's value, but `invoke` moves
  /// a boxed one into a box.
  @inline(__always)
  static func lend(_ value: UnsafePointer<Value>, to slot: UnsafeMutablePointer<Value>) {
    UnsafeMutableRawPointer(slot).copyMemory(from: value, byteCount: MemoryLayout<Value>.size)
  }

  /// Empties slots that `lend` filled, without releasing what they held.
  @inline(__always)
  static func takeBack(_ slots: UnsafeMutablePointer<Value>, count: Int) {
    for index in 0..<count { (slots + index).initialize(to: .nil) }
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
