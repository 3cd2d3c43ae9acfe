import Foundation
import SeedLang

extension SecretAccess {
  /// The access a notebook's code gets: variables of `environment` (the process's), none of
  /// them allowed yet; a refusal says the two ways to allow one.
  public static func notebook(
    environment: @escaping @Sendable (String) -> String? = { ProcessInfo.processInfo.environment[$0] }
  ) -> SecretAccess {
    SecretAccess(lookup: environment) { name in
      "to allow it, list it in the front matter (secrets: [\(name)]) or pass --allow-secret \(name)"
    }
  }

  /// Allows the front matter's names and then the command line's.
  public func allow(frontMatter: [String], commandLine: [String]) {
    for name in frontMatter { allow(name, by: .frontMatter) }
    for name in commandLine { allow(name, by: .commandLine) }
  }

  /// `A (front matter), B (--allow-secret)`, or nil when nothing is allowed.
  public var allowedList: String? {
    let list = allowed
    return list.isEmpty ? nil : list.map { "\($0.name) (\($0.grant.rawValue))" }.joined(separator: ", ")
  }
}
