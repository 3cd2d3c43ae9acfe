import ArgumentParser
import Foundation
import SeedNotebook
import SeedREPL

struct ReplCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "repl",
    abstract: "Start an interactive session; with a notebook, its cells run first.",
    discussion: """
      Expressions echo their value; an open bracket, brace or triple-quoted string continues \
      on the next line. Tab completes names, record fields, modules and commands; the history \
      is kept in $XDG_STATE_HOME/seednb/history (else ~/.local/state/seednb/history) and \
      Ctrl-R searches it. Ctrl-C drops the line being typed or stops the code running; Ctrl-D \
      leaves. :help lists the commands (:load, :cells, :run, :save, :backend, :cache, :quit).

      With standard input not a terminal, the lines are read as a script, without prompts or \
      colours, and the first error ends it with the status a run would give: 1 for an error \
      in the code, 2 for a syntax error.
      """
  )

  @Argument(help: "A notebook whose cells run first (with the cache), so its names are defined.")
  var notebook: String?

  @Option(name: .customShort("p"), help: ArgumentHelp("Set a parameter declared in the front matter.", valueName: "key=value"))
  var parameters: [String] = []

  @Option(help: ArgumentHelp("The LLM backend: local or openai (default as for run).", valueName: "name"))
  var backend: String?

  @OptionGroup(title: "Remote cache")
  var remote: RemoteCacheOptions

  @Option(help: ArgumentHelp("Stop an input (or a cell of the notebook) that runs longer than this, with an error; the session goes on.", valueName: "seconds"))
  var cellTimeout: Double?

  @Option(name: .customLong("allow-secret"), help: ArgumentHelp("Let the session's code read this environment variable with secret(\"NAME\"), besides those a loaded notebook's front matter lists (repeatable).", valueName: "NAME"))
  var allowedSecrets: [String] = []

  func validate() throws {
    if notebook == nil && !parameters.isEmpty { throw ValidationError("-p needs a notebook") }
    try RunRequest.validate(allowedSecrets: allowedSecrets)
    try RunRequest(notebook: notebook ?? "repl", cellTimeout: cellTimeout).validate()
  }

  func run() throws {
    let terminal = Terminal()
    let interactive = isatty(STDIN_FILENO) == 1
    var frontMatter: String?
    var model: String?
    if let notebook, !notebook.hasSuffix(".seed") {
      // The front matter's backend is needed before the session starts.
      if let text = try? String(contentsOfFile: notebook, encoding: .utf8),
        let parsed = try? Notebook.parse(text, file: notebook)
      {
        frontMatter = parsed.frontMatter?.backend
        model = parsed.frontMatter?.model
      }
    }
    let chosen: Backend
    do { chosen = try Backend.choose(flag: backend, frontMatter: frontMatter) } catch let error as Backend.UnknownBackend {
      terminal.err(error.description + "\n")
      throw ExitCode(ExitStatus.usage)
    }
    let remoteLayer = try remote.settings.layer(terminal: terminal)
    // New answers of loaded notebooks may still be on their way to the remote cache.
    defer { remoteLayer?.remote.waitForUploads() }
    var configuration = REPL.Configuration(
      interactive: interactive, colors: interactive && terminal.colors, runtime: Seednb.version,
      backendName: chosen.rawValue,
      makeBindings: { name in
        guard let backend = Backend(rawValue: name) else {
          throw Backend.UnknownBackend(name: name, source: "given to :backend")
        }
        return backend.bindings(model: nil)
      })
    configuration.extraLayers = remoteLayer.map { [$0] } ?? []
    configuration.cellTimeout = cellTimeout.map(CellTimeout.init)
    let source: LineSource
    var repl: REPL?
    if interactive {
      source = LineEditor(historyPath: ReplCommand.historyPath()) { line in repl?.completer.complete(line) ?? Completion(word: "", candidates: []) }
    } else {
      source = PlainLineSource()
    }
    let bindings = chosen.bindings(model: model)
    bindings.secrets.allow(frontMatter: [], commandLine: allowedSecrets)
    let session = REPL(configuration: configuration, bindings: bindings, source: source)
    repl = session
    if interactive {
      terminal.out(terminal.styled("seednb \(Seednb.version) · \(chosen.rawValue) backend · :help for commands, Ctrl-D to leave", "2") + "\n")
    }
    if let notebook {
      let status = session.load(notebook: notebook, overrides: parameters)
      if status != ExitStatus.ok && (!interactive || status == ExitStatus.usage && !FileManager.default.fileExists(atPath: notebook)) {
        session.closeStore()
        throw ExitCode(status)
      }
    }
    let status = session.run()
    // The session outlives this function (its line editor holds it), so its store is closed
    // here: the write-ahead log is checkpointed and the close recorded as clean.
    session.closeStore()
    if status != ExitStatus.ok { throw ExitCode(status) }
  }

  /// `$XDG_STATE_HOME/seednb/history`, else `~/.local/state/seednb/history`.
  static func historyPath(_ environment: [String: String] = ProcessEnvironment.current) -> String {
    let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/state")
    return (state as NSString).appendingPathComponent("seednb/history")
  }
}
