import XCTest

@testable import seednb

/// The text of `seednb run`'s status line (the line on a terminal is watched by
/// `RunProgressTerminalTests`).
final class StatusLineTests: XCTestCase {
  func testTheStatusLineFitsTheTerminalAndShowsTheStreamWhenThereIsRoom() {
    var progress = StatusLine.Counts()
    progress.done = 2
    progress.fromStore = 1
    progress.inFlight = 1
    progress.tokens = 120
    progress.expected = 5
    XCTAssertEqual(
      StatusLine.text(cell: "cell summary", elapsed: 3.25, progress: progress, streamed: "", width: 120),
      "▸ cell summary · 3.2 s · 2/5 requests answered (1 from the store) · 1 in flight · 120 tokens")
    // The stream's latest words fill what is left of the line, one column short of its end.
    let streaming = StatusLine.text(
      cell: "cell summary", elapsed: 3.25, progress: progress, streamed: "Once upon a time there was", width: 110)
    XCTAssertTrue(streaming.hasPrefix("▸ cell summary · 3.2 s · 2/5 requests answered (1 from the store) · 1 in flight · 120 tokens · …"), streaming)
    XCTAssertTrue(streaming.hasSuffix(" there was"), streaming)
    XCTAssertEqual(streaming.count, 109)
    let narrow = StatusLine.text(cell: "cell summary", elapsed: 3.25, progress: progress, streamed: "words", width: 30)
    XCTAssertEqual(narrow, "▸ cell summary · 3.2 s · 2/5…")
    XCTAssertEqual(StatusLine.text(cell: "cell 1", elapsed: 0.5, progress: .init(), streamed: "", width: 80), "▸ cell 1 · 0.5 s")
  }

  func testEscapeSequencesAndLineBreaksFromAModelAreNotWrittenAndWideCharactersCountTwice() {
    var progress = StatusLine.Counts()
    progress.inFlight = 1
    let line = StatusLine.text(
      cell: "cell\u{1B}[2Jx", elapsed: 1, progress: progress, streamed: "red\u{1B}[31m\nline 火星への旅", width: 120)
    XCTAssertFalse(line.unicodeScalars.contains { $0.properties.generalCategory == .control }, line)
    XCTAssertTrue(line.hasSuffix("red [31m line 火星への旅"), line)
    let narrow = StatusLine.text(cell: "火星への旅火星への旅", elapsed: 1, progress: .init(), streamed: "", width: 16)
    XCTAssertEqual(narrow, "▸ 火星への旅火…")
    XCTAssertEqual(StatusLine.columns(narrow), 15, "one column short of the width")
  }
}
