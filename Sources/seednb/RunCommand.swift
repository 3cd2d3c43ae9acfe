import ArgumentParser
import Foundation
import OrderedCollections
import SeedLang
import SeedNotebook

struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run every cell of a notebook in order and print their outputs.",
    discussion: """
      A plain .seed file runs as one script, without cell headers.

      Exit status: 0 when every cell ran, 1 when a cell failed (later cells are not run),
      2 for bad usage or a notebook that does not parse.
      """
  )

  @Argument(help: "The notebook to run (a .seednb file).")
  var notebook: String

  @Option(name: .customShort("p"), help: ArgumentHelp("Set a parameter declared in the front matter.", valueName: "key=value"))
  var parameters: [String] = []

  @Option(help: ArgumentHelp("The LLM backend: local or openai (default: the front matter's, else openai when OPENAI_BASE_URL or OPENAI_API_KEY is set, else local).", valueName: "name"))
  var backend: String?

  func run() throws {
    let terminal = Terminal()
    if notebook.hasSuffix(".seed") {
      let chosen: Backend
      do { chosen = try Backend.choose(flag: backend, frontMatter: nil) } catch let error as Backend.UnknownBackend {
        terminal.err(error.description + "\n")
        throw ExitCode(ExitStatus.usage)
      }
      let status = try ScriptRunner.run(path: notebook, backend: chosen, terminal: terminal)
      if status != ExitStatus.ok { throw ExitCode(status) }
      return
    }
    let loaded: LoadedNotebook
    let chosen: Backend
    do {
      loaded = try LoadedNotebook(path: notebook, overrides: parameters)
      chosen = try Backend.choose(flag: backend, frontMatter: loaded.notebook.frontMatter?.backend)
    } catch let failure as LoadedNotebook.Failure {
      terminal.err(failure.message + "\n")
      throw ExitCode(ExitStatus.usage)
    } catch let error as Backend.UnknownBackend {
      terminal.err(error.description + "\n")
      throw ExitCode(ExitStatus.usage)
    }
    let status = LargeStack.run { RunCommand.execute(loaded, backend: chosen, terminal: terminal) }
    if status != ExitStatus.ok { throw ExitCode(status) }
  }

  static func execute(_ loaded: LoadedNotebook, backend: Backend, terminal: Terminal) -> Int32 {
    let session = NotebookSession(
      notebook: loaded.notebook, parameters: loaded.parameters, modules: .forNotebook(at: loaded.notebook.file),
      llm: backend.bindings(model: loaded.notebook.frontMatter?.model))
    let interruption = Interruption { session.interpreter }
    defer { withExtendedLifetime(interruption) {} }
    let syntaxErrors = session.syntaxErrors()
    if !syntaxErrors.isEmpty {
      terminal.err(syntaxErrors.map { $0.rendered() }.joined(separator: "\n") + "\n")
      let count = syntaxErrors.count
      terminal.err("\(loaded.notebook.file): \(count) syntax error\(count == 1 ? "" : "s"); nothing was run\n")
      return ExitStatus.usage
    }
    let printer = OutputPrinter(terminal: terminal)
    for cell in loaded.notebook.cells {
      printer.header(for: cell.label)
      let result = session.run(cell) { printer.print($0) }
      printer.finishLine()
      if let error = result.error {
        terminal.err(terminal.styled(error.description, "31") + "\n")
        return ExitStatus.cellFailed
      }
    }
    return ExitStatus.ok
  }
}

/// A notebook read from disk and parsed, with its parameters resolved.
struct LoadedNotebook {
  struct Failure: Error {
    let message: String
  }

  let notebook: Notebook
  let parameters: OrderedDictionary<String, ParameterValue>

  init(path: String, overrides: [String]) throws {
    guard let data = FileManager.default.contents(atPath: path) else {
      var isDirectory: ObjCBool = false
      let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
      throw Failure(
        message: "seednb: cannot read '\(path)': "
          + (isDirectory.boolValue ? "it is a folder" : exists ? "permission denied" : "no such file"))
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw Failure(message: "seednb: '\(path)' is not UTF-8 text")
    }
    do {
      notebook = try Notebook.parse(text, file: path)
      parameters = try ParameterOverrides.resolve(overrides, declared: notebook.frontMatter?.params ?? [:])
    } catch let diagnostic as Diagnostic {
      throw Failure(message: diagnostic.rendered())
    } catch let list as DiagnosticList {
      throw Failure(message: list.rendered())
    }
  }
}
