/// SeedREPL owns the interactive session: reading lines (libedit on a terminal, plain lines
/// otherwise), deciding when an input is complete, running it, completion and meta-commands.

import Foundation
import OrderedCollections
import SeedLLM
import SeedLang
import SeedNotebook
import Synchronization

/// A read-eval-print loop over one interpreter session.
///
/// An input is complete when it parses; when the parser's only complaint is that the input
/// stopped early (an open bracket, brace or triple-quoted string, a trailing operator), the
/// next line continues it under the continuation prompt. An input's final expression, when
/// not nil, is echoed. Errors print as in `seednb run` and the session goes on; with standard
/// input not a terminal, the first error ends the session with the status a headless run
/// would give.
public final class REPL {
  public struct Configuration {
    /// Prompts, line editing and echoed errors that do not end the session.
    public var interactive: Bool
    public var colors: Bool
    /// The runtime version, part of the notebook cache's cell keys.
    public var runtime: String
    /// The backend chosen, by name (`local`, `openai`).
    public var backendName: String
    /// Makes the bindings for a backend by name, for `:backend NAME`; throws a message.
    public var makeBindings: (String) throws -> LLMBindings
    /// Answer layers asked after a loaded notebook's store and lockfile (a remote cache).
    public var extraLayers: [AnswerLayer] = []
    /// `--cell-timeout`: an input, a cell of a notebook loaded or `:run` still running after
    /// so long is stopped as Ctrl-C stops it, with an error saying so; the session goes on.
    public var cellTimeout: CellTimeout?

    public init(
      interactive: Bool, colors: Bool, runtime: String, backendName: String,
      makeBindings: @escaping (String) throws -> LLMBindings
    ) {
      self.interactive = interactive
      self.colors = colors
      self.runtime = runtime
      self.backendName = backendName
      self.makeBindings = makeBindings
    }
  }

  /// A notebook the session has run, and how to run it and its cells again.
  struct Loaded {
    let notebook: Notebook
    let parameters: OrderedDictionary<String, ParameterValue>
    let session: NotebookSession
    let store: CacheStore?
  }

  static let prompt = "seed> "
  static let continuationPrompt = "  ... "

  public let interpreter = Interpreter(options: .fromEnvironment())
  var configuration: Configuration
  let source: LineSource
  let output: Output
  private let journal = CallJournal()
  var bindings: LLMBindings
  var loaded: Loaded?
  /// What the session ran, in order, as `:save` writes it: the cells of the notebooks loaded
  /// and the inputs that ran without error.
  var inputs: [String] = []
  private var inputNumber = 0
  private var interruption: InterruptHandler?
  private let streamTarget = StreamTarget()
  /// Requests this session sent live and answered from the cache.
  var liveRequests = 0
  var cachedRequests = 0

  public init(configuration: Configuration, bindings: LLMBindings, source: LineSource) {
    self.configuration = configuration
    self.source = source
    output = Output(colors: configuration.colors)
    var bindings = bindings
    bindings.journal = journal
    self.bindings = bindings
    // Which variables the session's code reads is shown as it first reads each.
    let output = self.output
    bindings.secrets.onFirstRead = { name, grant in
      output.out(output.styled("note: read the secret \(name) from the environment (allowed by \(grant.rawValue))", "2") + "\n")
    }
    installBindings()
    let modules = ModuleSearchPath.forNotebook(at: FileManager.default.currentDirectoryPath + "/repl")
    interpreter.moduleLoader = { modules.lookup($0) }
    let folder = NotebookFolder(path: FileManager.default.currentDirectoryPath, role: "the working folder")
    FileBindings(folder: folder).install(in: interpreter)
    interruption = InterruptHandler(
      interactive: configuration.interactive,
      onInterrupt: { [interpreter, interactive = configuration.interactive] in
        // The terminal has echoed `^C`; what is printed next starts on a line of its own.
        if interactive { FileHandle.standardOutput.write(Data("\n".utf8)) }
        interpreter.interrupt()
        HTTPTransport.shared.cancelAll()
      })
  }

  /// The completions for a line typed up to the cursor.
  public var completer: Completer {
    Completer(
      globalNames: { [interpreter] in interpreter.globalNames },
      global: { [interpreter] in interpreter.global($0) },
      moduleNames: { [weak self] in self?.moduleNames() ?? [] },
      metaCommands: MetaCommand.all.map { ":" + $0.name })
  }

  /// The session: reads, runs and prints until `:quit`, Ctrl-D or the end of input, and
  /// returns the process's exit status.
  /// Closes the store of the notebook loaded, if any (see `CacheStore.close`).
  public func closeStore() { loaded?.store?.close() }

  public func run() -> Int32 {
    var pending: [String] = []
    while true {
      let prompt = configuration.interactive ? (pending.isEmpty ? REPL.prompt : REPL.continuationPrompt) : ""
      switch source.read(prompt: prompt) {
      case .cancelled:
        pending = []
      case .endOfInput:
        if !pending.isEmpty {
          if configuration.interactive {
            // Ctrl-D under the continuation prompt drops the unfinished input.
            output.out("\n")
            pending = []
            continue
          }
          // Piped input that stops inside an input: its syntax error, as a run reports it.
          let status = evaluate(pending.joined(separator: "\n"))
          return status
        }
        if configuration.interactive { output.out("\n") }
        return ExitStatus.ok
      case .line(let line):
        if pending.isEmpty {
          let trimmed = line.trimmingCharacters(in: .whitespaces)
          if trimmed.isEmpty { continue }
          if trimmed.hasPrefix(":") {
            source.remember(line)
            switch MetaCommand.run(trimmed, in: self) {
            case .continue: continue
            case .quit: return ExitStatus.ok
            case .failed(let status):
              if !configuration.interactive { return status }
              continue
            }
          }
        }
        source.remember(line)
        pending.append(line)
        let text = pending.joined(separator: "\n")
        if isIncomplete(text) { continue }
        pending = []
        let status = evaluate(text)
        if status != ExitStatus.ok && !configuration.interactive { return status }
      }
    }
  }

  /// Whether more lines could complete the text: every syntax error is at its end.
  func isIncomplete(_ text: String) -> Bool {
    do {
      try interpreter.check(SourceText(file: "<repl>", text: text))
      return false
    } catch let list as DiagnosticList {
      return list.isIncompleteInput
    } catch {
      return false
    }
  }

  /// Runs one input, prints its outputs and its value or its error; returns an exit status.
  @discardableResult
  func evaluate(_ text: String) -> Int32 {
    inputNumber += 1
    let code = SourceText(file: "<repl>", unit: "input \(inputNumber)", text: text)
    let printer = output.printer()
    interpreter.outputHandler = { printer.print($0) }
    defer { interpreter.outputHandler = { _ in } }
    journal.begin(cell: nil)
    let timeout = configuration.cellTimeout
    let outcome = whileRunning(printer: printer) { [interpreter] () -> Result<Value, Error> in
      guard let timeout else { return Result { try interpreter.run(code) } }
      let (result, expired) = timeout.run(interrupting: interpreter) { Result { try interpreter.run(code) } }
      guard expired, case .failure(let error) = result else { return result }
      return .failure(timeout.error(for: code.unit ?? "the input", stoppedBy: error as? Diagnostic))
    }
    let calls = journal.finish()
    count(calls)
    keepAnswers(calls)
    printer.finishLine()
    switch outcome {
    case .success(let value):
      inputs.append(text)
      if case .nil = value {} else { output.out(value.literalDescription + "\n") }
      return ExitStatus.ok
    case .failure(let list as DiagnosticList):
      output.error(list.rendered())
      return ExitStatus.usage
    case .failure(let error):
      output.error("\(error)")
      return ExitStatus.cellFailed
    }
  }

  /// Files the answers an input got live in the loaded notebook's store, so that the same
  /// seeded request is answered from it next time, here or in a run.
  func keepAnswers(_ calls: CallJournal.CellCalls) {
    guard let loaded, let store = loaded.store, calls.live > 0 else { return }
    let name = URL(fileURLWithPath: loaded.notebook.file).lastPathComponent
    let answers = calls.calls.map { StoredAnswer(call: $0, notebook: name, storedAt: Date()) }
    do { try store.save(answers) } catch {
      output.error("seednb: the answers of this input could not be saved in the cache: \(error.readableDescription)")
    }
  }

  func count(_ calls: CallJournal.CellCalls) {
    liveRequests += calls.live
    cachedRequests += calls.cached
  }

  /// Runs code on a thread with a large stack; Ctrl-C meanwhile stops it and cancels its
  /// requests.
  func whileRunning<T>(printer: OutputPrinter, _ body: @escaping () -> T) -> T {
    streamTarget.printer = printer
    interruption?.evaluating = true
    defer {
      interruption?.evaluating = false
      streamTarget.printer = nil
    }
    return LargeStack.run(body)
  }

  /// Installs `chat` and `embed`; on a terminal, chat answers stream to the running input's
  /// printer as they arrive.
  func installBindings() {
    var streaming = bindings
    if configuration.interactive {
      let target = streamTarget
      streaming.onToken = { target.printer?.write($0) }
    }
    streaming.install(in: interpreter)
  }

  // MARK: - Notebooks

  /// Reads, parses and runs a notebook's cells in the session, as `seednb run` does and
  /// through the same `NotebookRunner`: cached cells are restored, answers come from the
  /// store and the lockfile, and it prints what a run prints. Inputs typed afterwards are
  /// answered from the same layers. Returns an exit status: 2 when it cannot be read or
  /// parsed, 1 when a cell failed.
  @discardableResult
  public func load(notebook path: String, overrides: [String] = []) -> Int32 {
    if path.hasSuffix(".seed") { return loadScript(path) }
    let notebookToLoad: LoadedNotebook
    do {
      // A -p may not hold the value of a secret this session may read.
      notebookToLoad = try LoadedNotebook(
        path: path, overrides: overrides, allowedSecrets: bindings.secrets.allowed.map(\.name))
    } catch {
      output.error("\(error)")
      return ExitStatus.usage
    }
    // A notebook the user loads may read the secrets its front matter lists.
    bindings.secrets.allow(frontMatter: notebookToLoad.notebook.frontMatter?.secrets ?? [], commandLine: [])
    if let model = notebookToLoad.notebook.frontMatter?.model {
      bindings.defaultChatModel = model
      installBindings()
    }
    var cache = NotebookCache.open(forNotebook: path)
    cache.extraLayers = configuration.extraLayers
    for note in cache.notes { output.error("seednb: \(note)") }
    let backend = bindings.backend
    let runner = NotebookRunner(
      loaded: notebookToLoad, interpreter: interpreter, journal: journal, cache: cache, runtime: configuration.runtime,
      options: .init(cellTimeout: configuration.cellTimeout), currentFingerprint: { backend.currentFingerprint(model: $0) })
    let printer = output.printer()
    let output = self.output
    let lines = RunTextPrinter(
      .init(
        header: { output.out(output.styled($0, "1;36") + "\n") }, output: { printer.print($0) },
        error: { output.error($0) }, finishLine: { printer.finishLine() }))
    let summary = whileRunning(printer: printer) { runner.run(observer: lines) }
    if !summary.syntaxErrors.isEmpty {
      output.error(RunText.syntaxErrors(summary, of: notebookToLoad.notebook))
      return ExitStatus.usage
    }
    loaded = Loaded(
      notebook: notebookToLoad.notebook, parameters: notebookToLoad.parameters, session: runner.session, store: cache.store)
    liveRequests += summary.liveRequests
    cachedRequests += summary.cachedRequests
    for report in summary.reports where report.status != .error { inputs.append(report.cell.source) }
    printer.finishLine()
    output.out(output.styled(RunText.summary(summary, of: notebookToLoad.notebook), "2") + "\n")
    return summary.failed ? ExitStatus.cellFailed : ExitStatus.ok
  }

  /// A plain `.seed` file runs as one input.
  private func loadScript(_ path: String) -> Int32 {
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
      output.error("seednb: cannot read '\(path)'")
      return ExitStatus.usage
    }
    return evaluate(text)
  }

  /// Module names `import` can find: the standard library's and the current folder's.
  func moduleNames() -> [String] {
    var folders = [FileManager.default.currentDirectoryPath]
    if let stdlib = ModuleSearchPath.standardLibrary() { folders.append(stdlib) }
    if let loaded { folders.append(URL(fileURLWithPath: loaded.notebook.file).deletingLastPathComponent().path) }
    return folders.flatMap { folder in
      ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".seed") }.map {
        String($0.dropLast(5))
      }
    }
  }
}

/// Where a streamed chat answer is written: the printer of the input running.
final class StreamTarget: @unchecked Sendable {
  var printer: OutputPrinter?
}

/// The exit statuses, as `seednb` documents them.
enum ExitStatus {
  static let ok: Int32 = 0
  static let cellFailed: Int32 = 1
  static let usage: Int32 = 2
}

/// Ctrl-C while code runs: stops it and cancels its requests. A third Ctrl-C in one run, or
/// one while piped input is being read, exits at once.
final class InterruptHandler: @unchecked Sendable {
  private let source: DispatchSourceSignal
  private let running = Atomic<Bool>(false)
  private let presses = Atomic<Int>(0)

  var evaluating: Bool {
    get { running.load(ordering: .relaxed) }
    set {
      presses.store(0, ordering: .relaxed)
      running.store(newValue, ordering: .relaxed)
    }
  }

  init(interactive: Bool, onInterrupt: @escaping @Sendable () -> Void) {
    signal(SIGINT, SIG_IGN)
    source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    source.setEventHandler { [unowned self] in
      guard running.load(ordering: .relaxed) else {
        if !interactive { exit(130) }
        return
      }
      let count = presses.add(1, ordering: .relaxed).newValue
      if count >= 3 { exit(130) }
      onInterrupt()
    }
    source.resume()
  }

  deinit {
    source.cancel()
    signal(SIGINT, SIG_DFL)
  }
}
