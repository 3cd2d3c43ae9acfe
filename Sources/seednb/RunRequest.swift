import ArgumentParser
import Foundation
import SeedLang
import SeedNotebook
import SeedRemoteCache
import SeedRender

/// What `seednb run` is asked to do, whichever way the command line said it.
struct RunRequest {
  static let defaultMaxOutput = 10.0

  var notebook: String
  var parameters: [String] = []
  var backend: String? = nil
  var refresh = false
  var frozen = false
  var cellTimeout: Double? = nil
  var maxOutput: Double = RunRequest.defaultMaxOutput
  var report: String? = nil
  var explain = false
  /// Also read by `seednb run <file>` alone: SEEDNB_REMOTE_CACHE applies there too.
  var remoteCache = RemoteCacheSettings()
  var summaryFile: String? = nil
  var watch = false
  /// `--allow-secret NAME`: variables `secret()` may read besides the front matter's.
  var allowedSecrets: [String] = []
}

extension RunRequest {
  /// `seednb run <file>` with nothing else, the form scripts, schedules and CI use: it is
  /// read without the command parser, whose reflection over the commands' declarations
  /// costs more at start-up than a short script takes to run. Anything else, an option or
  /// a file whose name starts with `-`, goes to the parser, which tells it the same way.
  init?(bareCommandLine arguments: [String]) {
    guard arguments.count == 2, arguments[0] == "run", !arguments[1].hasPrefix("-") else { return nil }
    self.init(notebook: arguments[1])
  }

  func validate() throws {
    if let cellTimeout, !(cellTimeout > 0 && cellTimeout <= 1e9) {
      throw ValidationError("--cell-timeout needs a number of seconds above 0, not \(cellTimeout)")
    }
    if !(maxOutput > 0 && maxOutput <= 1e6) { throw ValidationError("--max-output needs a number of megabytes above 0, not \(maxOutput)") }
    if refresh && frozen { throw ValidationError("--refresh and --frozen cannot be used together") }
    if report != nil && notebook.hasSuffix(".seed") {
      throw ValidationError("--report needs a .seednb notebook; a plain .seed script has no cells to report")
    }
    if watch && explain { throw ValidationError("--watch and --explain cannot be used together") }
    if watch && notebook.hasSuffix(".seed") {
      throw ValidationError("--watch needs a .seednb notebook; run a plain .seed script again yourself")
    }
    if let report, ReportFormat(path: report) == nil {
      throw ValidationError("--report needs a file ending in .html, .md or .ipynb, not '\(report)'")
    }
    try RunRequest.validate(allowedSecrets: allowedSecrets)
  }

  /// Each `--allow-secret` names an environment variable.
  static func validate(allowedSecrets: [String]) throws {
    for name in allowedSecrets where !FrontMatter.isIdentifier(name) {
      throw ValidationError(
        "--allow-secret needs an environment variable name (letters, digits and _, not starting with a digit), not '\(name)'")
    }
  }

  var runnerOptions: NotebookRunner.Options {
    NotebookRunner.Options(
      refresh: refresh, frozen: frozen, cellTimeout: cellTimeout.map(CellTimeout.init), maxOutputBytes: Int(maxOutput * 1_000_000))
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
        maxOutputBytes: Int(maxOutput * 1_000_000), allowedSecrets: allowedSecrets)
      if status != ExitStatus.ok { throw ExitCode(status) }
      return
    }
    if watch { return try watchAndRun(terminal: terminal) }
    let (loaded, chosen) = try LoadedNotebook.withBackend(
      path: notebook, overrides: parameters, backendFlag: backend, terminal: terminal, allowedSecrets: allowedSecrets)
    let options = runnerOptions
    let report = self.report, summaryFile = self.summaryFile, allowedSecrets = self.allowedSecrets
    if explain {
      let runner = NotebookRunner(
        loaded: loaded, llm: nil, cache: .open(forNotebook: loaded.notebook.file, createStore: false),
        runtime: Seednb.version, options: options)
      terminal.out(RunExplanation.text(runner))
      return
    }
    let remote = try remoteCache.layer(terminal: terminal)
    let status = LargeStack.run {
      RunRequest.execute(
        loaded, backend: chosen, options: options, terminal: terminal, report: report, remote: remote,
        summaryFile: summaryFile, allowedSecrets: allowedSecrets)
    }
    if status != ExitStatus.ok { throw ExitCode(status) }
  }

  static func execute(
    _ loaded: LoadedNotebook, backend: Backend, options: NotebookRunner.Options, terminal: Terminal, report: String? = nil,
    remote: RemoteAnswerLayer? = nil, summaryFile: String? = nil, allowedSecrets: [String] = []
  ) -> Int32 {
    var cache = NotebookCache.open(forNotebook: loaded.notebook.file)
    if let remote { cache.extraLayers = [remote] }
    for note in cache.notes { terminal.err("seednb: \(note)\n") }
    // Closed here, not whenever the last reference goes (the session's builtins hold it):
    // the close checkpoints the log and records that the run ended cleanly.
    defer { cache.store?.close() }
    let bindings = backend.bindings(model: loaded.notebook.frontMatter?.model)
    bindings.secrets.allow(frontMatter: loaded.notebook.frontMatter?.secrets ?? [], commandLine: allowedSecrets)
    // The run's header: which environment variables its code may read.
    if let list = bindings.secrets.allowedList { terminal.out(terminal.styled("── secrets: \(list) ──", "2") + "\n") }
    let runner = NotebookRunner(loaded: loaded, llm: bindings, cache: cache, runtime: Seednb.version, options: options)
    let interruption = Interruption { runner.session.interpreter }
    defer { withExtendedLifetime(interruption) {} }
    let statusLine = StatusLine.forTerminal(terminal, journal: runner.journal)
    defer { statusLine?.stop() }
    let printer = OutputPrinter(terminal: terminal)
    printer.statusLine = statusLine
    let startedAt = Date()
    let lines = RunTextPrinter(printer: printer)
    let summary = runner.run(observer: statusLine?.observing(lines) ?? lines)
    if !summary.syntaxErrors.isEmpty {
      terminal.err(RunText.syntaxErrors(summary, of: loaded.notebook) + "\n")
      return ExitStatus.usage
    }
    let store = cache.store
    // The answers of the last cells may still be on their way to the remote cache.
    remote?.remote.waitForUploads()
    printer.summary(summary)
    // The run's record: what reports say about where the results came from.
    let record = RunRecord(
      summary: summary, runner: runner, startedAt: startedAt, runtime: Seednb.version, backend: backend.rawValue,
      parameters: loaded.parameters, keepingOutputs: store == nil)
    do { try store?.saveRun(record) } catch { terminal.err("seednb: cannot record the run in the cache: \(error)\n") }
    var reportFailed = false
    if let report, let format = ReportFormat(path: report) {
      do {
        let built = try ReportBuilder.build(
          notebook: loaded.notebook, parameters: loaded.parameters, runtime: Seednb.version, store: store,
          run: store == nil ? record : nil)
        try ReportWriter.write(built, format: format, to: report)
        terminal.err("── report: \(report)\n")
      } catch {
        terminal.err("seednb: cannot write the report \(report): \(error.readableDescription)\n")
        reportFailed = true
      }
    }
    let status =
      summary.frozenMiss != nil ? ExitStatus.frozenMiss : summary.failed || reportFailed ? ExitStatus.cellFailed : ExitStatus.ok
    if let summaryFile {
      RunSummaryFile(summary: summary, exitStatus: status, recorded: runner.session.summaryValues.recorded).write(
        to: summaryFile, terminal: terminal)
    }
    return status
  }
}
