import Foundation
import OrderedCollections
import SeedJSON
import SeedLang

/// Runs a notebook's cells in order with the cache: the one path by which `seednb run`,
/// the REPL's `:load` and the tools on top of them run a notebook.
///
/// A cell whose key (see `CellDataflow`) and backend fingerprints match a stored entry is
/// restored by running its code again with every call answered from its transcript, so what
/// it defines exists again without the network. Any other cell runs: its seeded chats and
/// its embeddings are answered from the answer layers when they hold the same request under
/// the same fingerprint, and the rest goes live. Every event reaches the observer as it
/// happens.
public final class NotebookRunner {
  public struct Options: Sendable {
    /// Run everything live and rewrite the entries.
    public var refresh = false
    /// Never ask the backend: everything replays, and a request not in the cache fails.
    public var frozen = false
    /// Stops a cell that runs longer, with an error.
    public var cellTimeout: CellTimeout?
    /// The most output a cell may print or display (`Interpreter.maxOutputBytes`).
    public var maxOutputBytes: Int?

    public init(refresh: Bool = false, frozen: Bool = false, cellTimeout: CellTimeout? = nil, maxOutputBytes: Int? = nil) {
      self.refresh = refresh
      self.frozen = frozen
      self.cellTimeout = cellTimeout
      self.maxOutputBytes = maxOutputBytes
    }
  }

  /// How a cell ran.
  public enum Status: String, Sendable, CaseIterable {
    /// Ran with calls to the backend (new, refreshed, or never stored).
    case live
    /// Restored: every call answered from the cache.
    case cached
    /// Its source, a parameter it reads or a cell it depends on changed since it was stored.
    case changed
    /// The backend's fingerprint differs from the one stored; it ran live.
    case drift
    case error
  }

  public struct CellReport {
    public let cell: Cell
    public let status: Status
    /// Why it ran rather than being restored; nil when restored.
    public let reason: CellReason?
    public let result: NotebookSession.CellResult
    public let calls: CallJournal.CellCalls
    /// Set when the cell ran but could not be saved: why.
    public let saveFailure: String?

    /// The reason as text, as reports and run records keep it.
    public var note: String? { reason?.description }
  }

  public struct Summary {
    public var reports: [CellReport] = []
    public var seconds = 0.0
    /// Set when `--frozen` met a request no layer holds: which cell and request.
    public var frozenMiss: String?
    /// Syntax errors found before anything ran; when there are any, nothing ran.
    public var syntaxErrors: [Diagnostic] = []

    public var failed: Bool { reports.last?.status == .error }
    public var liveRequests: Int { reports.reduce(0) { $0 + $1.calls.live } }
    /// Requests answered without the backend: from restored cells' transcripts and by request.
    public var cachedRequests: Int { reports.reduce(0) { $0 + $1.calls.cached } }
    /// Of those, answered by request from the layers (the store, the lockfile).
    public var requestsFromLayers: Int { reports.reduce(0) { $0 + $1.calls.fromLayers } }
    /// Requests not sent, by the layer that answered them ("store", "lockfile", ...).
    public var requestsByLayer: [String: Int] {
      reports.reduce(into: [:]) { counts, report in counts.merge(report.calls.byLayer, uniquingKeysWith: +) }
    }
    public var tokens: Int { reports.reduce(0) { $0 + $1.calls.tokens } }
    /// Tokens of the calls that went to the backend in this run.
    public var liveTokens: Int { reports.reduce(0) { $0 + $1.calls.liveTokens } }
    /// Cells that ran but could not be saved.
    public var unsaved: [CellReport] { reports.filter { $0.saveFailure != nil } }

    public func count(_ status: Status) -> Int { reports.filter { $0.status == status }.count }
  }

  public let session: NotebookSession
  public let loaded: LoadedNotebook
  public let cache: NotebookCache
  /// What each cell's key is made of, in order.
  public let keyInputs: [CellKeyInputs]
  /// The key of each cell, in order.
  public let cellKeys: [String]
  public let journal: CallJournal
  private let options: Options
  private let currentFingerprint: (String) -> String?

  /// A run in a session of its own, with `llm` for `chat` and `embed` (none: they fail).
  /// `modules` is where `import` looks (by default the standard library, then the
  /// notebook's folder); `currentFingerprint` tells the backend's fingerprint for a model
  /// (by default the backend's own).
  public convenience init(
    loaded: LoadedNotebook, llm: LLMBindings?, cache: NotebookCache, runtime: String, options: Options,
    modules: ModuleSearchPath? = nil, currentFingerprint: ((String) -> String?)? = nil
  ) {
    let journal = CallJournal()
    var bindings = llm
    bindings?.journal = journal
    let search = modules ?? loaded.modules
    let session = NotebookSession(
      notebook: loaded.notebook, parameters: loaded.parameters, modules: search, llm: bindings)
    self.init(
      session: session, loaded: loaded, journal: journal, cache: cache, runtime: runtime, options: options,
      modules: search,
      currentFingerprint: currentFingerprint ?? { model in bindings?.backend.currentFingerprint(model: model) })
  }

  /// A run in an interpreter that exists already (the REPL's), whose `chat` and `embed`
  /// answer through `journal`.
  public convenience init(
    loaded: LoadedNotebook, interpreter: Interpreter, journal: CallJournal, cache: NotebookCache, runtime: String,
    options: Options, currentFingerprint: @escaping (String) -> String?
  ) {
    let search = loaded.modules
    interpreter.moduleLoader = { search.lookup($0) }
    let session = NotebookSession(notebook: loaded.notebook, parameters: loaded.parameters, interpreter: interpreter)
    self.init(
      session: session, loaded: loaded, journal: journal, cache: cache, runtime: runtime, options: options,
      modules: search, currentFingerprint: currentFingerprint)
  }

  private init(
    session: NotebookSession, loaded: LoadedNotebook, journal: CallJournal, cache: NotebookCache, runtime: String,
    options: Options, modules: ModuleSearchPath, currentFingerprint: @escaping (String) -> String?
  ) {
    self.session = session
    self.loaded = loaded
    self.journal = journal
    self.cache = cache
    self.options = options
    self.currentFingerprint = currentFingerprint
    keyInputs = loaded.notebook.cellKeyInputs(runtime: runtime, parameters: loaded.parameters, modules: modules)
    cellKeys = keyInputs.map(\.key)
    if let limit = options.maxOutputBytes { session.interpreter.maxOutputBytes = limit }
  }

  /// Runs every cell until one fails; nothing runs when a cell has a syntax error.
  public func run(observer: NotebookObserver) -> Summary {
    let start = Date()
    var summary = Summary()
    summary.syntaxErrors = session.syntaxErrors()
    guard summary.syntaxErrors.isEmpty else { return summary }
    journal.observer = observer
    journal.use(
      CallJournal.Policy(
        layers: cache.layers, frozen: options.frozen, refresh: options.refresh, currentFingerprint: currentFingerprint))
    for (index, cell) in session.notebook.cells.enumerated() {
      let report = run(cell, index: index, observer: observer)
      summary.reports.append(report)
      observer.notebook(.cellFinished(report))
      if report.status == .error {
        if let miss = report.calls.frozenMisses.first { summary.frozenMiss = "\(cell.label): \(miss)" }
        break
      }
    }
    summary.seconds = Date().timeIntervalSince(start)
    return summary
  }

  /// How a cell is to run, and why: what `run` starts from and `--explain` prints.
  public struct Plan {
    public let status: Status
    public let reason: CellReason?
    /// The entry to restore from, when the cell is restored.
    public let entry: CacheStore.Entry?
  }

  /// The plan of the cell at `index`; `warn` hears a store that could not be read.
  public func plan(_ index: Int, warn: (String) -> Void = { _ in }) -> Plan {
    let cell = session.notebook.cells[index]
    if options.refresh { return Plan(status: .live, reason: .refresh, entry: nil) }
    // A cell marked cache=false runs again, unless --frozen asks that nothing go live.
    if !cell.isCacheable && !options.frozen { return Plan(status: .live, reason: .cacheDisabled, entry: nil) }
    guard let store = cache.store else { return Plan(status: .live, reason: .notCached, entry: nil) }
    do {
      if let entry = try store.entry(notebook: loaded.name, cellKey: cellKeys[index]) {
        if !options.frozen, let drift = drift(in: entry.calls) { return Plan(status: .drift, reason: drift, entry: nil) }
        return Plan(status: .cached, reason: nil, entry: entry)
      }
      guard let latest = try store.latestEntry(notebook: loaded.name, cellIdentity: cell.identity) else {
        return Plan(status: .live, reason: .notCached, entry: nil)
      }
      let reason = latest.inputs.flatMap { keyInputs[index].reason(comparedWith: $0) } ?? .dependenciesChanged
      return Plan(status: .changed, reason: reason, entry: nil)
    } catch {
      warn("\(cell.label): the store could not be read (\(error.readableDescription)); the cell runs")
      return Plan(status: .live, reason: .notCached, entry: nil)
    }
  }

  private func run(_ cell: Cell, index: Int, observer: NotebookObserver) -> CellReport {
    let plan = self.plan(index) { observer.notebook(.warning($0)) }
    journal.begin(cell: cell.label, transcript: plan.entry?.calls ?? [])
    observer.notebook(.cellStarted(cell, plan.status, plan.reason))
    let onOutput: (OutputItem) -> Void = { observer.notebook(.output(cell, $0)) }
    var result: NotebookSession.CellResult
    if let timeout = options.cellTimeout {
      let (finished, expired) = timeout.run(interrupting: session.interpreter) { session.run(cell, onOutput: onOutput) }
      result = finished
      if expired, let error = result.error, case .runtime(let stopped) = error {
        result.error = .runtime(timeout.error(for: cell.label, stoppedBy: stopped))
      }
    } else {
      result = session.run(cell, onOutput: onOutput)
    }
    let calls = journal.finish()
    for failure in calls.layerFailures { observer.notebook(.warning("\(cell.label): \(failure)")) }
    if result.error != nil {
      return CellReport(cell: cell, status: .error, reason: plan.reason, result: result, calls: calls, saveFailure: nil)
    }
    var status = plan.status
    // A restored cell whose transcript lacked a call sent it: it is live, with a new entry.
    if status == .cached && calls.live > 0 { status = .live }
    var saveFailure: String?
    if status != .cached, let store = cache.store {
      do {
        try store.save(
          notebook: loaded.name, cellKey: cellKeys[index], cellIdentity: cell.identity, inputs: keyInputs[index],
          outputs: result.outputs, calls: calls.calls)
      } catch {
        saveFailure = CacheStore.reason(error)
        observer.notebook(.warning("\(cell.label) could not be saved in the cache: \(CacheStore.reason(error))"))
      }
    }
    return CellReport(cell: cell, status: status, reason: plan.reason, result: result, calls: calls, saveFailure: saveFailure)
  }

  /// "fingerprint changed A -> B" when a seeded call's backend now answers with another
  /// fingerprint.
  private func drift(in calls: [RecordedCall]) -> CellReason? {
    var seen: Set<String> = []
    for call in calls where call.kind == .chat && call.seeded {
      guard let stored = call.fingerprint, let model = call.model, seen.insert(model).inserted else { continue }
      if let current = currentFingerprint(model), current != stored {
        return .fingerprintChanged(from: stored, to: current)
      }
    }
    return nil
  }
}

extension ParameterValue {
  /// The parameter as JSON, for the cell keys.
  var json: JSONValue {
    switch self {
    case .null: return .null
    case .bool(let b): return .bool(b)
    case .int(let i): return .int(i)
    case .float(let f): return .double(f)
    case .string(let s): return .string(s)
    case .list(let items): return .array(items.map(\.json))
    case .dict(let entries): return .object(entries.map { JSONValue.Member(key: $0.key, value: $0.value.json) })
    }
  }
}
