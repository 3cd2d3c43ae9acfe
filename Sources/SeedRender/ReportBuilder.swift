import Foundation
import OrderedCollections
import SeedJSON
import SeedLang
import SeedNotebook

/// Builds a report from what the cache store keeps, without running anything: each cell's
/// entry for its current key (its outputs and calls), and the latest run's record (its date,
/// backend, parameters, statuses, and the error of a cell that failed).
public enum ReportBuilder {
  /// `parameters` must be the ones the results were made with: they are part of the cell keys.
  /// `run` replaces the store's latest run (for a run without a store, whose record keeps
  /// every cell's outputs).
  public static func build(
    notebook: Notebook, parameters: OrderedDictionary<String, ParameterValue>, runtime: String, store: CacheStore?,
    run given: RunRecord? = nil
  ) throws -> Report {
    let name = URL(fileURLWithPath: notebook.file).lastPathComponent
    let keys = notebook.cellKeys(runtime: runtime, parameters: parameters)
    var entries: [String: CacheStore.Entry] = [:]
    for entry in try store?.entries(notebook: name) ?? [] { entries[entry.cellKey] = entry }
    let run = try given ?? store?.latestRun(notebook: name)
    return build(notebook: notebook, parameters: parameters, runtime: runtime, keys: keys, entries: entries, run: run)
  }

  static func build(
    notebook: Notebook, parameters: OrderedDictionary<String, ParameterValue>, runtime: String, keys: [String],
    entries: [String: CacheStore.Entry], run: RunRecord?
  ) -> Report {
    let name = URL(fileURLWithPath: notebook.file).lastPathComponent
    var runCells: [String: RunRecord.CellRun] = [:]
    for cell in run?.cells ?? [] { runCells[cell.key] = cell }
    // When the last run stopped at a failed cell that is still as it was, the cells after it
    // were not run.
    let stoppedAt = run?.cells.last.flatMap { last in last.status == "error" ? keys.firstIndex(of: last.key) : nil }

    var provenance = Report.Provenance(
      title: notebook.frontMatter?.title ?? name, notebook: name, version: runtime)
    provenance.parameters = parameters.map { ($0.key, $0.value.literal) }
    var blocks: [Report.Block] = []
    var newest: Date?
    var usedRun = false
    var cellIndex = 0
    for block in notebook.blocks {
      guard case .cell(let cell) = block else {
        if case .prose(let text) = block {
          blocks.append(.prose(blocks.isEmpty ? withoutHeading(provenance.title, text) : text))
        }
        continue
      }
      let index = cellIndex
      cellIndex += 1
      let key = index < keys.count ? keys[index] : ""
      var part = Report.CellPart(label: cell.label, identity: cell.identity, source: cell.source, status: .notRun)
      let ran = runCells[key]
      if let stoppedAt, index > stoppedAt {
        // Not run in the last run.
      } else if let ran, ran.status == Report.Status.error.rawValue {
        part.status = .error
        part.note = ran.note
        part.error = ran.error
        part.outputs = ran.outputs ?? []
        part.calls = ran.calls ?? []
        usedRun = true
        provenance.liveRequests += ran.liveRequests
        provenance.cachedRequests += ran.cachedRequests
      } else if let ran, let outputs = ran.outputs, entries[key] == nil {
        part.status = Report.Status(rawValue: ran.status) ?? .live
        part.note = ran.note
        part.outputs = outputs
        part.calls = ran.calls ?? []
        usedRun = true
        provenance.liveRequests += ran.liveRequests
        provenance.cachedRequests += ran.cachedRequests
      } else if let entry = entries[key] {
        part.outputs = entry.outputs
        part.calls = entry.calls
        newest = max(newest ?? entry.savedAt, entry.savedAt)
        if let ran {
          part.status = Report.Status(rawValue: ran.status) ?? .cached
          part.note = ran.note
          usedRun = true
          provenance.liveRequests += ran.liveRequests
          provenance.cachedRequests += ran.cachedRequests
        } else {
          part.status = .cached
          provenance.cachedRequests += entry.calls.count
        }
      }
      blocks.append(.cell(part))
    }
    if let run, usedRun {
      provenance.runDate = run.startedAt
      provenance.backend = run.backend
    } else {
      provenance.runDate = newest
    }
    summarize(blocks.compactMap { if case .cell(let c) = $0 { return c } else { return nil } }, into: &provenance)
    return Report(provenance: provenance, blocks: blocks)
  }

  /// The prose without its first line when that is the title as a level-1 heading, which the
  /// report's header already shows.
  static func withoutHeading(_ title: String, _ prose: String) -> String {
    let lines = prose.split(separator: "\n", omittingEmptySubsequences: false)
    guard let first = lines.firstIndex(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }),
      lines[first].trimmingCharacters(in: .whitespaces) == "# " + title
    else { return prose }
    return lines[(first + 1)...].joined(separator: "\n")
  }

  /// Models, seeds, fingerprints and tokens of every call the report's cells made.
  static func summarize(_ cells: [Report.CellPart], into provenance: inout Report.Provenance) {
    var models = OrderedDictionary<String, OrderedSet<String>>()
    var seeds = Set<Int>()
    var fingerprints = OrderedSet<String>()
    for call in cells.flatMap(\.calls) {
      let requested = (try? JSONValue.parse(call.request))?["model"]?.string
      if let answered = call.model ?? requested {
        models[answered, default: []].append(contentsOf: requested.map { [$0] } ?? [])
      }
      if call.kind == .chat, let seed = call.seed {
        if call.seeded { seeds.insert(seed) } else { provenance.randomSeeds += 1 }
      }
      if let fingerprint = call.fingerprint { fingerprints.append(fingerprint) }
      provenance.promptTokens += call.promptTokens
      provenance.completionTokens += call.completionTokens
    }
    provenance.models = models.map { answered, asked in
      let others = asked.filter { $0 != answered }
      return others.isEmpty ? answered : "\(answered) (asked for \(others.joined(separator: ", ")))"
    }
    provenance.seeds = seeds.sorted()
    provenance.fingerprints = Array(fingerprints)
  }
}
