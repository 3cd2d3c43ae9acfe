import Foundation
import LoopbackOpenAI
import SeedJSON
import SeedLang
import SeedNotebook
import XCTest

@testable import SeedRender

/// `render --to ipynb`: the golden notebook's .ipynb byte for byte, its shape as nbformat 4.5
/// wants it, and the official tools on it: nbformat's validator (which must also write it back
/// unchanged) and `jupyter nbconvert --to html`, for the golden notebook and the cookbook one.
final class JupyterNotebookTests: XCTestCase {
  var server: LoopbackOpenAIServer!
  var folder: URL!

  override func setUpWithError() throws {
    server = LoopbackOpenAIServer()
    try server.start()
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("seednb-ipynb-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    server.stop()
    try? FileManager.default.removeItem(at: folder)
  }

  func everyOutputNotebook() throws -> (report: Report, text: String) {
    let report = try GoldenTests.everyOutputReport(in: folder, server: server)
    return (report, JupyterNotebookReport.render(report).replacingOccurrences(of: folder.path + "/", with: ""))
  }

  func testTheNotebookMatchesItsGoldenFile() throws {
    try GoldenTests.assertGolden(try everyOutputNotebook().text, "every-output.ipynb")
  }

  func testTheSameStoreGivesTheSameBytes() throws {
    let (notebook, store) = try GoldenTests.everyOutputRun(in: folder, server: server)
    let parameters = notebook.frontMatter?.params ?? [:]
    let first = JupyterNotebookReport.render(try ReportBuilder.build(notebook: notebook, parameters: parameters, runtime: "test", store: store))
    // The store reopened, as another `seednb render` would.
    let reopened = try CacheStore(path: CacheStore.path(forNotebook: notebook.file))
    let second = JupyterNotebookReport.render(try ReportBuilder.build(notebook: notebook, parameters: parameters, runtime: "test", store: reopened))
    XCTAssertEqual(first, second)
    XCTAssertTrue(first.contains("\"status\": \"changed\""), "the report is of the runs")
  }

  func testItHasTheShapeOfNbformat45WithEveryOutputKind() throws {
    let (report, text) = try everyOutputNotebook()
    let notebook = try JSONValue.parse(text)
    XCTAssertEqual(notebook["nbformat"]?.int, 4)
    XCTAssertEqual(notebook["nbformat_minor"]?.int, 5)
    let metadata = try XCTUnwrap(notebook["metadata"])
    XCTAssertEqual(metadata["kernelspec"]?["name"]?.string, "seed")
    XCTAssertEqual(metadata["kernelspec"]?["display_name"]?.string, "seed (no Jupyter kernel: run it with seednb)")
    XCTAssertEqual(metadata["language_info"]?["name"]?.string, "seed")
    XCTAssertEqual(metadata["language_info"]?["file_extension"]?.string, ".seed")
    XCTAssertEqual(metadata["language_info"]?["pygments_lexer"]?.string, "text")
    XCTAssertEqual(metadata["title"]?.string, "Every output kind")

    // The provenance is the report's, as data.
    let provenance = try XCTUnwrap(metadata["seednb"])
    XCTAssertEqual(provenance["backend"]?.string, "openai")
    XCTAssertEqual(provenance["run_date"]?.string, JupyterNotebookReport.isoDate(try XCTUnwrap(report.provenance.runDate)))
    XCTAssertEqual(provenance["fingerprints"]?.array, [.string("fp_loopback_1")])
    XCTAssertEqual(provenance["seeds"]?.array, [.int(7)])
    XCTAssertEqual(provenance["models"]?.array, report.provenance.models.map(JSONValue.string))
    XCTAssertEqual(provenance["parameters"]?["seed"]?.string, "7")
    XCTAssertEqual(provenance["requests"]?["cached"]?.int, 2)
    // Only the edited cell ran again: `charts` reads nothing `outputs` defines.
    XCTAssertEqual(provenance["cells"]?["changed"]?.int, 1)

    let cells = try XCTUnwrap(notebook["cells"]?.array)
    let ids = cells.compactMap { $0["id"]?.string }
    XCTAssertEqual(ids.count, cells.count, "every cell has an id")
    XCTAssertEqual(Set(ids).count, ids.count, "ids are unique")
    for id in ids { XCTAssertTrue(JupyterNotebookTests.isValidCellID(id), id) }
    XCTAssertEqual(cells.map { $0["cell_type"]?.string ?? "" }, ["markdown", "markdown", "code", "code", "code", "markdown", "code", "code"])
    XCTAssertEqual(ids, ["provenance", "prose-1", "calls", "outputs", "charts", "prose-2", "fails", "after"])
    XCTAssertEqual(cells[0]["source"]?.array?.first, .string("# Every output kind\n"))

    let code = cells.filter { $0["cell_type"]?.string == "code" }
    XCTAssertEqual(code.map { $0["execution_count"] ?? .string("missing") }, [.int(1), .int(2), .int(3), .int(4), .null])
    XCTAssertEqual(code.map { $0["metadata"]?["seednb"]?["status"]?.string ?? "" }, ["cached", "changed", "cached", "error", "not run"])
    func kinds(_ cell: JSONValue) -> [String] {
      (cell["outputs"]?.array ?? []).map { output in
        let type = output["output_type"]?.string ?? "?"
        guard case .object(let members)? = output["data"] else { return type }
        return type + ":" + members.map(\.key).joined(separator: ",")
      }
    }
    XCTAssertEqual(kinds(code[0]), ["stream"])
    XCTAssertEqual(
      kinds(code[1]),
      [
        "stream", "display_data:text/html,text/plain", "display_data:text/markdown,text/plain", "display_data:text/html",
        "display_data:application/json,text/plain", "stream",
      ])
    XCTAssertEqual(
      kinds(code[2]),
      ["display_data:image/svg+xml,text/plain", "display_data:image/svg+xml,text/plain", "display_data:image/svg+xml,text/plain", "stream"])
    XCTAssertEqual(kinds(code[3]), ["stream", "error"])
    XCTAssertEqual(kinds(code[4]), [])

    let error = try XCTUnwrap(code[3]["outputs"]?.array?.last)
    XCTAssertEqual(error["ename"]?.string, "error")
    XCTAssertEqual(error["evalue"]?.string, "division by zero: 1 / 0")
    XCTAssertEqual(error["traceback"]?.array?.count, 3, "the message, the source line and the caret")
    let json = try XCTUnwrap(code[1]["outputs"]?.array?[4]["data"]?["application/json"])
    XCTAssertEqual(json["planet"]?.string, "Mars", "JSON output is JSON, not text")
  }

  static func isValidCellID(_ id: String) -> Bool {
    (1...64).contains(id.count) && id.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
  }

  func testCellIDsAreMadeValidAndUnique() throws {
    // The notebook's own ids already hold only ASCII letters, digits, '_' and '-'; what is
    // left is their length, and ids the prose cells would take.
    let long = String(repeating: "x", count: 100)
    let text = """
      Before.

      ```seed id=\(long)
      print(1)
      ```

      ```seed id=\(long)-2
      print(2)
      ```

      ```seed id=prose-1
      print(3)
      ```

      ```seed id=provenance
      print(4)
      ```

      ```seed
      print(5)
      ```

      ```seed id=cell-5
      print(6)
      ```

      After.
      """
    let notebook = try Notebook.parse(text, file: folder.appendingPathComponent("ids.seednb").path)
    let report = try ReportBuilder.build(notebook: notebook, parameters: [:], runtime: "test", store: nil)
    let cells = try XCTUnwrap(try JSONValue.parse(JupyterNotebookReport.render(report))["cells"]?.array)
    let ids = cells.compactMap { $0["id"]?.string }
    XCTAssertEqual(
      ids,
      [
        "provenance", "prose-1", String(repeating: "x", count: 64), String(repeating: "x", count: 62) + "-2", "prose-1-2",
        "provenance-2", "cell-5", "cell-5-2", "prose-2",
      ])
    for id in ids { XCTAssertTrue(JupyterNotebookTests.isValidCellID(id), id) }
    XCTAssertEqual(Set(ids).count, ids.count)
  }

  func testMultiLineStringsAreSplitAsNbformatSplitsThem() {
    XCTAssertEqual(JupyterNotebookReport.lines("a\nb\r\nc\rd\u{2028}e\n"), ["a\n", "b\r\n", "c\r", "d\u{2028}", "e\n"])
    XCTAssertEqual(JupyterNotebookReport.lines("no break"), ["no break"])
    XCTAssertEqual(JupyterNotebookReport.lines("ends\r"), ["ends\r"])
    XCTAssertEqual(JupyterNotebookReport.lines(""), [])
  }

  // MARK: - The official tools

  /// Validates a notebook against nbformat's schema for its version, raw (the validator's own
  /// entry point repairs some faults silently), then reads it with nbformat and writes it back,
  /// which must give the same text.
  static let validation = """
    import sys, json, nbformat
    from nbformat.validator import get_validator
    path = sys.argv[1]
    text = open(path, encoding="utf-8").read()
    raw = json.loads(text)
    errors = list(get_validator(version=4, version_minor=5).iter_errors(raw))
    for error in errors: print("schema:", error.message, list(error.path))
    notebook = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
    nbformat.validate(notebook)
    written = nbformat.writes(notebook) + "\\n"
    if written != text:
        import difflib
        sys.stdout.writelines(list(difflib.unified_diff(text.splitlines(True), written.splitlines(True), "seednb", "nbformat"))[:40])
        sys.exit(1)
    sys.exit(1 if errors else 0)
    """

  func validate(_ path: URL, file: StaticString = #filePath, line: UInt = #line) throws {
    let tools = try PythonTools.require(["nbformat"])
    let result = try tools.python(JupyterNotebookTests.validation, [path.path])
    XCTAssertEqual(result.status, 0, "nbformat:\n\(result.output)\(result.errors)", file: file, line: line)
  }

  /// `jupyter nbconvert --to html`; returns the page.
  func convert(_ path: URL, file: StaticString = #filePath, line: UInt = #line) throws -> String {
    let tools = try PythonTools.require(["nbconvert"])
    let result = try tools.run(tools.jupyter, ["nbconvert", "--to", "html", path.path], in: folder)
    XCTAssertEqual(result.status, 0, "nbconvert:\n\(result.errors)", file: file, line: line)
    XCTAssertFalse(result.errors.contains("No lexer found"), "nbconvert knows how to show the code: \(result.errors)", file: file, line: line)
    return try String(contentsOf: path.deletingPathExtension().appendingPathExtension("html"), encoding: .utf8)
  }

  func testNbformatValidatesTheGoldenNotebookAndWritesItBackUnchanged() throws {
    let path = folder.appendingPathComponent("every-output.ipynb")
    try everyOutputNotebook().text.write(to: path, atomically: true, encoding: .utf8)
    try validate(path)
  }

  func testNbformatValidatesANotebookNeverRun() throws {
    // No outputs, no execution counts, no provenance but the notebook's name, and ids cut to 64.
    let text = "---\ntitle: Fresh\n---\n\nProse.\n\n```seed id=\(String(repeating: "a", count: 80))\nprint(1)\n```\n\n```seed\nprint(2)\n```\n"
    let notebook = try Notebook.parse(text, file: folder.appendingPathComponent("fresh.seednb").path)
    let report = try ReportBuilder.build(notebook: notebook, parameters: [:], runtime: "test", store: nil)
    let path = folder.appendingPathComponent("fresh.ipynb")
    try JupyterNotebookReport.render(report).write(to: path, atomically: true, encoding: .utf8)
    try validate(path)
  }

  func testNbformatRejectsANotebookWithABadCellID() throws {
    // The check can fail: the same notebook with one id nbformat 4.5 forbids.
    let path = folder.appendingPathComponent("bad-id.ipynb")
    let text = try everyOutputNotebook().text.replacingOccurrences(of: "\"id\": \"calls\"", with: "\"id\": \"calls here\"")
    try text.write(to: path, atomically: true, encoding: .utf8)
    let tools = try PythonTools.require(["nbformat"])
    let result = try tools.python(JupyterNotebookTests.validation, [path.path])
    XCTAssertNotEqual(result.status, 0)
    XCTAssertTrue(result.output.contains("calls here") || result.errors.contains("calls here"), result.output + result.errors)
  }

  func testNbconvertTurnsTheGoldenNotebookIntoHTML() throws {
    let path = folder.appendingPathComponent("every-output.ipynb")
    try everyOutputNotebook().text.write(to: path, atomically: true, encoding: .utf8)
    let html = try convert(path)
    XCTAssertTrue(html.contains("<h1 id=\"Every-output-kind\">Every output kind"), "the title cell")
    XCTAssertTrue(html.contains("plain text with &lt;angle brackets&gt; &amp; ampersands"), "a stream, escaped")
    XCTAssertTrue(html.contains("<th>planet</th>"), "a table")
    XCTAssertTrue(html.contains("<strong>Bold</strong>"), "Markdown output")
    XCTAssertTrue(html.contains("<p class=\"author\">HTML the author wrote</p>"), "HTML output")
    XCTAssertTrue(html.contains("division by zero: 1 / 0"), "the error")
    let charts = JupyterNotebookTests.svgImages(in: html)
    XCTAssertEqual(charts.count, 3)
    XCTAssertTrue(charts.first?.contains("aria-label=\"Average distance\"") ?? false, "the bar chart")
    for id in ["provenance", "prose-1", "calls", "outputs", "charts", "prose-2", "fails", "after"] {
      XCTAssertTrue(html.contains("id=\"cell-id=\(id)\""), "cell \(id) is on the page")
    }
  }

  /// The SVG outputs of a page nbconvert made, which it embeds as base64 `data:` images.
  static func svgImages(in html: String) -> [String] {
    let source = "src=\"data:image/svg+xml;base64,"
    return html.components(separatedBy: "data-mime-type=\"image/svg+xml\"").dropFirst().compactMap { part in
      guard let start = part.range(of: source)?.upperBound, let end = part[start...].firstIndex(of: "\""),
        let data = Data(base64Encoded: String(part[start..<end]))
      else { return nil }
      return String(decoding: data, as: UTF8.self)
    }
  }

  func testTheCookbookNotebookValidatesAndConverts() throws {
    let source = BrowserTests.repository.appendingPathComponent("notebooks/reproducible-outputs.seednb")
    let report = try BrowserTests.report(
      of: try String(contentsOf: source, encoding: .utf8), named: "reproducible-outputs.seednb", in: folder, server: server)
    XCTAssertEqual(report.cells.map(\.status), Array(repeating: .live, count: report.cells.count), "every cell ran")
    let path = folder.appendingPathComponent("reproducible-outputs.ipynb")
    try JupyterNotebookReport.render(report).write(to: path, atomically: true, encoding: .utf8)
    try validate(path)
    let html = try convert(path)
    XCTAssertTrue(html.contains("How to make your completions outputs reproducible with the new seed parameter"))
    for cell in report.cells {
      XCTAssertTrue(html.contains("id=\"cell-id=\(cell.identity)\""), "cell \(cell.identity) is on the page")
    }
    XCTAssertTrue(
      JupyterNotebookTests.svgImages(in: html).contains { $0.contains("aria-label=\"Average distance between the five responses\"") },
      "the summary's bar chart")
    XCTAssertTrue(html.contains("<th>distinct answers</th>"))
  }
}
