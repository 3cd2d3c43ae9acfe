import Foundation

/// The words a notebook run is told in, the same in `seednb run` and the REPL's `:load`.
public enum RunText {
  /// A cell's header: its label, its status, and why it ran when it was not restored.
  public static func header(_ cell: Cell, _ status: NotebookRunner.Status, _ reason: CellReason?) -> String {
    "── \(cell.label) · \(status.rawValue)\(reason.map { " · \($0)" } ?? "") ──"
  }

  /// The run's last line: cells by status, requests live and from the cache, tokens, wall
  /// time; then what `--frozen` missed and the cells that could not be saved.
  public static func summary(_ summary: NotebookRunner.Summary, of notebook: Notebook? = nil) -> String {
    let statuses = NotebookRunner.Status.allCases.compactMap { status -> String? in
      let count = summary.count(status)
      return count == 0 ? nil : "\(count) \(status.rawValue)"
    }
    let cells = summary.reports.count
    var line = "── "
    if let notebook { line += "\(notebook.file): \(cells) of \(notebook.cells.count)" } else { line += "\(cells)" }
    line += " cell\(cells == 1 ? "" : "s")"
    if !statuses.isEmpty { line += " (\(statuses.joined(separator: ", ")))" }
    // Live, then from the store (what restored cells replayed and what was found by request),
    // then from each other layer.
    let byLayer = summary.requestsByLayer
    line += " · requests: \(summary.liveRequests) live, \(byLayer["store", default: 0]) from the store"
    for (layer, count) in byLayer.sorted(by: { $0.key < $1.key }) where layer != "store" { line += ", \(count) from the \(layer)" }
    line += " · \(summary.tokens) tokens (\(summary.liveTokens) live) · \(String(format: "%.2f", summary.seconds)) s"
    if let miss = summary.frozenMiss { line += "\n── --frozen: not in the cache: \(miss)" }
    let unsaved = summary.unsaved
    if !unsaved.isEmpty {
      line += "\n── not saved in the cache: " + unsaved.map { "\($0.cell.label) (\($0.saveFailure ?? ""))" }.joined(separator: ", ")
    }
    return line
  }

  /// The syntax errors that stopped a run before it began.
  public static func syntaxErrors(_ summary: NotebookRunner.Summary, of notebook: Notebook) -> String {
    let count = summary.syntaxErrors.count
    return summary.syntaxErrors.map { $0.rendered() }.joined(separator: "\n")
      + "\n\(notebook.file): \(count) syntax error\(count == 1 ? "" : "s"); nothing was run"
  }
}
