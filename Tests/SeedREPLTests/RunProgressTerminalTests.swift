import Foundation
import LoopbackOpenAI
import XCTest

/// `seednb run`'s status line, seen on a pseudo-terminal as a user sees it (the tests live
/// here, beside the pseudo-terminal driver): it moves while a slow server answers, output
/// printed meanwhile appears at once above it, and nothing is drawn for fast cells, when
/// piped, or with NO_COLOR or TERM=dumb.
final class RunProgressTerminalTests: XCTestCase {
  var folder: URL!
  var server: LoopbackOpenAIServer!

  override func setUpWithError() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("seednb-progress-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var options = LoopbackOpenAIServer.Options()
    options.delay = 1.2
    options.eventDelay = 0.05
    server = LoopbackOpenAIServer(options: options)
    try server.start()
  }

  override func tearDownWithError() throws {
    server.stop()
    try? FileManager.default.removeItem(at: folder)
  }

  static let notebook = """
    ```seed id=quick
    print("quick cell")
    ```

    ```seed id=slow
    print("asking")
    let story = chat("tell me a story about a lighthouse keeper and the sea", seed: 3, max_tokens: 12)
    print("answered:", len(story.content) > 0)
    ```

    """

  func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> PseudoTerminal {
    let executable = REPLTerminalTests.executable.path
    guard FileManager.default.isExecutableFile(atPath: executable) else { throw XCTSkip("seednb is not built at \(executable)") }
    var environment = ProcessInfo.processInfo.environment
    environment["TERM"] = "xterm"
    environment["NO_COLOR"] = nil
    environment["OPENAI_BASE_URL"] = server.baseURL
    environment["OPENAI_API_KEY"] = nil
    environment["SEEDNB_MAX_RETRIES"] = "0"
    for (key, value) in extra { environment[key] = value }
    return try PseudoTerminal(executable: executable, arguments: arguments, environment: environment)
  }

  func testTheStatusLineMovesWhileASlowServerAnswers() throws {
    let nb = folder.appendingPathComponent("slow.seednb").path
    try Self.notebook.write(toFile: nb, atomically: true, encoding: .utf8)
    let terminal = try run(["run", nb])
    // print output shows as it is printed, before the answer comes.
    terminal.expect("asking")
    XCTAssertTrue(server.requests.count <= 1)
    terminal.expect("▸ cell slow · 0.")
    terminal.expect("1 in flight")
    terminal.expect("▸ cell slow · 1.")
    terminal.expect("answered: true")
    XCTAssertEqual(terminal.waitForExit(), 0)
    let transcript = terminal.transcript
    // The answer streams into the line, word by word, while it is the only call in flight,
    // and its tokens count as they arrive, before the answer is whole.
    XCTAssertNotNil(
      transcript.range(of: "0 requests answered · 1 in flight · [1-9][0-9]* tokens? · [A-Za-z]", options: .regularExpression),
      transcript)
    // The line was cleared before the output under it, and never drawn for the quick cell.
    XCTAssertTrue(transcript.contains("\r\u{1B}[2K"), transcript)
    XCTAssertFalse(transcript.contains("▸ cell quick"), transcript)
    // Redraws are throttled: about ten a second over the cell's second and a half.
    let draws = transcript.components(separatedBy: "▸ cell slow").count - 1
    XCTAssertGreaterThan(draws, 3, transcript)
    XCTAssertLessThan(draws, 60, transcript)
    XCTAssertEqual(server.requests.count, 1)
    let body = String(decoding: server.requests[0].body, as: UTF8.self)
    XCTAssertTrue(body.contains(#""stream":true"#), body)

    // Run again: the cell is restored from the store at once, and no line is drawn.
    let cached = try run(["run", nb])
    cached.expect("answered: true")
    XCTAssertEqual(cached.waitForExit(), 0)
    XCTAssertFalse(cached.transcript.contains("▸"), cached.transcript)
    XCTAssertTrue(cached.transcript.contains("── cell slow · cached ──"), cached.transcript)
  }

  func testNoRedrawingWithNoColorOrADumbTerminal() throws {
    let nb = folder.appendingPathComponent("slow.seednb").path
    try Self.notebook.write(toFile: nb, atomically: true, encoding: .utf8)
    for environment in [["NO_COLOR": "1"], ["TERM": "dumb"]] {
      let terminal = try run(["run", "--refresh", nb], environment: environment)
      terminal.expect("answered: true")
      XCTAssertEqual(terminal.waitForExit(), 0)
      let transcript = terminal.transcript
      XCTAssertFalse(transcript.contains("▸"), "\(environment): \(transcript)")
      XCTAssertFalse(transcript.contains("\u{1B}[2K"), "\(environment): \(transcript)")
      // One plain line per cell: its header.
      XCTAssertEqual(transcript.components(separatedBy: "── cell ").count - 1, 2, "\(environment): \(transcript)")
    }
  }
}
