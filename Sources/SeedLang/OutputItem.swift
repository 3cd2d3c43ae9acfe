/// One output a cell records: what `print` and `display` produce. Renderers turn these into
/// terminal text, Markdown or HTML; the cache stores them as they are.
public enum OutputItem: Equatable, Codable, Sendable {
  case text(String)
  /// A table of already formatted cells; `rows` may be ragged and is padded when shown.
  case table(headers: [String], rows: [[String]])
  /// Markdown the notebook's author wrote.
  case markdown(String)
  /// HTML the notebook's author wrote; renderers pass it through, so nothing else may make one.
  case html(String)
  /// A value shown as pretty-printed JSON.
  case json(String)
  /// A bar, line or scatter chart (`display(chart(...))`); reports draw it as SVG.
  case chart(Chart)

  public var kindName: String {
    switch self {
    case .text: return "text"
    case .table: return "table"
    case .markdown: return "markdown"
    case .html: return "html"
    case .json: return "json"
    case .chart: return "chart"
    }
  }

  /// About how many bytes the item takes to keep: its text, or its cells, or 16 per chart
  /// point; what the output limit counts.
  public var size: Int {
    switch self {
    case .text(let text), .markdown(let text), .html(let text), .json(let text): return text.utf8.count
    case .table(let headers, let rows):
      return rows.reduce(headers.reduce(0) { $0 + $1.utf8.count + 1 }) { total, row in
        row.reduce(total) { $0 + $1.utf8.count + 1 }
      }
    case .chart(let chart):
      let labels = chart.title.utf8.count + chart.xLabel.utf8.count + chart.yLabel.utf8.count
      return chart.categories.reduce(labels) { $0 + $1.utf8.count }
        + chart.series.reduce(0) { $0 + $1.name.utf8.count + 16 * $1.points.count }
    }
  }

  /// The item as plain text for a terminal; tables are aligned in columns.
  public var plainText: String {
    switch self {
    case .text(let text), .markdown(let text), .html(let text), .json(let text):
      return text.hasSuffix("\n") ? String(text.dropLast()) : text
    case .table(let headers, let rows):
      return OutputItem.alignedTable(headers: headers, rows: rows)
    case .chart(let chart):
      return chart.plainText
    }
  }

  static func alignedTable(headers: [String], rows: [[String]]) -> String {
    let columns = max(headers.count, rows.map(\.count).max() ?? 0)
    // A cell's own line breaks would tear the grid; show them as spaces.
    func cell(_ row: [String], _ column: Int) -> String {
      column < row.count ? row[column].replacingLineBreaks() : ""
    }
    var widths = [Int](repeating: 0, count: columns)
    for row in [headers] + rows {
      for column in 0..<columns { widths[column] = max(widths[column], cell(row, column).count) }
    }
    func line(_ row: [String]) -> String {
      (0..<columns).map { column in
        let text = cell(row, column)
        return text + String(repeating: " ", count: widths[column] - text.count)
      }.joined(separator: " | ").trailingSpacesRemoved()
    }
    var lines: [String] = []
    if !headers.isEmpty {
      lines.append(line(headers))
      lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-"))
    }
    lines += rows.map(line)
    return lines.joined(separator: "\n")
  }
}

extension String {
  fileprivate func replacingLineBreaks() -> String {
    String(map { $0 == "\n" || $0 == "\r\n" || $0 == "\r" ? " " : $0 })
  }

  fileprivate func trailingSpacesRemoved() -> String {
    var copy = self
    while copy.last == " " { copy.removeLast() }
    return copy
  }
}
