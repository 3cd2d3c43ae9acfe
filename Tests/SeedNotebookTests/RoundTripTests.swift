import OrderedCollections
import SeedNotebook
import XCTest

/// A notebook prints back byte for byte, and its cells are found where they are.
final class RoundTripTests: XCTestCase {
  /// Documents that must print back exactly as written.
  static let documents: [(name: String, text: String)] = [
    ("empty", ""),
    ("one newline", "\n"),
    ("blank lines", "\n\n\n"),
    ("only prose", "# Title\n\nSome *prose*.\n"),
    ("prose without final newline", "# Title\n\nno newline at the end"),
    ("only front matter", "---\ntitle: Hello\n---\n"),
    ("only front matter, no final newline", "---\ntitle: Hello\n---"),
    ("empty front matter", "---\n---\n"),
    ("front matter closed by dots", "---\ntitle: Dots\n...\nprose\n"),
    ("front matter and cell", "---\ntitle: T\nparams:\n  n: 5\n---\n\n```seed\nprint(n)\n```\n"),
    ("cell only", "```seed\nprint(1)\n```\n"),
    ("cell without final newline", "```seed\nprint(1)\n```"),
    ("empty cell", "```seed\n```\n"),
    ("consecutive cells", "```seed\na\n```\n```seed\nb\n```\n```seed id=c\nc\n```\n"),
    ("CRLF", "---\r\ntitle: Windows\r\n---\r\n\r\nProse\r\n```seed id=a\r\nlet x = 1\r\n```\r\n"),
    ("mixed line endings", "a\r\nb\n```seed\r\nx\ny\r\n```\n"),
    ("byte order mark", "\u{FEFF}---\ntitle: BOM\n---\n```seed\n1\n```\n"),
    ("only a byte order mark", "\u{FEFF}"),
    ("trailing spaces", "prose   \n```seed   \nx  \n```   \n  \n"),
    ("tabs", "\tindented prose\n```seed\tid=t\n\tlet x = 1\n```\n"),
    ("unicode", "# Über ✨\n\n```seed id=cafe-ok\nprint(\"héllo 👋🏽 世界\")\n```\nFin — ça va?\n"),
    ("longer fences", "````seed\n```\nnot a close\n```\n````\n"),
    ("nested markdown block", "````markdown\n```seed\nnot a cell\n```\n````\n```seed\nreal\n```\n"),
    ("tildes", "~~~seed\nprint(\"```\")\n~~~\n~~~~\n```seed\n~~~\n~~~~\n"),
    ("indented fences", "   ```seed\n   x\n  ```\n"),
    ("four-space indent is not a fence", "    ```seed\n    code\n"),
    ("python block is prose", "```python\nprint(1)\n```\n"),
    ("bare fence is prose", "```\nplain\n```\n"),
    ("inline code line is prose", "``` `seed` ```\n"),
    ("closing fence longer than opening", "```seed\nx\n`````\n"),
    ("closing fence with trailing spaces", "```seed\nx\n```   \n"),
    ("horizontal rule later", "prose\n\n---\n\nmore\n"),
    ("lone CR", "a\rb\n```seed\nx\r\n```\r"),
    ("cell at end, CRLF, no final newline", "```seed\r\nx\r\n```"),
    ("seed with info but no attributes", "```seed   \nx\n```\n"),
  ]

  func testDocumentsPrintBackByteForByte() throws {
    for (name, text) in Self.documents {
      let notebook = try Notebook.parse(text, file: "\(name).seednb")
      XCTAssertEqual(Array(notebook.printed().utf8), Array(text.utf8), name)
    }
  }

  func testEmptyDocumentHasNothing() throws {
    let notebook = try Notebook.parse("", file: "empty.seednb")
    XCTAssertNil(notebook.frontMatter)
    XCTAssertTrue(notebook.blocks.isEmpty)
    XCTAssertEqual(notebook.file, "empty.seednb")
  }

  func testCellsHaveNumberSourceAndLines() throws {
    let text = """
      ---
      title: Cells
      ---

      Intro prose.

      ```seed id=setup
      let system = "You are helpful."
      ```

      ```seed cache=false
      for i in 0..<5 {
        print(i)
      }
      ```
      ```seed
      ```

      """
    let notebook = try XCTUnwrap(parse(text))
    let cells = notebook.cells
    XCTAssertEqual(cells.map(\.number), [1, 2, 3])
    XCTAssertEqual(cells.map(\.id), ["setup", nil, nil])
    XCTAssertEqual(cells.map(\.identity), ["setup", "2", "3"])
    XCTAssertEqual(cells.map(\.label), ["cell setup", "cell 2", "cell 3"])
    XCTAssertEqual(cells.map(\.fenceLine), [7, 11, 16])
    XCTAssertEqual(cells.map(\.sourceLine), [8, 12, 17])
    XCTAssertEqual(cells[0].source, "let system = \"You are helpful.\"\n")
    XCTAssertEqual(cells[1].source, "for i in 0..<5 {\n  print(i)\n}\n")
    XCTAssertEqual(cells[2].source, "")
    XCTAssertEqual(cells[1].attributes, ["cache": "false"])
    XCTAssertEqual(cells[0].openingFence, "```seed id=setup\n")
    XCTAssertEqual(cells[0].closingFence, "```\n")
  }

  func testBlocksAlternateProseAndCells() throws {
    let notebook = try XCTUnwrap(parse("---\ntitle: B\n---\nA\n```seed\nx\n```\n```seed\ny\n```\nZ"))
    XCTAssertEqual(notebook.frontMatter?.raw, "---\ntitle: B\n---\n")
    guard notebook.blocks.count == 4,
      case .prose(let first) = notebook.blocks[0], case .cell(let one) = notebook.blocks[1],
      case .cell(let two) = notebook.blocks[2], case .prose(let last) = notebook.blocks[3]
    else {
      return XCTFail("unexpected blocks \(notebook.blocks)")
    }
    XCTAssertEqual(first, "A\n")
    XCTAssertEqual(one.source, "x\n")
    XCTAssertEqual(two.source, "y\n")
    XCTAssertEqual(last, "Z")
  }

  func testCRLFSourceKeepsItsLineBreaks() throws {
    let notebook = try XCTUnwrap(parse("```seed id=a\r\nlet x = 1\r\nprint(x)\r\n```\r\n"))
    let cell = try XCTUnwrap(notebook.cells.first)
    XCTAssertEqual(cell.source, "let x = 1\r\nprint(x)\r\n")
    XCTAssertEqual(cell.id, "a")
    XCTAssertEqual(cell.attributes, ["id": "a"])
    XCTAssertEqual(cell.sourceLine, 2)
  }

  func testByteOrderMarkIsNotPartOfFrontMatterOrLineOne() throws {
    let notebook = try XCTUnwrap(parse("\u{FEFF}---\ntitle: BOM\n---\n```seed\n1\n```\n"))
    XCTAssertEqual(notebook.frontMatter?.title, "BOM")
    XCTAssertEqual(notebook.frontMatter?.raw, "---\ntitle: BOM\n---\n")
    XCTAssertEqual(notebook.cells.first?.fenceLine, 4)
  }

  func testOtherLanguagesAndNestedFencesAreProse() throws {
    let text = """
      ```python
      print("not seed")
      ```
      ````markdown
      ```seed
      not a cell either
      ```
      ````
      ~~~
      ```seed
      ~~~
      ```seedling
      no
      ```
      ```seed2
      no
      ```
      ```{seed}
      no
      ```

      """
    let notebook = try XCTUnwrap(parse(text))
    XCTAssertTrue(notebook.cells.isEmpty)
    XCTAssertEqual(notebook.blocks, [.prose(text)])
  }

  func testCellsInsideHTMLCommentsAreCommentedOut() throws {
    let text = """
      <!--
      ```seed id=old
      print("disabled")
      ```
      -->
      <!-- one line --> ```seed
      ```seed id=live
      print("runs")
      ```
       <!-- unterminated
      ```seed
      """
    let notebook = try XCTUnwrap(parse(text))
    XCTAssertEqual(notebook.cells.map(\.identity), ["live"])
    XCTAssertEqual(notebook.cells.first?.fenceLine, 7)
    XCTAssertEqual(notebook.printed(), text)
  }

  func testLongerAndTildeFencesHoldShorterOnes() throws {
    let notebook = try XCTUnwrap(parse("````seed\nlet s = \"\"\"\n```\n\"\"\"\n````\n~~~seed id=t\n~~\n```\n~~~\n"))
    XCTAssertEqual(notebook.cells.map(\.source), ["let s = \"\"\"\n```\n\"\"\"\n", "~~\n```\n"])
    XCTAssertEqual(notebook.cells.map(\.fenceLine), [1, 6])
  }

  func testIndentedFencesUpToThreeSpaces() throws {
    let notebook = try XCTUnwrap(parse(" ```seed\na\n```\n   ~~~seed\nb\n ~~~\n    ```seed\n"))
    XCTAssertEqual(notebook.cells.map(\.source), ["a\n", "b\n"])
    XCTAssertEqual(notebook.blocks.last, .prose("    ```seed\n"))
  }

  func testClosingFenceRules() throws {
    // Shorter, other character, or text after the fence does not close; longer does.
    let text = "```seed\n``\n~~~\n``` not a close\n````\n"
    let notebook = try XCTUnwrap(parse(text))
    XCTAssertEqual(notebook.cells.first?.source, "``\n~~~\n``` not a close\n")
  }

  func testSeedIsTheFirstWordOfTheInfoString() throws {
    let notebook = try XCTUnwrap(parse("```   seed   id=x\n1\n```\n"))
    XCTAssertEqual(notebook.cells.first?.id, "x")
  }
}
