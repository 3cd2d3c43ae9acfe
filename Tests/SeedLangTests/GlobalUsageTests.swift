import SeedLang
import XCTest

/// The globals a cell reads, writes and calls, as `ProgramUsage` gives them to a host that
/// keys its cache by dataflow.
final class GlobalUsageTests: XCTestCase {
  private func usage(_ text: String) throws -> ProgramUsage {
    try ProgramUsage(of: SourceText(file: "cell.seed", text: text))
  }

  func testTopLevelCodeAndGlobalFunctionsAreListedApart() throws {
    let found = try usage(
      """
      let total = 0
      var xs = []
      func add(x) {
        xs.append(x)
        return helper(x) + total
      }
      xs.append(1)
      d[k] = v
      print(add(2))
      let scaled = map(xs) { y in y * scale }
      """)
    XCTAssertEqual(found.topLevel.writes, ["total", "xs", "add", "d", "scaled"])
    XCTAssertEqual(found.topLevel.reads, ["xs", "d", "k", "v", "print", "add", "map", "scale"])
    XCTAssertEqual(found.topLevel.calls, ["print", "add", "map"])
    XCTAssertEqual(
      found.functions,
      ["add": GlobalUsage(reads: ["xs", "helper", "total"], writes: ["xs"], calls: ["helper"])])
  }

  func testEveryWayOfChangingAGlobalIsAWrite() throws {
    let found = try usage(
      """
      count += 1
      config.items[0] = 2
      settings.name = "x"
      cache["a"].append(3)
      plain = 4
      """)
    XCTAssertEqual(found.topLevel.writes, ["count", "config", "settings", "cache", "plain"])
    // A compound assignment reads the old value; a plain one does not.
    XCTAssertTrue(found.topLevel.reads.contains("count"))
    XCTAssertFalse(found.topLevel.reads.contains("plain"))
  }

  func testLocalsParametersAndCapturesAreNotGlobals() throws {
    let found = try usage(
      """
      func outer(n) {
        var xs = []
        let inner = { i in xs.append(i + n) }
        for i in 0..<n { inner(i) }
        return xs
      }
      if true {
        let local = [1]
        local.append(2)
      }
      """)
    XCTAssertEqual(found.functions["outer"], GlobalUsage())
    XCTAssertEqual(found.topLevel, GlobalUsage(writes: ["outer"]))
  }

  func testNestedFunctionsCountForTheFunctionAroundThem() throws {
    let found = try usage(
      """
      func report() {
        func line(x) { log.append(format(x)) }
        line(1)
      }
      import helpers
      """)
    XCTAssertEqual(
      found.functions["report"], GlobalUsage(reads: ["log", "format"], writes: ["log"], calls: ["format"]))
    XCTAssertEqual(found.topLevel.imports, ["helpers"])
  }

  func testCheckGivesTheSameUsageAndSyntaxErrorsThrow() throws {
    let source = SourceText(file: "cell.seed", text: "var n = m + 1\nf(n)")
    XCTAssertEqual(try Interpreter().check(source), try ProgramUsage(of: source))
    XCTAssertThrowsError(try usage("let = 1")) { error in
      XCTAssertTrue(error is DiagnosticList, "\(error)")
    }
    XCTAssertThrowsError(try usage("return 1")) { error in
      XCTAssertTrue(error is DiagnosticList, "\(error)")
    }
  }
}
