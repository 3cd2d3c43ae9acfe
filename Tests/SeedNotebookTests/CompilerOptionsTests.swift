import SeedLang
import SeedNotebook
import XCTest

/// `SEEDNB_SPECIALISATIONS=off` is read by the host, not by the language, and reaches the
/// interpreter of every notebook session.
final class CompilerOptionsTests: XCTestCase {
  func testTheEnvironmentTurnsSpecialisationsOff() {
    XCTAssertTrue(CompilerOptions.fromEnvironment([:]).specialisations)
    XCTAssertTrue(CompilerOptions.fromEnvironment(["SEEDNB_SPECIALISATIONS": "on"]).specialisations)
    XCTAssertFalse(CompilerOptions.fromEnvironment(["SEEDNB_SPECIALISATIONS": "off"]).specialisations)
    XCTAssertFalse(CompilerOptions.fromEnvironment(["SEEDNB_SPECIALISATIONS": "OFF"]).specialisations)
  }

  func testBothWaysGiveTheSameResults() throws {
    let source = SourceText(file: "cell.seed", text: "var d = [:]\nfor i in 0..<10 { d[i % 3] = (d[i % 3] ?? 0) + i }\nd")
    let fast = try Interpreter(options: CompilerOptions(specialisations: true)).run(source)
    let general = try Interpreter(options: CompilerOptions(specialisations: false)).run(source)
    XCTAssertEqual(fast.literalDescription, "[0: 18, 1: 12, 2: 15]")
    XCTAssertEqual(general.literalDescription, fast.literalDescription)
  }
}
