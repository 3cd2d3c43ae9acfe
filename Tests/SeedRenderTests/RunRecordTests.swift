import Foundation
import SeedNotebook
import XCTest

/// The runs the store records for reports: newest first, the last 20 kept, parameters read
/// back as they were, removed with the notebook's entries.
final class RunRecordTests: XCTestCase {
  var folder: URL!

  override func setUpWithError() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("seednb-runs-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: folder)
  }

  func record(_ notebook: String, at seconds: Double, n: Int = 1) -> RunRecord {
    RunRecord(
      notebook: notebook, startedAt: Date(timeIntervalSince1970: seconds), seconds: 0.5, runtime: "test", backend: "local",
      parameters: ["n": .int(n), "ratio": .float(0.5), "name": .string("<x>"), "items": .list([.bool(true), .null])],
      cells: [RunRecord.CellRun(identity: "1", key: "k1", status: "live", liveRequests: 2)])
  }

  func testTheLatestRunComesBackWithItsParameters() throws {
    let store = try CacheStore(path: folder.appendingPathComponent("cache.sqlite").path)
    XCTAssertNil(try store.latestRun(notebook: "a.seednb"))
    try store.saveRun(record("a.seednb", at: 100, n: 1))
    try store.saveRun(record("a.seednb", at: 300, n: 3))
    try store.saveRun(record("a.seednb", at: 200, n: 2))
    try store.saveRun(record("b.seednb", at: 400, n: 4))
    let latest = try XCTUnwrap(try store.latestRun(notebook: "a.seednb"))
    XCTAssertEqual(latest, record("a.seednb", at: 300, n: 3))
    XCTAssertEqual(latest.parameterValues, ["n": .int(3), "ratio": .float(0.5), "name": .string("<x>"), "items": .list([.bool(true), .null])])
  }

  func testOnlyTheLastTwentyRunsAreKeptAndClearRemovesThem() throws {
    let path = folder.appendingPathComponent("cache.sqlite").path
    let store = try CacheStore(path: path)
    for index in 0..<25 { try store.saveRun(record("a.seednb", at: Double(index), n: index)) }
    XCTAssertEqual(try store.latestRun(notebook: "a.seednb")?.parameterValues["n"], .int(24))
    try store.clear(notebook: "a.seednb")
    XCTAssertNil(try store.latestRun(notebook: "a.seednb"))
    // A store reopened keeps its runs and its schema.
    try store.saveRun(record("a.seednb", at: 1))
    XCTAssertNotNil(try CacheStore(path: path).latestRun(notebook: "a.seednb"))
    XCTAssertNil(try CacheStore(path: path).rebuildNote)
  }
}
