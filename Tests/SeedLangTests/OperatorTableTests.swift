import Foundation
@testable import SeedLang
import XCTest

/// The operator table and the registry of specialisations are data; these check that the
/// code reading them agrees with them.
final class OperatorTableTests: XCTestCase {
  /// Records which kernel `OperatorTable.specialise` hands out.
  private struct KernelName: KernelSpecialiser {
    func arithmetic<Op: ArithmeticKernel>(_: Op.Type) -> String? { "\(Op.self)" }
    func comparison<Op: ComparisonKernel>(_: Op.Type) -> String? { "\(Op.self)" }
  }

  func testEveryOperatorHasOneRowAndItsSpecialisationUsesThatRowsKernel() {
    let operators = OperatorTable.rows.map(\.op)
    XCTAssertEqual(Set(operators).count, operators.count, "an operator has two rows")
    for op in [BinaryOperator.add, .subtract, .multiply, .divide, .remainder, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual] {
      let row = OperatorTable.row(op)
      XCTAssertEqual(row.op, op)
      XCTAssertEqual(OperatorTable.specialise(op, KernelName()), "\(row.kernel)", "\(op.rawValue)")
    }
  }

  func testKernelsAndGeneralFunctionsAgreeOnEdges() throws {
    let ints = [0, 1, -1, 2, 7, -7, Int.max, Int.min]
    for row in OperatorTable.rows {
      guard let kernel = row.kernel as? any ArithmeticKernel.Type else { continue }
      for x in ints {
        for y in ints {
          let fast = kernel.ints(x, y)
          do {
            let general = try row.general(.int(x), .int(y))
            XCTAssertEqual(fast.map { Value.int($0) }?.literalDescription, general.literalDescription, "\(x) \(row.op.rawValue) \(y)")
          } catch let failure as RuntimeFailure {
            XCTAssertNil(fast, "\(x) \(row.op.rawValue) \(y)")
            XCTAssertEqual(failure.message, kernel.intFailure(x, y))
          }
        }
      }
    }
    XCTAssertThrowsError(try Operators.divide(.float(1.5), .int(0))) { error in
      XCTAssertEqual((error as? RuntimeFailure)?.message, "division by zero: 1.5 / 0")
    }
  }

  func testSpecialisationsHaveDistinctNamesAndShapes() {
    let all = Specialisations.all
    XCTAssertGreaterThanOrEqual(all.count, 15)
    XCTAssertEqual(Set(all.map(\.name)).count, all.count)
    XCTAssertTrue(all.allSatisfy { !$0.shape.isEmpty })
  }
}

/// The core library is written in `CoreLibrary.seed` and embedded at build time.
final class CoreLibraryTests: XCTestCase {
  func testTheEmbeddedSourceIsTheSeedFile() throws {
    let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Sources/SeedLang/Builtins/CoreLibrary.seed")
    let text = try String(contentsOf: file, encoding: .utf8)
    XCTAssertEqual(CoreLibrary.source + "\n", text, "run scripts/embed-core-library after editing CoreLibrary.seed")
  }
}
