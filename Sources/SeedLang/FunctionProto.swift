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
  @exclusivity(unchecked) var location: SourceLocation?
  @exclusivity(unchecked) var parameters: [ParameterInfo] = []
  @exclusivity(unchecked) var parameterIndex: [String: Int] = [:]
  @exclusivity(unchecked) var boxedParameters: [Int] = []
  @exclusivity(unchecked) var captures: [CaptureSource] = []
  @exclusivity(unchecked) var slotCount = 1
  /// Runs the body in a bound frame and returns the function's value (a script's: its last
  /// expression's).
  @exclusivity(unchecked) var body: Evaluate = { _ in .nil }

  init(name: String) { self.name = name }
}
