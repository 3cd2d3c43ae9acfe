import SeedLang
import XCTest

/// A call through a global's cell does not retain the function it runs; a function replaced
/// while it runs is kept alive by the interpreter until the outermost run ends, and no longer.
final class GlobalFunctionLifetimeTests: XCTestCase {
  func testAFunctionThatReplacesItselfRunsToItsEndAndIsFreedAfterTheRun() throws {
    weak var firstPayload: ListObject?
    var aliveAfterReplacement: [Bool] = []
    var printed: [String] = []
    let interpreter = Interpreter()
    interpreter.outputHandler = { item in
      if case .text(let text) = item { printed.append(text) }
    }
    interpreter.defineBuiltin("keep") { args in
      if firstPayload == nil, case .list(let list) = args[0] { firstPayload = list }
      return .nil
    }
    interpreter.defineBuiltin("first_alive") { _ in
      aliveAfterReplacement.append(firstPayload != nil)
      return .nil
    }
    try interpreter.run(
      SourceText(
        file: "replace.seed",
        text: """
          func maker(tag) {
            let payload = [tag]
            keep(payload)
            func run(n) {
              current = maker("next")
              first_alive()
              // Its captures are read after the global no longer holds it.
              return "\\(payload[0]) \\(n) \\(payload.count)"
            }
            return run
          }
          var current = maker("first")
          print(current(1))
          print(current(2))
          """))
    XCTAssertEqual(printed, ["first 1 1\n", "next 2 1\n"])
    XCTAssertEqual(aliveAfterReplacement, [true, true])
    XCTAssertNil(firstPayload, "the replaced function outlived the run")
  }
}
