import Foundation
import SeedLang
import SeedNotebook

/// A report as one self-contained HTML file: inline CSS, charts as inline SVG, no script and
/// nothing fetched (a Content-Security-Policy forbids both, as a second line of defence behind
/// the escaping). It reads on a phone (one column, tables and code scroll sideways) and in print.
public enum HTMLReport {
  public static func render(_ report: Report) -> String {
    var out = ""
    out.reserveCapacity(64 * 1024)
    let provenance = report.provenance
    out += pageStart(title: provenance.title, version: provenance.version)
    header(provenance, report.statusCounts, into: &out)
    for block in report.blocks {
      switch block {
      case .prose(let text):
        let html = CommonMark.html(text)
        if !html.isEmpty { out += "<section class=\"prose\">\n\(html)</section>\n" }
      case .cell(let cell):
        self.cell(cell, into: &out)
      }
    }
    out += "</main>\n</body>\n</html>\n"
    return out
  }

  /// A page up to its `<main>`: the stylesheet, and a Content-Security-Policy that allows
  /// no script and no fetch. Shared with the index of a sweep.
  static func pageStart(title: String, version: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
    <meta name="generator" content="seednb \(Escape.html(version))">
    <title>\(Escape.html(title))</title>
    <style>
    \(Stylesheet.css)</style>
    </head>
    <body>
    <main>

    """
  }

  static func header(_ provenance: Report.Provenance, _ counts: [(status: Report.Status, count: Int)], into out: inout String) {
    out += "<header class=\"provenance\">\n<h1>\(Escape.html(provenance.title))</h1>\n<dl>\n"
    func row(_ name: String, _ html: String) { out += "<div><dt>\(name)</dt><dd>\(html)</dd></div>\n" }
    func list(_ items: [String]) -> String {
      items.isEmpty ? "<span class=\"none\">none</span>" : items.map { "<code>\(Escape.html($0))</code>" }.joined(separator: " ")
    }
    row("notebook", "<code>\(Escape.html(provenance.notebook))</code>")
    row("run", provenance.runDate.map { Escape.html(Report.format($0)) } ?? "<span class=\"none\">never run</span>")
    row("seednb", Escape.html(provenance.version))
    row("backend", provenance.backend.map(Escape.html) ?? "<span class=\"none\">not recorded</span>")
    row("model", list(provenance.models))
    row(
      "parameters",
      provenance.parameters.isEmpty
        ? "<span class=\"none\">none</span>"
        : provenance.parameters.map { "<code>\(Escape.html($0.name)) = \(Escape.html($0.value))</code>" }.joined(separator: " "))
    row("seeds", list(provenance.seedsListed))
    row("fingerprints", list(provenance.fingerprints))
    row("requests", provenance.requestsSummary)
    row("tokens", provenance.tokensSummary)
    row(
      "cells",
      counts.map { "<span class=\"badge \(badgeClass($0.status))\">\($0.count) \(Escape.html($0.status.rawValue))</span>" }
        .joined(separator: " "))
    out += "</dl>\n</header>\n"
  }

  static func badgeClass(_ status: Report.Status) -> String {
    status == .notRun ? "not-run" : status.rawValue
  }

  static func cell(_ cell: Report.CellPart, into out: inout String) {
    let status = badgeClass(cell.status)
    out += "<section class=\"cell \(status)\" id=\"cell-\(Escape.html(Escape.slug(cell.identity)))\" data-status=\"\(status)\">\n"
    out += "<div class=\"cell-head\"><span class=\"cell-label\">\(Escape.html(cell.label))</span>"
    out += " <span class=\"badge \(status)\">\(Escape.html(cell.status.rawValue))</span>"
    if let note = cell.note { out += " <span class=\"note\">\(Escape.html(note))</span>" }
    out += "</div>\n<pre class=\"code\"><code>"
    highlight(cell.source, into: &out)
    out += "</code></pre>\n"
    if !cell.outputs.isEmpty || cell.error != nil {
      out += "<div class=\"outputs\">\n"
      for item in cell.outputs { output(item, into: &out) }
      if let error = cell.error { out += "<pre class=\"output error\">\(Escape.html(error))</pre>\n" }
      out += "</div>\n"
    }
    out += "</section>\n"
  }

  static func output(_ item: OutputItem, into out: inout String) {
    switch item {
    case .text(let text):
      out += "<pre class=\"output text\">\(Escape.html(trimmingFinalNewline(text)))</pre>\n"
    case .json(let text):
      out += "<pre class=\"output json\">\(Escape.html(trimmingFinalNewline(text)))</pre>\n"
    case .markdown(let text):
      out += "<div class=\"output markdown\">\n\(CommonMark.html(text))</div>\n"
    case .html(let html):
      // The author's own HTML, the only text passed through as it is.
      out += "<div class=\"output html\">\n\(html)\n</div>\n"
    case .table(let headers, let rows):
      let columns = max(headers.count, rows.map(\.count).max() ?? 0)
      out += "<div class=\"output table\"><table>\n"
      if !headers.isEmpty {
        out += "<thead><tr>"
        for column in 0..<columns { out += "<th>\(Escape.html(column < headers.count ? headers[column] : ""))</th>" }
        out += "</tr></thead>\n"
      }
      out += "<tbody>\n"
      for row in rows {
        out += "<tr>"
        for column in 0..<columns { out += "<td>\(Escape.html(column < row.count ? row[column] : ""))</td>" }
        out += "</tr>\n"
      }
      out += "</tbody></table></div>\n"
    case .chart(let chart):
      out += "<figure class=\"output chart\">\n\(ChartSVG.render(chart))\n</figure>\n"
    }
  }

  /// The code with each token the lexer finds in a span of its kind's class.
  static func highlight(_ source: String, into out: inout String) {
    let code = trimmingFinalNewline(source)
    let bytes = Array(code.utf8)
    var position = 0
    func text(_ range: Range<Int>) -> String { Escape.html(String(decoding: bytes[range], as: UTF8.self)) }
    for token in Highlighting.highlight(code) {
      if token.range.lowerBound > position { out += text(position..<token.range.lowerBound) }
      out += "<span class=\"\(tokenClass[token.kind] ?? "")\">\(text(token.range))</span>"
      position = token.range.upperBound
    }
    if position < bytes.count { out += text(position..<bytes.count) }
  }

  static let tokenClass: [HighlightToken.Kind: String] = [
    .keyword: "k", .constant: "c", .identifier: "n", .function: "f", .number: "m", .string: "s", .comment: "x",
    .operator: "o", .punctuation: "p", .error: "e",
  ]

  static func trimmingFinalNewline(_ text: String) -> String {
    text.hasSuffix("\n") ? String(text.dropLast()) : text
  }
}
