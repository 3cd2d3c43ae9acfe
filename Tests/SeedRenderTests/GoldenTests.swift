import Foundation
import LoopbackOpenAI
import OrderedCollections
import SeedLLM
import SeedLang
import SeedNotebook
import XCTest

@testable import SeedRender

/// The reports of a notebook that makes every kind of output, compared byte for byte with
/// the files in `Golden/`. Set SEEDNB_UPDATE_GOLDEN=1 to write them anew (then read the diff).
final class GoldenTests: XCTestCase {
  var server: LoopbackOpenAIServer!
  var folder: URL!

  override func setUpWithError() throws {
    server = LoopbackOpenAIServer()
    try server.start()
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("seednb-render-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    server.stop()
    try? FileManager.default.removeItem(at: folder)
  }

  static let goldenSource = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

  /// A golden file; a missing one is a failure, never a skip, so a test cannot pass by losing it.
  struct MissingGolden: Error, CustomStringConvertible {
    let name: String
    var description: String {
      "no golden file Golden/\(name): write it with SEEDNB_UPDATE_GOLDEN=1 swift test --filter GoldenTests, and check it in"
    }
  }

  static func golden(_ name: String) throws -> URL {
    guard let url = Bundle.module.url(forResource: "Golden/\(name)", withExtension: nil) else {
      throw MissingGolden(name: name)
    }
    return url
  }

  func testAMissingGoldenFileIsAFailureNotASkip() {
    XCTAssertThrowsError(try GoldenTests.golden("no-such-report.html")) { error in
      XCTAssertFalse(error is XCTSkip, "a skip would let the test pass")
      XCTAssertEqual(
        "\(error)",
        "no golden file Golden/no-such-report.html: write it with SEEDNB_UPDATE_GOLDEN=1 swift test --filter GoldenTests, and check it in")
    }
  }

  /// Runs the golden notebook twice against the loopback server (the second time with its
  /// `outputs` cell edited), and builds the report from the store, with a fixed run date.
  func everyOutputReport() throws -> Report {
    try GoldenTests.everyOutputReport(in: folder, server: server)
  }

  static func everyOutputReport(in folder: URL, server: LoopbackOpenAIServer) throws -> Report {
    let (notebook, store) = try everyOutputRun(in: folder, server: server)
    return try ReportBuilder.build(notebook: notebook, parameters: notebook.frontMatter?.params ?? [:], runtime: "test", store: store)
  }

  /// The two runs of `everyOutputReport`: the notebook as edited, and the store they filled.
  static func everyOutputRun(in folder: URL, server: LoopbackOpenAIServer) throws -> (notebook: Notebook, store: CacheStore) {
    let text = try String(contentsOf: try GoldenTests.golden("every-output.seednb"), encoding: .utf8)
    let path = folder.appendingPathComponent("every-output.seednb").path
    var notebook = try Notebook.parse(text, file: path)
    let parameters = notebook.frontMatter?.params ?? [:]
    let store = try CacheStore(path: CacheStore.path(forNotebook: path))
    func run(_ notebook: Notebook) {
      let bindings = LLMBindings(
        client: OpenAIClient(configuration: .init(baseURL: server.baseURL, apiKey: APIKey(name: "OPENAI_API_KEY", text: "sk-render-tests"), retry: RetryPolicy(maxRetries: 0))))
      let runner = NotebookRunner(
        loaded: LoadedNotebook(notebook: notebook, parameters: parameters), llm: bindings,
        cache: NotebookCache(store: store, lockfile: nil), runtime: "test", options: .init(), modules: ModuleSearchPath(directories: []))
      let summary = LargeStack.run { runner.run(observer: NotebookEventHandler { _ in }) }
      let record = RunRecord(
        summary: summary, runner: runner, startedAt: Date(timeIntervalSince1970: 1_800_000_000), runtime: "test", backend: "openai",
        parameters: parameters)
      try? store.saveRun(record)
    }
    run(notebook)
    // The edit makes `outputs` "changed"; `calls` and `charts`, which read nothing of it, stay cached.
    let outputsIndex = notebook.cells.firstIndex { $0.identity == "outputs" }!
    notebook.setSource(notebook.cells[outputsIndex].source + "print(\"edited\")\n", ofCellAt: outputsIndex)
    run(notebook)
    return (notebook, store)
  }

  /// The text with the test's temporary folder replaced, so it is the same on every run.
  func stable(_ text: String) -> String {
    text.replacingOccurrences(of: folder.path + "/", with: "")
  }

  func assertGolden(_ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
    try GoldenTests.assertGolden(actual, name, file: file, line: line)
  }

  static func assertGolden(_ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
    if ProcessInfo.processInfo.environment["SEEDNB_UPDATE_GOLDEN"] == "1" {
      try actual.write(to: GoldenTests.goldenSource.appendingPathComponent(name), atomically: true, encoding: .utf8)
      return
    }
    let expected = try String(contentsOf: try GoldenTests.golden(name), encoding: .utf8)
    if actual != expected {
      let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
      let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
      let first = Array(zip(actualLines, expectedLines)).firstIndex { $0.0 != $0.1 } ?? min(actualLines.count, expectedLines.count)
      XCTFail(
        "\(name) differs from its golden file at line \(first + 1):\n  got:      \(first < actualLines.count ? actualLines[first] : "<end>")\n"
          + "  expected: \(first < expectedLines.count ? expectedLines[first] : "<end>")\n(SEEDNB_UPDATE_GOLDEN=1 rewrites it)",
        file: file, line: line)
    }
  }

  func testStatusesOfTheGoldenNotebook() throws {
    let report = try everyOutputReport()
    XCTAssertEqual(report.cells.map(\.status), [.cached, .changed, .cached, .error, .notRun])
    XCTAssertEqual(report.provenance.fingerprints, ["fp_loopback_1"])
    XCTAssertEqual(report.provenance.seeds, [7])
    XCTAssertEqual(report.provenance.backend, "openai")
    XCTAssertEqual(report.provenance.cachedRequests, 2)
    XCTAssertEqual(report.provenance.liveRequests, 0)
    XCTAssertEqual(
      Set(report.cells.flatMap(\.outputs).map(\.kindName)), ["text", "table", "markdown", "html", "json", "chart"])
  }

  func testHTMLReportMatchesItsGoldenFile() throws {
    try assertGolden(stable(HTMLReport.render(try everyOutputReport())), "every-output.html")
  }

  func testMarkdownReportAndItsChartsMatchTheirGoldenFiles() throws {
    let rendered = MarkdownReport.render(try everyOutputReport(), chartPrefix: "every-output")
    try assertGolden(stable(rendered.markdown), "every-output.md")
    XCTAssertEqual(rendered.files.map(\.name), ["every-output-chart-1.svg", "every-output-chart-2.svg", "every-output-chart-3.svg"])
    for file in rendered.files { try assertGolden(file.contents, file.name) }
  }

  func testTheHTMLReportIsSelfContained() throws {
    let html = HTMLReport.render(try everyOutputReport())
    XCTAssertFalse(html.contains("<script"), "no script")
    XCTAssertFalse(html.contains("<link"), "no stylesheet fetched")
    XCTAssertFalse(html.contains("src=\"http"), "nothing fetched")
    XCTAssertTrue(html.contains("<style>"))
    XCTAssertTrue(html.contains("name=\"viewport\""))
    XCTAssertTrue(html.contains("@media print"))
    XCTAssertTrue(html.contains("default-src 'none'"))
  }

  func testAReportOfANotebookNeverRunSaysSo() throws {
    let notebook = try Notebook.parse("---\ntitle: Fresh\n---\n\n```seed\nprint(1)\n```\n", file: folder.appendingPathComponent("fresh.seednb").path)
    let report = try ReportBuilder.build(notebook: notebook, parameters: [:], runtime: "test", store: nil)
    XCTAssertEqual(report.cells.map(\.status), [.notRun])
    XCTAssertNil(report.provenance.runDate)
    let html = HTMLReport.render(report)
    XCTAssertTrue(html.contains("never run"))
    XCTAssertTrue(html.contains("<span class=\"badge not-run\">not run</span>"))
    XCTAssertTrue(MarkdownReport.render(report, chartPrefix: "fresh").markdown.contains("**cell 1** · `not run`"))
  }
}
