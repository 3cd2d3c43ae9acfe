import XCTest

@testable import seednb

/// How a sweep's `-p` arguments become its runs.
final class ParameterGridTests: XCTestCase {
  func combinations(_ arguments: [String]) throws -> [String] {
    try ParameterGrid(arguments).combinations.map { $0.map { "\($0.key)=\($0.value)" }.joined(separator: " ") }
  }

  func testEveryCombinationRunsKeysInTheOrderFirstGivenTheLastVaryingFastest() throws {
    XCTAssertEqual(
      try combinations(["-p", "a=1", "b=x", "a=2", "b=y", "c=only"].filter { $0 != "-p" }),
      ["a=1 b=x c=only", "a=1 b=y c=only", "a=2 b=x c=only", "a=2 b=y c=only"])
  }

  func testAValueGivenTwiceRunsOnceAndAnEqualsSignMayBePartOfTheValue() throws {
    XCTAssertEqual(try combinations(["q=a=b", "q=a=b", "q="]), ["q=a=b", "q="])
    XCTAssertEqual(try combinations([]), [""])
  }

  func testAnArgumentWithoutEqualsIsRefused() {
    XCTAssertThrowsError(try ParameterGrid(["n"])) { error in
      XCTAssertEqual("\(error)", "-p 'n' is not key=value: write -p n=VALUE")
    }
  }

  func testTheRunsFilesAreNamedByNumberAndParameters() {
    let run = SweepRun(number: 3, parameters: [("topic", "a journey/to Mars"), ("n", "2")])
    XCTAssertEqual(run.stem, "3-topic=a_journey_to_Mars,n=2")
    XCTAssertEqual(SweepRun(number: 1, parameters: []).stem, "1")
  }
}
