import Foundation
import LoopbackOpenAI
import XCTest

/// `seednb run --watch`, started as a user starts it: it runs again on each save of the
/// notebook or of a module beside it, however the editor saves (in place, by renaming over,
/// by deleting and writing again), waits out a save that does not parse, and ends on Ctrl-C.
final class WatchModeTests: LoopbackFolderTestCase {
  /// What the watching process printed, read on another thread.
  final class Transcript: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    private var mark: String.Index?

    func append(_ data: Data) { lock.withLock { text += String(decoding: data, as: UTF8.self) } }

    /// Everything since the last match, once `needle` appears in it; the match moves past it.
    func expect(_ needle: String, timeout: Double = 20, file: StaticString = #filePath, line: UInt = #line) -> String? {
      let deadline = Date().addingTimeInterval(timeout)
      while Date() < deadline {
        let found: String? = lock.withLock {
          let start = mark ?? text.startIndex
          guard let range = text.range(of: needle, range: start..<text.endIndex) else { return nil }
          mark = range.upperBound
          return String(text[start..<range.upperBound])
        }
        if let found { return found }
        usleep(20_000)
      }
      lock.withLock {
        XCTFail("did not see \(needle.debugDescription) within \(timeout) s; since the last match:\n\(text[(mark ?? text.startIndex)...])", file: file, line: line)
      }
      return nil
    }
  }

  /// The requests the notebook's cells sent (not the one-token request that learns the
  /// server's fingerprint before a cached cell is reused).
  var cellRequests: Int {
    server.requests.filter { String(decoding: $0.body, as: UTF8.self).contains("Say ") }.count
  }

  func notebook(_ version: String) -> String {
    """
    ```seed id=first
    let hello = chat("Say hello", seed: 1, max_tokens: 4)
    print("first ran")
    ```

    ```seed id=second
    import helper
    let answer = chat("Say \(version)", seed: 1, max_tokens: 4)
    print("second says \(version)", greeting())
    ```

    """
  }

  /// Replaces the file's bytes where it is, as editors that write in place do.
  func writeInPlace(_ name: String, _ text: String) throws {
    let handle = try FileHandle(forWritingTo: folder.appendingPathComponent(name))
    try handle.truncate(atOffset: 0)
    try handle.write(contentsOf: Data(text.utf8))
    try handle.close()
  }

  /// `seednb run NB --watch ...` started in the folder, with what it prints collected.
  func watch(_ arguments: [String]) throws -> (Process, Transcript) {
    guard FileManager.default.isExecutableFile(atPath: CommandLineTests.executable.path) else {
      throw XCTSkip("seednb is not built at \(CommandLineTests.executable.path)")
    }
    let process = Process()
    process.executableURL = CommandLineTests.executable
    process.arguments = ["run"] + arguments + ["--watch"]
    process.currentDirectoryURL = folder
    var environment = ProcessInfo.processInfo.environment
    environment["OPENAI_BASE_URL"] = server.baseURL
    environment["NO_COLOR"] = "1"
    process.environment = environment
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    process.standardInput = FileHandle.nullDevice
    let transcript = Transcript()
    output.fileHandleForReading.readabilityHandler = { handle in transcript.append(handle.availableData) }
    try process.run()
    return (process, transcript)
  }

  /// Whether the process ended within `timeout` seconds.
  func ends(_ process: Process, within timeout: Double) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(20_000) }
    return !process.isRunning
  }

  func testRunsAgainOnEverySaveAndOnlyTheChangedCellGoesLive() throws {
    let nb = try write("nb.seednb", notebook("v1"))
    try write("helper.seed", "func greeting() { \"hi 1\" }\n")
    let (process, transcript) = try watch([nb, "--report", folder.appendingPathComponent("report.html").path])
    defer { if process.isRunning { process.terminate() } }

    XCTAssertNotNil(transcript.expect("second says v1 hi 1"))
    XCTAssertNotNil(transcript.expect("── watching"))
    XCTAssertEqual(cellRequests, 2)

    // Written in place: the second cell changed, the first is restored from the cache.
    try writeInPlace("nb.seednb", notebook("v2"))
    let inPlace = transcript.expect("second says v2 hi 1")
    XCTAssertTrue(inPlace?.contains("── cell first · cached ──") ?? false, inPlace ?? "")
    XCTAssertFalse(inPlace?.contains("── cell second · cached ──") ?? true, inPlace ?? "")
    XCTAssertNotNil(transcript.expect("── watching"))
    XCTAssertEqual(cellRequests, 3, "only the changed cell's request is sent")
    XCTAssertTrue(try read("report.html").contains("Say v2"))

    // Written beside it and renamed over it.
    try notebook("v3").write(to: folder.appendingPathComponent(".nb.seednb.swp"), atomically: false, encoding: .utf8)
    XCTAssertEqual(rename(folder.appendingPathComponent(".nb.seednb.swp").path, nb), 0)
    XCTAssertNotNil(transcript.expect("second says v3 hi 1"))
    XCTAssertNotNil(transcript.expect("── watching"))

    // Removed, then written again.
    try FileManager.default.removeItem(atPath: nb)
    XCTAssertNotNil(transcript.expect("was removed; waiting for it to be written again"))
    try write("nb.seednb", notebook("v4"))
    XCTAssertNotNil(transcript.expect("second says v4 hi 1"))
    XCTAssertNotNil(transcript.expect("── watching"))

    // A save that does not parse prints its error and waits for the next.
    try writeInPlace("nb.seednb", notebook("v5").replacingOccurrences(of: "print(\"second", with: "print((\"second"))
    XCTAssertNotNil(transcript.expect("syntax error"))
    XCTAssertNotNil(transcript.expect("── watching"))
    try writeInPlace("nb.seednb", notebook("v5"))
    XCTAssertNotNil(transcript.expect("second says v5 hi 1"))
    XCTAssertNotNil(transcript.expect("── watching"))

    // A module the notebook imports.
    try writeInPlace("helper.seed", "func greeting() { \"hi 2\" }\n")
    XCTAssertNotNil(transcript.expect("second says v5 hi 2"))
    XCTAssertNotNil(transcript.expect("── watching"))
    XCTAssertEqual(cellRequests, 6, "v2 to v5 each sent one request; the module's change sent none")

    // Ctrl-C ends it.
    kill(process.processIdentifier, SIGINT)
    XCTAssertTrue(ends(process, within: 10), "--watch did not end on SIGINT")
  }

  func testCtrlCWhileACellRunsStopsItAndEndsTheWatch() throws {
    server.enqueue(.delay(30))
    let nb = try write("slow.seednb", "```seed id=slow\nprint(\"asking\")\nchat(\"Say something slowly\", seed: 1)\n```\n")
    let (process, transcript) = try watch([nb])
    defer { if process.isRunning { process.terminate() } }
    XCTAssertNotNil(transcript.expect("asking"))
    let sent = Date()
    while server.requests.isEmpty && Date().timeIntervalSince(sent) < 10 { usleep(20_000) }
    kill(process.processIdentifier, SIGINT)
    XCTAssertTrue(ends(process, within: 10), "--watch went on after Ctrl-C stopped its run")
    XCTAssertEqual(process.terminationStatus, 130)
    XCTAssertNotNil(transcript.expect("cancelled"))
  }
}
