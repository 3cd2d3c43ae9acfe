import Foundation
import SeedLang
import SeedNotebook
import XCTest

/// The file builtins on a real folder with real symbolic links: what stays inside works, and
/// every way out (`..`, absolute paths, links in any component, links to files that do not
/// exist yet) is an error naming the path and why, at the call.
final class FileBindingsTests: XCTestCase {
  var base: URL!
  /// The notebook's folder; `base/outside.txt` and `base/elsewhere/` lie beside it.
  var folder: URL!

  override func setUpWithError() throws {
    base = FileManager.default.temporaryDirectory.appendingPathComponent("seednb-files-\(UUID().uuidString)")
    folder = base.appendingPathComponent("nb")
    let manager = FileManager.default
    try manager.createDirectory(at: folder.appendingPathComponent("data/deep"), withIntermediateDirectories: true)
    try manager.createDirectory(at: base.appendingPathComponent("elsewhere"), withIntermediateDirectories: true)
    try "secret\n".write(to: base.appendingPathComponent("outside.txt"), atomically: true, encoding: .utf8)
    try "inside\n".write(to: folder.appendingPathComponent("data/notes.txt"), atomically: true, encoding: .utf8)
    func link(_ name: String, _ target: String) throws {
      try manager.createSymbolicLink(atPath: folder.appendingPathComponent(name).path, withDestinationPath: target)
    }
    try link("notes-link", "data/notes.txt")
    try link("data-abs", folder.appendingPathComponent("data").path)
    try link("up-rel", "../outside.txt")
    try link("up-abs", base.appendingPathComponent("outside.txt").path)
    try link("away", base.appendingPathComponent("elsewhere").path)
    try link("data/deep/back-up", "../../..")
    try link("not-yet", base.appendingPathComponent("elsewhere/new.txt").path)
    try link("not-yet-inside", "data/new.txt")
    try link("loop-a", "loop-b")
    try link("loop-b", "loop-a")
    try link("to-cache", ".seednb")
    try manager.createDirectory(at: folder.appendingPathComponent(".seednb"), withIntermediateDirectories: true)
    try "cache".write(to: folder.appendingPathComponent(".seednb/cache.sqlite"), atomically: true, encoding: .utf8)
    guard mkfifo(folder.appendingPathComponent("pipe").path, 0o600) == 0 else { throw XCTSkip("mkfifo failed") }
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: base)
  }

  /// Runs seed code with the file builtins confined to the notebook's folder; what it printed,
  /// or its error message and column.
  func run(_ code: String) -> String {
    let interpreter = Interpreter()
    FileBindings(folder: NotebookFolder(path: folder.path, role: "the notebook's folder")).install(in: interpreter)
    var printed = ""
    interpreter.outputHandler = { if case .text(let text) = $0 { printed += text } }
    do {
      try interpreter.run(SourceText(file: "files.seed", text: code))
      return printed
    } catch let diagnostic as Diagnostic {
      return "\(diagnostic.location?.column ?? 0): \(diagnostic.message)"
    } catch {
      return "\(error)"
    }
  }

  func contents(_ name: String, under root: URL? = nil) -> String? {
    try? String(contentsOf: (root ?? folder).appendingPathComponent(name), encoding: .utf8)
  }

  // MARK: - Inside the folder

  func testReadsWritesAppendsAndListsInsideTheFolder() {
    XCTAssertEqual(
      run(
        """
        print(read_file("data/notes.txt"), terminator: "")
        write_file("out.txt", "one\\n")
        append_file("out.txt", "two\\n")
        print(read_file("out.txt"), terminator: "")
        print(file_exists("out.txt"), file_exists("data"), file_exists("missing.txt"), file_exists("missing/deeper.txt"))
        print(list_dir("data"))
        """), "inside\none\ntwo\ntrue true false false\n[\"deep\", \"notes.txt\"]\n")
    XCTAssertEqual(contents("out.txt"), "one\ntwo\n")
  }

  func testWriteReplacesAndAppendMakesTheFile() {
    XCTAssertEqual(run("write_file(\"a.txt\", \"long text\")\nwrite_file(\"a.txt\", \"short\")\nappend_file(\"b.txt\", \"x\")"), "")
    XCTAssertEqual(contents("a.txt"), "short")
    XCTAssertEqual(contents("b.txt"), "x")
  }

  func testMakeDirMakesMissingFoldersAndJSONRoundTrips() {
    XCTAssertEqual(
      run(
        """
        make_dir("results/2026/run")
        make_dir("results/2026")
        write_json("results/2026/run/r.json", ["name": "a", "scores": [1, 2.5, nil]])
        print(read_json("results/2026/run/r.json"))
        write_json("one-line.json", [1, 2], indent: nil)
        """), "[\"name\": \"a\", \"scores\": [1, 2.5, nil]]\n")
    XCTAssertEqual(
      contents("results/2026/run/r.json"), "{\n  \"name\": \"a\",\n  \"scores\": [\n    1,\n    2.5,\n    null\n  ]\n}\n")
    XCTAssertEqual(contents("one-line.json"), "[1,2]\n")
  }

  func testLinksThatStayInsideAndAbsolutePathsInsideWork() {
    let absolute = folder.appendingPathComponent("data/notes.txt").path
    XCTAssertEqual(
      run(
        """
        print(read_file("notes-link"), terminator: "")
        print(read_file("data-abs/notes.txt"), terminator: "")
        print(read_file("\(absolute)"), terminator: "")
        print(read_file("data/deep/../notes.txt"), terminator: "")
        write_file("not-yet-inside", "made through a link")
        print(list_dir()[0..<3], list_dir(".") == list_dir("data/.."))
        """), "inside\ninside\ninside\ninside\n[\".seednb\", \"away\", \"data\"] true\n")
    XCTAssertEqual(contents("data/new.txt"), "made through a link")
  }

  // MARK: - Ways out

  func testDotDotAndAbsolutePathsOutsideAreRefused() {
    let root = folder.path
    let outside = base.appendingPathComponent("outside.txt").path
    XCTAssertEqual(run("read_file(\"../outside.txt\")"), "10: read_file(): '../outside.txt' is outside the notebook's folder (\(root))")
    XCTAssertEqual(run("read_file(\"\(outside)\")"), "10: read_file(): '\(outside)' is outside the notebook's folder (\(root))")
    XCTAssertEqual(
      run("read_file(\"data/../../outside.txt\")"),
      "10: read_file(): 'data/../../outside.txt' is outside the notebook's folder (\(root))")
    XCTAssertEqual(
      run("let x = 1\nwrite_file(\"\(root)/../evil.txt\", \"x\")"),
      "11: write_file(): '\(root)/../evil.txt' is outside the notebook's folder (\(root))")
    XCTAssertEqual(run("list_dir(\"..\")"), "9: list_dir(): '..' is outside the notebook's folder (\(root))")
    XCTAssertEqual(run("file_exists(\"/etc/passwd\")"), "12: file_exists(): '/etc/passwd' is outside the notebook's folder (\(root))")
    XCTAssertEqual(run("make_dir(\"../made\")"), "9: make_dir(): '../made' is outside the notebook's folder (\(root))")
    XCTAssertFalse(FileManager.default.fileExists(atPath: base.appendingPathComponent("evil.txt").path))
    XCTAssertFalse(FileManager.default.fileExists(atPath: base.appendingPathComponent("made").path))
  }

  func testLinksLeadingOutsideAreRefusedInAnyComponent() {
    let root = folder.path
    let outside = base.appendingPathComponent("outside.txt").path
    let elsewhere = base.appendingPathComponent("elsewhere").path
    XCTAssertEqual(
      run("read_file(\"up-rel\")"),
      "10: read_file(): 'up-rel' leads outside the notebook's folder (\(root)): 'up-rel' is a symbolic link to '../outside.txt'")
    XCTAssertEqual(
      run("read_file(\"up-abs\")"),
      "10: read_file(): 'up-abs' leads outside the notebook's folder (\(root)): 'up-abs' is a symbolic link to '\(outside)'")
    XCTAssertEqual(
      run("write_file(\"away/planted.txt\", \"x\")"),
      "11: write_file(): 'away/planted.txt' leads outside the notebook's folder (\(root)): 'away' is a symbolic link to '\(elsewhere)'")
    XCTAssertEqual(
      run("list_dir(\"data/deep/back-up\")"),
      "9: list_dir(): 'data/deep/back-up' leads outside the notebook's folder (\(root)): 'data/deep/back-up' is a symbolic link to '../../..'")
    XCTAssertEqual(
      run("file_exists(\"data/deep/back-up/outside.txt\")"),
      "12: file_exists(): 'data/deep/back-up/outside.txt' leads outside the notebook's folder (\(root)): 'data/deep/back-up' is a symbolic link to '../../..'")
    // A link to a file that does not exist yet must not let a write create it outside.
    XCTAssertEqual(
      run("write_file(\"not-yet\", \"x\")"),
      "11: write_file(): 'not-yet' leads outside the notebook's folder (\(root)): 'not-yet' is a symbolic link to '\(elsewhere)/new.txt'")
    XCTAssertEqual(
      run("append_file(\"not-yet\", \"x\")"),
      "12: append_file(): 'not-yet' leads outside the notebook's folder (\(root)): 'not-yet' is a symbolic link to '\(elsewhere)/new.txt'")
    XCTAssertNil(contents("elsewhere/new.txt", under: base))
    XCTAssertNil(contents("elsewhere/planted.txt", under: base))
    XCTAssertEqual(contents("outside.txt", under: base), "secret\n")
  }

  func testTheCacheFolderCannotBeWrittenByAnyPath() {
    let refused = "is in .seednb/, the folder of the notebook's cache, where notebook code may not write"
    XCTAssertEqual(run("write_file(\".seednb/cache.sqlite\", \"x\")"), "11: write_file(): '.seednb/cache.sqlite' \(refused)")
    XCTAssertEqual(run("append_file(\"data/../.seednb/cache.sqlite\", \"x\")"), "12: append_file(): 'data/../.seednb/cache.sqlite' \(refused)")
    XCTAssertEqual(
      run("write_file(\"to-cache/cache.sqlite\", \"x\")"),
      "11: write_file(): 'to-cache/cache.sqlite' \(refused) (through the symbolic link 'to-cache' -> '.seednb')")
    XCTAssertEqual(run("make_dir(\".seednb/more\")"), "9: make_dir(): '.seednb/more' \(refused)")
    XCTAssertEqual(run("write_json(\"\(folder.path)/.seednb/x.json\", 1)"), "11: write_json(): '\(folder.path)/.seednb/x.json' \(refused)")
    XCTAssertEqual(contents(".seednb/cache.sqlite"), "cache")
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(".seednb").path), ["cache.sqlite"])
  }

  func testWhatIsNotAReadableFileSaysWhat() {
    XCTAssertEqual(run("read_file(\"missing.txt\")"), "10: read_file(): 'missing.txt' does not exist")
    XCTAssertEqual(run("read_file(\"data\")"), "10: read_file(): 'data' is a folder, not a file")
    // A FIFO would block the cell forever; it is refused without waiting for a writer.
    XCTAssertEqual(run("read_file(\"pipe\")"), "10: read_file(): 'pipe' is not a regular file (a device, pipe or socket)")
    XCTAssertEqual(run("write_file(\"pipe\", \"x\")"), "11: write_file(): 'pipe' is not a regular file (a device, pipe or socket)")
    XCTAssertEqual(
      run("write_file(\"no/such/folder.txt\", \"x\")"),
      "11: write_file(): 'no/such/folder.txt' cannot be reached: there is no folder 'no'")
    XCTAssertEqual(
      run("read_file(\"data/notes.txt/x\")"),
      "10: read_file(): 'data/notes.txt/x' cannot be reached: 'data/notes.txt' is a file, not a folder")
    XCTAssertEqual(
      run("read_file(\"loop-a\")"),
      "10: read_file(): 'loop-a' passes through more than 40 symbolic links; do they form a loop? (through the symbolic link 'loop-b' -> 'loop-a')")
    XCTAssertEqual(run("read_file(\"\")"), "10: read_file(): the path is empty (write \".\" for the notebook's folder)")
    XCTAssertEqual(run("read_file(\"a\\0b\")"), "10: read_file(): the path \"a\\0b\" holds a NUL character")
    XCTAssertEqual(run("read_file(42)"), "10: read_file() expects a string as argument 1, got int")
    XCTAssertEqual(run("write_file(\"x.txt\")"), "11: write_file() takes 2 arguments but 1 was given")
  }

  func testTextThatIsNotUTF8OrNotJSONIsAnError() throws {
    try Data([0x66, 0xFF, 0xFE]).write(to: folder.appendingPathComponent("binary.bin"))
    XCTAssertEqual(run("read_file(\"binary.bin\")"), "10: read_file(): 'binary.bin' is not UTF-8 text")
    XCTAssertEqual(
      run("read_json(\"data/notes.txt\")"),
      "10: read_json(): 'data/notes.txt' is not valid JSON: invalid JSON at line 1, column 1: expected a value")
    XCTAssertEqual(run("write_json(\"f.json\", [print])"), "11: write_json(): cannot encode a function as JSON")
    XCTAssertNil(contents("f.json"), "a value that cannot be encoded leaves no file")
  }

  func testANotebookSessionReadsBesideItsNotebook() {
    XCTAssertEqual(NotebookFolder.around(file: folder.appendingPathComponent("a.seednb").path).path, folder.resolvingSymlinksInPath().path)
    let notebook = Notebook(file: folder.appendingPathComponent("a.seednb").path, title: nil, cellSources: ["print(read_file(\"data/notes.txt\"))"])
    let session = NotebookSession(notebook: notebook, parameters: [:], modules: ModuleSearchPath(directories: []))
    let result = session.run(notebook.cells[0])
    XCTAssertNil(result.error)
    XCTAssertEqual(result.outputs, [.text("inside\n\n")])
  }

  func testAModuleThatIsALinkOutOfItsFolderIsRefused() throws {
    try "func shared() { 1 }\n".write(to: base.appendingPathComponent("elsewhere/lib.seed"), atomically: true, encoding: .utf8)
    try FileManager.default.createSymbolicLink(
      atPath: folder.appendingPathComponent("lib.seed").path, withDestinationPath: base.appendingPathComponent("elsewhere/lib.seed").path)
    try "func local() { 2 }\n".write(to: folder.appendingPathComponent("real.seed"), atomically: true, encoding: .utf8)
    try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("alias.seed").path, withDestinationPath: "real.seed")
    let modules = ModuleSearchPath(directories: [folder.path])
    guard case .notFound(let searched) = modules.lookup("lib") else { return XCTFail("a module outside the folder was read") }
    XCTAssertEqual(
      searched,
      ["\(folder.path) ('lib.seed' leads outside its folder (\(folder.path)): 'lib.seed' is a symbolic link to '\(base.appendingPathComponent("elsewhere/lib.seed").path)')"])
    guard case .found(let source) = modules.lookup("alias") else { return XCTFail("a link inside the folder was refused") }
    XCTAssertEqual(source.text, "func local() { 2 }\n")
    guard case .notFound(let missing) = modules.lookup("absent") else { return XCTFail("found a module that is not there") }
    XCTAssertEqual(missing, [folder.path])
  }
}
