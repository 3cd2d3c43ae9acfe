/// A text the host handed to the program without letting it read it: `secret("NAME")` makes
/// one from an environment variable. A program can keep it in a variable, a list or a dict and
/// pass it on; it shows as `••••` wherever a value becomes text, `display` refuses it, and no
/// operator, conversion or method turns it into a string. Only host functions that take a
/// secret (`chat(api_key:)`) read its text, through `reveal()`.
public final class Secret: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
  /// How every secret shows.
  public static let mask = "••••"

  /// Where it came from (an environment variable's name); safe to show, and what a cache key
  /// may hold instead of the text.
  public let name: String
  private let text: String

  public init(name: String, text: String) {
    self.name = name
    self.text = text
  }

  /// The text itself, for a host function that sends it where it belongs (an HTTP header).
  public func reveal() -> String { text }

  public var description: String { Secret.mask }
  public var debugDescription: String { "secret(\(name)) \(Secret.mask)" }
  /// `dump` and debuggers show the name only.
  public var customMirror: Mirror { Mirror(self, children: ["name": name]) }

  /// Two secrets are the same when they came from the same place with the same text; a
  /// secret never equals a string, so `==` cannot be used to guess one.
  func isSame(as other: Secret) -> Bool { self === other || (name == other.name && text == other.text) }
}

extension Interpreter {
  /// Installs `secret(name)`. The host says which names may be read and where they are
  /// looked up (the process environment): the language itself reads nothing from outside. A
  /// name that is not allowed, not set, or set to nothing, is an error that names it.
  public func defineSecretBuiltin(_ access: SecretAccess) {
    defineBuiltin("secret") { args in
      try args.checkLabels([])
      try args.expect(1)
      let name = try args.string(0)
      guard Secret.isVariableName(name) else {
        throw RuntimeFailure(
          "secret(): \(Value.quoted(name)) is not an environment variable name (letters, digits and _, not starting with a digit)")
      }
      guard let text = try access.text(of: name) else { throw RuntimeFailure("secret(): the environment variable \(name) is not set") }
      guard !text.isEmpty else { throw RuntimeFailure("secret(): the environment variable \(name) is empty") }
      return .secret(Secret(name: name, text: text))
    }
  }
}

extension Secret {
  static func isVariableName(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
    return name.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
  }
}
