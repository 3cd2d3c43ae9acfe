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
      2 for bad usage or a notebook that does not parse, 3 when --frozen met a request the
      cache does not hold.

      Finished cells are kept in .seednb/cache.sqlite beside the notebook. A cell whose
      source, earlier cells, parameters and backend fingerprint are unchanged is restored
      from it: its code runs again with every call answered from the cache. Calls without a
      seed still go to the backend (they are meant to vary), except under --frozen.
      """
  )

  @Argument(help: "The notebook to run (a .seednb file).")
  var notebook: String

  @Option(name: .customShort("p"), help: ArgumentHelp("Set a parameter declared in the front matter.", valueName: "key=value"))
  var parameters: [String] = []

  @Option(help: ArgumentHelp("The LLM backend: local or openai (default: the front matter's, else openai when OPENAI_BASE_URL or OPENAI_API_KEY is set, else local).", valueName: "name"))
  var backend: String?

  @Flag(help: "Run every cell live and rewrite its cache entry.")
  var refresh = false

  @Flag(help: "Never ask the backend: replay everything from the cache; a request it lacks exits with status 3.")
  var frozen = false

  @Option(help: ArgumentHelp("Stop a cell that runs longer than this, with an error (the run then exits with 1).", valueName: "seconds"))
  var cellTimeout: Double?

  @Option(help: ArgumentHelp("The most a cell may print or display, in megabytes; more ends it with an error.", valueName: "MB"))
  var maxOutput: Double = RunRequest.defaultMaxOutput

  @Option(help: ArgumentHelp("After the run, write its report here, also when a cell failed: .html (self-contained) or .md (charts beside it).", valueName: "file"))
  var report: String?

  @Option(name: .customLong("allow-secret"), help: ArgumentHelp("Let notebook code read this environment variable with secret(\"NAME\"), besides those the front matter lists (repeatable).", valueName: "NAME"))
  var allowedSecrets: [String] = []

  func validate() throws { try request.validate() }

  func run() throws { try request.run() }

  var request: RunRequest {
    RunRequest(
      notebook: notebook, parameters: parameters, backend: backend, refresh: refresh, frozen: frozen,
      cellTimeout: cellTimeout, maxOutput: maxOutput, report: report, allowedSecrets: allowedSecrets)
  }
}

/// A notebook read from disk and parsed, with its parameters resolved.
struct LoadedNotebook {
  struct Failure: Error {
    let message: String
  }

  /// The notebook and the backend it runs with; what is wrong with either is printed, and
  /// ends the command with the usage status.
  static func withBackend(
    path: String, overrides: [String], backendFlag: String?, terminal: Terminal, allowedSecrets: [String] = []
  ) throws -> (LoadedNotebook, Backend) {
    do {
      let loaded = try LoadedNotebook(path: path, overrides: overrides, allowedSecrets: allowedSecrets)
      return (loaded, try Backend.choose(flag: backendFlag, frontMatter: loaded.notebook.frontMatter?.backend))
    } catch let failure as LoadedNotebook.Failure {
      terminal.err(failure.message + "\n")
      throw ExitCode(ExitStatus.usage)
    } catch let error as Backend.UnknownBackend {
      terminal.err(error.description + "\n")
      throw ExitCode(ExitStatus.usage)
    }
  }

  let notebook: Notebook
  let parameters: OrderedDictionary<String, ParameterValue>

  /// `allowedSecrets` (`--allow-secret`) and the front matter's `secrets:` name the variables
  /// whose values a `-p` may not hold, besides `OPENAI_API_KEY` and anything shaped like a key.
  init(path: String, overrides: [String], allowedSecrets: [String] = []) throws {
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
      let environment = ProcessEnvironment.current
      let keyNames = ["OPENAI_API_KEY"] + (notebook.frontMatter?.secrets ?? []) + allowedSecrets
      parameters = try ParameterOverrides.resolve(
        overrides, declared: notebook.frontMatter?.params ?? [:], knownKeys: keyNames.compactMap { environment[$0] })
    } catch let diagnostic as Diagnostic {
      throw Failure(message: diagnostic.rendered())
    } catch let list as DiagnosticList {
      throw Failure(message: list.rendered())
    }
  }
}
