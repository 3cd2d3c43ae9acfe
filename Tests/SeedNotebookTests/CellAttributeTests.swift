import OrderedCollections
import SeedNotebook
import XCTest

/// The attributes after `seed` on a cell's fence: every form, and every way to get one wrong.
final class CellAttributeTests: XCTestCase {
  private func attributes(_ fence: String) throws -> OrderedDictionary<String, String> {
    let notebook = try Notebook.parse("\(fence)\nx\n```\n", file: "a.seednb")
    return try XCTUnwrap(notebook.cells.first).attributes
  }

  func testKeyValueQuotedAndFlagsInFenceOrder() throws {
    let found = try attributes(#"```seed id=setup cache=false title="Five runs, no seed" slow x-y_z=1"#)
    XCTAssertEqual(Array(found.keys), ["id", "cache", "title", "slow", "x-y_z"])
    XCTAssertEqual(
      found, ["id": "setup", "cache": "false", "title": "Five runs, no seed", "slow": "true", "x-y_z": "1"])
  }

  func testQuotedValuesUnescapeQuoteAndBackslashOnly() throws {
    let found = try attributes(#"```seed a="say \"hi\"" b="back\\slash" c="C:\temp" d="" e="=" f=1"#)
    XCTAssertEqual(found["a"], #"say "hi""#)
    XCTAssertEqual(found["b"], #"back\slash"#)
    XCTAssertEqual(found["c"], #"C:\temp"#)
    XCTAssertEqual(found["d"], "")
    XCTAssertEqual(found["e"], "=")
  }

  func testBareValuesMayHoldAnyNonBlankButQuote() throws {
    let found = try attributes("```seed\tmodel=gpt-4o-mini url=http://x/y?a=b tag=é✨  ")
    XCTAssertEqual(found, ["model": "gpt-4o-mini", "url": "http://x/y?a=b", "tag": "é✨"])
  }

  func testNoAttributes() throws {
    XCTAssertEqual(try attributes("```seed"), [:])
    XCTAssertEqual(try attributes("```seed    "), [:])
    let cell = try XCTUnwrap(Notebook.parse("```seed\n```\n", file: "a").cells.first)
    XCTAssertNil(cell.id)
  }

  func testValidIDs() throws {
    let notebook = try XCTUnwrap(parse("```seed id=step-2_b\n```\n```seed id=_x\n```\n```seed id=3d\n```\n"))
    XCTAssertEqual(notebook.cells.map(\.identity), ["step-2_b", "_x", "3d"])
  }

  func testMalformedName() {
    assertParseErrors("```seed 1️⃣a.b=1\nx\n```\n", [
      "1️⃣": "malformed attribute 'a.b=1': a name holds letters, digits, '_' and '-', and starts with a letter or '_'"
    ])
    assertParseErrors("```seed ok 1️⃣9lives\nx\n```\n", [
      "1️⃣": "malformed attribute '9lives': a name holds letters, digits, '_' and '-', and starts with a letter or '_'"
    ])
    assertParseErrors("```seed 1️⃣-x\nx\n```\n", [
      "1️⃣": "malformed attribute '-x': a name holds letters, digits, '_' and '-', and starts with a letter or '_'"
    ])
    assertParseErrors("```seed 1️⃣foo\"bar\"\nx\n```\n", [
      "1️⃣": "malformed attribute 'foo\"bar\"': a name holds letters, digits, '_' and '-', and starts with a letter or '_'"
    ])
  }

  func testCacheIsTrueOrFalse() throws {
    XCTAssertEqual(try XCTUnwrap(Notebook.parse("```seed cache=false\nx\n```\n", file: "a").cells.first).isCacheable, false)
    XCTAssertEqual(try XCTUnwrap(Notebook.parse("```seed cache\nx\n```\n", file: "a").cells.first).isCacheable, true)
    XCTAssertEqual(try XCTUnwrap(Notebook.parse("```seed\nx\n```\n", file: "a").cells.first).isCacheable, true)
    assertParseErrors("```seed id=a 1️⃣cache=no\nx\n```\n", [
      "1️⃣": "attribute 'cache' is true or false, not 'no': write cache=false to run the cell every time"
    ])
  }

  func testEqualsWithoutName() {
    assertParseErrors("```seed 1️⃣=x\nx\n```\n", [
      "1️⃣": "malformed attribute '=x': expected a name before '=' (write name=value, with no spaces around '=')"
    ])
    // Spaces around '=' leave a flag, then an '=' with no name.
    assertParseErrors("```seed cache 1️⃣= false\nx\n```\n", [
      "1️⃣": "malformed attribute '=': expected a name before '=' (write name=value, with no spaces around '=')"
    ])
  }

  func testEmptyValue() {
    assertParseErrors("```seed id=a 1️⃣cache=\nx\n```\n", [
      "1️⃣": "attribute 'cache' has no value after '=': write cache=value, or cache=\"\" for an empty one"
    ])
    assertParseErrors("```seed 1️⃣cache= id=a\nx\n```\n", [
      "1️⃣": "attribute 'cache' has no value after '=': write cache=value, or cache=\"\" for an empty one"
    ])
  }

  func testUnterminatedQuote() {
    assertParseErrors("```seed title=1️⃣\"Five runs\nx\n```\n", [
      "1️⃣": "unterminated quoted value for attribute 'title': add a closing \" to end it"
    ])
    assertParseErrors("```seed title=1️⃣\"escaped at end\\\"\nx\n```\n", [
      "1️⃣": "unterminated quoted value for attribute 'title': add a closing \" to end it"
    ])
  }

  func testTextRightAfterClosingQuote() {
    assertParseErrors("```seed 1️⃣a=\"x\"y\nx\n```\n", [
      "1️⃣": "malformed attribute 'a=\"x\"y': expected a space after the closing quote"
    ])
  }

  func testQuoteInsideBareValue() {
    assertParseErrors("```seed 1️⃣a=b\"c\"\nx\n```\n", [
      "1️⃣": "malformed attribute 'a=b\"c\"': a value with a quote in it must be quoted whole, as name=\"...\" with \\\" for the quote"
    ])
  }

  func testDuplicateKeyOnOneFence() {
    assertParseErrors("```seed cache=false id=x 1️⃣cache=true\nx\n```\n", [
      "1️⃣": "duplicate attribute 'cache' on one fence (first at column 9): keep only one"
    ])
    assertParseErrors("```seed slow 1️⃣slow\nx\n```\n", [
      "1️⃣": "duplicate attribute 'slow' on one fence (first at column 9): keep only one"
    ])
  }

  func testBadIDs() {
    assertParseErrors("```seed 1️⃣id=\"my cell\"\nx\n```\n", [
      "1️⃣": "cell id 'my cell' may only hold letters, digits, '_' and '-'"
    ])
    assertParseErrors("```seed 1️⃣id=a.b\nx\n```\n", [
      "1️⃣": "cell id 'a.b' may only hold letters, digits, '_' and '-'"
    ])
    assertParseErrors("```seed 1️⃣id=\"\"\nx\n```\n", [
      "1️⃣": "cell id '' may only hold letters, digits, '_' and '-'"
    ])
    assertParseErrors("```seed 1️⃣id=42\nx\n```\n", [
      "1️⃣": "cell id '42' is all digits, which would clash with cell positions (cell 42): start it with a letter, e.g. 'step42'"
    ])
    assertParseErrors("```seed 1️⃣id\nx\n```\n", ["1️⃣": "attribute 'id' needs a value: write id=name"])
    // ASCII only, so ids work unchanged in file names, URLs and command lines.
    assertParseErrors("```seed 1️⃣id=café\nx\n```\n", [
      "1️⃣": "cell id 'café' may only hold letters, digits, '_' and '-'"
    ])
  }

  func testColumnsCountCharactersAfterIndentAndUnicode() {
    assertParseErrors("  ~~~~seed    title=\"é✨\" 1️⃣!bad\nx\n~~~~\n", [
      "1️⃣": "malformed attribute '!bad': a name holds letters, digits, '_' and '-', and starts with a letter or '_'"
    ])
  }

  func testEveryBadFenceIsReported() {
    assertParseErrors("```seed 1️⃣=a\nx\n```\n\nprose\n\n```seed b=2️⃣\"\nx\n```\n", [
      "1️⃣": "malformed attribute '=a': expected a name before '=' (write name=value, with no spaces around '=')",
      "2️⃣": "unterminated quoted value for attribute 'b': add a closing \" to end it",
    ])
  }

  func testAttributesOfOtherLanguagesAreNotRead() throws {
    let notebook = try XCTUnwrap(parse("```python =bad \"x\n```\n"))
    XCTAssertTrue(notebook.cells.isEmpty)
  }
}
