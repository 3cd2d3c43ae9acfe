import ArgumentParser
import Foundation
import SeedLang
import SeedNotebook
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
    if let report, ReportFormat(path: report) == nil {
      throw ValidationError("--report needs a file ending in .html or .md, not '\(report)'")
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
    let (loaded, chosen) = try LoadedNotebook.withBackend(
      path: notebook, overrides: parameters, backendFlag: backend, terminal: terminal, allowedSecrets: allowedSecrets)
    let options = NotebookRunner.Options(
      refresh: refresh, frozen: frozen, cellTimeout: cellTimeout.map(CellTimeout.init), maxOutputBytes: Int(maxOutput * 1_000_000))
    let report = self.report
    let allowedSecrets = self.allowedSecrets
    let status = LargeStack.run {
      RunRequest.execute(
        loaded, backend: chosen, options: options, terminal: terminal, report: report, allowedSecrets: allowedSecrets)
    }
    if status != ExitStatus.ok { throw ExitCode(status) }
  }

  static func execute(
    _ loaded: LoadedNotebook, backend: Backend, options: NotebookRunner.Options, terminal: Terminal, report: String? = nil,
    allowedSecrets: [String] = []
  ) -> Int32 {
    let journal = CallJournal()
    var bindings = backend.bindings(model: loaded.notebook.frontMatter?.model)
    bindings.journal = journal
    bindings.secrets.allow(frontMatter: loaded.notebook.frontMatter?.secrets ?? [], commandLine: allowedSecrets)
    // The run's header: which environment variables its code may read.
    if let list = bindings.secrets.allowedList { terminal.out(terminal.styled("── secrets: \(list) ──", "2") + "\n") }
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
    // Closed here, not whenever the last reference goes (the session's builtins hold it):
    // the close checkpoints the log and records that the run ended cleanly.
    defer { store?.close() }
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
