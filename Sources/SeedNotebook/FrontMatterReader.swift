import OrderedCollections
import SeedLang
import Yams

/// Reads the YAML between the fences and reports problems at their lines in the notebook.
struct FrontMatterReader {
  let lines: ArraySlice<Line>
  let source: SourceText
  var diagnostics: [Diagnostic] = []

  init(lines: ArraySlice<Line>, source: SourceText) {
    self.lines = lines
    self.source = source
  }

  /// The file line on which the YAML text starts: the one after the opening `---`.
  private var yamlFirstLine: Int { (lines.first?.number ?? 1) + 1 }

  /// mapping -> { key ':' value } , key in title | backend | model | params | secrets
  mutating func read() -> FrontMatter {
    var frontMatter = FrontMatter(raw: lines.map(\.raw).joined())
    let yaml = lines.dropFirst().dropLast().map(\.raw).joined()
    if let (line, column) = FrontMatterReader.firstAnchorOrAlias(in: yaml) {
      fail(
        "front matter: YAML anchors and aliases (&name, *name) are not supported; write the value out",
        yamlLine: line, column: column)
      return frontMatter
    }
    let root: Node?
    do {
      root = try CoreSchema.parse(yaml)
    } catch {
      report(yamlError: error, yaml: yaml)
      return frontMatter
    }
    guard let root else { return frontMatter }
    guard case .mapping(let mapping) = root else {
      fail(
        "front matter must be a mapping of keys (\(FrontMatter.knownKeys.joined(separator: ", "))), not \(CoreSchema.kind(of: root))",
        at: root.mark)
      return frontMatter
    }
    for (key, value) in mapping {
      guard case .scalar(let keyScalar) = key else {
        fail("front matter: keys must be text, not \(CoreSchema.kind(of: key))", at: key.mark)
        continue
      }
      switch keyScalar.string {
      case "title": frontMatter.title = text(value, key: "title")
      case "backend": frontMatter.backend = text(value, key: "backend")
      case "model": frontMatter.model = text(value, key: "model")
      case "params": frontMatter.params = params(value)
      case "secrets": frontMatter.secrets = secrets(value)
      default:
        let name = keyScalar.string
        let known = FrontMatter.knownKeys.joined(separator: ", ")
        let hint = Suggestion.closest(to: name, among: FrontMatter.knownKeys).map { " (did you mean '\($0)'?)" } ?? ""
        fail("front matter: unknown key '\(name)'\(hint); the known keys are \(known)", at: key.mark)
      }
    }
    return frontMatter
  }

  /// text -> scalar ; a null scalar means the key is unset. Other scalars are taken as
  /// written, so `model: 7b` and `title: 2024` need no quotes.
  private mutating func text(_ node: Node, key: String) -> String? {
    guard case .scalar(let scalar) = node else {
      fail("front matter: \(key) must be text, not \(CoreSchema.kind(of: node))", at: node.mark)
      return nil
    }
    if isNull(node) { return nil }
    return scalar.string
  }

  /// params -> mapping of name to value ; name -> [A-Za-z_][A-Za-z0-9_]* , not a keyword
  private mutating func params(_ node: Node) -> OrderedDictionary<String, ParameterValue> {
    var params: OrderedDictionary<String, ParameterValue> = [:]
    if isNull(node) { return params }
    guard case .mapping(let mapping) = node else {
      fail(
        "front matter: params must be a mapping of name to value, e.g. 'params: {n: 5, name: \"Ada\"}', not \(CoreSchema.kind(of: node))",
        at: node.mark)
      return params
    }
    var budget = CoreSchema.nodeBudget
    for (key, value) in mapping {
      guard case .scalar(let keyScalar) = key else {
        fail("front matter: param names must be text, not \(CoreSchema.kind(of: key))", at: key.mark)
        continue
      }
      let name = keyScalar.string
      guard FrontMatter.isIdentifier(name) else {
        fail(
          "front matter: param name '\(name)' is not an identifier: use letters, digits and '_', not starting with a digit",
          at: key.mark)
        continue
      }
      guard !FrontMatter.seedKeywords.contains(name) else {
        fail("front matter: param name '\(name)' is a seed keyword: choose another name", at: key.mark)
        continue
      }
      do {
        params[name] = try CoreSchema.value(of: value, budget: &budget)
      } catch let failure as CoreSchema.Failure {
        fail("front matter: params.\(name): \(failure.message)", at: failure.mark ?? value.mark)
        if budget < 0 { break }
      } catch {
        fail("front matter: params.\(name): \(error)", at: value.mark)
      }
    }
    return params
  }

  /// secrets -> sequence of variable names ; name -> [A-Za-z_][A-Za-z0-9_]*
  private mutating func secrets(_ node: Node) -> [String] {
    if isNull(node) { return [] }
    guard case .sequence(let sequence) = node else {
      fail(
        "front matter: secrets must be a list of environment variable names, e.g. 'secrets: [OPENAI_ORG_KEY]', not \(CoreSchema.kind(of: node))",
        at: node.mark)
      return []
    }
    var names: [String] = []
    for item in sequence {
      guard case .scalar(let scalar) = item, FrontMatter.isIdentifier(scalar.string) else {
        let shown = { if case .scalar(let scalar) = item { return "'\(scalar.string)'" } else { return CoreSchema.kind(of: item) } }()
        fail(
          "front matter: secrets: \(shown) is not an environment variable name (letters, digits and '_', not starting with a digit)",
          at: item.mark)
        continue
      }
      if !names.contains(scalar.string) { names.append(scalar.string) }
    }
    return names
  }

  /// Whether a node is YAML's null: `~`, `null`, or nothing at all after the key.
  private func isNull(_ node: Node) -> Bool {
    guard case .scalar = node else { return false }
    return node.tag.description == Tag.Name.null.rawValue
  }

  /// Reports a Yams error at the notebook line and column it names.
  private mutating func report(yamlError error: Error, yaml: String) {
    guard let error = error as? YamlError else {
      fail("front matter: invalid YAML: \(error)", at: nil)
      return
    }
    switch error {
    case .scanner(let context, let problem, let mark, _),
      .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      if problem == "but found another document" {
        fail(
          "front matter: a line starting with '---' begins a second YAML document; front matter is one mapping, closed by a line that is just '---'",
          at: mark)
        return
      }
      var message = "front matter: invalid YAML: \(problem)"
      if let context {
        message += " (\(context.text) at line \(context.mark.line + yamlFirstLine - 1))"
      }
      fail(message, at: mark)
    case .reader(let problem, let offset, _, _):
      let position = offset.map { Self.position(atUTF8Offset: $0, in: yaml) }
      fail("front matter: invalid YAML: \(problem)", yamlLine: position?.line, column: position?.column)
    case .duplicatedKeysInMapping(let duplicates, let context):
      let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
      fail("front matter: duplicate key \(keys): each key may appear once", at: context.mark)
    default:
      fail("front matter: invalid YAML: \(error)", at: nil)
    }
  }

  /// The line and column of a byte offset into the YAML text, as libyaml would count them.
  private static func position(atUTF8Offset offset: Int, in yaml: String) -> (line: Int, column: Int) {
    var line = 1
    var column = 1
    var consumed = 0
    for scalar in yaml.unicodeScalars {
      consumed += UTF8.width(scalar)
      guard consumed <= offset else { break }
      if scalar == "\n" {
        line += 1
        column = 1
      } else {
        column += 1
      }
    }
    return (line, column)
  }

  /// Adds a diagnostic at a YAML position, which counts lines from the YAML's first line and
  /// columns in Unicode scalars; diagnostics count file lines and Characters.
  /// The 1-based line and column of the first `&anchor` or `*alias` outside quotes and
  /// comments. Aliases can expand a few lines into billions of nodes, and Yams compares
  /// expanded mapping keys before any budget applies, so they are refused up front; front
  /// matter has no need of them.
  static func firstAnchorOrAlias(in yaml: String) -> (line: Int, column: Int)? {
    var line = 1, column = 0
    var quote: Character?
    var inComment = false
    var previous: Character = "\n"
    var iterator = yaml.makeIterator()
    var next = iterator.next()
    while let character = next {
      next = iterator.next()
      column += 1
      defer { previous = character }
      if character == "\n" || character == "\r\n" {
        line += 1
        column = 0
        inComment = false
        continue
      }
      if inComment { continue }
      if let open = quote {
        if character == open {
          // In single quotes '' is an escaped quote, not the end.
          if open == "'" && next == "'" {
            next = iterator.next()
            column += 1
          } else {
            quote = nil
          }
        }
        if open == "\"" && character == "\\" {
          next = iterator.next()
          column += 1
        }
        continue
      }
      switch character {
      case "'", "\"":
        if previous.isWhitespace || "[{,:-?".contains(previous) { quote = character }
      case "#":
        if previous.isWhitespace { inComment = true }
      case "&", "*":
        // An anchor or alias starts a node and is followed by its name.
        let startsNode = previous.isWhitespace || "[{,".contains(previous)
        if startsNode, let name = next, !name.isWhitespace, !"[]{},".contains(name) {
          return (line, column)
        }
      default:
        break
      }
    }
    return nil
  }

  private mutating func fail(_ message: String, at mark: Mark?) {
    fail(message, yamlLine: mark?.line, column: mark?.column)
  }

  private mutating func fail(_ message: String, yamlLine: Int?, column: Int?) {
    guard let yamlLine, let column else {
      diagnostics.append(.format(message, in: source, line: lines.first?.number ?? 1, column: 1))
      return
    }
    let lastLine = lines.last?.number ?? yamlFirstLine
    let line = min(max(yamlLine + yamlFirstLine - 1, yamlFirstLine), lastLine)
    var characterColumn = 1
    if let text = lines.first(where: { $0.number == line })?.text {
      let scalars = text.unicodeScalars.prefix(max(0, column - 1))
      characterColumn = String(String.UnicodeScalarView(scalars)).count + 1
    }
    diagnostics.append(.format(message, in: source, line: line, column: characterColumn))
  }
}
