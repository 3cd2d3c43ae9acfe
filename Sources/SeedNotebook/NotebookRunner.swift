import Foundation
import OrderedCollections
import SeedJSON
import SeedLang

/// Runs a notebook's cells in order with the cell cache. A cell whose key and backend
/// fingerprints match a stored entry is restored by running its code again with every call
/// answered from its transcript, so what it defines exists again without the network. A
/// changed cell, the cells after it, and cells whose backend drifted run live.
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
    /// Ran with calls to the backend (new, refreshed, or calls without a seed).
    case live
    /// Restored: every call answered from the cache.
    case cached
    /// Its source, or a cell before it, or a parameter changed since it was stored.
    case changed
    /// The backend's fingerprint differs from the one stored; it ran live.
    case drift
    case error
  }

  public struct CellReport {
    public let cell: Cell
    public let status: Status
    /// Why, when the status needs one: "fingerprint changed: A -> B".
    public let note: String?
    public let result: NotebookSession.CellResult
    public let calls: CallJournal.CellCalls
  }

  public struct Summary {
    public var reports: [CellReport] = []
    public var seconds = 0.0
    /// Set when `--frozen` met a request the cache does not hold: which cell and request.
    public var frozenMiss: String?

    public var failed: Bool { reports.last?.status == .error }
    public var liveRequests: Int { reports.reduce(0) { $0 + $1.calls.live } }
    public var cachedRequests: Int { reports.reduce(0) { $0 + $1.calls.cached } }
    public var tokens: Int { reports.reduce(0) { $0 + $1.calls.tokens } }
    /// Tokens of the calls that went to the backend in this run.
    public var liveTokens: Int { reports.reduce(0) { $0 + $1.calls.liveTokens } }

    public func count(_ status: Status) -> Int { reports.filter { $0.status == status }.count }
  }

  public let session: NotebookSession
  private let journal: CallJournal
  private let store: CacheStore?
  private let notebookName: String
  /// The key of each cell, in order.
  public let cellKeys: [String]
  private let options: Options
  private let currentFingerprint: (String) -> String?
  /// Told when each cell starts, with how many calls it made when it last ran, if known.
  public var progress: CallProgress?

  /// `currentFingerprint(model)` tells the backend's fingerprint now for a model, or nil
  /// when it cannot be known (the entry is then trusted).
  public init(
    session: NotebookSession, journal: CallJournal, store: CacheStore?, runtime: String,
    parameters: OrderedDictionary<String, ParameterValue>, options: Options,
    currentFingerprint: @escaping (String) -> String? = { _ in nil }
  ) {
    self.session = session
    self.journal = journal
    self.store = store
    self.options = options
    self.currentFingerprint = currentFingerprint
    notebookName = URL(fileURLWithPath: session.notebook.file).lastPathComponent
    cellKeys = session.notebook.cellKeys(runtime: runtime, parameters: parameters)
    if let limit = options.maxOutputBytes { session.interpreter.maxOutputBytes = limit }
  }

  /// Runs every cell until one fails. `onCellStart` hears each cell's planned status first.
  public func run(
    onCellStart: (Cell, Status, String?) -> Void, onOutput: @escaping (OutputItem) -> Void,
    onCellEnd: (CellReport) -> Void = { _ in }
  ) -> Summary {
    let start = Date()
    var summary = Summary()
    for (index, cell) in session.notebook.cells.enumerated() {
      let report = run(cell, key: cellKeys[index], onCellStart: onCellStart, onOutput: onOutput)
      summary.reports.append(report)
      onCellEnd(report)
      if report.status == .error {
        if let miss = report.calls.frozenMisses.first { summary.frozenMiss = "\(cell.label): \(miss)" }
        break
      }
    }
    summary.seconds = Date().timeIntervalSince(start)
    return summary
  }

  private func run(
    _ cell: Cell, key: String, onCellStart: (Cell, Status, String?) -> Void, onOutput: @escaping (OutputItem) -> Void
  ) -> CellReport {
    var status = Status.live
    var note: String?
    var transcript: [RecordedCall] = []
    var expectedCalls: Int?
    // A cell marked cache=false runs again, unless --frozen asks that nothing go live.
    let restorable = !options.refresh && (cell.isCacheable || options.frozen)
    let entry = restorable ? (try? store?.entry(notebook: notebookName, cellKey: key)) ?? nil : nil
    if let entry {
      expectedCalls = entry.calls.count
      if !options.frozen, let drift = drift(in: entry.calls) {
        status = .drift
        note = drift
      } else {
        // Calls without a seed will go to the backend again: the cell is live, in part.
        let varies = !options.frozen && entry.calls.contains { $0.kind == .chat && !$0.seeded }
        status = varies ? .live : .cached
        transcript = entry.calls
      }
    } else if restorable, let previous = (try? store?.latestEntry(notebook: notebookName, cellIdentity: cell.identity)) ?? nil {
      status = .changed
      expectedCalls = previous.calls.count
    }
    let store = self.store, notebook = notebookName
    journal.begin(
      transcript: transcript, frozen: options.frozen,
      fallback: { slot in (try? store?.call(notebook: notebook, slot: slot)) ?? nil })
    progress?.begin(expected: expectedCalls)
    onCellStart(cell, status, note)
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
    if result.error != nil {
      return CellReport(cell: cell, status: .error, note: note, result: result, calls: calls)
    }
    // Calls without a seed went live, so the cell is live, with new answers to keep.
    if status == .cached && calls.live > 0 { status = .live }
    if status != .cached {
      try? store?.save(
        notebook: notebookName, cellKey: key, cellIdentity: cell.identity, outputs: result.outputs, calls: calls.calls)
    }
    return CellReport(cell: cell, status: status, note: note, result: result, calls: calls)
  }

  /// "fingerprint changed: A -> B" when a seeded call's backend now answers with another
  /// fingerprint.
  private func drift(in calls: [RecordedCall]) -> String? {
    var seen: Set<String> = []
    for call in calls where call.kind == .chat && call.seeded {
      guard let stored = call.fingerprint, let model = call.model, seen.insert(model).inserted else { continue }
      if let current = currentFingerprint(model), current != stored {
        return "fingerprint changed: \(stored) -> \(current)"
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
