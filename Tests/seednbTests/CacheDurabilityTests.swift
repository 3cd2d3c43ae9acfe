import Foundation
import LoopbackOpenAI
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

/// The cell cache under stress, through the built `seednb`: a run killed at any moment loses
/// no cell that had finished, two runs of one notebook share the store, and a store that is
/// damaged or from another version is set aside and rebuilt, never trusted.
///
/// Stores are inspected with Python's `sqlite3` module, since the test target does not link
/// SQLite and the `sqlite3` shell is not always installed.
final class CacheDurabilityTests: XCTestCase {
  /// Seconds the loopback server waits before each answer: a cell takes at least this long,
  /// which leaves room to kill a run in the middle of one.
  static let delay = 0.3
  static let cellIDs = (1...6).map { "c\($0)" }

  var folder: URL!
  var server: LoopbackOpenAIServer!

  override func setUpWithError() throws {
    guard FileManager.default.isExecutableFile(atPath: CommandLineTests.executable.path) else {
      throw XCTSkip("seednb is not built at \(CommandLineTests.executable.path); run `swift build` first")
    }
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("seednb-durability-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var options = LoopbackOpenAIServer.Options()
    options.delay = CacheDurabilityTests.delay
    server = LoopbackOpenAIServer(options: options)
    try server.start()
  }

  override func tearDownWithError() throws {
    server?.stop()
    if let folder { try? FileManager.default.removeItem(at: folder) }
  }

  // MARK: - Notebook, runs and stores

  /// Six cells, each asking one seeded question the others do not, so that a request names
  /// its cell.
  static func prompt(_ id: String) -> String { "durability question \(id)." }

  /// Writes the notebook into a folder of its own (its store is `.seednb/` beside it).
  func writeNotebook(_ name: String = "nb") throws -> String {
    let directory = folder.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    var text = "---\ntitle: Durability\n---\n"
    for (index, id) in CacheDurabilityTests.cellIDs.enumerated() {
      text += """

        Cell \(index + 1).

        ```seed id=\(id)
        let answer_\(id) = chat("\(CacheDurabilityTests.prompt(id))", seed: \(index + 1), temperature: 0)
        print("\(id):", answer_\(id).content)
        ```

        """
    }
    let url = directory.appendingPathComponent("durability.seednb")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  func storePath(of notebook: String) -> String {
    URL(fileURLWithPath: notebook).deletingLastPathComponent().appendingPathComponent(".seednb/cache.sqlite").path
  }

  /// A `seednb` process whose standard output and error are read as they come.
  final class Running: @unchecked Sendable {
    let process = Process()
    private let lock = NSLock()
    private var out = Data()
    private var err = Data()
    private let readers = DispatchGroup()

    init(_ arguments: [String], environment: [String: String], directory: URL) throws {
      process.executableURL = CommandLineTests.executable
      process.arguments = arguments
      process.currentDirectoryURL = directory
      process.environment = environment
      let outPipe = Pipe(), errPipe = Pipe()
      process.standardOutput = outPipe
      process.standardError = errPipe
      process.standardInput = FileHandle.nullDevice
      try process.run()
      for (pipe, isOutput) in [(outPipe, true), (errPipe, false)] {
        readers.enter()
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
          while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            lock.withLock { if isOutput { out.append(chunk) } else { err.append(chunk) } }
          }
          readers.leave()
        }
      }
    }

    var stdout: String { lock.withLock { String(decoding: out, as: UTF8.self) } }
    var stderr: String { lock.withLock { String(decoding: err, as: UTF8.self) } }

    /// Polls until `condition` holds; false after `timeout` seconds.
    func wait(timeout: TimeInterval = 30, until condition: () -> Bool) -> Bool {
      let deadline = Date().addingTimeInterval(timeout)
      while !condition() {
        if Date() > deadline { return false }
        Thread.sleep(forTimeInterval: 0.002)
      }
      return true
    }

    func kill() { _ = Glibc.kill(process.processIdentifier, SIGKILL) }

    /// Waits for the exit and the last bytes of both streams.
    func finish() -> CommandLineTests.Outcome {
      process.waitUntilExit()
      readers.wait()
      return CommandLineTests.Outcome(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }
  }

  var environment: [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment["OPENAI_BASE_URL"] = server.baseURL
    environment["OPENAI_API_KEY"] = "sk-durability-not-a-real-key"
    environment["NO_COLOR"] = "1"
    return environment
  }

  func start(_ arguments: [String]) throws -> Running {
    try Running(arguments, environment: environment, directory: folder)
  }

  func run(_ arguments: [String]) throws -> CommandLineTests.Outcome {
    try start(arguments).finish()
  }

  /// The cell headers printed so far, as (cell id, status) in order: `── cell c1 · live · not cached ──`.
  static func headers(_ stdout: String) -> [(id: String, status: String)] {
    stdout.split(separator: "\n").compactMap { line in
      guard line.hasPrefix("── cell "), line.hasSuffix(" ──") else { return nil }
      let inner = line.dropFirst("── cell ".count).dropLast(" ──".count)
      let parts = inner.components(separatedBy: " · ")
      return parts.count >= 2 ? (parts[0], parts[1]) : (parts[0], "")
    }
  }

  static func statuses(_ stdout: String) -> [String: String] {
    Dictionary(headers(stdout).map { ($0.id, $0.status) }, uniquingKeysWith: { _, last in last })
  }

  /// The cells whose question reached the server among requests from `index` on. Other
  /// requests (a run that checks for drift asks the backend its fingerprint) name no cell.
  func askedCells(since index: Int) -> [String] {
    server.requests.dropFirst(index).compactMap { request in
      let body = String(decoding: request.body, as: UTF8.self)
      return CacheDurabilityTests.cellIDs.first { body.contains(CacheDurabilityTests.prompt($0)) }
    }
  }

  /// Runs a Python script with `sqlite3` imported; its standard output, trimmed.
  func python(_ script: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import sqlite3, sys\n" + script] + arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    do { try process.run() } catch { throw XCTSkip("python3 is needed to inspect the store: \(error)") }
    let collected = CommandLineTests.Collected()
    let reader = Thread { collected.data = err.fileHandleForReading.readDataToEndOfFile() }
    reader.start()
    let output = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while reader.isExecuting { Thread.sleep(forTimeInterval: 0.01) }
    let errors = String(decoding: collected.data, as: UTF8.self)
    guard process.terminationStatus == 0 else {
      XCTFail("python3 failed: \(errors)")
      return ""
    }
    return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// `PRAGMA integrity_check` and the number of stored cells, read from a copy of the store
  /// and its write-ahead log, so that the store itself is left exactly as the run left it
  /// (the next run must recover it on its own).
  func inspectCopy(of store: String) throws -> (integrity: String, cells: Int) {
    let copy = folder.appendingPathComponent("inspect-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: copy) }
    let target = copy.appendingPathComponent("cache.sqlite").path
    for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: store + suffix) {
      try FileManager.default.copyItem(atPath: store + suffix, toPath: target + suffix)
    }
    let answer = try python(
      """
      db = sqlite3.connect(sys.argv[1])
      print(db.execute('PRAGMA integrity_check').fetchone()[0])
      tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
      print(db.execute('SELECT count(*) FROM cell').fetchone()[0] if 'cell' in tables else 0)
      """, [target])
    let lines = answer.split(separator: "\n").map(String.init)
    return (lines.first ?? "no answer", Int(lines.last ?? "") ?? -1)
  }

  func integrityCheck(_ store: String) throws -> String {
    try python("print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])", [store])
  }

  // MARK: - Nothing finished is lost

  /// Kills a run with SIGKILL once `ready` says so (it sees the run's standard output so
  /// far), then checks the store and that a normal re-run restores every cell that had
  /// finished without asking the server again.
  /// `keeps` is the fewest cells that must survive: those whose header was followed by the
  /// next one's before `ready` held.
  func killAndRecover(
    _ point: String, keeps minimum: Int, file: StaticString = #filePath, line: UInt = #line,
    when ready: @escaping (String) -> Bool
  ) throws {
    let notebook = try writeNotebook()
    let store = storePath(of: notebook)
    let killed = try start(["run", notebook])
    let reached = killed.wait { ready(killed.stdout) }
    killed.kill()
    let outcome = killed.finish()
    XCTAssertTrue(reached, "\(point): never reached; stdout so far:\n\(outcome.stdout)\(outcome.stderr)", file: file, line: line)
    XCTAssertEqual(
      killed.process.terminationReason, .uncaughtSignal, "\(point): the run ended before it was killed:\n\(outcome.stdout)",
      file: file, line: line)

    // A cell is saved before the next cell's header is printed: every header but the last
    // one seen marks a finished cell. The last one's cell may have finished just before the
    // kill; the cells after it never started.
    let seen = CacheDurabilityTests.headers(outcome.stdout).map(\.id)
    let finished = Array(seen.dropLast())
    let unstarted = CacheDurabilityTests.cellIDs.filter { !seen.contains($0) }

    XCTAssertTrue(FileManager.default.fileExists(atPath: store), "\(point): no store at \(store)", file: file, line: line)
    // The killed run left its marker: the next open checks the store (StoreSession).
    let markers = { (try? FileManager.default.contentsOfDirectory(atPath: store + ".open")) ?? [] }
    XCTAssertEqual(markers().count, 1, "\(point): the killed run's marker", file: file, line: line)
    let inspected = try inspectCopy(of: store)
    XCTAssertEqual(inspected.integrity, "ok", "\(point): integrity_check after the kill", file: file, line: line)
    XCTAssertGreaterThanOrEqual(inspected.cells, finished.count, "\(point): stored cells after the kill", file: file, line: line)
    XCTAssertGreaterThanOrEqual(finished.count, minimum, "\(point): cells finished before the kill", file: file, line: line)
    XCTAssertGreaterThanOrEqual(inspected.cells, minimum, "\(point): stored cells after the kill", file: file, line: line)

    let requestsBefore = server.requests.count
    let rerun = try run(["run", notebook])
    XCTAssertEqual(rerun.status, 0, "\(point): re-run\n\(rerun.stderr)", file: file, line: line)
    XCTAssertFalse(rerun.stderr.contains("unusable"), "\(point): the store was thrown away: \(rerun.stderr)", file: file, line: line)
    let statuses = CacheDurabilityTests.statuses(rerun.stdout)
    XCTAssertEqual(statuses.count, CacheDurabilityTests.cellIDs.count, "\(point): re-run output:\n\(rerun.stdout)", file: file, line: line)
    let asked = askedCells(since: requestsBefore)
    for id in finished {
      XCTAssertEqual(statuses[id], "cached", "\(point): cell \(id) had finished before the kill", file: file, line: line)
    }
    for id in CacheDurabilityTests.cellIDs.prefix(minimum) {
      XCTAssertEqual(statuses[id], "cached", "\(point): cell \(id) is among the \(minimum) kept", file: file, line: line)
    }
    for id in unstarted {
      XCTAssertEqual(statuses[id], "live", "\(point): cell \(id) had not started before the kill", file: file, line: line)
    }
    // Whatever its status, a cell is cached exactly when the server did not hear from it.
    for id in CacheDurabilityTests.cellIDs {
      XCTAssertEqual(
        statuses[id] == "cached", !asked.contains(id),
        "\(point): cell \(id) is \(statuses[id] ?? "missing"); re-run asked for \(asked)", file: file, line: line)
    }
    XCTAssertEqual(try integrityCheck(store), "ok", "\(point): integrity_check after the re-run", file: file, line: line)
    XCTAssertEqual(
      markers(), [], "\(point): the re-run removed the stale marker and its own (the killed run was \(killed.process.processIdentifier))",
      file: file, line: line)
    XCTAssertEqual(
      (try? FileManager.default.attributesOfItem(atPath: store + "-wal"))?[.size] as? Int ?? 0, 0,
      "\(point): the re-run checkpointed the log at exit", file: file, line: line)

    // And everything is in the store now.
    let third = try run(["run", notebook, "--frozen"])
    XCTAssertEqual(third.status, 0, "\(point): frozen run after recovery\n\(third.stderr)", file: file, line: line)
    XCTAssertEqual(
      Set(CacheDurabilityTests.statuses(third.stdout).values), ["cached"], "\(point): frozen run\n\(third.stdout)",
      file: file, line: line)
  }

  static func headerCount(_ stdout: String) -> Int { headers(stdout).count }

  func testKilledAfterTheFirstCellStartsLosesNothing() throws {
    try killAndRecover("after header 1", keeps: 0) { CacheDurabilityTests.headerCount($0) >= 1 }
  }

  func testKilledAfterTheThirdCellStartsKeepsTwoCells() throws {
    try killAndRecover("after header 3", keeps: 2) { CacheDurabilityTests.headerCount($0) >= 3 }
  }

  func testKilledAfterTheFifthCellStartsKeepsFourCells() throws {
    try killAndRecover("after header 5", keeps: 4) { CacheDurabilityTests.headerCount($0) >= 5 }
  }

  func testKilledInTheMiddleOfACellKeepsTheCellsBefore() throws {
    // Cell c4's request is at the server, which answers 0.3 s later: the kill lands inside
    // the cell, between its header and its answer.
    let server = self.server!
    let before = server.requests.count
    try killAndRecover("in the middle of cell c4", keeps: 3) { stdout in
      CacheDurabilityTests.headerCount(stdout) >= 4
        && server.requests.dropFirst(before).contains {
          String(decoding: $0.body, as: UTF8.self).contains(CacheDurabilityTests.prompt("c4"))
        }
    }
  }

  // MARK: - Two runs at once

  func testTwoRunsAtOnceBothSucceedAndShareTheStore() throws {
    for round in 1...3 {
      let notebook = try writeNotebook("round\(round)")
      let store = storePath(of: notebook)
      // A new store: both runs create it and write all six cells.
      let first = try start(["run", notebook]), second = try start(["run", notebook])
      let outcomes = [first.finish(), second.finish()]
      for (index, outcome) in outcomes.enumerated() {
        XCTAssertEqual(outcome.status, 0, "round \(round), run \(index + 1):\n\(outcome.stdout)\n\(outcome.stderr)")
        XCTAssertFalse(outcome.stderr.contains("unusable"), "round \(round), run \(index + 1) set the store aside: \(outcome.stderr)")
        XCTAssertEqual(CacheDurabilityTests.headerCount(outcome.stdout), 6, "round \(round), run \(index + 1):\n\(outcome.stdout)")
      }
      XCTAssertEqual(outcomes[0].stdout.split(separator: "\n").filter { $0.hasPrefix("c") },
                     outcomes[1].stdout.split(separator: "\n").filter { $0.hasPrefix("c") }, "both runs print the same answers")
      let aside = try FileManager.default.contentsOfDirectory(atPath: (store as NSString).deletingLastPathComponent)
        .filter { $0.contains("damaged") }
      XCTAssertEqual(aside, [], "round \(round): a run took the shared store for a damaged one")
      XCTAssertEqual(try integrityCheck(store), "ok", "round \(round)")

      // An existing store: both runs rewrite every cell at the same time.
      let refreshing = [try start(["run", notebook, "--refresh"]), try start(["run", notebook, "--refresh"])].map { $0.finish() }
      for outcome in refreshing {
        XCTAssertEqual(outcome.status, 0, "round \(round), --refresh:\n\(outcome.stderr)")
        XCTAssertFalse(outcome.stderr.contains("unusable"), outcome.stderr)
      }
      XCTAssertEqual(try integrityCheck(store), "ok", "round \(round) after --refresh")

      let requestsBefore = server.requests.count
      let after = try run(["run", notebook])
      XCTAssertEqual(after.status, 0, after.stderr)
      XCTAssertEqual(Set(CacheDurabilityTests.statuses(after.stdout).values), ["cached"], after.stdout)
      XCTAssertEqual(askedCells(since: requestsBefore), [], "a cached run asked the server for a cell")
    }
  }

  // MARK: - Damaged or foreign stores

  /// Fills the store with a normal run, folds the write-ahead log into the file and leaves
  /// only `cache.sqlite`, so that damage done to that file is all there is.
  func filledStore() throws -> (notebook: String, store: String) {
    let notebook = try writeNotebook()
    let filled = try run(["run", notebook])
    XCTAssertEqual(filled.status, 0, filled.stderr)
    XCTAssertEqual(Set(CacheDurabilityTests.statuses(filled.stdout).values), ["live"], filled.stdout)
    let store = storePath(of: notebook)
    _ = try python(
      "db = sqlite3.connect(sys.argv[1]); db.execute('PRAGMA wal_checkpoint(TRUNCATE)'); db.close()", [store])
    for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store + suffix) }
    return (notebook, store)
  }

  /// Runs on a store known to be unusable: the run says so on standard error, names where
  /// the old file went (which must exist), runs every cell live, and the rebuilt store
  /// serves the next run. Returns where the old file went.
  @discardableResult
  func expectRebuilt(
    _ notebook: String, store: String, reason: String, file: StaticString = #filePath, line: UInt = #line
  ) throws -> String? {
    let requestsBefore = server.requests.count
    let outcome = try run(["run", notebook])
    XCTAssertEqual(outcome.status, 0, "\(reason): \(outcome.stderr)", file: file, line: line)
    XCTAssertTrue(outcome.stderr.contains("unusable"), "\(reason): no message on stderr: \(outcome.stderr)", file: file, line: line)
    XCTAssertTrue(outcome.stderr.contains("rebuilt"), "\(reason): \(outcome.stderr)", file: file, line: line)
    XCTAssertFalse(outcome.stdout.contains("unusable"), "\(reason): the message belongs on stderr", file: file, line: line)
    var aside: String?
    if let range = outcome.stderr.range(of: #"moved to (\S+) and rebuilt"#, options: .regularExpression) {
      aside = String(outcome.stderr[range].dropFirst("moved to ".count).dropLast(" and rebuilt".count))
    }
    if let aside {
      XCTAssertTrue(FileManager.default.fileExists(atPath: aside), "\(reason): \(aside) does not exist", file: file, line: line)
      XCTAssertNotEqual(aside, store, file: file, line: line)
    } else {
      XCTFail("\(reason): the message does not say where the old file went: \(outcome.stderr)", file: file, line: line)
    }
    // Nothing was served from the old file.
    XCTAssertEqual(
      CacheDurabilityTests.statuses(outcome.stdout), Dictionary(uniqueKeysWithValues: CacheDurabilityTests.cellIDs.map { ($0, "live") }),
      "\(reason):\n\(outcome.stdout)", file: file, line: line)
    XCTAssertEqual(
      askedCells(since: requestsBefore).sorted(), CacheDurabilityTests.cellIDs, "\(reason): every cell asks the server",
      file: file, line: line)
    XCTAssertEqual(try integrityCheck(store), "ok", "\(reason): the rebuilt store", file: file, line: line)

    // The new store works.
    let requestsAgain = server.requests.count
    let next = try run(["run", notebook])
    XCTAssertEqual(next.status, 0, "\(reason): \(next.stderr)", file: file, line: line)
    XCTAssertFalse(next.stderr.contains("unusable"), "\(reason): the rebuilt store was unusable: \(next.stderr)", file: file, line: line)
    XCTAssertEqual(Set(CacheDurabilityTests.statuses(next.stdout).values), ["cached"], "\(reason):\n\(next.stdout)", file: file, line: line)
    XCTAssertEqual(askedCells(since: requestsAgain), [], "\(reason): a cached run asked the server for a cell", file: file, line: line)
    return aside
  }

  func testAStoreOverwrittenWithGarbageIsSetAsideAndRebuilt() throws {
    let (notebook, store) = try filledStore()
    var generator = SystemRandomNumberGenerator()
    let garbage = Data((0..<16_384).map { _ in UInt8.random(in: 0...255, using: &generator) })
    try garbage.write(to: URL(fileURLWithPath: store))
    let aside = try expectRebuilt(notebook, store: store, reason: "garbage")
    if let aside {
      XCTAssertEqual(FileManager.default.contents(atPath: aside), garbage, "the old file is kept as it was")
    }
  }

  func testAStoreTruncatedToHalfIsSetAsideAndRebuilt() throws {
    let (notebook, store) = try filledStore()
    let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: store)[.size] as? Int)
    XCTAssertGreaterThan(size, 4096 * 4, "a store of several pages")
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: store))
    try handle.truncate(atOffset: UInt64(size / 2))
    try handle.close()
    try expectRebuilt(notebook, store: store, reason: "truncated to \(size / 2) of \(size) bytes")
  }

  func testAStoreFromAnotherVersionIsSetAsideAndRebuilt() throws {
    let (notebook, store) = try filledStore()
    let updated = try python(
      """
      db = sqlite3.connect(sys.argv[1])
      db.execute("UPDATE meta SET value = '999' WHERE key = 'schema'")
      db.commit()
      print(db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0])
      db.close()
      """, [store])
    XCTAssertEqual(updated, "999")
    let aside = try expectRebuilt(notebook, store: store, reason: "schema 999")
    if let aside {
      // Set aside untouched: still version 999 with its six cells.
      let kept = try python(
        """
        db = sqlite3.connect(sys.argv[1])
        print(db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0], db.execute('SELECT count(*) FROM cell').fetchone()[0])
        """, [aside])
      XCTAssertEqual(kept, "999 6")
    }
  }
}
