import Foundation
import OrderedCollections
import SeedLang
import SeedNotebook
import XCTest

/// Which cells a cell depends on, from its code: what it reads, directly and through the
/// functions it calls, and who defined or changed that. Then the point of it: with real runs
/// and a real store, no edit replays a stale output.
final class CellDataflowTests: XCTestCase {
  /// Each cell's upstream cells, numbered from 1 as cells are.
  func upstream(_ cells: [String], parameters: Set<String> = [], modules: [String: String] = [:]) -> [[Int]] {
    flow(cells, parameters: parameters, modules: modules).dependencies.map { $0.upstream.map { $0 + 1 } }
  }

  func flow(_ cells: [String], parameters: Set<String> = [], modules: [String: String] = [:]) -> CellDataflow {
    let notebook = Notebook(file: "/nb.seednb", title: nil, cellSources: cells)
    return CellDataflow(
      cells: notebook.cells, file: notebook.file, parameterNames: parameters,
      modules: { name in
        modules[name].map { .found(SourceText(file: "\(name).seed", text: $0)) } ?? .notFound(searched: [])
      })
  }

  func testADirectReadDependsOnTheCellThatDefinesIt() {
    XCTAssertEqual(upstream(["let a = 1", "let b = 2", "print(a)"]), [[], [], [1]])
  }

  func testReadsThroughAFunctionCount() {
    XCTAssertEqual(upstream(["let rate = 2", "func f(x) { x * rate }", "print(f(3))"]), [[], [], [1, 2]])
  }

  func testAFunctionReadingAGlobalDefinedAfterItStillCounts() {
    XCTAssertEqual(upstream(["func f() { g }", "let g = 1", "print(f())"]), [[], [], [1, 2]])
  }

  func testAParameterOfTheFunctionIsNotTheGlobalOfTheSameName() {
    XCTAssertEqual(upstream(["let x = 1", "func f(x) { x }", "print(f(2))"]), [[], [], [2]])
  }

  func testAMethodCallOnAGlobalIsAChange() {
    XCTAssertEqual(upstream(["var xs = []", "xs.append(1)", "print(xs)"]), [[], [1], [1, 2]])
  }

  func testAssigningIntoAGlobalIsAChange() {
    XCTAssertEqual(upstream(["var d = [:]", "d[\"a\"] = 1", "print(d)"]), [[], [1], [1, 2]])
  }

  func testAChangeInsideAFunctionCountsWhereTheFunctionIsCalled() {
    XCTAssertEqual(
      upstream(["var xs = []", "func add(v) { xs.append(v) }", "add(1)", "print(xs)"]), [[], [], [1, 2], [1, 3]])
  }

  func testAChangeThroughAnAliasCounts() {
    XCTAssertEqual(upstream(["var xs = []", "let ys = xs", "ys.append(1)", "print(xs)"]), [[], [1], [2], [1, 3]])
  }

  func testPassingAGlobalToAFunctionOfTheNotebookIsAChange() {
    XCTAssertEqual(
      upstream(["var xs = []", "func push(list) { list.append(1) }", "push(xs)", "print(xs)"]), [[], [], [1, 2], [1, 3]])
  }

  func testPassingAGlobalToABuiltinIsNotAChange() {
    XCTAssertEqual(upstream(["let xs = [1]", "print(len(xs))", "print(xs)"]), [[], [1], [1]])
  }

  func testAClosureRunByParallelCounts() {
    XCTAssertEqual(
      upstream(["var seen = []", "parallel(0..<2) { i in seen.append(i) }", "print(seen)"]), [[], [1], [1, 2]])
  }

  func testBlockLocalsAreNotGlobals() {
    XCTAssertEqual(upstream(["let x = 1", "if true { let x = 2\nprint(x) }", "print(x)"]), [[], [], [1]])
  }

  func testParametersAreReadDirectlyAndThroughFunctions() {
    let dependencies = flow(["print(style)", "func g() { topic }", "print(g())"], parameters: ["style", "topic"]).dependencies
    XCTAssertEqual(dependencies.map(\.parameters), [["style"], [], ["topic"]], "a function only defined reads nothing yet")
  }

  func testACellThatDoesNotParseDependsOnEverythingAndEverythingAfterOnIt() {
    let dependencies = flow(["let a = 1", "let = oops", "print(2)"], parameters: ["p"]).dependencies
    XCTAssertTrue(dependencies[1].dependsOnAll)
    XCTAssertEqual(dependencies[1].upstream, [0])
    XCTAssertEqual(dependencies[1].parameters, ["p"])
    XCTAssertEqual(dependencies[2].upstream, [1])
  }

  func testAModulesDefinitionsAndWhatTheyReadCount() {
    let module = "func scaled(x) { x * factor }"
    XCTAssertEqual(
      upstream(["import scaling", "let factor = 3", "print(scaled(2))"], modules: ["scaling": module]), [[], [], [1, 2]])
    let parameters = flow(["import scaling", "print(scaled(2))"], parameters: ["factor"], modules: ["scaling": module])
      .dependencies.map(\.parameters)
    XCTAssertEqual(parameters, [[], ["factor"]])
  }

  func testAModuleThatCannotBeFoundDependsOnEverything() {
    let dependencies = flow(["let a = 1", "import missing", "print(3)"]).dependencies
    XCTAssertTrue(dependencies[1].dependsOnAll)
    XCTAssertEqual(dependencies[2].upstream, [1])
  }

  func testTheKeyInputsNameTheParametersAndCellsRead() {
    let notebook = Notebook(file: "/nb.seednb", title: nil, cellSources: ["let a = 1", "print(a, style)"])
    let parameters: OrderedDictionary<String, ParameterValue> = ["style": .string("long"), "topic": .string("Mars")]
    let inputs = notebook.cellKeyInputs(runtime: "t", parameters: parameters, modules: ModuleSearchPath(directories: []))
    XCTAssertEqual(inputs[1].parameters.map(\.name), ["style"])
    XCTAssertEqual(inputs[1].upstream.map(\.identity), ["1"])
    var other = parameters
    other["topic"] = .string("Venus")
    XCTAssertEqual(
      notebook.cellKeyInputs(runtime: "t", parameters: other, modules: ModuleSearchPath(directories: [])).map(\.key),
      inputs.map(\.key), "no cell reads topic")
    other["style"] = .string("short")
    let changed = notebook.cellKeyInputs(runtime: "t", parameters: other, modules: ModuleSearchPath(directories: []))
    XCTAssertEqual(changed[0].key, inputs[0].key)
    XCTAssertNotEqual(changed[1].key, inputs[1].key)
    XCTAssertEqual(changed[1].reason(comparedWith: inputs[1]), .parameterChanged("style"))
    XCTAssertEqual(changed[1].reason(comparedWith: inputs[1])?.description, "parameter style changed")
  }

  // MARK: - No stale output

  var folder: URL!

  override func setUpWithError() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("seednb-dataflow-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: folder)
  }

  /// Runs the cells with the store beside the notebook; each cell's status and printed text.
  func run(_ cells: [String], parameters: OrderedDictionary<String, ParameterValue> = [:]) throws -> [(String, String)] {
    let notebook = Notebook(file: folder.appendingPathComponent("nb.seednb").path, title: nil, cellSources: cells)
    let runner = NotebookRunner(
      loaded: LoadedNotebook(notebook: notebook, parameters: parameters), llm: nil,
      cache: NotebookCache(store: try CacheStore(path: CacheStore.path(forNotebook: notebook.file)), lockfile: nil),
      runtime: "test", options: .init(), modules: ModuleSearchPath(directories: []))
    let summary = LargeStack.run { runner.run(observer: NotebookEventHandler { _ in }) }
    return summary.reports.map { ($0.status.rawValue, $0.result.outputs.map(\.plainText).joined()) }
  }

  /// Runs `cells`, then `edited`, and asserts that every cell of the second run printed
  /// what a run of `edited` in an empty store prints.
  func assertNoStaleOutput(_ cells: [String], _ edited: [String], file: StaticString = #filePath, line: UInt = #line) throws {
    _ = try run(cells)
    let incremental = try run(edited)
    try FileManager.default.removeItem(at: folder.appendingPathComponent(".seednb"))
    let fresh = try run(edited)
    XCTAssertEqual(incremental.map(\.1), fresh.map(\.1), "a restored cell showed a stale output", file: file, line: line)
    XCTAssertTrue(incremental.contains { $0.0 == "cached" }, "something was restored", file: file, line: line)
  }

  func testNoStaleOutputWhenAFunctionChangesAGlobalInPlace() throws {
    try assertNoStaleOutput(
      ["var xs = []", "func add(v) { xs.append(v) }", "add(1)", "print(xs)", "print(\"unrelated\")"],
      ["var xs = []", "func add(v) { xs.append(v) }", "add(2)", "print(xs)", "print(\"unrelated\")"])
  }

  func testNoStaleOutputWhenAFunctionsBodyChanges() throws {
    try assertNoStaleOutput(
      ["let rate = 2", "func f(x) { x * rate }", "print(f(3))", "print(rate)"],
      ["let rate = 2", "func f(x) { x + rate }", "print(f(3))", "print(rate)"])
  }

  func testNoStaleOutputWhenAGlobalAFunctionReadsIsRedefinedLater() throws {
    try assertNoStaleOutput(
      ["func f() { g }", "let g = 1", "print(f())", "print(1)"], ["func f() { g }", "let g = 2", "print(f())", "print(1)"])
  }

  func testNoStaleOutputWhenAnAliasIsChanged() throws {
    try assertNoStaleOutput(
      ["var xs = []", "let ys = xs", "ys.append(1)", "print(xs)"], ["var xs = []", "let ys = xs", "ys.append(5)", "print(xs)"])
  }

  func testNoStaleOutputWhenAListIsChangedThroughAFunctionArgument() throws {
    try assertNoStaleOutput(
      ["var xs = []", "func push(list, v) { list.append(v) }", "push(xs, 1)", "print(xs)"],
      ["var xs = []", "func push(list, v) { list.append(v) }", "push(xs, 9)", "print(xs)"])
  }

  func testNoStaleOutputWhenAReturnedGlobalIsChanged() throws {
    try assertNoStaleOutput(
      ["var xs = []", "func items() { xs }", "let ys = items()\nys.append(1)", "print(xs)"],
      ["var xs = []", "func items() { xs }", "let ys = items()\nys.append(7)", "print(xs)"])
  }

  func testAParameterReRunsOnlyTheCellsThatReadIt() throws {
    let cells = ["let base = 10", "print(base + n)", "print(base)", "func label() { name }", "print(label())"]
    _ = try run(cells, parameters: ["n": .int(1), "name": .string("a")])
    let second = try run(cells, parameters: ["n": .int(2), "name": .string("a")])
    XCTAssertEqual(second.map(\.0), ["cached", "changed", "cached", "cached", "cached"])
    XCTAssertEqual(second[1].1.trimmingCharacters(in: .newlines), "12")
    let third = try run(cells, parameters: ["n": .int(2), "name": .string("b")])
    XCTAssertEqual(third.map(\.0), ["cached", "cached", "cached", "cached", "changed"])
    XCTAssertEqual(third[4].1.trimmingCharacters(in: .newlines), "b")
  }
}
