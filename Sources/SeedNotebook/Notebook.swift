/// SeedNotebook owns .seednb documents, their parameters, and running a notebook's cells in one
/// session.

import SeedLang

/// A `.seednb` document: optional YAML front matter, then Markdown prose and `seed` code cells.
/// It keeps every byte it was parsed from, so a tool that edits one cell changes nothing else.
public struct Notebook: Equatable, Sendable {
  /// A run of the document after the front matter.
  public enum Block: Equatable, Sendable {
    /// Markdown, exactly as written, line breaks included. Fenced blocks in other languages
    /// are prose too.
    case prose(String)
    case cell(Cell)
  }

  /// The path as the user named it, for diagnostics.
  public var file: String
  public var frontMatter: FrontMatter?
  /// The blocks in document order, after the front matter.
  public var blocks: [Block]
  /// Whether the file starts with a UTF-8 byte order mark, which printing puts back.
  var hasByteOrderMark = false

  public var cells: [Cell] {
    blocks.compactMap { block in
      if case .cell(let cell) = block { return cell }
      return nil
    }
  }

  init(file: String, frontMatter: FrontMatter?, blocks: [Block], hasByteOrderMark: Bool) {
    self.file = file
    self.frontMatter = frontMatter
    self.blocks = blocks
    self.hasByteOrderMark = hasByteOrderMark
  }

  /// Parses a notebook, throwing a `Diagnostic`, or a `DiagnosticList` when there are several,
  /// for anything malformed.
  public static func parse(_ text: String, file: String) throws -> Notebook {
    var parser = NotebookParser(text: text, file: file)
    return try parser.parse()
  }

  /// Prints the document back; byte-for-byte identical to the parsed text when nothing changed.
  public func printed() -> String {
    var out = hasByteOrderMark ? "\u{FEFF}" : ""
    out += frontMatter?.raw ?? ""
    for block in blocks {
      switch block {
      case .prose(let text): out += text
      case .cell(let cell): out += cell.printed
      }
    }
    return out
  }

  /// Builds a new document from cell sources (for `:save` in a later REPL): front matter with
  /// the title, one cell per source, a blank line before each cell.
  public init(file: String, title: String?, cellSources: [String]) {
    self.file = file
    self.frontMatter = title.map(FrontMatter.init(title:))
    self.blocks = []
    for (index, source) in cellSources.enumerated() {
      if index > 0 || frontMatter != nil { blocks.append(.prose("\n")) }
      var cell = Cell(
        number: index + 1, attributes: [:], source: "", fenceLine: 0,
        openingFence: "```seed\n", closingFence: "```\n")
      cell.replaceSource(with: source)
      blocks.append(.cell(cell))
    }
    renumberLines()
  }

  /// Replace the source of the cell at index i (0-based among cells); printed() then prints the
  /// new source inside the old fences, lengthened only if the new source would close them.
  /// An index out of range changes nothing.
  public mutating func setSource(_ source: String, ofCellAt index: Int) {
    var seen = 0
    for (position, block) in blocks.enumerated() {
      guard case .cell(var cell) = block else { continue }
      if seen == index {
        cell.replaceSource(with: source)
        blocks[position] = .cell(cell)
        renumberLines()
        return
      }
      seen += 1
    }
  }

  /// Sets each cell's fence and source line from the lines before it, after an edit moved them.
  private mutating func renumberLines() {
    var line = 1 + Line.count(in: frontMatter?.raw ?? "")
    for position in blocks.indices {
      switch blocks[position] {
      case .prose(let text):
        line += Line.count(in: text)
      case .cell(var cell):
        cell.fenceLine = line
        cell.sourceLine = line + 1
        line += cell.lineCount
        blocks[position] = .cell(cell)
      }
    }
  }
}
