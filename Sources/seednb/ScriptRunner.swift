import ArgumentParser
import Foundation
import SeedLang
import SeedNotebook

/// `seednb run script.seed`: a plain seed file run as one piece, as `python script.py` runs.
enum ScriptRunner {
  /// The script is one cell: `timeout` and `maxOutputBytes` apply to all of it.
  static func run(
    path: String, backend: Backend, terminal: Terminal, timeout: CellTimeout? = nil, maxOutputBytes: Int? = nil,
    allowedSecrets: [String] = []
  ) throws -> Int32 {
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
      terminal.err("seednb: cannot read '\(path)'\n")
      return ExitStatus.usage
    }
    return LargeStack.run {
      let interpreter = Interpreter(options: .fromEnvironment())
      if let maxOutputBytes { interpreter.maxOutputBytes = maxOutputBytes }
      interpreter.moduleLoader = ModuleSearchPath.loader { .forNotebook(at: path) }
      let bindings = backend.bindings(model: nil)
      bindings.secrets.allow(frontMatter: [], commandLine: allowedSecrets)
      bindings.install(in: interpreter)
      FileBindings(folder: .around(file: path, role: "the script's folder")).install(in: interpreter)
      let interruption = Interruption { interpreter }
      defer { withExtendedLifetime(interruption) {} }
      let printer = OutputPrinter(terminal: terminal)
      interpreter.outputHandler = { printer.print($0) }
      let source = SourceText(file: path, text: text)
      do {
        try interpreter.check(source)
      } catch let list as DiagnosticList {
        terminal.err(list.rendered() + "\n")
        return ExitStatus.usage
      } catch {
        terminal.err("\(error)\n")
        return ExitStatus.usage
      }
      let script = { () -> Error? in
        do {
          try interpreter.run(source)
          return nil
        } catch {
          return error
        }
      }
      let (failure, expired) = timeout.map { $0.run(interrupting: interpreter, script) } ?? (script(), false)
      printer.finishLine()
      guard var failure else { return ExitStatus.ok }
      if expired, let timeout { failure = timeout.error(for: path, stoppedBy: failure as? Diagnostic) }
      terminal.err(terminal.styled("\(failure)", "31") + "\n")
      return ExitStatus.cellFailed
    }
  }
}
