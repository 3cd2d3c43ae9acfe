import ArgumentParser
import Foundation
import OrderedCollections
import SeedLang
import SeedNotebook
import SeedRender

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
  var maxOutput: Double = 10

  @Option(help: ArgumentHelp("After the run, write its report here, also when a cell failed: .html (self-contained) or .md (charts beside it).", valueName: "file"))
  var report: String?

  func validate() throws {
    if let cellTimeout, !(cellTimeout > 0 && cellTimeout <= 1e9) {
      throw ValidationError("--cell-timeout needs a number of seconds above 0, not \(cellTimeout)")
    }
    if !(maxOutput > 0 && maxOutput <= 1e6) { throw ValidationError("--max-output needs a number of megabytes above 0, not \(maxOutput)") }
    if refresh && frozen { throw ValidationError("--refresh and --frozen cannot be used together") }
    if report != nil && notebook.hasSuffix(".seed") {
      throw ValidationError("--report needs a .seednb notebook; a plain .seed script has no cells to report")
    }
    if let report, ReportFormat(path: report) == nil {
      throw ValidationError("--report needs a file ending in .html or .md, not '\(report)'")
    }
  }

  func run() throws {
    let terminal = Terminal()
    if notebook.hasSuffix(".seed") {
      let chosen: Backend
      do { chosen = try Backend.choose(flag: backend, frontMatter: nil) } catch let error as Backend.UnknownBackend {
        terminal.err(error.description + "\n")
        throw ExitCode(ExitStatus.usage)
      }
      let status = try ScriptRunner.run(
        path: notebook, backend: chosen, terminal: terminal, timeout: cellTimeout.map(CellTimeout.init),
        maxOutputBytes: Int(maxOutput * 1_000_000))
      if status != ExitStatus.ok { throw ExitCode(status) }
      return
    }
    let (loaded, chosen) = try LoadedNotebook.withBackend(
      path: notebook, overrides: parameters, backendFlag: backend, terminal: terminal)
    let options = NotebookRunner.Options(
      refresh: refresh, frozen: frozen, cellTimeout: cellTimeout.map(CellTimeout.init), maxOutputBytes: Int(maxOutput * 1_000_000))
    let report = self.report
    let status = LargeStack.run {
      RunCommand.execute(loaded, backend: chosen, options: options, terminal: terminal, report: report)
    }
    if status != ExitStatus.ok { throw ExitCode(status) }
  }

  static func execute(
    _ loaded: LoadedNotebook, backend: Backend, options: NotebookRunner.Options, terminal: Terminal, report: String? = nil
  ) -> Int32 {
    let journal = CallJournal()
    var bindings = backend.bindings(model: loaded.notebook.frontMatter?.model)
    bindings.journal = journal
    let session = NotebookSession(
      notebook: loaded.notebook, parameters: loaded.parameters, modules: .forNotebook(at: loaded.notebook.file), llm: bindings)
    let interruption = Interruption { session.interpreter }
    defer { withExtendedLifetime(interruption) {} }
    let syntaxErrors = session.syntaxErrors()
    if !syntaxErrors.isEmpty {
      terminal.err(syntaxErrors.map { $0.rendered() }.joined(separator: "\n") + "\n")
      let count = syntaxErrors.count
      terminal.err("\(loaded.notebook.file): \(count) syntax error\(count == 1 ? "" : "s"); nothing was run\n")
      return ExitStatus.usage
    }
    let store: CacheStore?
    do {
      store = try CacheStore(path: CacheStore.path(forNotebook: loaded.notebook.file))
      if let note = store?.rebuildNote { terminal.err("seednb: \(note)\n") }
    } catch {
      terminal.err("seednb: cannot open the cache beside the notebook (\(error.readableDescription)); running without it\n")
      store = nil
    }
    let runner = NotebookRunner(
      session: session, journal: journal, store: store, runtime: Seednb.version, parameters: loaded.parameters,
      options: options, currentFingerprint: { bindings.backend.currentFingerprint(model: $0) })
    let printer = OutputPrinter(terminal: terminal)
    let startedAt = Date()
    let summary = runner.run(
      onCellStart: { cell, status, note in
        printer.header(for: cell.label, status: status.rawValue)
        if let note { terminal.out(terminal.styled(note, "33") + "\n") }
      },
      onOutput: { printer.print($0) },
      onCellEnd: { report in
        printer.finishLine()
        if let error = report.result.error { terminal.err(terminal.styled(error.description, "31") + "\n") }
      })
    printer.summary(summary)
    // The run's record: what reports say about where the results came from.
    let record = RunRecord(
      summary: summary, runner: runner, startedAt: startedAt, runtime: Seednb.version, backend: backend.rawValue,
      parameters: loaded.parameters, keepingOutputs: store == nil)
    do { try store?.saveRun(record) } catch { terminal.err("seednb: cannot record the run in the cache: \(error)\n") }
    if let report, let format = ReportFormat(path: report) {
      do {
        let built = try ReportBuilder.build(
          notebook: loaded.notebook, parameters: loaded.parameters, runtime: Seednb.version, store: store,
          run: store == nil ? record : nil)
        try ReportWriter.write(built, format: format, to: report)
        terminal.err("── report: \(report)\n")
      } catch {
        terminal.err("seednb: cannot write the report \(report): \(error.readableDescription)\n")
        if summary.frozenMiss == nil && !summary.failed { return ExitStatus.cellFailed }
      }
    }
    if summary.frozenMiss != nil { return ExitStatus.frozenMiss }
    return summary.failed ? ExitStatus.cellFailed : ExitStatus.ok
  }
}

/// A notebook read from disk and parsed, with its parameters resolved.
struct LoadedNotebook {
  struct Failure: Error {
    let message: String
  }

  /// The notebook and the backend it runs with; what is wrong with either is printed, and
  /// ends the command with the usage status.
  static func withBackend(path: String, overrides: [String], backendFlag: String?, terminal: Terminal) throws -> (
    LoadedNotebook, Backend
  ) {
    do {
      let loaded = try LoadedNotebook(path: path, overrides: overrides)
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
