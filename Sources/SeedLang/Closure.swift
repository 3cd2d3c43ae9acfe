/// A function value: a proto with the boxes of the variables it captured when it was made.
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
