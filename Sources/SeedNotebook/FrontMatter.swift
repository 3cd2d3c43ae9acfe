import OrderedCollections
import SeedLang

/// The YAML block that may open a notebook, between a first line `---` and the next line `---`
/// (or `...`): the notebook's title, the backend and model it was written for, the
/// parameters that `seednb run -p key=value` overrides, and the environment variables its
/// code may read with `secret(NAME)`.
public struct FrontMatter: Equatable, Sendable {
  /// The block exactly as in the file, fences and line breaks included.
  public var raw: String
  public var title: String?
  public var backend: String?
  public var model: String?
  /// Each parameter's default, in file order.
  public var params: OrderedDictionary<String, ParameterValue>
  /// The environment variables notebook code may read with `secret(NAME)`, in file order;
  /// no other variable can be read (`--allow-secret NAME` adds one for a run).
  public var secrets: [String] = []

  /// The keys front matter may hold, in the order messages list them.
  static let knownKeys = ["title", "backend", "model", "params", "secrets"]

  /// Names a parameter cannot take because notebook code could not refer to it.
  static let seedKeywords: Set<String> = [
    "let", "var", "func", "return", "if", "else", "for", "in", "while", "break", "continue",
    "true", "false", "nil", "import",
  ]

  init(
    raw: String, title: String? = nil, backend: String? = nil, model: String? = nil,
    params: OrderedDictionary<String, ParameterValue> = [:]
  ) {
    self.raw = raw
    self.title = title
    self.backend = backend
    self.model = model
    self.params = params
  }

  /// Front matter holding only a title, written as seednb writes new notebooks.
  init(title: String) {
    self.init(raw: "---\ntitle: \(ParameterValue.quoted(title))\n---\n", title: title)
  }

  /// Whether a line opens or closes front matter: `---`, or `...` to close, with nothing but
  /// blanks after it.
  static func isFence(_ line: Line, closing: Bool) -> Bool {
    var text = Substring(line.text)
    while let last = text.last, last.isBlank { text = text.dropLast() }
    return text == "---" || (closing && text == "...")
  }

  /// front-matter -> '---' NEWLINE yaml-mapping ( '---' | '...' ) NEWLINE
  ///
  /// `lines` runs from the opening `---` through the closing fence. Problems are appended to
  /// `diagnostics`; the front matter comes back with what could be read.
  static func parse(
    _ lines: ArraySlice<Line>, source: SourceText, diagnostics: inout [Diagnostic]
  ) -> FrontMatter {
    var reader = FrontMatterReader(lines: lines, source: source)
    let frontMatter = reader.read()
    diagnostics += reader.diagnostics
    return frontMatter
  }

  /// identifier -> [A-Za-z_] [A-Za-z0-9_]*
  public static func isIdentifier(_ name: String) -> Bool {
    guard let first = name.first, first.isASCIILetter || first == "_" else { return false }
    return name.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || $0 == "_" }
  }
}
