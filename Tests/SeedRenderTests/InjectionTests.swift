import Foundation
import LoopbackOpenAI
import SeedLLM
import SeedLang
import SeedNotebook
import XCTest

@testable import SeedRender

/// Text from a model, a file or a parameter never becomes markup: scripts, event handlers,
/// `javascript:` links and closing tags in model answers (the model name and fingerprint the
/// server sends), in parameters, and in every kind of output made from them render as text.
final class InjectionTests: XCTestCase {
  static let payloads = [
    "<script>document.title='pwned'</script>",
    "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">",
    "[click](javascript:document.body.setAttribute('data-pwned','link'))",
    "<a href=\"javascript:alert(1)\">link</a>",
    "</code></pre></td></tr></table></div></section></main><script>document.title='pwned'</script>",
    "\"><svg onload=\"document.body.setAttribute('data-pwned','svg')\">",
  ]

  static let notebook = """
    ---
    title: "<script>document.title='pwned'</script>"
    params:
      payload: "x"
      payloads: []
    ---

    ```seed id=answers
    let answer = chat("hello", seed: 1)
    print(answer.model)
    print(answer.system_fingerprint)
    ```

    ```seed id=outputs
    for p in payloads { print(p) }
    display(table(payloads.map { p in [p, answer.model] }, headers: [payload, "model"]))
    display(markdown("**\\(payload)** and \\(payloads.join(" "))"))
    display(json(["payload": payload]))
    display(chart("bar", [payload: 1, answer.model: 2], title: payload, x_label: payload, y_label: answer.model))
    ```

    ```seed id=fails
    error(payload)
    ```
    """

  /// The notebook run against a server whose model name and fingerprint are payloads.
  static func report(in folder: URL) throws -> Report {
    var options = LoopbackOpenAIServer.Options()
    options.model = payloads[0]
    options.fingerprint = payloads[1]
    let server = LoopbackOpenAIServer(options: options)
    _ = try server.start()
    defer { server.stop() }
    let path = folder.appendingPathComponent("injection.seednb").path
    let notebook = try Notebook.parse(InjectionTests.notebook, file: path)
    var parameters = notebook.frontMatter?.params ?? [:]
    parameters["payload"] = .string(payloads[4])
    parameters["payloads"] = .list(payloads.map(ParameterValue.string))
    let store = try CacheStore(path: CacheStore.path(forNotebook: path))
    let bindings = LLMBindings(
      client: OpenAIClient(configuration: .init(baseURL: server.baseURL, apiKey: APIKey(name: "OPENAI_API_KEY", text: "sk-injection"), retry: RetryPolicy(maxRetries: 0))))
    let runner = NotebookRunner(
      loaded: LoadedNotebook(notebook: notebook, parameters: parameters), llm: bindings,
      cache: NotebookCache(store: store, lockfile: nil), runtime: "test", options: .init(), modules: ModuleSearchPath(directories: []))
    let summary = LargeStack.run { runner.run(observer: NotebookEventHandler { _ in }) }
    try store.saveRun(
      RunRecord(summary: summary, runner: runner, startedAt: Date(), runtime: "test", backend: "openai", parameters: parameters))
    return try ReportBuilder.build(notebook: notebook, parameters: parameters, runtime: "test", store: store)
  }

  var folder: URL!

  override func setUpWithError() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("seednb-injection-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: folder)
  }

  func testTheNotebookReallyCarriesThePayloads() throws {
    let report = try InjectionTests.report(in: folder)
    XCTAssertEqual(report.cells.map(\.status), [.live, .live, .error])
    XCTAssertEqual(report.provenance.models, [InjectionTests.payloads[0] + " (asked for gpt-4o-mini)"])
    XCTAssertEqual(report.provenance.fingerprints, [InjectionTests.payloads[1]])
    XCTAssertTrue(report.cells[2].error?.contains(InjectionTests.payloads[4]) ?? false)
  }

  func testNoPayloadBecomesMarkupInHTML() throws {
    let html = HTMLReport.render(try InjectionTests.report(in: folder))
    XCTAssertFalse(html.lowercased().contains("<script"), "no script element")
    XCTAssertFalse(html.lowercased().contains("<img"), "no image element")
    XCTAssertFalse(html.lowercased().contains("<svg onload"), "no handler")
    XCTAssertFalse(html.lowercased().contains("href=\"javascript"), "no javascript: link")
    // The one Markdown link a payload makes has lost its address.
    XCTAssertNil(html.range(of: #"<a href="[^"]"#, options: .regularExpression), "no link with an address")
    for payload in InjectionTests.payloads where !payload.hasPrefix("[") {
      XCTAssertFalse(html.contains(payload), "raw payload: \(payload)")
    }
    // Each closing tag a payload holds shows as text: the page keeps its structure.
    XCTAssertEqual(html.components(separatedBy: "</main>").count - 1, 1)
    XCTAssertEqual(html.components(separatedBy: "<section class=\"cell ").count - 1, 3)
    XCTAssertTrue(html.contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"))
  }

  func testNoPayloadBecomesMarkupInMarkdown() throws {
    let rendered = MarkdownReport.render(try InjectionTests.report(in: folder), chartPrefix: "injection")
    // What a renderer that trusts raw HTML would make of the report: still no markup.
    let html = CommonMark.html(rendered.markdown, trustingRawHTML: true).lowercased()
    XCTAssertFalse(html.contains("<script"), "no script element")
    // The only images are the report's own charts.
    XCTAssertEqual(
      html.components(separatedBy: "<img").count, html.components(separatedBy: "<img src=\"injection-chart-").count,
      "no image element but the charts")
    XCTAssertFalse(html.contains("<svg"), "no svg element")
    XCTAssertFalse(html.contains("href=\"javascript"), "no javascript: link")
    for file in rendered.files {
      XCTAssertFalse(file.contents.contains("<script"), file.name)
      XCTAssertFalse(file.contents.contains("onload=\""), file.name)
    }
  }

  func testMarkdownOutputsLoseRawHTMLAndDangerousLinks() {
    let html = CommonMark.html("<script>x</script>\n\nA <b>b</b> [l](javascript:alert(1)) [m](JaVa\tScript:alert(1)) ![i](data:text/html,x)")
    XCTAssertFalse(html.contains("<script"))
    XCTAssertFalse(html.contains("<b>"))
    XCTAssertFalse(html.lowercased().contains("javascript:"))
    XCTAssertFalse(html.contains("data:text"))
    XCTAssertTrue(html.contains("&lt;b&gt;b&lt;/b&gt;"))
    let markdown = CommonMark.sanitized("A <b>b</b> [l](javascript:alert(1))")
    XCTAssertFalse(markdown.contains("<b>"))
    XCTAssertFalse(markdown.contains("javascript"))
  }

  func testOnlyTheAuthorsHTMLPassesThrough() {
    var cell = Report.CellPart(label: "cell 1", identity: "1", source: "", status: .live)
    cell.outputs = [.html("<b id=\"mine\">author</b>"), .text("<b id=\"theirs\">model</b>")]
    let html = HTMLReport.render(Report(provenance: .init(title: "t", notebook: "t.seednb", version: "test"), blocks: [.cell(cell)]))
    XCTAssertTrue(html.contains("<b id=\"mine\">author</b>"))
    XCTAssertTrue(html.contains("&lt;b id=&quot;theirs&quot;&gt;model&lt;/b&gt;"))
  }
}
