import Foundation
import OrderedCollections
import SeedJSON
import SeedLang

/// What one `seednb run` did, as the store keeps it for reports: when, with which backend,
/// runtime and parameters, and how each cell ran. Outputs and calls of cells that finished
/// are in their cache entries; a cell that failed has none, so its record keeps its error and
/// what it had shown and asked before it.
public struct RunRecord: Codable, Sendable, Equatable {
  public struct CellRun: Codable, Sendable, Equatable {
    public var identity: String
    public var key: String
    /// A `NotebookRunner.Status` raw value.
    public var status: String
    public var note: String?
    public var liveRequests: Int
    public var cachedRequests: Int
    /// The error as the terminal shows it, for a cell that failed.
    public var error: String?
    /// A failed cell's outputs before its error, and its calls.
    public var outputs: [OutputItem]?
    public var calls: [RecordedCall]?

    public init(
      identity: String, key: String, status: String, note: String? = nil, liveRequests: Int = 0, cachedRequests: Int = 0,
      error: String? = nil, outputs: [OutputItem]? = nil, calls: [RecordedCall]? = nil
    ) {
      self.identity = identity
      self.key = key
      self.status = status
      self.note = note
      self.liveRequests = liveRequests
      self.cachedRequests = cachedRequests
      self.error = error
      self.outputs = outputs
      self.calls = calls
    }
  }

  /// A parameter's name and its value as JSON text.
  public struct Parameter: Codable, Sendable, Equatable {
    public var name: String
    public var json: String
  }

  /// The notebook's file name, as the store names notebooks.
  public var notebook: String
  public var startedAt: Date
  public var seconds: Double
  /// The seednb version that ran it.
  public var runtime: String
  /// `local` or `openai`.
  public var backend: String
  public var parameters: [Parameter]
  /// The cells that ran, in order, up to the one that failed.
  public var cells: [CellRun]

  public init(
    notebook: String, startedAt: Date, seconds: Double, runtime: String, backend: String,
    parameters: OrderedDictionary<String, ParameterValue>, cells: [CellRun]
  ) {
    self.notebook = notebook
    self.startedAt = startedAt
    self.seconds = seconds
    self.runtime = runtime
    self.backend = backend
    self.parameters = parameters.map { Parameter(name: $0.key, json: $0.value.json.serialized(sortedKeys: true)) }
    self.cells = cells
  }

  /// The record of a run the runner just finished. `keepingOutputs` keeps every cell's outputs
  /// and calls in it, for a report when there is no store to hold them.
  public init(
    summary: NotebookRunner.Summary, runner: NotebookRunner, startedAt: Date, runtime: String, backend: String,
    parameters: OrderedDictionary<String, ParameterValue>, keepingOutputs: Bool = false
  ) {
    let cells = summary.reports.enumerated().map { index, report in
      let failed = report.status == .error || keepingOutputs
      return CellRun(
        identity: report.cell.identity, key: runner.cellKeys[index], status: report.status.rawValue, note: report.note,
        liveRequests: report.calls.live, cachedRequests: report.calls.cached,
        error: report.result.error?.description, outputs: failed ? report.result.outputs : nil,
        calls: failed ? report.calls.calls : nil)
    }
    self.init(
      notebook: URL(fileURLWithPath: runner.session.notebook.file).lastPathComponent, startedAt: startedAt,
      seconds: summary.seconds, runtime: runtime, backend: backend, parameters: parameters, cells: cells)
  }

  /// The parameters as values; one whose JSON cannot be read is left out.
  public var parameterValues: OrderedDictionary<String, ParameterValue> {
    var values: OrderedDictionary<String, ParameterValue> = [:]
    for parameter in parameters {
      if let json = try? JSONValue.parse(parameter.json) { values[parameter.name] = ParameterValue(json: json) }
    }
    return values
  }
}

extension ParameterValue {
  /// The value a parameter's JSON stands for (the inverse of `json`).
  init(json: JSONValue) {
    switch json {
    case .null: self = .null
    case .bool(let b): self = .bool(b)
    case .int(let i): self = .int(i)
    case .double(let d): self = .float(d)
    case .string(let s): self = .string(s)
    case .array(let items): self = .list(items.map(ParameterValue.init(json:)))
    case .object(let members):
      var entries: OrderedDictionary<String, ParameterValue> = [:]
      for member in members { entries[member.key] = ParameterValue(json: member.value) }
      self = .dict(entries)
    }
  }
}
