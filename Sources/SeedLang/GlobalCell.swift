/// A global variable. Compiled code holds its cell directly, so reading a global is one load.
final class GlobalCell {
  let name: String
  /// Set through `assign`, which keeps a replaced function alive while calls may be running it.
  @exclusivity(unchecked) private(set) var value: Value = .nil
  @exclusivity(unchecked) var isDefined = false
  @exclusivity(unchecked) var isConstant = false

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

  /// `value += suffix` on a string value, in place; false, changing nothing, when the value is
  /// no string or the sum would be too large (`Value.append(_:toStringAt:)`).
  func append(_ suffix: String) -> Bool {
    withUnsafeMutablePointer(to: &value) { Value.append(suffix, toStringAt: $0) }
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

  /// The dict in the cell, not retained: the cell keeps it alive while nothing assigns the
  /// global, which the caller must ensure for as long as it uses the reference.
  @inline(__always)
  func dict() -> Unmanaged<DictObject>? {
    guard case .dict(let dict) = value else { return nil }
    return .passUnretained(dict)
  }

  /// The list in the cell, not retained, on the terms of `dict()`.
  @inline(__always)
  func list() -> Unmanaged<ListObject>? {
    guard case .list(let list) = value else { return nil }
    return .passUnretained(list)
  }

  /// The value where the cell holds it, for a method call that borrows it in place
  /// (`MethodCallSite.call(lending:)`); the caller must ensure nothing assigns the global
  /// meanwhile.
  @inline(__always)
  func withValueInPlace<Result>(_ body: (UnsafeMutablePointer<Value>) throws -> Result) rethrows -> Result {
    try withUnsafeMutablePointer(to: &value, body)
  }

  /// The builtin in the cell, not retained, as `function(taking:)` gives a closure.
  @inline(__always)
  func builtin() -> Unmanaged<Builtin>? {
    guard case .builtin(let builtin) = value else { return nil }
    return .passUnretained(builtin)
  }
}
