import SeedLang

extension Diagnostic {
  /// A format error at a line and column of a notebook file.
  static func format(_ message: String, in source: SourceText, line: Int, column: Int) -> Diagnostic {
    Diagnostic(.format, message, at: SourceLocation(source: source, line: line, column: column))
  }

  /// A format error with no place in a file, such as a bad `-p` argument.
  static func format(_ message: String) -> Diagnostic {
    Diagnostic(.format, message, at: nil)
  }

  /// Throws nothing for no diagnostics, the diagnostic itself for one, and a list for several.
  static func throwIfAny(_ diagnostics: [Diagnostic]) throws {
    if diagnostics.count == 1 { throw diagnostics[0] }
    if diagnostics.count > 1 { throw DiagnosticList(diagnostics) }
  }
}
