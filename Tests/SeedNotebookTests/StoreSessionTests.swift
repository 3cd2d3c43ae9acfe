import Foundation
import SeedNotebook
import XCTest

/// The store is checked (`PRAGMA quick_check`) only after an unclean shutdown, on real SQLite
/// files: a clean close checkpoints the write-ahead log and records itself; a process that is
/// gone with the store open, or a file changed since its clean close, makes the next open check.
final class StoreSessionTests: XCTestCase {
  var folder: URL!
  var store: String { folder.appendingPathComponent(".seednb/cache.sqlite").path }

  override func setUpWithError() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("seednb-session-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: folder)
  }

  func fill(_ cache: CacheStore, cells: Int = 3) throws {
    for index in 0..<cells {
      try cache.save(
        notebook: "nb.seednb", cellKey: "key\(index)", cellIdentity: "c\(index)", inputs: nil,
        outputs: [.text(String(repeating: "output \(index) ", count: 200))], calls: [])
    }
  }

  func markers() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: store + ".open")) ?? [] }

  func walSize() -> Int { ((try? FileManager.default.attributesOfItem(atPath: store + "-wal"))?[.size] as? Int) ?? 0 }

  func testANewStoreAndACleanlyClosedOneAreNotChecked() throws {
    let first = try CacheStore(path: store)
    XCTAssertFalse(first.checkedIntegrity, "a new store has nothing to check")
    try fill(first)
    XCTAssertGreaterThan(walSize(), 0, "the cells are in the write-ahead log until the checkpoint")
    XCTAssertEqual(markers().count, 1, "the open store is marked")
    first.close()
    XCTAssertEqual(walSize(), 0, "the close checkpointed the log into the file")
    XCTAssertEqual(markers(), [], "the close removed its marker")
    XCTAssertTrue(FileManager.default.fileExists(atPath: store + ".clean"))

    let second = try CacheStore(path: store)
    XCTAssertFalse(second.checkedIntegrity, "closed cleanly: no check")
    XCTAssertEqual(try second.entries(notebook: "nb.seednb").count, 3)
    second.close()
  }

  /// A process killed with the store open leaves its marker; the next open checks the store
  /// and removes it. The marker is what a killed seednb leaves: a real process's id and start
  /// time, the process killed with SIGKILL.
  func testAStoreLeftOpenByAKilledProcessIsChecked() throws {
    let cache = try CacheStore(path: store)
    try fill(cache)
    cache.close()
    let victim = Process()
    victim.executableURL = URL(fileURLWithPath: "/bin/sleep")
    victim.arguments = ["30"]
    try victim.run()
    let start = try XCTUnwrap(StoreSessionTests.startTime(of: victim.processIdentifier))
    let marker = "\(victim.processIdentifier)-\(start)"
    XCTAssertTrue(FileManager.default.createFile(atPath: store + ".open/" + marker, contents: nil))

    // While it runs, it has the store open: no check, its marker stays.
    let meanwhile = try CacheStore(path: store)
    XCTAssertFalse(meanwhile.checkedIntegrity)
    meanwhile.close()
    XCTAssertEqual(markers(), [marker])

    kill(victim.processIdentifier, SIGKILL)
    victim.waitUntilExit()
    let after = try CacheStore(path: store)
    XCTAssertTrue(after.checkedIntegrity, "the store was open in a process that was killed")
    XCTAssertNil(after.rebuildNote, "the check passed: \(after.rebuildNote ?? "")")
    XCTAssertEqual(try after.entries(notebook: "nb.seednb").count, 3)
    XCTAssertEqual(markers().count, 1, "the dead process's marker is gone, this one's is there")
    after.close()
    let next = try CacheStore(path: store)
    XCTAssertFalse(next.checkedIntegrity, "checked once, then closed cleanly")
    next.close()
  }

  /// A file that changed since its clean close (cut short here) is checked, and, damaged, set aside.
  func testAFileChangedSinceItsCleanCloseIsCheckedAndSetAside() throws {
    let cache = try CacheStore(path: store)
    try fill(cache, cells: 40)
    cache.close()
    let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: store)[.size] as? Int)
    let handle = try XCTUnwrap(FileHandle(forWritingAtPath: store))
    try handle.truncate(atOffset: UInt64(size / 2))
    try handle.close()
    let reopened = try CacheStore(path: store)
    XCTAssertTrue(reopened.checkedIntegrity)
    XCTAssertNotNil(reopened.rebuildNote, "a store cut in half is set aside")
    reopened.close()
  }

  static func startTime(of pid: Int32) -> String? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let end = stat.lastIndex(of: ")") else {
      return nil
    }
    let fields = stat[stat.index(after: end)...].split(separator: " ")
    return fields.count > 19 ? String(fields[19]) : nil
  }
}
