/// A function body that begins `if local op k { return local }`, as recursion tests its base
/// case, compiled by `Specialisations.returnedValue`: the test made in place and the local
/// returned, or the rest of the body run. It is `ReturningBranch` with both of its choices
/// made when compiling, which the base case of every recursive call is worth.
final class LocalTestReturn {
  let form: SlotConstant
  /// The test as written, for values other than ints.
  let test: Condition
  let slot: Int
  let otherwise: Evaluate

  init(form: SlotConstant, test: @escaping Condition, slot: Int, otherwise: @escaping Evaluate) {
    self.form = form
    self.test = test
    self.slot = slot
    self.otherwise = otherwise
  }

  @inline(__always)
  func value(_ frame: Frame) throws -> Value {
    try form.test(frame) ?? test(frame) ? frame.slots[slot] : try otherwise(frame)
  }
}
