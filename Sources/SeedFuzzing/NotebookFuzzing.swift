import SeedLang
import SeedNotebook

/// A `.seednb` document through the notebook reader. A document that parses must print back
/// byte for byte (editing tools rely on it); then its cells are checked for syntax errors as
/// `seednb run` does before running anything, and every diagnostic is rendered.
enum NotebookFuzzing {
  static func run(_ bytes: [UInt8], violations: inout [String]) {
    let text = String(decoding: bytes, as: UTF8.self)
    let notebook: Notebook
    do {
      notebook = try Notebook.parse(text, file: "fuzz.seednb")
    } catch {
      _ = DiagnosticRendering.render(error)
      return
    }
    if !notebook.printed().utf8.elementsEqual(text.utf8) {
      violations.append("the notebook printed back differs from its text")
    }
    let session = NotebookSession(
      notebook: notebook, parameters: notebook.frontMatter?.params ?? [:], modules: ModuleSearchPath(directories: []))
    for diagnostic in session.syntaxErrors() { _ = diagnostic.rendered() }
  }
}
