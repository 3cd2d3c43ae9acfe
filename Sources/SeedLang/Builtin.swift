/// A function written in Swift, as the host and the natives register it.
public final class Builtin {
  public let name: String
  let body: (inout Arguments) throws -> Value
  /// For a native that checks and reorders labels before its own body: that body, which a
  /// call with positional arguments only can run directly.
  let positional: ((inout Arguments) throws -> Value)?
  /// For a method of a built-in type: its native body, which a call written `x.name(a, b)`
  /// with positional arguments only runs directly, with nothing to reorder or check. Kept
  /// here rather than in a table keyed by the builtin's identity, whose `Hashable` the
  /// runtime would look up at start-up.
  let method: NativeMethod?

  public convenience init(name: String, body: @escaping (inout Arguments) throws -> Value) {
    self.init(name: name, body: body, positional: nil)
  }

  init(
    name: String, body: @escaping (inout Arguments) throws -> Value, positional: ((inout Arguments) throws -> Value)?,
    method: NativeMethod? = nil
  ) {
    self.name = name
    self.body = body
    self.positional = positional
    self.method = method
  }
}
