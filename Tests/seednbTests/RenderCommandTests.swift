import Foundation
import LoopbackOpenAI
import XCTest

/// `seednb render` and `seednb run --report`, as a user runs them.
final class RenderCommandTests: LoopbackFolderTestCase {
  func seednb(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let outcome = try CommandLineTests.run(
      arguments, in: folder,
      environment: ["OPENAI_BASE_URL": server.baseURL, "OPENAI_API_KEY": "sk-render-cli", "NO_COLOR": "1"])
    return (outcome.status, outcome.stdout, outcome.stderr)
  }

  static let notebook = """
    ---
    title: Report test
    params:
      n: 2
    ---

    Some prose.

    ```seed id=ask
    let r = chat("hello", seed: 5)
    print("tokens: \\(r.usage.total_tokens)")
    display(chart("bar", ["a": n, "b": 3], title: "Bars"))
    ```

    ```seed id=fail
    print("before")
    let x = n / 0
    ```

    ```seed id=later
    print("later")
    ```
    """

  func testRunWritesTheReportEvenWhenACellFails() throws {
    let nb = try write("report.seednb", RenderCommandTests.notebook)
    let outcome = try seednb(["run", nb, "--report", "out.html"])
    XCTAssertEqual(outcome.status, 1, outcome.stderr)
    XCTAssertTrue(outcome.stderr.contains("── report: out.html"), outcome.stderr)
    let html = try read("out.html")
    XCTAssertTrue(html.contains("<section class=\"cell live\" id=\"cell-ask\""))
    XCTAssertTrue(html.contains("<section class=\"cell error\" id=\"cell-fail\""))
    XCTAssertTrue(html.contains("division by zero: 2 / 0"), html)
    XCTAssertTrue(html.contains("<pre class=\"output text\">before</pre>"), "what it printed before its error")
    XCTAssertTrue(html.contains("<section class=\"cell not-run\" id=\"cell-later\""))
    XCTAssertTrue(html.contains("<dt>backend</dt><dd>openai</dd>"))
    XCTAssertTrue(html.contains("<code>fp_loopback_1</code>"))
    XCTAssertTrue(html.contains("<svg"))
  }

  func testRenderUsesTheStoredResultsAndTheLastRunsParameters() throws {
    let nb = try write("report.seednb", RenderCommandTests.notebook)
    XCTAssertEqual(try seednb(["run", nb, "-p", "n=4"]).status, 1)
    let requests = server.requests.count
    let outcome = try seednb(["render", nb, "--to", "md", "-o", "out.md"])
    XCTAssertEqual(outcome.status, 0, outcome.stderr)
    XCTAssertEqual(server.requests.count, requests, "render runs nothing")
    let markdown = try read("out.md")
    XCTAssertTrue(markdown.contains("| parameters | n = 4 |"), markdown)
    XCTAssertTrue(markdown.contains("**cell ask** · `live`"), markdown)
    XCTAssertTrue(markdown.contains("**cell fail** · `error`"), markdown)
    XCTAssertTrue(markdown.contains("**cell later** · `not run`"), markdown)
    XCTAssertTrue(markdown.contains("![Bars](out-chart-1.svg)"), markdown)
    XCTAssertTrue(try read("out-chart-1.svg").hasPrefix("<svg xmlns="))
    // With other parameters, the stored results do not match: nothing was run with them.
    let other = try seednb(["render", nb, "-p", "n=5", "-o", "-"])
    XCTAssertEqual(other.status, 0, other.stderr)
    XCTAssertEqual(other.stdout.components(separatedBy: "<section class=\"cell not-run\"").count - 1, 3)
  }

  func testRenderWithoutAStoreShowsEveryCellNotRunAndCreatesNoStore() throws {
    let nb = try write("fresh.seednb", RenderCommandTests.notebook)
    let outcome = try seednb(["render", nb])
    XCTAssertEqual(outcome.status, 0, outcome.stderr)
    XCTAssertEqual(outcome.stdout, "wrote \(folder.appendingPathComponent("fresh.html").path)\n")
    XCTAssertTrue(try read("fresh.html").contains("never run"))
    XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent(".seednb").path))
  }

  func testRenderAndRunWriteJupyterNotebooks() throws {
    let nb = try write("report.seednb", RenderCommandTests.notebook)
    XCTAssertEqual(try seednb(["run", nb, "--report", "run.ipynb"]).status, 1, "the run's own status")
    let fromRun = try read("run.ipynb")
    // By --to, by -o's extension, and beside the notebook: the same notebook each time.
    let explicit = try seednb(["render", nb, "--to", "ipynb", "-o", "-"])
    XCTAssertEqual(explicit.status, 0, explicit.stderr)
    XCTAssertEqual(try seednb(["render", nb, "-o", "out.ipynb"]).status, 0)
    let beside = try seednb(["render", nb, "--to", "ipynb"])
    XCTAssertEqual(beside.stdout, "wrote \(folder.appendingPathComponent("report.ipynb").path)\n")
    XCTAssertEqual(try read("out.ipynb"), explicit.stdout)
    XCTAssertEqual(try read("report.ipynb"), explicit.stdout)
    XCTAssertTrue(explicit.stdout.hasPrefix("{\n \"cells\": [\n"), explicit.stdout)
    XCTAssertTrue(explicit.stdout.contains("\"nbformat_minor\": 5"))
    XCTAssertTrue(explicit.stdout.contains("\"ename\": \"error\""))
    XCTAssertTrue(explicit.stdout.contains("\"evalue\": \"division by zero: 2 / 0\""))
    XCTAssertTrue(explicit.stdout.contains("\"image/svg+xml\": ["))
    // What the run wrote is what render makes from the store afterwards.
    XCTAssertEqual(fromRun, explicit.stdout)
  }

  func testBadUsage() throws {
    let nb = try write("report.seednb", RenderCommandTests.notebook)
    XCTAssertEqual(try seednb(["render", nb, "--to", "pdf"]).status, 2)
    XCTAssertEqual(try seednb(["run", nb, "--report", "out.pdf"]).status, 2)
    XCTAssertTrue(try seednb(["run", nb, "--report", "out.pdf"]).stderr.contains("--report needs a file ending in .html, .md or .ipynb"))
    XCTAssertEqual(try seednb(["render", "missing.seednb"]).status, 2)
  }
}
