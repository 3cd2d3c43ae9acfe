import OrderedCollections
import SeedLang

/// Reads the attributes that follow `seed` on a cell's opening fence, such as
/// `id=setup cache=false title="Five runs" slow`.
struct CellAttributeParser {
  /// What a fence's attributes parse to.
  struct Attributes: Equatable, Sendable {
    var values: OrderedDictionary<String, String> = [:]
    /// The column of each attribute's name, for diagnostics that point at one.
    var columns: [String: Int] = [:]
  }

  private let characters: [Character]
  private var position: Int
  private let lineNumber: Int
  private let source: SourceText

  /// Starts reading right after the `seed` word of the fence's info string.
  init(line: Line, fence: Fence, source: SourceText) {
    self.characters = Array(line.text)
    self.position = fence.infoColumn - 1 + fence.language.count
    self.lineNumber = line.number
    self.source = source
  }

  /// attributes -> { blank+ attribute } blank*
  mutating func parse() throws -> Attributes {
    var attributes = Attributes()
    while true {
      skipBlanks()
      guard position < characters.count else { break }
      let column = position + 1
      let (name, value) = try attribute()
      if let first = attributes.columns[name] {
        throw error(
          "duplicate attribute '\(name)' on one fence (first at column \(first)): keep only one",
          column: column)
      }
      if name == "id" { try checkID(value, column: column) }
      if name == "cache" && value != "true" && value != "false" {
        throw error("attribute 'cache' is true or false, not '\(value)': write cache=false to run the cell every time", column: column)
      }
      attributes.values[name] = value
      attributes.columns[name] = column
    }
    return attributes
  }

  /// attribute -> name [ '=' value ] ; a bare name is a flag whose value is "true".
  private mutating func attribute() throws -> (String, String) {
    let start = position
    guard let name = self.name() else {
      let token = tokenText(from: start)
      if token.hasPrefix("=") {
        throw error(
          "malformed attribute '\(token)': expected a name before '=' (write name=value, with no spaces around '=')",
          column: start + 1)
      }
      throw error(
        "malformed attribute '\(token)': a name holds letters, digits, '_' and '-', and starts with a letter or '_'",
        column: start + 1)
    }
    if atEnd || current.isBlank {
      if name == "id" {
        throw error("attribute 'id' needs a value: write id=name", column: start + 1)
      }
      return (name, "true")
    }
    // `name()` stops only at a blank or '=', so this is the '='.
    position += 1
    if atEnd || current.isBlank {
      throw error(
        "attribute '\(name)' has no value after '=': write \(name)=value, or \(name)=\"\" for an empty one",
        column: start + 1)
    }
    let value = current == "\"" ? try quotedValue(name: name, start: start) : try bareValue(start: start)
    return (name, value)
  }

  /// name -> ( letter | '_' ) { letter | digit | '_' | '-' } ; nil, consuming nothing, when
  /// the text here is not a whole name (it runs into a character a name cannot hold).
  private mutating func name() -> String? {
    let start = position
    guard !atEnd, current.isASCIILetter || current == "_" else { return nil }
    var end = position + 1
    while end < characters.count, characters[end].isNameCharacter { end += 1 }
    if end < characters.count, !(characters[end].isBlank || characters[end] == "=") { return nil }
    position = end
    return String(characters[start..<end])
  }

  /// quoted -> '"' { any - ( '"' | '\' ) | '\' any } '"' ; `\"` is a quote and `\\` a
  /// backslash, while any other backslash stays as written so Windows paths need no doubling.
  private mutating func quotedValue(name: String, start: Int) throws -> String {
    let quoteColumn = position + 1
    position += 1
    var value = ""
    while true {
      guard !atEnd else {
        throw error(
          "unterminated quoted value for attribute '\(name)': add a closing \" to end it",
          column: quoteColumn)
      }
      let character = current
      position += 1
      if character == "\"" { break }
      if character == "\\", !atEnd, current == "\"" || current == "\\" {
        value.append(current)
        position += 1
      } else {
        value.append(character)
      }
    }
    guard atEnd || current.isBlank else {
      throw error(
        "malformed attribute '\(tokenText(from: start))': expected a space after the closing quote",
        column: start + 1)
    }
    return value
  }

  /// bare -> { any - ( blank | '"' ) }+
  private mutating func bareValue(start: Int) throws -> String {
    let valueStart = position
    while !atEnd, !current.isBlank {
      if current == "\"" {
        throw error(
          "malformed attribute '\(tokenText(from: start))': a value with a quote in it must be quoted whole, as name=\"...\" with \\\" for the quote",
          column: start + 1)
      }
      position += 1
    }
    return String(characters[valueStart..<position])
  }

  /// id -> { letter | digit | '_' | '-' }+ , not all digits
  private func checkID(_ id: String, column: Int) throws {
    guard !id.isEmpty, id.allSatisfy(\.isNameCharacter) else {
      throw error(
        "cell id '\(id)' may only hold letters, digits, '_' and '-'", column: column)
    }
    if id.allSatisfy(\.isASCIIDigit) {
      throw error(
        "cell id '\(id)' is all digits, which would clash with cell positions (cell \(id)): start it with a letter, e.g. 'step\(id)'",
        column: column)
    }
  }

  private var atEnd: Bool { position >= characters.count }
  private var current: Character { characters[position] }

  private mutating func skipBlanks() {
    while !atEnd, current.isBlank { position += 1 }
  }

  /// The attribute text from `start` to the next blank, for messages.
  private func tokenText(from start: Int) -> String {
    var end = start
    while end < characters.count, !characters[end].isBlank { end += 1 }
    return String(characters[start..<end])
  }

  private func error(_ message: String, column: Int) -> Diagnostic {
    Diagnostic.format(message, in: source, line: lineNumber, column: column)
  }
}

extension Character {
  var isASCIILetter: Bool { isASCII && isLetter }
  var isASCIIDigit: Bool { isASCII && isNumber }
  /// Letters, digits, `_` and `-`: what attribute names and cell ids are made of.
  var isNameCharacter: Bool { isASCIILetter || isASCIIDigit || self == "_" || self == "-" }
}
