import Foundation
import SeedFuzzing
import XCTest

/// Every input that once crashed, hung or broke an invariant of a fuzz target, and inputs
/// written by hand to drive the limits that fixed them (nesting past the parser's and YAML's
/// limits, text that is not UTF-8, fences and front matter left open), replayed through the
/// same entry point the fuzzer drives: `Fixtures/<target>/<name>`. A broken invariant is a
/// test failure naming the input, not a trap; an input that does not finish in time fails too.
final class FuzzRegressionTests: XCTestCase {
  /// Far above what any input takes (the interpreter target stops a program after 0.5 s).
  static let timeLimit: TimeInterval = 60

  func testLanguageInputs() throws { try replay(.language) }
  func testNotebookInputs() throws { try replay(.notebook) }
  func testInterpreterInputs() throws { try replay(.interpreter) }
  func testResponseInputs() throws { try replay(.responses) }

  func testEveryTargetHasAFixtureFolder() throws {
    let root = try fixturesFolder()
    let folders = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
    XCTAssertEqual(folders, FuzzTarget.allCases.map(\.rawValue).sorted())
  }

  private func replay(_ target: FuzzTarget) throws {
    let folder = try fixturesFolder().appendingPathComponent(target.rawValue)
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }.sorted()
    XCTAssertFalse(names.isEmpty, "no inputs to replay for \(target.rawValue)")
    for name in names {
      let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
      guard let violations = FuzzRegressionTests.finishing(within: FuzzRegressionTests.timeLimit, { target.violations(bytes) }) else {
        XCTFail("\(target.rawValue)/\(name) did not finish in \(Int(FuzzRegressionTests.timeLimit)) s")
        continue
      }
      XCTAssertEqual(violations, [], "\(target.rawValue)/\(name) (\(bytes.count) bytes)")
    }
  }

  /// Runs `body` on a thread with the main thread's stack size, as libFuzzer runs a target;
  /// nil when it has not returned in time (the thread is then left to finish).
  private static func finishing<T>(within seconds: TimeInterval, _ body: @escaping () -> T) -> T? {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      box.value = body()
      done.signal()
    }
    thread.stackSize = 8 << 20
    thread.start()
    guard done.wait(timeout: .now() + seconds) == .success else { return nil }
    return box.value
  }

  private func fixturesFolder() throws -> URL {
    try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil), "Fixtures is not in the test bundle")
  }
}

/// What a replay returned, handed from its thread to the test's.
private final class ResultBox<T>: @unchecked Sendable {
  var value: T?
}
