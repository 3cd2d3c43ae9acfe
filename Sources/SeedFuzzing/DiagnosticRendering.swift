import SeedLang

/// Renders what the code under test threw, as the CLI would print it, so that the caret and
/// source-line code runs on every error the fuzzers provoke.
enum DiagnosticRendering {
  static func render(_ error: Error) -> String {
    switch error {
    case let diagnostic as Diagnostic: return diagnostic.rendered()
    case let list as DiagnosticList: return list.rendered()
    default: return String(describing: error)
    }
  }
}
