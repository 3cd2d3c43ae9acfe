import OrderedCollections

/// A code cell: a fenced block whose info string starts with `seed`, with its attributes,
/// its code, and the fence lines it was written between.
public struct Cell: Equatable, Sendable {
  /// 1-based position among the notebook's cells.
  public var number: Int
  /// The `id` attribute.
  public var id: String?
  /// The attributes after `seed` on the fence, in fence order; a bare flag `foo` has value "true".
  public var attributes: OrderedDictionary<String, String>
  /// The code between the fences, exactly, each line with its line break.
  public var source: String
  /// File line number of the first code line (the fence line + 1).
  public var sourceLine: Int
  /// File line number of the opening fence.
  public var fenceLine: Int
  /// The opening fence line as written, with its line break.
  public internal(set) var openingFence: String
  /// The closing fence line as written, with its line break if it has one.
  public internal(set) var closingFence: String

  /// Whether the cell may be restored from the cache; `cache=false` makes it run every time,
  /// as Quarto's and Jupyter Book's cell option of that name does.
  public var isCacheable: Bool { attributes["cache"] != "false" }

  /// The cell's stable identity: its id, else its position.
  public var identity: String { id ?? String(number) }

  /// How diagnostics name the cell: "cell setup", "cell 3".
  public var label: String { id.map { "cell \($0)" } ?? "cell \(number)" }

  init(
    number: Int, attributes: OrderedDictionary<String, String>, source: String, fenceLine: Int,
    openingFence: String, closingFence: String
  ) {
    self.number = number
    self.id = attributes["id"]
    self.attributes = attributes
    self.source = source
    self.sourceLine = fenceLine + 1
    self.fenceLine = fenceLine
    self.openingFence = openingFence
    self.closingFence = closingFence
  }

  /// The cell as the file holds it.
  var printed: String { openingFence + source + closingFence }

  /// How many file lines the cell spans, fences included.
  var lineCount: Int { 2 + Line.count(in: source) }

  /// Replaces the code. A source without a final line break gets one, since the closing fence
  /// must start a line. If a line of the new code would close the fence, both fences grow
  /// longer than it, as CommonMark allows, so the document still parses back to this cell.
  mutating func replaceSource(with newSource: String) {
    let opening = Line.split(openingFence).first
    var source = newSource
    if let last = source.unicodeScalars.last, last != "\n" {
      source += opening?.lineBreak == "\r\n" ? "\r\n" : "\n"
    }
    self.source = source
    guard let opening, let fence = Fence(opening: opening.text) else { return }
    let longest = fence.longestClosingRun(in: Line.split(source))
    guard longest >= fence.length else { return }
    let marker = String(repeating: fence.character, count: longest + 1)
    openingFence = Self.replacingFenceRun(in: openingFence, with: marker)
    closingFence = Self.replacingFenceRun(in: closingFence, with: marker)
  }

  /// The fence line with its first run of fence characters replaced by `marker`.
  private static func replacingFenceRun(in line: String, with marker: String) -> String {
    guard let fenceCharacter = marker.first else { return line }
    let indent = line.prefix { $0 == " " }
    let rest = line.dropFirst(indent.count).drop { $0 == fenceCharacter }
    return indent + marker + rest
  }
}
