/// An API key and the name of the variable it came from. It shows as `••••` in every
/// description, interpolation and dump, so no message, log or record can hold it by accident;
/// only the client, writing the `Authorization` header, reads the text.
public struct APIKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
  /// The environment variable it came from (`OPENAI_API_KEY`): safe to show or to key a cache by.
  public let name: String
  let text: String

  public init(name: String, text: String) {
    self.name = name
    self.text = text
  }

  /// The key of the environment variable `name`, when it is set and not empty.
  public static func fromEnvironment(_ name: String, in environment: [String: String]) -> APIKey? {
    guard let text = environment[name], !text.isEmpty else { return nil }
    return APIKey(name: name, text: text)
  }

  public var description: String { "••••" }
  public var debugDescription: String { "APIKey(\(name): ••••)" }
  public var customMirror: Mirror { Mirror(self, children: ["name": name]) }

  /// The header line that carries it; read only by the clients that send it.
  public var authorization: (name: String, value: String) { ("Authorization", "Bearer \(text)") }
}
