import Foundation

/// Which environment variables a program may read with `secret(NAME)`, and where they are
/// looked up. Nothing is allowed until the host allows it: a notebook lists its secrets in the
/// front matter, and a user adds one for a run with `--allow-secret NAME`, so that a notebook
/// cannot send an arbitrary variable (`AWS_SECRET_ACCESS_KEY`) to an endpoint as a bearer
/// token. The set can grow while a session lives (the REPL loads a notebook), so it is shared.
public final class SecretAccess: @unchecked Sendable {
  /// Who allowed a name, shown beside it.
  public enum Grant: String, Sendable {
    case frontMatter = "front matter"
    case commandLine = "--allow-secret"
  }

  private let lock = NSLock()
  private var grants: [(name: String, grant: Grant)] = []
  private var read: Set<String> = []
  private let lookup: @Sendable (String) -> String?
  /// How to allow a refused name, added to the refusal: the host knows its own ways.
  private let howToAllow: @Sendable (String) -> String?
  /// Hears each allowed name the first time the program reads it (the REPL shows it).
  public var onFirstRead: (@Sendable (String, Grant) -> Void)?

  public init(
    lookup: @escaping @Sendable (String) -> String?, howToAllow: @escaping @Sendable (String) -> String? = { _ in nil }
  ) {
    self.lookup = lookup
    self.howToAllow = howToAllow
  }

  /// Allows `name`; a name allowed already keeps its first grant.
  public func allow(_ name: String, by grant: Grant) {
    lock.withLock {
      if !grants.contains(where: { $0.name == name }) { grants.append((name, grant)) }
    }
  }

  /// Every allowed name with its grant, in the order they were allowed.
  public var allowed: [(name: String, grant: Grant)] { lock.withLock { grants } }

  /// The values of every allowed variable that is set, for checks that must recognise them
  /// (a parameter given one on the command line).
  public var allowedValues: [String] {
    allowed.compactMap { lookup($0.name) }.filter { !$0.isEmpty }
  }

  /// `secret(name)`'s text: an error when the name is not allowed; nil when it is not set.
  public func text(of name: String) throws -> String? {
    let (grant, first) = lock.withLock { () -> (Grant?, Bool) in
      guard let grant = grants.first(where: { $0.name == name })?.grant else { return (nil, false) }
      return (grant, read.insert(name).inserted)
    }
    guard let grant else {
      let names = allowed.map(\.name)
      let list = names.isEmpty ? "none is allowed" : "allowed: " + names.joined(separator: ", ")
      let hint = howToAllow(name).map { "; \($0)" } ?? ""
      throw RuntimeFailure("secret(): the environment variable \(name) may not be read (\(list))\(hint)")
    }
    let text = lookup(name)
    if first, let onFirstRead { onFirstRead(name, grant) }
    return text
  }
}
