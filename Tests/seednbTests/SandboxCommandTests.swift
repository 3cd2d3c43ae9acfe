import Foundation
import LoopbackOpenAI
import XCTest

/// The sandbox and limits as a user meets them through `seednb run`: `--cell-timeout` stops a
/// looping cell, a cell waiting for a slow model and a cell in `parallel`; `--max-output` ends
/// a cell that prints too much without storing it; files stay in the notebook's folder; and
/// requests (with the key) go to the configured endpoint only.
final class SandboxCommandTests: SeednbProcessTestCase {
  static let spinning = """
    ```seed id=first
    print("first done")
    ```

    ```seed id=spin
    print("spinning")
    var i = 0
    while true { i += 1 }
    ```

    ```seed id=never
    print("never runs")
    ```
    """

  /// The REPL takes `--cell-timeout` too: a notebook's cell it runs first, and each input.
  func testTheREPLStopsACellPastTheTimeout() throws {
    let nb = try write("spin.seednb", SandboxCommandTests.spinning)
    let started = Date()
    let outcome = try CommandLineTests.run(["repl", nb, "--cell-timeout", "1"], in: folder, environment: ["NO_COLOR": "1"], input: "")
    XCTAssertEqual(outcome.status, 1, outcome.stderr)
    XCTAssertTrue(outcome.stdout.contains("first done\n"), outcome.stdout)
    XCTAssertTrue(outcome.stderr.contains("cell spin ran longer than the cell timeout of 1 s and was stopped"), outcome.stderr)
    XCTAssertFalse(outcome.stdout.contains("never runs"), outcome.stdout)
    XCTAssertLessThan(Date().timeIntervalSince(started), 15)
    let input = try CommandLineTests.run(
      ["repl", "--cell-timeout", "0.5"], in: folder, environment: ["NO_COLOR": "1"], input: "var n = 0\nwhile true { n += 1 }\n")
    XCTAssertEqual(input.status, 1)
    XCTAssertTrue(input.stderr.contains("<repl>:input 2:1:"), input.stderr)
    XCTAssertTrue(input.stderr.contains("input 2 ran longer than the cell timeout of 0.5 s and was stopped"), input.stderr)
    let bad = try CommandLineTests.run(["repl", "--cell-timeout", "0"], in: folder, input: "")
    XCTAssertEqual(bad.status, 2)
    XCTAssertTrue(bad.stderr.contains("--cell-timeout needs a number of seconds above 0, not 0.0"), bad.stderr)
  }

  func testACellPastTheTimeoutIsStoppedAndTheRunGoesOnAsForAFailedCell() throws {
    let nb = try write("spin.seednb", SandboxCommandTests.spinning)
    let report = folder.appendingPathComponent("spin.html").path
    let outcome = try seednb(["run", nb, "--cell-timeout", "1", "--report", report])
    XCTAssertEqual(outcome.status, 1)
    XCTAssertEqual(outcome.cells, "── cell first · live · not cached ──\nfirst done\n── cell spin · live · not cached ──\nspinning\n")
    XCTAssertTrue(
      outcome.stderr.hasPrefix("\(nb):cell spin:8:7: error: cell spin ran longer than the cell timeout of 1 s and was stopped\n 8 | while true { i += 1 }"),
      outcome.stderr)
    // The report is written, with the error in place; the finished cell is kept.
    let html = try String(contentsOfFile: report, encoding: .utf8)
    XCTAssertTrue(html.contains("ran longer than the cell timeout of 1 s"), "the report shows the timeout")
    let again = try seednb(["run", nb, "--frozen", "--cell-timeout", "0.5"])
    XCTAssertEqual(again.status, 1)
    XCTAssertTrue(again.cells.hasPrefix("── cell first · cached ──\nfirst done\n"), again.cells)
    XCTAssertTrue(again.stderr.contains("cell spin ran longer than the cell timeout of 0.5 s"), again.stderr)
  }

  func testTheTimeoutCancelsAChatWaitingForASlowModelInAndOutOfParallel() throws {
    let slow = try server { $0.delay = 30 }
    let nb = try write(
      "slow.seednb",
      """
      ```seed id=alone
      print("asking")
      chat("take your time", seed: 1)
      ```
      """)
    let started = Date()
    let outcome = try seednb(["run", nb, "--cell-timeout", "1"], server: slow)
    XCTAssertLessThan(Date().timeIntervalSince(started), 15, "the 30 s answer was waited for")
    XCTAssertEqual(outcome.status, 1)
    XCTAssertTrue(outcome.stderr.hasPrefix("\(nb):cell alone:3:5: error: cell alone ran longer than the cell timeout of 1 s and was stopped"), outcome.stderr)
    XCTAssertFalse(outcome.stderr.contains(SeednbProcessTestCase.key))

    let fanned = try write(
      "fanned.seednb",
      """
      ```seed id=fan
      parallel([1, 2, 3]) { s in chat("take your time", seed: s) }
      ```
      """)
    let fannedStart = Date()
    let parallelOutcome = try seednb(["run", fanned, "--cell-timeout", "1"], server: slow)
    XCTAssertLessThan(Date().timeIntervalSince(fannedStart), 15, "the requests in parallel were waited for")
    XCTAssertEqual(parallelOutcome.status, 1)
    XCTAssertTrue(parallelOutcome.stderr.contains("error: cell fan ran longer than the cell timeout of 1 s and was stopped"), parallelOutcome.stderr)
  }

  func testAScriptIsOneCellForTheTimeout() throws {
    let script = try write("loop.seed", "print(\"before\")\nwhile true { }\n")
    let outcome = try seednb(["run", script, "--cell-timeout", "0.5"])
    XCTAssertEqual(outcome.status, 1)
    XCTAssertEqual(outcome.stdout, "before\n")
    XCTAssertTrue(outcome.stderr.hasPrefix("\(script):2:7: error: \(script) ran longer than the cell timeout of 0.5 s and was stopped"), outcome.stderr)
  }

  func testBadLimitsAreUsageErrors() throws {
    let nb = try write("spin.seednb", SandboxCommandTests.spinning)
    for arguments in [["--cell-timeout", "0"], ["--cell-timeout", "soon"], ["--max-output", "0"], ["--max-output", "nan"]] {
      let outcome = try seednb(["run", nb] + arguments)
      XCTAssertEqual(outcome.status, 2, "\(arguments): \(outcome.stderr)")
      XCTAssertTrue(outcome.stderr.contains(arguments[0]), outcome.stderr)
    }
  }

  func testACellPrintingPastTheOutputLimitFailsAndIsNotStored() throws {
    let nb = try write(
      "loud.seednb",
      """
      ```seed id=quiet
      print("small")
      ```

      ```seed id=loud
      for i in 0..<100 { print("x" * 10_000) }
      ```
      """)
    let outcome = try seednb(["run", nb, "--max-output", "0.5"])
    XCTAssertEqual(outcome.status, 1)
    XCTAssertTrue(
      outcome.stderr.hasPrefix(
        "\(nb):cell loud:6:25: error: output limit: this would take the output past 500 kB (490 kB so far); print less, or raise the limit with --max-output"),
      outcome.stderr)
    // The failed cell has no entry: a frozen run finds nothing for it.
    let frozen = try seednb(["run", nb, "--frozen", "--max-output", "0.5"])
    XCTAssertTrue(frozen.cells.hasPrefix("── cell quiet · cached ──\nsmall\n── cell loud · live · not cached ──\n"), frozen.cells)
    // Under the default limit of 10 MB the same cell runs.
    let roomy = try seednb(["run", nb])
    XCTAssertEqual(roomy.status, 0, roomy.stderr)
  }

  func testFilesAreReadAndWrittenBesideTheNotebookOnly() throws {
    try "42\n".write(to: folder.appendingPathComponent("input.txt"), atomically: true, encoding: .utf8)
    let nb = try write(
      "files.seednb",
      """
      ```seed id=io
      let n = int(read_file("input.txt").trim())
      write_json("out/result.json", ["double": n * 2])
      ```

      ```seed id=escape
      read_file("../\(folder.lastPathComponent)-secret.txt")
      ```
      """)
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("out"), withIntermediateDirectories: true)
    let outcome = try seednb(["run", nb])
    XCTAssertEqual(outcome.status, 1)
    XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("out/result.json"), encoding: .utf8), "{\n  \"double\": 84\n}\n")
    XCTAssertTrue(
      outcome.stderr.hasPrefix(
        "\(nb):cell escape:7:10: error: read_file(): '../\(folder.lastPathComponent)-secret.txt' is outside the notebook's folder (\(folder.resolvingSymlinksInPath().path))"),
      outcome.stderr)
  }

  func testARedirectFromTheEndpointIsNotFollowedWithTheKey() throws {
    let elsewhere = try server()
    let endpoint = try server()
    endpoint.enqueue(
      .status(307, message: "moved", headers: ["location": elsewhere.baseURL + "/chat/completions"]))
    let nb = try write("redirect.seednb", "```seed\nchat(\"hello\", seed: 1)\n```\n")
    let outcome = try seednb(["run", nb], server: endpoint)
    XCTAssertEqual(outcome.status, 1)
    XCTAssertTrue(outcome.stderr.contains("POST \(endpoint.baseURL)/chat/completions: HTTP 307"), outcome.stderr)
    XCTAssertEqual(elsewhere.requests.count, 0, "the request and its key went to the redirect's target")
    XCTAssertFalse(outcome.stderr.contains(SeednbProcessTestCase.key) || outcome.stdout.contains(SeednbProcessTestCase.key))
  }
}
