import Foundation
import SeedFuzzing
import XCTest

/// Every input that once crashed or hung a fuzz target, replayed through the same entry point
/// the fuzzer drives: `Fixtures/<target>/<name>`. A test passes by returning; a regression
/// traps and takes the test run down with it, naming the input in the log first.
final class FuzzRegressionTests: XCTestCase {
  func testLanguageInputs() throws { try replay(.language) }
  func testNotebookInputs() throws { try replay(.notebook) }
  func testInterpreterInputs() throws { try replay(.interpreter) }
  func testResponseInputs() throws { try replay(.responses) }

  func testEveryTargetHasAFixtureFolder() throws {
    let root = try fixturesFolder()
    let folders = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
    XCTAssertEqual(folders, FuzzTarget.allCases.map(\.rawValue).sorted())
    let inputs = try FuzzTarget.allCases.flatMap { try inputNames(of: $0) }
    XCTAssertFalse(inputs.isEmpty, "no regression inputs at all")
  }

  private func replay(_ target: FuzzTarget) throws {
    let folder = try fixturesFolder().appendingPathComponent(target.rawValue)
    for name in try inputNames(of: target) {
      let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
      print("replaying \(target.rawValue)/\(name) (\(bytes.count) bytes)")
      target.run(bytes)
    }
  }

  /// A folder holds `.gitkeep` until fuzzing finds something for its target.
  private func inputNames(of target: FuzzTarget) throws -> [String] {
    let folder = try fixturesFolder().appendingPathComponent(target.rawValue)
    return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }.sorted()
  }

  private func fixturesFolder() throws -> URL {
    try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil), "Fixtures is not in the test bundle")
  }
}
