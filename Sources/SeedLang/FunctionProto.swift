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
