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
