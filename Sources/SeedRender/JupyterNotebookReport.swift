import Foundation
import SeedJSON
import SeedLang

/// A report as a Jupyter notebook (nbformat 4.5), so that GitHub, nbviewer, JupyterLab and
/// nbconvert show a run with its outputs. A first Markdown cell holds the title and the
/// provenance table, the prose becomes Markdown cells, each code cell keeps its source and
/// stored outputs. The notebook's metadata holds the same provenance as data, and says that
/// seed has no Jupyter kernel: the notebook is a record of a run, re-run with seednb.
///
/// The text is what nbformat's own writer gives for the same notebook (keys sorted, one space
/// a level, multi-line strings as lists of lines), so that a notebook read and written back by
/// Jupyter tools is unchanged, and the same store always gives the same bytes.
public enum JupyterNotebookReport {
  /// The name Jupyter would look up as a kernel; none is installed by that name, which the
  /// display name says.
  static let kernelName = "seed"
  static let kernelDisplayName = "seed (no Jupyter kernel: run it with seednb)"

  public static func render(_ report: Report) -> String {
    var ids = CellIDs()
    var cells: [JSONValue] = [
      markdownCell(id: ids.unique("provenance"), MarkdownReport.header(report))
    ]
    var proseCount = 0
    var executionCount = 0
    for block in report.blocks {
      switch block {
      case .prose(let text):
        let trimmed = withoutBlankEdgeLines(text)
        guard !trimmed.isEmpty else { continue }
        proseCount += 1
        cells.append(markdownCell(id: ids.unique("prose-\(proseCount)"), trimmed))
      case .cell(let cell):
        var count: JSONValue = .null
        if cell.status != .notRun {
          executionCount += 1
          count = .int(executionCount)
        }
        cells.append(codeCell(cell, id: ids.unique(cellID(cell.identity)), executionCount: count))
      }
    }
    let notebook = object([
      ("cells", .array(cells)),
      ("metadata", metadata(report)),
      ("nbformat", .int(4)),
      ("nbformat_minor", .int(5)),
    ])
    return notebook.serialized(indent: 1, sortedKeys: true) + "\n"
  }

  // MARK: - Metadata

  static func metadata(_ report: Report) -> JSONValue {
    let provenance = report.provenance
    let seednb = object([
      ("notebook", .string(provenance.notebook)),
      ("version", .string(provenance.version)),
      ("run_date", provenance.runDate.map { .string(isoDate($0)) } ?? .null),
      ("backend", provenance.backend.map(JSONValue.string) ?? .null),
      ("models", .array(provenance.models.map(JSONValue.string))),
      ("parameters", object(provenance.parameters.map { ($0.name, .string($0.value)) })),
      ("seeds", .array(provenance.seeds.map(JSONValue.int))),
      ("random_seeds", .int(provenance.randomSeeds)),
      ("fingerprints", .array(provenance.fingerprints.map(JSONValue.string))),
      ("requests", object([("live", .int(provenance.liveRequests)), ("cached", .int(provenance.cachedRequests))])),
      ("tokens", object([("prompt", .int(provenance.promptTokens)), ("completion", .int(provenance.completionTokens))])),
      ("cells", object(report.statusCounts.map { ($0.status.rawValue, .int($0.count)) })),
    ])
    return object([
      ("title", .string(provenance.title)),
      ("kernelspec", object([("name", .string(kernelName)), ("display_name", .string(kernelDisplayName))])),
      (
        "language_info",
        object([
          ("name", .string("seed")),
          ("file_extension", .string(".seed")),
          ("mimetype", .string("text/x-seed")),
          // Pygments has no seed lexer; "text" keeps nbconvert from warning that it found none.
          ("pygments_lexer", .string("text")),
        ])
      ),
      ("seednb", seednb),
    ])
  }

  static func isoDate(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: date)
  }

  // MARK: - Cells

  static func markdownCell(id: String, _ text: String) -> JSONValue {
    object([
      ("cell_type", .string("markdown")),
      ("id", .string(id)),
      ("metadata", object([])),
      ("source", lines(withoutFinalNewline(text))),
    ])
  }

  static func codeCell(_ cell: Report.CellPart, id: String, executionCount: JSONValue) -> JSONValue {
    var status: [(String, JSONValue)] = [("status", .string(cell.status.rawValue))]
    if let note = cell.note { status.append(("note", .string(note))) }
    var outputs: [JSONValue] = []
    var pendingText = ""
    func flushText() {
      guard !pendingText.isEmpty else { return }
      outputs.append(object([("output_type", .string("stream")), ("name", .string("stdout")), ("text", lines(pendingText))]))
      pendingText = ""
    }
    for item in cell.outputs {
      // Consecutive prints are one stream, as a Jupyter front end joins them.
      if case .text(let text) = item {
        pendingText += text
        continue
      }
      flushText()
      outputs.append(displayData(item))
    }
    flushText()
    if let error = cell.error { outputs.append(errorOutput(error)) }
    return object([
      ("cell_type", .string("code")),
      ("execution_count", executionCount),
      ("id", .string(id)),
      ("metadata", object([("seednb", object(status))])),
      ("outputs", .array(outputs)),
      ("source", lines(withoutFinalNewline(cell.source))),
    ])
  }

  /// A rich output as a `display_data` bundle: its richest form, and plain text beside it
  /// for front ends that show only that.
  static func displayData(_ item: OutputItem) -> JSONValue {
    var data: [(String, JSONValue)] = []
    switch item {
    case .text(let text):
      data = [("text/plain", lines(text))]
    case .table:
      var html = ""
      HTMLReport.output(item, into: &html)
      data = [("text/html", lines(html)), ("text/plain", lines(item.plainText))]
    case .markdown(let text):
      // Raw HTML in it shows as text, and unsafe links lose their address, as in the other reports.
      data = [("text/markdown", lines(CommonMark.sanitized(text))), ("text/plain", lines(item.plainText))]
    case .html(let html):
      // The author's own HTML, the only text passed through as it is.
      data = [("text/html", lines(html))]
    case .json(let text):
      data = [("text/plain", lines(item.plainText))]
      if let value = try? JSONValue.parse(text) { data.append(("application/json", value)) }
    case .chart:
      data = [("image/svg+xml", lines(chartSVG(item))), ("text/plain", lines(item.plainText))]
    }
    return object([("output_type", .string("display_data")), ("data", object(data)), ("metadata", object([]))])
  }

  static func chartSVG(_ item: OutputItem) -> String {
    guard case .chart(let chart) = item else { return "" }
    return ChartSVG.render(chart, sized: true) + "\n"
  }

  /// An error as Jupyter shows one: its kind, its message, and the whole text as the terminal
  /// shows it (source line, caret, call stack) as the traceback.
  static func errorOutput(_ error: String) -> JSONValue {
    let traceback = withoutFinalNewline(error).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let first = traceback.first ?? ""
    var name = Diagnostic.Kind.runtime.rawValue
    var message = first
    for kind in [Diagnostic.Kind.syntax, .format, .runtime] {
      if let range = first.range(of: ": \(kind.rawValue): ") {
        name = kind.rawValue
        message = String(first[range.upperBound...])
        break
      }
    }
    return object([
      ("output_type", .string("error")),
      ("ename", .string(name)),
      ("evalue", .string(message)),
      ("traceback", .array(traceback.map(JSONValue.string))),
    ])
  }

  // MARK: - Text

  static func object(_ members: [(String, JSONValue)]) -> JSONValue {
    .object(members.map { JSONValue.Member(key: $0.0, value: $0.1) })
  }

  /// A multi-line string as nbformat writes one: its lines, each with its line break, split
  /// where Python's `splitlines` splits (nbformat's writer uses it).
  static func lines(_ text: String) -> JSONValue {
    var out: [JSONValue] = []
    var line = String.UnicodeScalarView()
    var previousWasReturn = false
    for scalar in text.unicodeScalars {
      if previousWasReturn {
        previousWasReturn = false
        if scalar == "\n" {
          line.append(scalar)
          out.append(.string(String(line)))
          line = String.UnicodeScalarView()
          continue
        }
        out.append(.string(String(line)))
        line = String.UnicodeScalarView()
      }
      line.append(scalar)
      switch scalar {
      case "\r":
        previousWasReturn = true
      case "\n", "\u{0B}", "\u{0C}", "\u{1C}", "\u{1D}", "\u{1E}", "\u{85}", "\u{2028}", "\u{2029}":
        out.append(.string(String(line)))
        line = String.UnicodeScalarView()
      default:
        break
      }
    }
    if !line.isEmpty { out.append(.string(String(line))) }
    return .array(out)
  }

  static func withoutFinalNewline(_ text: String) -> String {
    text.hasSuffix("\n") ? String(text.dropLast()) : text
  }

  /// Prose without the blank lines around it, which separate it from cells in the .seednb file.
  static func withoutBlankEdgeLines(_ text: String) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
    while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
    return lines.joined(separator: "\n")
  }

  /// A code cell's id from its identity: the `id` attribute, else its number (`cell-3`).
  static func cellID(_ identity: String) -> String {
    identity.allSatisfy(\.isNumber) ? "cell-\(identity)" : Escape.slug(identity)
  }

  /// Cell ids as nbformat 4.5 wants them: letters, digits, `-` and `_`, 1 to 64 of them, and
  /// unique in the notebook.
  struct CellIDs {
    static let maxLength = 64
    var taken: Set<String> = []

    mutating func unique(_ wanted: String) -> String {
      let base = String(Escape.slug(wanted).prefix(CellIDs.maxLength))
      var candidate = base
      var suffix = 1
      while taken.contains(candidate) {
        suffix += 1
        let tail = "-\(suffix)"
        candidate = String(base.prefix(CellIDs.maxLength - tail.count)) + tail
      }
      taken.insert(candidate)
      return candidate
    }
  }
}
