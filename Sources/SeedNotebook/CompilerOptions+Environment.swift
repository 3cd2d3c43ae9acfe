import Foundation
import SeedLang

extension CompilerOptions {
  /// The options the environment asks for: `SEEDNB_SPECIALISATIONS=off` runs every program on
  /// the interpreter's general paths only, to tell a fault of a fast path from one of the
  /// language. Any other value, or none, leaves the specialisations on. Without `environment`
  /// the one variable is read with `getenv`: `ProcessInfo.environment` builds a dictionary of
  /// every variable, a cost every start of seednb would pay.
  public static func fromEnvironment(_ environment: [String: String]? = nil) -> CompilerOptions {
    let value = environment.map { $0["SEEDNB_SPECIALISATIONS"] } ?? getenv("SEEDNB_SPECIALISATIONS").map { String(cString: $0) }
    return CompilerOptions(specialisations: value?.lowercased() != "off")
  }
}
