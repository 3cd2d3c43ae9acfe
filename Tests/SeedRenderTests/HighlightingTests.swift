import SeedLang
import XCTest

@testable import SeedRender

/// Highlighting by the language's own lexer: each span's kind and text.
final class HighlightingTests: XCTestCase {
  func spans(_ source: String) -> [String] {
    let bytes = Array(source.utf8)
    return Highlighting.highlight(source).map { "\($0.kind.rawValue):\(String(decoding: bytes[$0.range], as: UTF8.self))" }
  }

  func testKeywordsNamesNumbersAndCalls() {
    XCTAssertEqual(
      spans("let x = max(1, 2.5) // pick\nfunc f(a) { return nil }"),
      [
        "keyword:let", "identifier:x", "operator:=", "function:max", "punctuation:(", "number:1", "punctuation:,",
        "number:2.5", "punctuation:)", "comment:// pick", "keyword:func", "function:f", "punctuation:(", "identifier:a",
        "punctuation:)", "punctuation:{", "keyword:return", "constant:nil", "punctuation:}",
      ])
  }

  func testInterpolationsHighlightTheirCodeInsideTheString() {
    XCTAssertEqual(
      spans(#"print("a \(f("b") + 1) c")"#),
      [
        "function:print", "punctuation:(", #"string:"a \("#, "function:f", "punctuation:(", #"string:"b""#,
        "punctuation:)", "operator:+", "number:1", #"string:) c""#, "punctuation:)",
      ])
  }

  func testTripleQuotedStringsEscapesAndNestedBlockComments() {
    XCTAssertEqual(
      spans("/* a /* b */ c */ let s = \"\"\"\n  x \\\"q\\\"\n  \"\"\"\n"),
      ["comment:/* a /* b */ c */", "keyword:let", "identifier:s", "operator:=", "string:\"\"\"\n  x \\\"q\\\"\n  \"\"\""])
  }

  func testUnterminatedInputStillCoversEveryByteOnce() {
    for source in ["print(\"open", "let s = \"\"\"\nnever closed", "x = é + 1 ¤ 2", "/* open comment", "f(\"\\(\""] {
      var covered = 0
      for token in Highlighting.highlight(source) {
        XCTAssertGreaterThanOrEqual(token.range.lowerBound, covered, source)
        XCTAssertLessThanOrEqual(token.range.upperBound, source.utf8.count, source)
        covered = token.range.upperBound
      }
    }
  }

  func testHTMLCodeIsEscapedInsideItsSpans() {
    var out = ""
    HTMLReport.highlight("print(\"<b>&</b>\")\n", into: &out)
    XCTAssertEqual(
      out, "<span class=\"f\">print</span><span class=\"p\">(</span><span class=\"s\">&quot;&lt;b&gt;&amp;&lt;/b&gt;&quot;</span><span class=\"p\">)</span>")
  }
}
