import Foundation
import SeedLang
import SeedNotebook
import XCTest

/// Where `import` looks is worked out on the first import, once, and not at all by a notebook
/// that imports nothing.
final class ModuleSearchPathTests: XCTestCase {
  var folder: URL!

  override func setUpWithError() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("seednb-modules-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try "let answer = 42\n".write(to: folder.appendingPathComponent("lib.seed"), atomically: true, encoding: .utf8)
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: folder)
  }

  func testTheLoaderWorksTheSearchPathOutOnTheFirstImportOnly() {
    var workedOut = 0
    let path = folder.path
    let load = ModuleSearchPath.loader {
      workedOut += 1
      return ModuleSearchPath(directories: [path])
    }
    XCTAssertEqual(workedOut, 0)
    guard case .found(let source) = load("lib") else { return XCTFail("lib.seed was not found") }
    XCTAssertEqual(source.text, "let answer = 42\n")
    guard case .notFound(let searched) = load("absent") else { return XCTFail("found a module that is not there") }
    XCTAssertEqual(searched, [path])
    XCTAssertEqual(workedOut, 1)
  }

  func testASessionWorksItsSearchPathOutOnlyWhenACellImports() {
    var workedOut = 0
    let path = folder.path
    let searchPath = { () -> ModuleSearchPath in
      workedOut += 1
      return ModuleSearchPath(directories: [path])
    }
    let notebook = Notebook(file: "modules.seednb", title: nil, cellSources: ["print(1)", "import lib\nprint(answer)"])
    let session = NotebookSession(notebook: notebook, parameters: [:], modules: searchPath())
    let first = LargeStack.run { session.run(notebook.cells[0]) }
    XCTAssertNil(first.error)
    XCTAssertEqual(workedOut, 0)
    let second = LargeStack.run { session.run(notebook.cells[1]) }
    XCTAssertNil(second.error)
    XCTAssertEqual(second.outputs.map(\.plainText), ["42"])
    XCTAssertEqual(workedOut, 1)
  }
}
