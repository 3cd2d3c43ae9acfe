/// How an interpreter compiles code; the host decides, SeedLang reads no environment.
public struct CompilerOptions: Equatable, Sendable {
  /// Whether the emitter uses the specialisations registered in `Specialisations`, faster
  /// code for common shapes; off, every node takes the general path. Both must give the same
  /// outputs and errors: seednb turns them off with `SEEDNB_SPECIALISATIONS=off` to tell
  /// a fault of a fast path from one of the language.
  public var specialisations: Bool

  public init(specialisations: Bool = true) {
    self.specialisations = specialisations
  }
}
