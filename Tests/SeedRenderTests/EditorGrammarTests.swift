import Foundation
import SeedJSON
import SeedNotebook
import XCTest

@testable import SeedLang

/// The TextMate grammars in editors/, tokenized by textmate-grammar-python (a port of VS
/// Code's tokenizer) with `Golden/grammar/scopes.py`: the scopes of sample files byte for
/// byte (SEEDNB_UPDATE_GOLDEN=1 writes them anew), every keyword of the lexer and no other,
/// and the same reading as the lexer's own highlighting on the samples, the standard library
/// and the cookbook notebook's cells.
final class EditorGrammarTests: XCTestCase {
  static let editors = BrowserTests.repository.appendingPathComponent("editors")
  static let samples = ["sample.seed", "sample.md", "sample.seednb"]

  /// One token as the script prints it.
  struct ScopedToken {
    var line: Int
    var column: Int
    var text: String
    var scopes: [String]
  }

  /// The script's output for each file, as printed, by the name it was given.
  func scopes(of files: [String], in folder: URL) throws -> [String: String] {
    let tools = try PythonTools.require(["textmate_grammar"])
    let script = try GoldenTests.golden("grammar/scopes.py").path
    let result = try tools.run(tools.python, [script, EditorGrammarTests.editors.path] + files, in: folder)
    XCTAssertEqual(result.status, 0, result.errors)
    var out: [String: String] = [:]
    var current: String?
    for line in result.output.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("== ") {
        current = String(line.dropFirst(3))
        out[current!] = ""
      } else if let current, !line.isEmpty {
        out[current, default: ""] += line + "\n"
      }
    }
    return out
  }

  static func tokens(_ printed: String) throws -> [ScopedToken] {
    try printed.split(separator: "\n").map { line in
      guard let items = try JSONValue.parse(String(line)).array, items.count == 4, let row = items[0].int, let column = items[1].int,
        let text = items[2].string, let scopes = items[3].string
      else { throw PythonToolsFailure(description: "not a token: \(line)") }
      return ScopedToken(line: row, column: column, text: text, scopes: scopes.split(separator: " ").map(String.init))
    }
  }

  struct PythonToolsFailure: Error, CustomStringConvertible {
    let description: String
  }

  func testSampleScopesMatchTheirGoldenFiles() throws {
    let folder = try GoldenTests.golden("grammar/sample.seed").deletingLastPathComponent()
    let printed = try scopes(of: EditorGrammarTests.samples, in: folder)
    for sample in EditorGrammarTests.samples {
      let text = try XCTUnwrap(printed[sample], "no scopes for \(sample)")
      XCTAssertFalse(text.isEmpty, sample)
      try GoldenTests.assertGolden(text, "grammar/\(sample).scopes")
    }
  }

  func testTheFencesOfTheSamplesAreSeedAndNothingElseIs() throws {
    let folder = try GoldenTests.golden("grammar/sample.seed").deletingLastPathComponent()
    let printed = try scopes(of: ["sample.md"], in: folder)
    let tokens = try EditorGrammarTests.tokens(try XCTUnwrap(printed["sample.md"]))
    func scopesOf(_ text: String) -> [String] { tokens.first { $0.text == text }?.scopes ?? ["missing"] }
    XCTAssertTrue(scopesOf("chat").contains("meta.embedded.block.seed"), "code in a seed fence is seed")
    XCTAssertEqual(scopesOf("let = \"not seed\""), [], "a python fence is left alone")
    XCTAssertEqual(scopesOf("# A Markdown file"), [], "prose is left alone")
    // The ``` line inside the four-backtick fence is in the string, not a closing fence.
    XCTAssertTrue(tokens.contains { $0.text == "```" && $0.scopes.contains("string.quoted.triple.seed") }, "\(tokens.map(\.text))")
  }

  func testTheGrammarKnowsEveryKeywordOfTheLexerAndNoOther() throws {
    let grammar = try JSONValue.parse(try String(contentsOf: EditorGrammarTests.editors.appendingPathComponent("seed.tmLanguage.json"), encoding: .utf8))
    var listed: Set<String> = []
    for section in ["keywords", "constants"] {
      let rule = try XCTUnwrap(grammar["repository"]?[section])
      for match in ([rule] + (rule["patterns"]?.array ?? [])).compactMap({ $0["match"]?.string }) {
        // \b(let|var)\b
        let inner = match.replacingOccurrences(of: "\\b", with: "").trimmingCharacters(in: CharacterSet(charactersIn: "()"))
        listed.formUnion(inner.split(separator: "|").map(String.init))
      }
    }
    XCTAssertEqual(listed, Set(keywords.keys), "the grammar's keywords are the lexer's")

    // And the tokenizer gives each one a keyword's scope.
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("seednb-grammar-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let words = keywords.keys.sorted()
    try words.joined(separator: "\n").write(to: folder.appendingPathComponent("keywords.seed"), atomically: true, encoding: .utf8)
    let tokens = try EditorGrammarTests.tokens(try XCTUnwrap(try scopes(of: ["keywords.seed"], in: folder)["keywords.seed"]))
    XCTAssertEqual(tokens.map(\.text), words)
    for token in tokens {
      XCTAssertTrue(
        token.scopes.contains { $0.hasPrefix("keyword.control") || $0.hasPrefix("storage.type") || $0.hasPrefix("constant.language") },
        "\(token.text): \(token.scopes)")
    }
  }

  func testTheExtensionManifestNamesItsGrammarsAndLanguages() throws {
    func json(_ name: String) throws -> JSONValue {
      try JSONValue.parse(try String(contentsOf: EditorGrammarTests.editors.appendingPathComponent(name), encoding: .utf8))
    }
    let manifest = try json("package.json")
    let grammars = try XCTUnwrap(manifest["contributes"]?["grammars"]?.array)
    XCTAssertEqual(grammars.count, 2)
    for grammar in grammars {
      let path = try XCTUnwrap(grammar["path"]?.string)
      XCTAssertEqual(try json(path)["scopeName"], grammar["scopeName"], "\(path) is the grammar of the scope the manifest names")
    }
    XCTAssertEqual(try json("seed.tmLanguage.json")["scopeName"]?.string, "source.seed")
    let injection = try json("seed-markdown-injection.tmLanguage.json")
    XCTAssertEqual(injection["injectionSelector"]?.string, "L:text.html.markdown")
    XCTAssertEqual(grammars[1]["injectTo"]?.array, [.string("text.html.markdown")])
    let languages = try XCTUnwrap(manifest["contributes"]?["languages"]?.array)
    XCTAssertEqual(languages.first { $0["id"]?.string == "seed" }?["extensions"]?.array, [.string(".seed")])
    XCTAssertEqual(languages.first { $0["id"]?.string == "markdown" }?["extensions"]?.array, [.string(".seednb")], ".seednb opens as Markdown")
    let configuration = try XCTUnwrap(languages.first?["configuration"]?.string)
    XCTAssertEqual(try json(configuration)["comments"]?["lineComment"]?.string, "//")
  }

  /// The scope prefixes that agree with each kind of the lexer's highlighting.
  static let agreeing: [HighlightToken.Kind: [String]] = [
    .keyword: ["keyword.control", "storage.type"], .constant: ["constant.language"], .function: ["entity.name.function"],
    .number: ["constant.numeric"], .string: ["string.quoted"], .comment: ["comment."], .operator: ["keyword.operator"],
    .punctuation: ["punctuation."],
  ]

  func testTheGrammarReadsCodeAsTheLexerDoes() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("seednb-grammar-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var sources: [String: String] = [:]
    sources["sample.seed"] = try String(contentsOf: try GoldenTests.golden("grammar/sample.seed"), encoding: .utf8)
    let stdlib = BrowserTests.repository.appendingPathComponent("stdlib")
    for name in try FileManager.default.contentsOfDirectory(atPath: stdlib.path) where name.hasSuffix(".seed") {
      sources["stdlib-" + name] = try String(contentsOf: stdlib.appendingPathComponent(name), encoding: .utf8)
    }
    let cookbook = BrowserTests.repository.appendingPathComponent("notebooks/reproducible-outputs.seednb")
    for cell in try Notebook.parse(try String(contentsOf: cookbook, encoding: .utf8), file: cookbook.path).cells {
      sources["cookbook-\(cell.identity).seed"] = cell.source
    }
    XCTAssertGreaterThan(sources.count, 6)
    for (name, text) in sources { try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
    let printed = try scopes(of: sources.keys.sorted(), in: folder)

    // textmate-grammar-python 0.6.1 leaves a few tokens without their own scope deep inside
    // nested blocks (an `&&` in an `if` two braces deep with a `>=` after it, a `.` after a
    // trailing closure), which a smaller file with the same line reads right. Such characters,
    // whose innermost scope is only a container, are counted apart: the ones it does scope
    // must agree with the lexer.
    var checked = 0
    var unscoped: [String] = []
    for (name, text) in sources.sorted(by: { $0.key < $1.key }) {
      // The scopes of each character, by line and column (counted in Unicode scalars, as Python does).
      var scopeAt: [String: [String]] = [:]
      for token in try EditorGrammarTests.tokens(try XCTUnwrap(printed[name], name)) {
        for (offset, _) in token.text.unicodeScalars.enumerated() { scopeAt["\(token.line):\(token.column + offset)"] = token.scopes }
      }
      // Each UTF-8 offset's line and column.
      var position: [Int: (line: Int, column: Int)] = [:]
      var byte = 0, line = 1, column = 1
      for scalar in text.unicodeScalars {
        position[byte] = (line, column)
        byte += String(scalar).utf8.count
        if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
      }
      let bytes = Array(text.utf8)
      for token in Highlighting.highlight(text) {
        guard let prefixes = EditorGrammarTests.agreeing[token.kind] else { continue }
        for offset in token.range where position[offset] != nil && !(bytes[offset] == 0x20 || bytes[offset] == 0x0A || bytes[offset] == 0x09) {
          let (row, col) = position[offset]!
          let scopes = scopeAt["\(row):\(col)"] ?? []
          guard let innermost = scopes.last, !innermost.hasPrefix("meta."), innermost != "source.seed" else {
            unscoped.append("\(name):\(row):\(col) \(token.kind)")
            continue
          }
          checked += 1
          XCTAssertTrue(
            scopes.contains { scope in prefixes.contains { scope.hasPrefix($0) } },
            "\(name):\(row):\(col): the lexer says \(token.kind) for '\(String(decoding: bytes[token.range], as: UTF8.self))', the grammar \(scopes)")
        }
      }
    }
    XCTAssertGreaterThan(checked, 1000, "characters compared")
    XCTAssertLessThan(unscoped.count, checked / 100, "characters the tokenizer left unscoped: \(unscoped)")
  }
}
