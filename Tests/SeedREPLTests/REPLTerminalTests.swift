import Foundation
import LoopbackOpenAI
import XCTest

/// Drives `seednb repl` through a pseudo-terminal as a user would: keys in, screen out.
final class REPLTerminalTests: XCTestCase {
  var folder: URL!

  override func setUpWithError() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("seednb-repl-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: folder)
  }

  /// The seednb executable beside this test bundle in the build's products folder.
  static var executable: URL {
    var products = Bundle.main.bundleURL
    if products.pathExtension == "xctest" { products.deleteLastPathComponent() }
    for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
      products = bundle.bundleURL.deletingLastPathComponent()
    }
    return products.appendingPathComponent("seednb")
  }

  var environment: [String: String] {
    var env = ProcessInfo.processInfo.environment
    env["TERM"] = "xterm"
    env["NO_COLOR"] = "1"
    env["XDG_STATE_HOME"] = folder.appendingPathComponent("state").path
    // No backend unless a test names one: the loopback server.
    env["OPENAI_BASE_URL"] = "http://127.0.0.1:9/v1"
    env["OPENAI_API_KEY"] = nil
    env["SEEDNB_MAX_RETRIES"] = "0"
    return env
  }

  func repl(_ arguments: [String] = [], environment extra: [String: String] = [:]) throws -> PseudoTerminal {
    let executable = REPLTerminalTests.executable.path
    guard FileManager.default.isExecutableFile(atPath: executable) else {
      throw XCTSkip("seednb is not built at \(executable)")
    }
    var env = environment
    for (key, value) in extra { env[key] = value }
    let terminal = try PseudoTerminal(executable: executable, arguments: ["repl"] + arguments, environment: env)
    terminal.expect("seed> ")
    return terminal
  }

  func write(_ name: String, _ text: String) throws -> String {
    let url = folder.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  func testExpressionsEchoTheirValueAndCtrlDLeaves() throws {
    let terminal = try repl()
    terminal.line("1 + 2")
    terminal.expect("\n3")
    terminal.expect("seed> ")
    terminal.line("let quiet = 5")
    terminal.expect("seed> ")
    XCTAssertFalse(terminal.recent.contains("5\r\n"))
    terminal.send("\u{04}")
    XCTAssertEqual(terminal.waitForExit(), 0)
  }

  func testTabCompletesGlobalsRecordFieldsAndCommands() throws {
    let terminal = try repl()
    terminal.line(#"let record_one = ["usage": ["prompt_tokens": 3], "model": "m"]"#)
    terminal.expect("seed> ")
    // A unique global, then a field of the record: `record_o<TAB>.us<TAB>` runs `record_one.usage`.
    // libedit writes what Tab inserts (after moving the cursor), so the completed rest shows.
    terminal.send("record_o\t")
    terminal.expect("ne")
    terminal.send(".us\t")
    terminal.expect("age")
    terminal.send("\r")
    terminal.expect(#"["prompt_tokens": 3]"#)
    terminal.expect("seed> ")
    // Two candidates: Tab lists them.
    terminal.line(#"let record_two = 2"#)
    terminal.expect("seed> ")
    terminal.send("reco\t")
    terminal.expect("rd_")
    terminal.send("\t")
    terminal.expect("record_one")
    terminal.expect("record_two")
    terminal.send("two\r")
    terminal.expect("\n2")
    terminal.expect("seed> ")
    // Builtins, methods and meta-commands.
    terminal.send("json_enc\t")
    terminal.expect("ode")
    terminal.send("([1])\r")
    terminal.expect("\"[1]\"")
    terminal.expect("seed> ")
    terminal.send(":he\t")
    terminal.expect("lp ")
    terminal.send("\r")
    terminal.expect("Commands:")
    terminal.expect("seed> ")
    terminal.line(":quit")
    XCTAssertEqual(terminal.waitForExit(), 0)
  }

  func testHistoryIsKeptAcrossSessionsAndSearchedWithCtrlR() throws {
    let first = try repl()
    first.line("40 + 2")
    first.expect("42")
    first.expect("seed> ")
    first.line("\"needle\" + \"s\"")
    first.expect("\"needles\"")
    first.expect("seed> ")
    first.send("\u{04}")
    XCTAssertEqual(first.waitForExit(), 0)
    let history = try String(contentsOf: folder.appendingPathComponent("state/seednb/history"), encoding: .utf8)
    XCTAssertTrue(history.contains("40"), history)

    let second = try repl()
    // Up: the last line of the previous session.
    second.send("\u{1B}[A")
    second.expect("needle")
    second.send("\r")
    second.expect("\"needles\"")
    second.expect("seed> ")
    // Ctrl-R: search back for "40".
    second.send("\u{12}")
    second.send("40")
    second.expect("40 + 2")
    second.send("\r")
    second.expect("42")
    second.expect("seed> ")
    second.send("\u{04}")
    XCTAssertEqual(second.waitForExit(), 0)
  }

  func testOpenBracketsBracesAndTripleQuotesContinueOnTheNextLine() throws {
    let terminal = try repl()
    terminal.line("func add(a, b) {")
    terminal.expect("  ... ")
    terminal.line("  a + b")
    terminal.expect("  ... ")
    terminal.line("}")
    terminal.expect("seed> ")
    terminal.line("add(2,")
    terminal.expect("  ... ")
    terminal.line("  40)")
    terminal.expect("42")
    terminal.expect("seed> ")
    terminal.line(#"let text = """"#)
    terminal.expect("  ... ")
    terminal.line("first")
    terminal.expect("  ... ")
    terminal.line(#"""""#)
    terminal.expect("seed> ")
    terminal.line("text.upper()")
    terminal.expect("\"FIRST\"")
    terminal.expect("seed> ")
    terminal.send("\u{04}")
    XCTAssertEqual(terminal.waitForExit(), 0)
  }

  func testAnErrorIsPrintedAndTheSessionGoesOn() throws {
    let terminal = try repl()
    terminal.line("10 / 0")
    terminal.expect("<repl>:input 1:1:4: error: division by zero")
    terminal.expect("^")
    terminal.expect("seed> ")
    terminal.line("let = 3")
    terminal.expect("syntax error")
    terminal.expect("seed> ")
    terminal.line("10 / 2")
    terminal.expect("\n5")
    terminal.expect("seed> ")
    terminal.send("\u{04}")
    XCTAssertEqual(terminal.waitForExit(), 0)
  }

  /// `--cell-timeout` stops an input that runs too long, as `seednb run` stops a cell, and
  /// the session goes on with what the input did before it was stopped.
  func testTheCellTimeoutStopsAnInputAndTheSessionGoesOn() throws {
    let terminal = try repl(["--cell-timeout", "0.5"])
    terminal.line("var n = 0")
    terminal.expect("seed> ")
    let started = Date()
    terminal.line("while true { n += 1 }")
    terminal.expect("<repl>:input 2:1:")
    terminal.expect("error: input 2 ran longer than the cell timeout of 0.5 s and was stopped")
    terminal.expect("seed> ")
    XCTAssertLessThan(Date().timeIntervalSince(started), 10)
    terminal.line("n > 0")
    terminal.expect("true")
    terminal.expect("seed> ")
    terminal.send("\u{04}")
    XCTAssertEqual(terminal.waitForExit(), 0)
  }

  func testCtrlCDropsTheLineBeingTyped() throws {
    let terminal = try repl()
    terminal.send("this is not ((( code")
    terminal.expect("code")
    terminal.send("\u{03}")
    terminal.expect("^C")
    terminal.expect("seed> ")
    // Also inside a multi-line input.
    terminal.line("[1,")
    terminal.expect("  ... ")
    terminal.send("\u{03}")
    terminal.expect("seed> ")
    terminal.line("6 * 7")
    terminal.expect("42")
    terminal.expect("seed> ")
    terminal.send("\u{04}")
    XCTAssertEqual(terminal.waitForExit(), 0)
  }

  func testCtrlCStopsASlowRequestAndReturnsToThePrompt() throws {
    var options = LoopbackOpenAIServer.Options()
    options.delay = 30
    let server = LoopbackOpenAIServer(options: options)
    try server.start()
    defer { server.stop() }
    let terminal = try repl(environment: ["OPENAI_BASE_URL": server.baseURL])
    terminal.line(#"let answer = chat("tell me a long story", seed: 1)"#)
    let sent = Date()
    while server.requests.isEmpty && Date().timeIntervalSince(sent) < 10 { usleep(10_000) }
    XCTAssertEqual(server.requests.count, 1)
    let pressed = Date()
    terminal.send("\u{03}")
    terminal.expect("cancelled")
    terminal.expect("seed> ")
    XCTAssertLessThan(Date().timeIntervalSince(pressed), 5)
    // The session goes on, and a loop is stopped the same way.
    terminal.line("var n = 0")
    terminal.expect("seed> ")
    terminal.line("while true { n += 1 }")
    usleep(200_000)
    terminal.send("\u{03}")
    terminal.expect("interrupted")
    terminal.expect("seed> ")
    terminal.line("n > 0")
    terminal.expect("true")
    terminal.expect("seed> ")
    terminal.send("\u{04}")
    XCTAssertEqual(terminal.waitForExit(), 0)
  }

  func testChatAnswersStreamToTheTerminal() throws {
    let server = LoopbackOpenAIServer()
    try server.start()
    defer { server.stop() }
    let terminal = try repl(environment: ["OPENAI_BASE_URL": server.baseURL])
    terminal.line(#"let r = chat("hello there", seed: 7)"#)
    terminal.expect("seed> ")
    XCTAssertEqual(server.requests.count, 1)
    let body = String(decoding: server.requests[0].body, as: UTF8.self)
    XCTAssertTrue(body.contains(#""stream":true"#), body)
    terminal.line("r.content")
    terminal.expect("seed> ")
    // The streamed text was shown before the prompt came back, and is the record's content.
    let lines = terminal.transcript.components(separatedBy: "\r\n")
    guard let echoed = lines.first(where: { $0.hasPrefix("\"") && $0.hasSuffix("\"") }) else {
      return XCTFail("no content echoed:\n\(terminal.transcript)")
    }
    let content = String(echoed.dropFirst().dropLast())
    XCTAssertFalse(content.isEmpty)
    XCTAssertTrue(lines.contains(content), "the streamed text is not on a line of its own:\n\(terminal.transcript)")
    terminal.line("r.usage.completion_tokens > 0")
    terminal.expect("true")
    terminal.send("\u{04}")
    XCTAssertEqual(terminal.waitForExit(), 0)
  }

  func testSaveWritesTheSessionAsANotebookThatRuns() throws {
    let saved = folder.appendingPathComponent("session.seednb").path
    let terminal = try repl()
    terminal.line("let base = 20")
    terminal.expect("seed> ")
    terminal.line("oops(")
    terminal.expect("  ... ")
    terminal.line(")")
    terminal.expect("error")
    terminal.expect("seed> ")
    terminal.line("func twice(x) {")
    terminal.expect("  ... ")
    terminal.line("  x * 2")
    terminal.line("}")
    terminal.expect("seed> ")
    terminal.line("print(twice(base) + 2)")
    terminal.expect("42")
    terminal.expect("seed> ")
    terminal.line(":save \(saved)")
    terminal.expect("saved 3 cells")
    terminal.expect("seed> ")
    terminal.line(":quit")
    XCTAssertEqual(terminal.waitForExit(), 0)

    let text = try String(contentsOfFile: saved, encoding: .utf8)
    XCTAssertEqual(text.components(separatedBy: "```seed").count - 1, 3, text)
    XCTAssertFalse(text.contains("oops"))
    let run = Process()
    run.executableURL = REPLTerminalTests.executable
    run.arguments = ["run", saved]
    var env = environment
    env["NO_COLOR"] = "1"
    run.environment = env
    let out = Pipe()
    run.standardOutput = out
    try run.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    run.waitUntilExit()
    XCTAssertEqual(run.terminationStatus, 0)
    XCTAssertTrue(String(decoding: data, as: UTF8.self).contains("42"))
  }

  func testANotebookRunsFirstAndItsCellsCanBeListedAndRun() throws {
    let notebook = try write(
      "nb.seednb",
      """
      ---
      params:
        name: world
      ---

      ```seed id=greet
      let greeting = "Hello, \\(name)!"
      ```

      ```seed
      print(greeting.count)
      ```

      """)
    let terminal = try PseudoTerminal(
      executable: REPLTerminalTests.executable.path, arguments: ["repl", notebook, "-p", "name=you"], environment: environment)
    terminal.expect("cell greet")
    terminal.expect("11")
    terminal.expect("seed> ")
    terminal.line("greeting")
    terminal.expect("\"Hello, you!\"")
    terminal.expect("seed> ")
    terminal.line(":cells")
    terminal.expect("id=greet")
    terminal.expect("print(greeting.count)")
    terminal.expect("seed> ")
    terminal.line(":run 2")
    terminal.expect("11")
    terminal.expect("seed> ")
    terminal.line(":cache")
    terminal.expect("2 entries for 2 cells")
    terminal.expect("seed> ")
    terminal.line(":nonsense")
    terminal.expect("unknown command ':nonsense'")
    terminal.expect("seed> ")
    terminal.send("\u{04}")
    XCTAssertEqual(terminal.waitForExit(), 0)
  }
}
