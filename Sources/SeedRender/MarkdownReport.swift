import Foundation
import SeedLang

/// A report as GitHub-flavoured Markdown: the provenance as a table, the author's prose as
/// written, each cell's code in a `seed` block and its outputs as tables and fenced blocks.
/// Charts are SVG files beside the report, which links them as images.
public enum MarkdownReport {
  /// The Markdown, and the chart files to write beside it (file name, SVG text).
  public struct Rendered {
    public var markdown: String
    public var files: [(name: String, contents: String)]
  }

  /// `chartPrefix` starts the chart file names: `report` gives `report-chart-1.svg`.
  public static func render(_ report: Report, chartPrefix: String) -> Rendered {
    var out = header(report) + "\n"
    var files: [(name: String, contents: String)] = []
    for block in report.blocks {
      switch block {
      case .prose(let text):
        out += text
        if !text.hasSuffix("\n") { out += "\n" }
      case .cell(let cell):
        if !out.hasSuffix("\n\n") { out += "\n" }
        out += "**\(Escape.markdownInline(cell.label))** · `\(cell.status.rawValue)`"
        if let note = cell.note { out += " · \(Escape.markdownInline(note))" }
        out += "\n\n"
        fenced(cell.source, info: "seed", into: &out)
        for item in cell.outputs {
          out += "\n"
          output(item, files: &files, prefix: chartPrefix, into: &out)
        }
        if let error = cell.error {
          out += "\n"
          fenced(error, info: "text", into: &out)
        }
        out += "\n"
      }
    }
    return Rendered(markdown: out, files: files)
  }

  /// The title as a heading and the provenance as a table; the Jupyter notebook's first cell too.
  static func header(_ report: Report) -> String {
    var out = ""
    let provenance = report.provenance
    out += "# \(Escape.markdownInline(provenance.title))\n\n"
    out += "| | |\n|---|---|\n"
    func row(_ name: String, _ value: String) { out += "| \(name) | \(value) |\n" }
    func code(_ text: String) -> String { Escape.markdownInline(text, inTable: true) }
    func list(_ items: [String]) -> String { items.isEmpty ? "none" : items.map(code).joined(separator: ", ") }
    row("notebook", code(provenance.notebook))
    row("run", provenance.runDate.map { code(Report.format($0)) } ?? "never run")
    row("seednb", code(provenance.version))
    row("backend", provenance.backend.map(code) ?? "not recorded")
    row("model", list(provenance.models))
    row("parameters", list(provenance.parameters.map { "\($0.name) = \($0.value)" }))
    row("seeds", list(provenance.seedsListed))
    row("fingerprints", list(provenance.fingerprints))
    row("requests", provenance.requestsSummary)
    row("tokens", provenance.tokensSummary)
    row("cells", report.statusCounts.map { "\($0.count) \($0.status.rawValue)" }.joined(separator: ", "))
    return out
  }

  static func fenced(_ text: String, info: String, into out: inout String) {
    let body = text.hasSuffix("\n") ? text : text + "\n"
    let fence = Escape.fence(for: body)
    out += fence + info + "\n" + body + fence + "\n"
  }

  static func output(_ item: OutputItem, files: inout [(name: String, contents: String)], prefix: String, into out: inout String) {
    switch item {
    case .text(let text):
      fenced(text, info: "text", into: &out)
    case .json(let text):
      fenced(text, info: "json", into: &out)
    case .markdown(let text):
      out += CommonMark.sanitized(text)
    case .html(let html):
      // The author's own HTML, passed through as a block.
      out += html.trimmingCharacters(in: .newlines) + "\n"
    case .table(let headers, let rows):
      let columns = max(headers.count, rows.map(\.count).max() ?? 0, 1)
      func line(_ cells: [String]) -> String {
        "| " + (0..<columns).map { $0 < cells.count ? Escape.markdownInline(cells[$0], inTable: true) : "" }
          .joined(separator: " | ") + " |\n"
      }
      // GitHub needs a header row; a table without headers gets an empty one.
      out += line(headers)
      out += "|" + String(repeating: "---|", count: columns) + "\n"
      for row in rows { out += line(row) }
    case .chart(let chart):
      let name = "\(prefix)-chart-\(files.count + 1).svg"
      files.append((name, ChartSVG.render(chart) + "\n"))
      let alt = chart.title.isEmpty ? "\(chart.kind.rawValue) chart" : chart.title
      let encoded = name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? name
      out += "![\(Escape.markdownInline(alt))](\(encoded))\n"
    }
  }
}
