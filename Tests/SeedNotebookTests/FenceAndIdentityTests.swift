import SeedLang
import SeedNotebook
import XCTest

/// Fences that never close, cell ids that clash, and how such errors print.
final class FenceAndIdentityTests: XCTestCase {
  func testUnterminatedSeedFence() {
    assertParseErrors("prose\n\n1️⃣```seed id=a\nprint(1)\n", [
      "1️⃣": "unterminated ``` fence opened at line 3: add a closing ``` line"
    ])
  }

  func testUnterminatedOtherFences() {
    assertParseErrors("1️⃣```python\nprint(1)\n", ["1️⃣": "unterminated ``` fence opened at line 1: add a closing ``` line"])
    assertParseErrors("  1️⃣~~~~\ntext\n~~~\n", ["1️⃣": "unterminated ~~~~ fence opened at line 1: add a closing ~~~~ line"])
    // A shorter fence inside a longer one does not close it.
    assertParseErrors("1️⃣````seed\nx\n```\n", ["1️⃣": "unterminated ```` fence opened at line 1: add a closing ```` line"])
  }

  func testUnterminatedFenceAfterGoodCells() {
    assertParseErrors("```seed\na\n```\n1️⃣```seed\nb\n", [
      "1️⃣": "unterminated ``` fence opened at line 4: add a closing ``` line"
    ])
  }

  func testDuplicateIDsNameBothLines() {
    assertParseErrors("```seed id=setup\na\n```\n\n```seed cache=false 1️⃣id=setup\nb\n```\n", [
      "1️⃣": "duplicate cell id 'setup': line 1 and line 5 both use it; give each cell its own id"
    ])
  }

  func testEveryDuplicateIsReported() {
    assertParseErrors("```seed id=a\n```\n```seed 1️⃣id=a\n```\n```seed 2️⃣id=a\n```\n", [
      "1️⃣": "duplicate cell id 'a': line 1 and line 3 both use it; give each cell its own id",
      "2️⃣": "duplicate cell id 'a': line 1 and line 5 both use it; give each cell its own id",
    ])
  }

  func testIDsThatDifferOnlyInCaseAreDistinct() throws {
    let notebook = try XCTUnwrap(parse("```seed id=A\n```\n```seed id=a\n```\n"))
    XCTAssertEqual(notebook.cells.map(\.identity), ["A", "a"])
  }

  func testRenderedDiagnosticPointsAtTheFileLine() throws {
    do {
      _ = try Notebook.parse("# Title\r\n\r\n```seed id=ok  =x\r\nprint(1)\r\n```\r\n", file: "nb/demo.seednb")
      XCTFail("expected an error")
    } catch let diagnostic as Diagnostic {
      XCTAssertEqual(
        diagnostic.rendered(),
        """
        nb/demo.seednb:3:16: format error: malformed attribute '=x': expected a name before '=' (write name=value, with no spaces around '=')
         3 | ```seed id=ok  =x
           |                ^
        """)
    }
  }

  func testRenderedDiagnosticAfterByteOrderMark() throws {
    do {
      _ = try Notebook.parse("\u{FEFF}```seed id=1\n```\n", file: "b.seednb")
      XCTFail("expected an error")
    } catch let diagnostic as Diagnostic {
      XCTAssertTrue(diagnostic.rendered().hasSuffix("\n 1 | ```seed id=1\n   |         ^"), diagnostic.rendered())
    }
  }

  func testSeveralErrorsComeAsAList() {
    XCTAssertThrowsError(try Notebook.parse("```seed =a\n```\n```seed =b\n```\n", file: "l")) { error in
      let list = error as? DiagnosticList
      XCTAssertEqual(list?.diagnostics.map { $0.location?.line }, [1, 3])
    }
  }
}
