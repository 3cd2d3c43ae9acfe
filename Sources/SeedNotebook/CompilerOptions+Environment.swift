import Foundation
import SeedLang

extension CompilerOptions {
  /// The options the environment asks for: `SEEDNB_SPECIALISATIONS=off` runs every program on
  /// the interpreter's general paths only, to tell a fault of a fast path from one of the
  /// language. Any other value, or none, leaves the specialisations on.
  public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> CompilerOptions {
    CompilerOptions(specialisations: environment["SEEDNB_SPECIALISATIONS"]?.lowercased() != "off")
  }
}
