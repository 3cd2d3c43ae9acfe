import SeedNotebook
import XCTest

/// Editing a cell's source and building a notebook from sources, both of which must print
/// documents that parse back to the same cells.
final class EditingTests: XCTestCase {
  let text = """
    ---
    title: Edit me
    ---

    Intro.

    ```seed id=setup   cache=false
    let a = 1
    ```

    Middle.

    ~~~~seed
    print(a)
    ~~~~
    Outro.

    """

  func testSetSourceChangesOnlyThatCell() throws {
    var notebook = try XCTUnwrap(parse(text))
    notebook.setSource("let a = 2\nlet b = 3\n", ofCellAt: 0)
    let expected = text.replacingOccurrences(of: "let a = 1\n", with: "let a = 2\nlet b = 3\n")
    XCTAssertEqual(notebook.printed(), expected)
    XCTAssertEqual(notebook.cells[0].source, "let a = 2\nlet b = 3\n")
    // Line numbers of later cells follow the edit.
    XCTAssertEqual(notebook.cells[1].fenceLine, 14)
    XCTAssertEqual(notebook.cells[1].sourceLine, 15)
    let reparsed = try Notebook.parse(notebook.printed(), file: notebook.file)
    XCTAssertEqual(reparsed.cells, notebook.cells)
    XCTAssertEqual(reparsed, notebook)
  }

  func testSetSourceAddsTheFinalLineBreakTheFenceNeeds() throws {
    var notebook = try XCTUnwrap(parse("```seed\r\nold\r\n```\r\n"))
    notebook.setSource("new", ofCellAt: 0)
    XCTAssertEqual(notebook.printed(), "```seed\r\nnew\r\n```\r\n")
    XCTAssertEqual(try Notebook.parse(notebook.printed(), file: "x").cells, notebook.cells)
  }

  func testSetSourceToEmpty() throws {
    var notebook = try XCTUnwrap(parse(text))
    notebook.setSource("", ofCellAt: 1)
    XCTAssertEqual(notebook.cells[1].source, "")
    XCTAssertEqual(try Notebook.parse(notebook.printed(), file: "x").cells, notebook.cells)
  }

  func testSetSourceLengthensFencesThatTheSourceWouldClose() throws {
    var notebook = try XCTUnwrap(parse("```seed id=doc\nold\n```\nafter\n"))
    let source = "let md = \"\"\"\n```\n````\n\"\"\"\n"
    notebook.setSource(source, ofCellAt: 0)
    XCTAssertEqual(notebook.printed(), "`````seed id=doc\n\(source)`````\nafter\n")
    let reparsed = try Notebook.parse(notebook.printed(), file: "x")
    XCTAssertEqual(reparsed.cells.first?.source, source)
    XCTAssertEqual(reparsed.cells, notebook.cells)
  }

  func testSetSourceOutOfRangeChangesNothing() throws {
    var notebook = try XCTUnwrap(parse(text))
    notebook.setSource("x", ofCellAt: 2)
    notebook.setSource("x", ofCellAt: -1)
    XCTAssertEqual(notebook.printed(), text)
  }

  func testInitBuildsADocumentThatParsesBack() throws {
    let sources = ["let system = \"Be brief.\"\n", "print(system)", "", "let s = \"\"\"\n```\n\"\"\"\n"]
    let notebook = Notebook(file: "new.seednb", title: "Saved \"REPL\" session: ✨", cellSources: sources)
    XCTAssertEqual(
      notebook.printed(),
      """
      ---
      title: "Saved \\"REPL\\" session: ✨"
      ---

      ```seed
      let system = "Be brief."
      ```

      ```seed
      print(system)
      ```

      ```seed
      ```

      ````seed
      let s = \"\"\"
      ```
      \"\"\"
      ````

      """)
    let reparsed = try Notebook.parse(notebook.printed(), file: "new.seednb")
    XCTAssertEqual(reparsed, notebook)
    XCTAssertEqual(reparsed.frontMatter?.title, "Saved \"REPL\" session: ✨")
    XCTAssertEqual(reparsed.cells.map(\.source), ["let system = \"Be brief.\"\n", "print(system)\n", "", sources[3]])
    XCTAssertEqual(reparsed.cells.map(\.number), [1, 2, 3, 4])
    XCTAssertEqual(reparsed.cells.map(\.fenceLine), [5, 9, 13, 16])
  }

  func testInitWithoutTitleHasNoFrontMatter() throws {
    let notebook = Notebook(file: "n", title: nil, cellSources: ["1", "2"])
    XCTAssertNil(notebook.frontMatter)
    XCTAssertEqual(notebook.printed(), "```seed\n1\n```\n\n```seed\n2\n```\n")
    XCTAssertEqual(try Notebook.parse(notebook.printed(), file: "n"), notebook)
    XCTAssertEqual(Notebook(file: "n", title: nil, cellSources: []).printed(), "")
  }

  func testTitlesWithAnyCharactersSurviveTheRoundTrip() throws {
    let titles = [
      "", "plain", "yes", "123", "null", "# not a comment", "a: b", "- item", "tab\there", "line\nbreak",
      "back\\slash", "quote\"s", "'single'", "\u{0}\u{7}\u{1B}", "\u{85}\u{2028}\u{2029}\u{FEFF}", "---", "...",
      "emoji 👩‍👩‍👧 and accents é", "\r\n", "  padded  ",
    ]
    for title in titles {
      let notebook = Notebook(file: "t", title: title, cellSources: ["x"])
      let reparsed = try Notebook.parse(notebook.printed(), file: "t")
      XCTAssertEqual(reparsed.frontMatter?.title, title, "title \(title.debugDescription)")
    }
  }
}
