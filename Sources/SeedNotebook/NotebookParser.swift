import SeedLang

/// Splits a notebook's text into front matter, prose and cells, collecting every problem it
/// finds so that one run reports them all.
struct NotebookParser {
  private let file: String
  private let hasByteOrderMark: Bool
  private let lines: [Line]
  /// The text diagnostics quote lines from: LF line breaks, no byte order mark, so that
  /// `SourceText` finds the same lines and columns as the parser.
  private let source: SourceText
  private var diagnostics: [Diagnostic] = []
  /// The column of each cell's `id` attribute, by fence line, for duplicate-id diagnostics.
  private var idColumns: [Int: Int] = [:]

  init(text: String, file: String) {
    self.file = file
    var body = Substring(text)
    hasByteOrderMark = body.unicodeScalars.first == "\u{FEFF}"
    if hasByteOrderMark { body = Substring(body.unicodeScalars.dropFirst()) }
    lines = Line.split(String(body))
    source = SourceText(file: file, text: lines.map(\.text).joined(separator: "\n"))
  }

  /// notebook -> [ front-matter ] { prose-line | cell | other-fenced-block }
  mutating func parse() throws -> Notebook {
    var index = 0
    var frontMatter: FrontMatter?
    if let first = lines.first, FrontMatter.isFence(first, closing: false) {
      guard let close = lines.dropFirst().firstIndex(where: { FrontMatter.isFence($0, closing: true) }) else {
        // The YAML would swallow the whole file, so nothing after it can be checked.
        throw Diagnostic.format(
          "unterminated front matter: the '---' on line 1 opens it but no '---' line closes it; add one after the YAML, or start the file with something else",
          in: source, line: 1, column: 1)
      }
      frontMatter = FrontMatter.parse(lines[0...close], source: source, diagnostics: &diagnostics)
      index = close + 1
    }
    let blocks = body(from: index)
    checkUniqueIDs(in: blocks)
    try Diagnostic.throwIfAny(diagnostics)
    return Notebook(file: file, frontMatter: frontMatter, blocks: blocks, hasByteOrderMark: hasByteOrderMark)
  }

  /// body -> { prose-line | html-comment | fenced-block } ; a fenced block whose language is
  /// `seed` is a cell, any other stays prose with everything inside it.
  private mutating func body(from start: Int) -> [Notebook.Block] {
    var blocks: [Notebook.Block] = []
    var prose = ""
    var cellCount = 0
    var index = start
    while index < lines.count {
      let line = lines[index]
      if Self.opensHTMLComment(line.text) {
        // CommonMark reads fences inside an HTML comment as raw HTML, and people comment a cell
        // out this way, so a commented cell is prose. The comment ends at the first `-->`.
        let end = lines[index...].firstIndex { $0.text.contains("-->") } ?? lines.count - 1
        prose += lines[index...end].map(\.raw).joined()
        index = end + 1
        continue
      }
      guard let fence = Fence(opening: line.text) else {
        prose += line.raw
        index += 1
        continue
      }
      guard let close = lines[(index + 1)...].firstIndex(where: { fence.isClosed(by: $0.text) }) else {
        diagnostics.append(
          .format(
            "unterminated \(fence.marker) fence opened at line \(line.number): add a closing \(fence.marker) line",
            in: source, line: line.number, column: fence.indent + 1))
        // Everything after an unclosed fence is inside it; keep it so the blocks cover the file.
        prose += lines[index...].map(\.raw).joined()
        break
      }
      if fence.isSeedCell {
        if !prose.isEmpty { blocks.append(.prose(prose)) }
        prose = ""
        cellCount += 1
        blocks.append(.cell(cell(number: cellCount, fence: fence, lines: lines[index...close])))
      } else {
        prose += lines[index...close].map(\.raw).joined()
      }
      index = close + 1
    }
    if !prose.isEmpty { blocks.append(.prose(prose)) }
    return blocks
  }

  /// html-comment-start -> ' '{0,3} '<!--'
  private static func opensHTMLComment(_ text: String) -> Bool {
    let indent = text.prefix { $0 == " " }.count
    return indent <= 3 && text.dropFirst(indent).hasPrefix("<!--")
  }

  /// cell -> opening-fence { code-line } closing-fence
  private mutating func cell(number: Int, fence: Fence, lines: ArraySlice<Line>) -> Cell {
    let opening = lines[lines.startIndex]
    var attributes = CellAttributeParser.Attributes()
    do {
      var parser = CellAttributeParser(line: opening, fence: fence, source: source)
      attributes = try parser.parse()
    } catch let diagnostic as Diagnostic {
      diagnostics.append(diagnostic)
    } catch {
      diagnostics.append(.format("\(error)", in: source, line: opening.number, column: fence.infoColumn))
    }
    let cell = Cell(
      number: number, attributes: attributes.values,
      source: lines.dropFirst().dropLast().map(\.raw).joined(), fenceLine: opening.number,
      openingFence: opening.raw, closingFence: lines[lines.endIndex - 1].raw)
    if let column = attributes.columns["id"] { idColumns[opening.number] = column }
    return cell
  }

  /// Every cell id names one cell; a second use is reported at its fence, naming the first.
  private mutating func checkUniqueIDs(in blocks: [Notebook.Block]) {
    var firstLine: [String: Int] = [:]
    for case .cell(let cell) in blocks {
      guard let id = cell.id else { continue }
      if let first = firstLine[id] {
        diagnostics.append(
          .format(
            "duplicate cell id '\(id)': line \(first) and line \(cell.fenceLine) both use it; give each cell its own id",
            in: source, line: cell.fenceLine, column: idColumns[cell.fenceLine] ?? 1))
      } else {
        firstLine[id] = cell.fenceLine
      }
    }
  }
}
