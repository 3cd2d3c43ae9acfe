/// A function written in Swift, as the host and the natives register it.
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
