import SeedJSON

extension JSONValue {
  /// An optional string as a string or null.
  static func nullable(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
}
