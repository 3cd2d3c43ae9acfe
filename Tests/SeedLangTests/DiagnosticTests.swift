import Foundation
import SeedLang
import XCTest

/// How errors are shown: a window of a long line with the caret in place, and a bounded
/// number of syntax errors however broken the input.
final class DiagnosticTests: XCTestCase {
  func testALongLineIsShownAsAWindowAroundTheColumn() {
    let line = String(repeating: "a", count: 300) + "X" + String(repeating: "b", count: 300)
    let source = SourceText(file: "long.seed", text: line)
    let rendered = Diagnostic(.runtime, "here", at: SourceLocation(source: source, line: 1, column: 301)).rendered()
    let lines = rendered.split(separator: "\n").map(String.init)
    XCTAssertEqual(lines.count, 3)
    XCTAssertTrue(lines[1].hasPrefix(" 1 | …a") && lines[1].hasSuffix("b…"), lines[1])
    XCTAssertLessThan(lines[1].count, 140)
    let caret = lines[2].firstIndex(of: "^").map { lines[2].distance(from: lines[2].startIndex, to: $0) }
    let marked = lines[1].firstIndex(of: "X").map { lines[1].distance(from: lines[1].startIndex, to: $0) }
    XCTAssertEqual(caret, marked, "the caret is under the column")
  }

  func testAShortLineIsShownWhole() {
    let source = SourceText(file: "short.seed", text: "let x = 1 / 0")
    let rendered = Diagnostic(.runtime, "division by zero", at: SourceLocation(source: source, line: 1, column: 11)).rendered()
    XCTAssertEqual(rendered, "short.seed:1:11: error: division by zero\n 1 | let x = 1 / 0\n   |           ^")
  }

  func testSyntaxErrorsStopAtFifty() {
    let text = String(repeating: "let = 1\n", count: 500)
    do {
      try Interpreter().run(SourceText(file: "many.seed", text: text))
      XCTFail("expected syntax errors")
    } catch let list as DiagnosticList {
      XCTAssertEqual(list.diagnostics.count, 50)
      XCTAssertEqual(list.diagnostics.last?.location?.line, 50)
    } catch {
      XCTFail("\(error)")
    }
  }

  func testARunawayRecursionsCallStackKeepsBothEndsAndCountsTheRest() throws {
    let text = "func down(n) {\n  return down(n + 1)\n}\ndown(0)\n"
    final class Caught: @unchecked Sendable { var error: Error? }
    let caught = Caught()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      do { try Interpreter().run(SourceText(file: "deep.seed", text: text)) } catch { caught.error = error }
      done.signal()
    }
    thread.stackSize = Golden.stackSize
    thread.start()
    done.wait()
    let diagnostic = try XCTUnwrap(caught.error as? Diagnostic)
    let lines = diagnostic.rendered().split(separator: "\n").map(String.init)
    XCTAssertEqual(lines[0], "deep.seed:2:14: error: stack overflow: more than 2000 nested calls (does a recursion lack its base case?)")
    XCTAssertEqual(lines[3], "call stack (innermost first):")
    XCTAssertEqual(
      Array(lines[4...]),
      Array(repeating: "  in down at deep.seed:2:14", count: 39) + ["  ... 1960 more calls ...", "  in down at deep.seed:4:5"])
  }
}
