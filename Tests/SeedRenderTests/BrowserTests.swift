import Foundation
import LoopbackOpenAI
import SeedLLM
import SeedLang
import SeedNotebook
import XCTest

@testable import SeedRender

/// The HTML report in a real browser: Debian's chromium, headless. The cookbook notebook runs
/// against the loopback server (no model, no network), its report is loaded, every cell must
/// be in the document chromium ends with, and screenshots (desktop and phone widths) must not
/// be blank. Skipped when chromium is absent, unless SEEDNB_REQUIRE_BROWSER=1.
final class BrowserTests: XCTestCase {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  var server: LoopbackOpenAIServer!
  var folder: URL!

  override func setUpWithError() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("seednb-browser-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    server?.stop()
    try? FileManager.default.removeItem(at: folder)
  }

  /// Runs a notebook's text against the loopback server and returns its report.
  func report(of text: String, named name: String, parameters overrides: [String: ParameterValue] = [:], options: LoopbackOpenAIServer.Options = .init())
    throws -> Report
  {
    server = LoopbackOpenAIServer(options: options)
    try server.start()
    let path = folder.appendingPathComponent(name).path
    let notebook = try Notebook.parse(text, file: path)
    var parameters = notebook.frontMatter?.params ?? [:]
    for (key, value) in overrides { parameters[key] = value }
    let store = try CacheStore(path: CacheStore.path(forNotebook: path))
    let bindings = LLMBindings(
      client: OpenAIClient(configuration: .init(baseURL: server.baseURL, apiKey: APIKey(name: "OPENAI_API_KEY", text: "sk-browser-tests"), retry: RetryPolicy(maxRetries: 0))))
    let modules = ModuleSearchPath(directories: [BrowserTests.repository.appendingPathComponent("stdlib").path, folder.path])
    let runner = NotebookRunner(
      loaded: LoadedNotebook(notebook: notebook, parameters: parameters), llm: bindings,
      cache: NotebookCache(store: store, lockfile: nil), runtime: "test", options: .init(), modules: modules)
    let start = Date()
    let summary = LargeStack.run { runner.run(observer: NotebookEventHandler { _ in }) }
    try store.saveRun(
      RunRecord(summary: summary, runner: runner, startedAt: start, runtime: "test", backend: "openai", parameters: parameters))
    return try ReportBuilder.build(notebook: notebook, parameters: parameters, runtime: "test", store: store)
  }

  func testChromiumShowsEveryCellOfTheCookbookReport() throws {
    let chromium = try Chromium.require()
    let source = BrowserTests.repository.appendingPathComponent("notebooks/reproducible-outputs.seednb")
    let report = try report(of: try String(contentsOf: source, encoding: .utf8), named: "reproducible-outputs.seednb")
    XCTAssertEqual(report.cells.map(\.status), Array(repeating: .live, count: report.cells.count), "every cell ran")
    let page = folder.appendingPathComponent("reproducible-outputs.html")
    try HTMLReport.render(report).write(to: page, atomically: true, encoding: .utf8)

    let dom = try chromium.dumpDOM(page)
    XCTAssertTrue(dom.contains("<h1>How to make your completions outputs reproducible with the new seed parameter</h1>"), dom)
    for cell in report.cells {
      XCTAssertTrue(dom.contains("<section class=\"cell live\" id=\"cell-\(cell.identity)\""), "cell \(cell.identity) is in the DOM")
    }
    XCTAssertEqual(dom.components(separatedBy: "<section class=\"cell ").count - 1, 5)
    XCTAssertTrue(dom.contains("aria-label=\"Average distance between the five responses\""), "the summary's bar chart")
    XCTAssertTrue(dom.contains("<th>distinct answers</th>"))

    for (width, height) in [(1280, 2400), (390, 2400)] {
      let png = folder.appendingPathComponent("shot-\(width).png")
      try chromium.screenshot(page, to: png, width: width, height: height)
      let ratio = try pngCompressionRatio(try Data(contentsOf: png))
      XCTAssertLessThan(ratio, 100, "the \(width)px screenshot is not blank (raw/compressed \(ratio))")
    }
    // The check tells a blank page from a full one.
    let blank = folder.appendingPathComponent("blank.html")
    try "<!DOCTYPE html><html><body></body></html>".write(to: blank, atomically: true, encoding: .utf8)
    let blankShot = folder.appendingPathComponent("blank.png")
    try chromium.screenshot(blank, to: blankShot, width: 1280, height: 2400)
    XCTAssertGreaterThan(try pngCompressionRatio(try Data(contentsOf: blankShot)), 100, "a blank page reads as blank")
  }

  func testNothingInjectedRunsInChromium() throws {
    let chromium = try Chromium.require()
    let report = try InjectionTests.report(in: folder)
    let page = folder.appendingPathComponent("injection.html")
    try HTMLReport.render(report).write(to: page, atomically: true, encoding: .utf8)
    let dom = try chromium.dumpDOM(page)
    XCTAssertFalse(dom.contains("data-pwned=\""), "an injected handler ran")
    XCTAssertFalse(dom.contains("<title>pwned"), "an injected script ran")
    XCTAssertFalse(dom.contains("<img"), "an injected image became an element")
    XCTAssertTrue(dom.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"), "the payload shows as text")
  }
}
