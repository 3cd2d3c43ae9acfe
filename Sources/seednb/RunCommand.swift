import ArgumentParser
import Foundation
import OrderedCollections
import SeedNotebook

struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run every cell of a notebook in order and print their outputs.",
    discussion: """
      A plain .seed file runs as one script, without cell headers.

      Exit status: 0 when every cell ran, 1 when a cell failed (later cells are not run), \
      2 for bad usage or a notebook that does not parse, 3 when --frozen met a request the \
      cache does not hold.

      Finished cells and their answers are kept in .seednb/cache.sqlite beside the notebook; \
      NB.lock beside it (written by `seednb lock`) is read under it. A cell whose source, \
      parameters it reads, the cells it depends on and backend fingerprint are unchanged is \
      restored: its code runs again with every call answered from the cache. In a cell that \
      runs, seeded chats and embeddings already answered under the same fingerprint come \
      from the cache; chats without a seed go to the backend (they are meant to vary), \
      except under --frozen. Each cell's header says why it ran.
      """
  )

  @Argument(help: "The notebook to run (a .seednb file).")
  var notebook: String

  @Option(name: .customShort("p"), help: ArgumentHelp("Set a parameter declared in the front matter.", valueName: "key=value"))
  var parameters: [String] = []

  @OptionGroup
  var options: CellRunOptions

  @Flag(help: "Print what each cell's key is made of, and whether it would be restored, without running anything.")
  var explain = false

  @Option(help: ArgumentHelp("After the run, write its report here, also when a cell failed: .html (self-contained), .md (charts beside it) or .ipynb (Jupyter).", valueName: "file"))
  var report: String?

  @Option(help: ArgumentHelp("After the run, write its summary here as JSON: exit status, cells, requests, tokens, time, and what the notebook recorded with record(name, value).", valueName: "file"))
  var summaryJson: String?

  @Flag(help: "Run again on every save of the notebook or of a .seed module beside it or in the standard library, until Ctrl-C.")
  var watch = false

  func validate() throws { try request.validate() }

  func run() throws { try request.run() }

  var request: RunRequest {
    RunRequest(
      notebook: notebook, parameters: parameters, backend: options.backend, refresh: options.refresh, frozen: options.frozen,
      cellTimeout: options.cellTimeout, maxOutput: options.maxOutput, report: report, explain: explain,
      remoteCache: options.remote.settings, summaryFile: summaryJson, watch: watch, allowedSecrets: options.allowedSecrets)
  }
}

extension LoadedNotebook {
  /// The notebook a command that reads results works on; a plain `.seed` script, or a
  /// notebook that cannot be read, is printed and ends the command with the usage status.
  static func forCommand(path: String, overrides: [String], terminal: Terminal, scriptRefusal: String) throws
    -> LoadedNotebook
  {
    do {
      if path.hasSuffix(".seed") { throw LoadedNotebook.Failure(message: "seednb: " + scriptRefusal) }
      return try LoadedNotebook(path: path, overrides: overrides, environment: ProcessEnvironment.current)
    } catch let failure as LoadedNotebook.Failure {
      terminal.err(failure.message + "\n")
      throw ExitCode(ExitStatus.usage)
    }
  }

  /// The notebook and the backend it runs with; what is wrong with either is printed, and
  /// ends the command with the usage status.
  static func withBackend(
    path: String, overrides: [String], backendFlag: String?, terminal: Terminal, allowedSecrets: [String] = []
  ) throws -> (LoadedNotebook, Backend) {
    do {
      let loaded = try LoadedNotebook(
        path: path, overrides: overrides, allowedSecrets: allowedSecrets, environment: ProcessEnvironment.current)
      return (loaded, try Backend.choose(flag: backendFlag, frontMatter: loaded.notebook.frontMatter?.backend))
    } catch let failure as LoadedNotebook.Failure {
      terminal.err(failure.message + "\n")
      throw ExitCode(ExitStatus.usage)
    } catch let error as Backend.UnknownBackend {
      terminal.err(error.description + "\n")
      throw ExitCode(ExitStatus.usage)
    }
  }
}
