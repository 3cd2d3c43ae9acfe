/// SeedRender turns a notebook and its stored results into a report: Markdown for GitHub, or
/// one self-contained HTML file. Nothing here runs code or talks to a backend.

import Foundation
import SeedLang
import SeedNotebook

/// A notebook as a report shows it: where its results came from, then its prose and cells in
/// document order, each cell with its status, code, outputs and error.
public struct Report: Sendable {
  /// How a cell's results came to be, as its badge says.
  public enum Status: String, Sendable, CaseIterable {
    case live, cached, changed, drift, error
    /// No stored result for the cell as it is now.
    case notRun = "not run"
  }

  public struct CellPart: Sendable {
    public var label: String
    public var identity: String
    public var source: String
    public var status: Status
    /// Why, when the status needs one: "fingerprint changed: A -> B".
    public var note: String?
    public var outputs: [OutputItem]
    /// The error as the terminal shows it, for a cell that failed.
    public var error: String?
    public var calls: [RecordedCall]

    public init(
      label: String, identity: String, source: String, status: Status, note: String? = nil, outputs: [OutputItem] = [],
      error: String? = nil, calls: [RecordedCall] = []
    ) {
      self.label = label
      self.identity = identity
      self.source = source
      self.status = status
      self.note = note
      self.outputs = outputs
      self.error = error
      self.calls = calls
    }
  }

  public enum Block: Sendable {
    /// The author's Markdown, as written in the notebook.
    case prose(String)
    case cell(CellPart)
  }

  /// Where the results came from; every value is shown as text, escaped.
  public struct Provenance: Sendable {
    public var title: String
    /// The notebook's file name.
    public var notebook: String
    /// When the run that made the results started; nil when nothing was ever run.
    public var runDate: Date?
    /// The seednb version rendering (and that computed the cell keys).
    public var version: String
    /// `local` or `openai`; nil when the store does not say (a store from before runs were recorded).
    public var backend: String?
    /// The models that answered, each with the ones asked for: "gemma-3-270m (asked for gpt-4o-mini)".
    public var models: [String]
    /// Each parameter and its value as `-p` would write it.
    public var parameters: [(name: String, value: String)]
    /// Seeds the notebook gave, and how many calls had a random one drawn for them.
    public var seeds: [Int]
    public var randomSeeds: Int
    public var fingerprints: [String]
    public var liveRequests: Int
    public var cachedRequests: Int
    public var promptTokens: Int
    public var completionTokens: Int

    /// The seeds as reports list them: each seed, then how many calls had a random one.
    public var seedsListed: [String] {
      seeds.map(String.init) + (randomSeeds > 0 ? ["\(randomSeeds) random"] : [])
    }

    /// "3 live, 2 cached".
    public var requestsSummary: String { "\(liveRequests) live, \(cachedRequests) cached" }

    /// "25 (17 prompt, 8 completion)".
    public var tokensSummary: String {
      "\(promptTokens + completionTokens) (\(promptTokens) prompt, \(completionTokens) completion)"
    }

    public init(title: String, notebook: String, version: String) {
      self.title = title
      self.notebook = notebook
      self.version = version
      runDate = nil
      backend = nil
      models = []
      parameters = []
      seeds = []
      randomSeeds = 0
      fingerprints = []
      liveRequests = 0
      cachedRequests = 0
      promptTokens = 0
      completionTokens = 0
    }
  }

  public var provenance: Provenance
  public var blocks: [Block]

  public init(provenance: Provenance, blocks: [Block]) {
    self.provenance = provenance
    self.blocks = blocks
  }

  public var cells: [CellPart] {
    blocks.compactMap { if case .cell(let cell) = $0 { return cell } else { return nil } }
  }

  /// How many cells have each status, in the order of `Status.allCases`, leaving out zeros.
  public var statusCounts: [(status: Status, count: Int)] {
    Status.allCases.compactMap { status in
      let count = cells.filter { $0.status == status }.count
      return count == 0 ? nil : (status, count)
    }
  }

  /// The date as reports print it: "2026-11-29 07:30:12 UTC".
  public static func format(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
    return formatter.string(from: date)
  }
}
