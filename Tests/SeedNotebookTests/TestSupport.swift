import SeedLang
import SeedNotebook
import XCTest

/// A diagnostic as tests compare them: message and position.
struct Expected: Equatable, CustomStringConvertible {
  var message: String
  var line: Int
  var column: Int

  var description: String { "\(line):\(column): \(message)" }
}

/// The diagnostics a thrown error carries, whether one or a list.
func diagnostics(in error: Error) -> [Diagnostic]? {
  if let diagnostic = error as? Diagnostic { return [diagnostic] }
  if let list = error as? DiagnosticList { return list.diagnostics }
  return nil
}

/// Text with position markers (1️⃣, 2️⃣, ...) in it, as swift-format's tests write them: the
/// markers are removed and each one names the line and column where it stood.
struct MarkedText {
  var text: String
  var positions: [String: (line: Int, column: Int)] = [:]

  static let markers = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣"]

  init(_ marked: String) {
    text = ""
    var line = 1
    var column = 1
    for character in marked {
      if Self.markers.contains(String(character)) {
        positions[String(character)] = (line, column)
        continue
      }
      text.append(character)
      if character == "\n" || character == "\r\n" {
        line += 1
        column = 1
      } else {
        column += 1
      }
    }
  }
}

/// Asserts that parsing the marked text fails with exactly these diagnostics, each at its marker.
func assertParseErrors(
  _ marked: String, _ expected: [String: String], file: StaticString = #filePath, line: UInt = #line
) {
  let text = MarkedText(marked)
  let wanted = expected.map { marker, message -> Expected in
    let position = text.positions[marker] ?? (0, 0)
    return Expected(message: message, line: position.line, column: position.column)
  }
  assertParseErrors(text.text, wanted, file: file, line: line)
}

/// Asserts that parsing the text fails with exactly these diagnostics, all of kind `format`.
func assertParseErrors(
  _ text: String, _ expected: [Expected], file: StaticString = #filePath, line: UInt = #line
) {
  do {
    let notebook = try Notebook.parse(text, file: "test.seednb")
    XCTFail("expected an error, parsed \(notebook.cells.count) cells", file: file, line: line)
  } catch {
    guard let found = diagnostics(in: error) else {
      XCTFail("threw \(type(of: error)), not a diagnostic: \(error)", file: file, line: line)
      return
    }
    XCTAssertTrue(found.allSatisfy { $0.kind == .format }, file: file, line: line)
    let actual = found.map {
      Expected(message: $0.message, line: $0.location?.line ?? 0, column: $0.location?.column ?? 0)
    }
    let order = { (a: Expected, b: Expected) in (a.line, a.column, a.message) < (b.line, b.column, b.message) }
    XCTAssertEqual(actual.sorted(by: order), expected.sorted(by: order), file: file, line: line)
  }
}

/// Parses text that must be valid, failing the test with the diagnostics if it is not.
func parse(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Notebook? {
  do {
    return try Notebook.parse(text, file: "test.seednb")
  } catch {
    XCTFail("unexpected error: \(error)", file: file, line: line)
    return nil
  }
}
