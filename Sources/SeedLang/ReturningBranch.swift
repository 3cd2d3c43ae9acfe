/// One branch of a function body's `if` whose every branch returns, compiled by
/// `Specialisations.returnedValue`: `if test { return result }`, else the rest of the body.
/// Its compiled closure captures only this object, so it is entered directly; capturing the
/// test, the result and the rest as separate values made it entered through a forwarder that
/// copied them onto the machine stack on every call.
final class ReturningBranch {
  let test: Condition
  /// The test as `local op k` (a comparison), made in place on an int local: `if n < 2`, the
  /// base case of recursion.
  let form: SlotConstant?
  /// What the branch returns: a local or a constant is read in place.
  let result: Operand
  let computeResult: Evaluate
  let otherwise: Evaluate

  init(test: @escaping Condition, form: SlotConstant?, result: Operand, otherwise: @escaping Evaluate) {
    self.test = test
    self.form = form?.isComparison == true ? form : nil
    self.result = result
    computeResult = result.evaluate
    self.otherwise = otherwise
  }

  @inline(__always)
  func value(_ frame: Frame) throws -> Value {
    guard try form?.test(frame) ?? test(frame) else { return try otherwise(frame) }
    switch result {
    case .slot(let slot): return frame.slots[slot]
    case .constant(let value): return value
    default: return try computeResult(frame)
    }
  }
}
