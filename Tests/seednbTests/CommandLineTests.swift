import Foundation
import LoopbackOpenAI
import XCTest

/// Runs the built `seednb` on small notebooks and checks what a user sees: standard output,
/// standard error and the exit status.
final class CommandLineTests: XCTestCase, TestFolder {
  /// Bytes read on another thread, handed over after it is done.
  final class Collected: @unchecked Sendable {
    var data = Data()
  }

  struct Outcome {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Standard output without the run's summary line, whose time varies.
    var cells: String {
      var lines = stdout.split(separator: "\n", omittingEmptySubsequences: false)
      if lines.last == "" { lines.removeLast() }
      guard let last = lines.last, last.hasPrefix("── ") && last.contains(" cell") && last.contains(" · requests: ") else {
        return stdout
      }
      lines.removeLast()
      return lines.map { $0 + "\n" }.joined()
    }

    /// The summary line, without its time.
    var summary: String? {
      guard let line = stdout.split(separator: "\n").last(where: { $0.contains(" · requests: ") }),
        let time = line.range(of: " · ", options: .backwards)
      else { return nil }
      return String(line[..<time.lowerBound])
    }
  }

  var folder: URL!

  override func setUpWithError() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("seednb-cli-\(UUID().uuidString)")
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

  func seednb(_ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
    try CommandLineTests.run(arguments, in: folder, environment: environment)
  }

  /// Runs the built seednb in `folder` with the process environment changed as given (a nil
  /// value removes a variable; NO_COLOR is removed unless given), and collects what it prints.
  /// `input`, when given, is the process's standard input (else it reads nothing).
  static func run(_ arguments: [String], in folder: URL, environment: [String: String?] = [:], input: String? = nil) throws -> Outcome {
    guard FileManager.default.isExecutableFile(atPath: executable.path) else {
      throw XCTSkip("seednb is not built at \(executable.path); run `swift build` first")
    }
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = folder
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = nil
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let inputPipe = input.map { _ in Pipe() }
    process.standardInput = inputPipe ?? FileHandle.nullDevice
    try process.run()
    if let inputPipe, let input {
      inputPipe.fileHandleForWriting.write(Data(input.utf8))
      try inputPipe.fileHandleForWriting.close()
    }
    // Read both pipes while the process runs, so that a large output cannot block it.
    let stdoutData = Collected()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      stdoutData.data = out.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let stderrData = err.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return Outcome(
      status: process.terminationStatus, stdout: String(decoding: stdoutData.data, as: UTF8.self),
      stderr: String(decoding: stderrData, as: UTF8.self))
  }

  // MARK: - Running

  /// `seednb run <file>` alone skips the command parser; with an option that changes nothing
  /// it goes through the parser. Both must tell a user the same, whatever the file holds.
  func testABareRunTellsWhatTheParsedRunTells() throws {
    let files = [
      "script.seed": "print(\"sum\", 1 + 2)\n",
      "failing.seed": "let xs = [1]\nprint(xs[3])\n",
      "unparsable.seed": "let = 4\n",
      "notebook.seednb": "# N\n\n```seed\nprint(\"cell\", 6 * 7)\n```\n\n```seed\nprint(1 / 0)\n```\n",
      "missing.seed": "",
      "-dashed.seed": "print(\"dashed\")\n",
    ]
    var outcomes: [String: [CommandLineTests.Outcome]] = [:]
    for way in ["bare", "parsed"] {
      let place = folder.appendingPathComponent(way)
      for (name, text) in files where name != "missing.seed" {
        _ = try write("\(way)/\(name)", text)
      }
      for name in files.keys.sorted() {
        // A name that starts with `-` reads as an option unless it comes after `--`.
        let path = name.hasPrefix("-") ? "./\(name)" : name
        let arguments = way == "bare" ? ["run", path] : ["run", "--max-output", "10", path]
        outcomes[name, default: []].append(try CommandLineTests.run(arguments, in: place))
      }
    }
    for (name, pair) in outcomes {
      XCTAssertEqual(pair[0].status, pair[1].status, name)
      XCTAssertEqual(pair[0].cells, pair[1].cells, name)
      XCTAssertEqual(pair[0].summary, pair[1].summary, name)
      XCTAssertEqual(pair[0].stderr, pair[1].stderr, name)
    }
    XCTAssertEqual(outcomes["script.seed"]?[0].stdout, "sum 3\n")
    XCTAssertEqual(outcomes["failing.seed"]?[0].status, 1)
    XCTAssertEqual(outcomes["unparsable.seed"]?[0].status, 2)
    XCTAssertEqual(outcomes["missing.seed"]?[0].status, 2)
    XCTAssertEqual(outcomes["notebook.seednb"]?[0].status, 1)
    XCTAssertEqual(outcomes["-dashed.seed"]?[0].stdout, "dashed\n")
    XCTAssertTrue(outcomes["notebook.seednb"]?[0].stdout.contains("cell 42") ?? false)
    // Usage errors still come from the parser.
    let bareOption = try seednb(["run", "--no-such-option"])
    XCTAssertEqual(bareOption.status, 2)
    // With this many options the parser writes them as `[<options>]`.
    XCTAssertTrue(bareOption.stderr.contains("Usage: seednb run [<options>] <notebook>"), bareOption.stderr)
  }

  func testRunsCellsInOrderInOneSessionWithHeaders() throws {
    let nb = try write(
      "two.seednb",
      """
      # Two cells

      ```seed id=define
      func square(x) { x * x }
      print("defined")
      ```

      Some prose.

      ```seed
      print(square(7))
      display(table([[1, "a"], [22, "bb"]], headers: ["n", "s"]))
      ```
      """)
    let outcome = try seednb(["run", nb])
    XCTAssertEqual(outcome.status, 0, outcome.stderr)
    XCTAssertEqual(
      outcome.cells,
      """
      ── cell define · live · not cached ──
      defined
      ── cell 2 · live · not cached ──
      49
      n  | s
      ---+---
      1  | a
      22 | bb

      """)
    XCTAssertEqual(outcome.stderr, "")
  }

  func testShowsTheValueOfACellsLastExpression() throws {
    let nb = try write("last.seednb", "```seed\nlet x = [\"a\": 1]\nx\n```\n```seed\nprint(\"nil is not shown\")\nnil\n```\n")
    let outcome = try seednb(["run", nb])
    XCTAssertEqual(outcome.cells, "── cell 1 · live · not cached ──\n[\"a\": 1]\n── cell 2 · live · not cached ──\nnil is not shown\n")
  }

  func testParametersComeFromFrontMatterAndDashP() throws {
    let nb = try write(
      "params.seednb",
      """
      ---
      title: Params
      params:
        name: world
        n: 2
        ratio: 0.5
        flags: [1, 2]
      ---
      ```seed
      print(name, n, ratio, flags, type(ratio))
      ```
      """)
    XCTAssertEqual(try seednb(["run", nb]).cells, "── cell 1 · live · not cached ──\nworld 2 0.5 [1, 2] float\n")
    let overridden = try seednb(["run", nb, "-p", "name=you there", "-p", "n=5", "-p", "ratio=2", "-p", "flags=[3]"])
    XCTAssertEqual(overridden.status, 0, overridden.stderr)
    // Parameters are part of a cell's key: new values make the cell run again.
    XCTAssertEqual(overridden.cells, "── cell 1 · changed · parameter flags changed ──\nyou there 5 2.0 [3] float\n")
  }

  func testBadParametersAreUsageErrors() throws {
    let nb = try write("p.seednb", "---\nparams:\n  n: 2\n---\n```seed\nprint(n)\n```\n")
    let wrongType = try seednb(["run", nb, "-p", "n=abc"])
    XCTAssertEqual(wrongType.status, 2)
    XCTAssertTrue(wrongType.stderr.contains("parameter 'n' expects an int (its default is 2), got 'abc'"), wrongType.stderr)
    XCTAssertEqual(wrongType.stdout, "")
    let unknown = try seednb(["run", nb, "-p", "m=1"])
    XCTAssertEqual(unknown.status, 2)
    XCTAssertTrue(unknown.stderr.contains("'m'"), unknown.stderr)
    let noEquals = try seednb(["run", nb, "-p", "n"])
    XCTAssertEqual(noEquals.status, 2)
    XCTAssertTrue(noEquals.stderr.contains("key=value"), noEquals.stderr)
  }

  // MARK: - Failures

  func testAFailingCellStopsTheRunWithLocationCaretAndStack() throws {
    let nb = try write(
      "fail.seednb",
      """
      ```seed id=first
      print("first ran")
      ```

      ```seed id=second
      func divide(a, b) {
        return a / b
      }
      func twice(x) { divide(x, 0) * 2 }
      print("before")
      twice(10)
      ```

      ```seed id=third
      print("must not run")
      ```
      """)
    let outcome = try seednb(["run", nb])
    XCTAssertEqual(outcome.status, 1)
    XCTAssertEqual(outcome.cells, "── cell first · live · not cached ──\nfirst ran\n── cell second · live · not cached ──\nbefore\n")
    XCTAssertEqual(outcome.summary, "── 2 cells (1 live, 1 error) · requests: 0 live, 0 from the store · 0 tokens (0 live)")
    XCTAssertEqual(
      outcome.stderr,
      """
      \(nb):cell second:7:12: error: division by zero: 10 / 0
       7 |   return a / b
         |            ^
      call stack (innermost first):
        in divide at \(nb):cell second:9:23
        in twice at \(nb):cell second:11:6

      """)
  }

  func testSyntaxErrorsInAnyCellAreReportedBeforeAnythingRuns() throws {
    let nb = try write(
      "syntax.seednb",
      """
      ```seed
      print("would run")
      ```
      ```seed
      let x = 1 + )
      let y = 3 +* 4
      ```
      """)
    let outcome = try seednb(["run", nb])
    XCTAssertEqual(outcome.status, 2)
    XCTAssertEqual(outcome.stdout, "")
    XCTAssertTrue(outcome.stderr.contains("\(nb):cell 2:5:"), outcome.stderr)
    XCTAssertTrue(outcome.stderr.contains("\(nb):cell 2:6:"), outcome.stderr)
    XCTAssertTrue(outcome.stderr.contains("2 syntax errors; nothing was run"), outcome.stderr)
  }

  func testMalformedNotebooksAreUsageErrors() throws {
    let unterminated = try write("fence.seednb", "# T\n\n```seed\nprint(1)\n")
    let fence = try seednb(["run", unterminated])
    XCTAssertEqual(fence.status, 2)
    XCTAssertTrue(fence.stderr.contains("\(unterminated):3:1:"), fence.stderr)
    XCTAssertTrue(fence.stderr.contains("unterminated"), fence.stderr)

    let frontMatter = try write("fm.seednb", "---\ntitle: [unclosed\n---\n```seed\nprint(1)\n```\n")
    let badYAML = try seednb(["run", frontMatter])
    XCTAssertEqual(badYAML.status, 2)
    XCTAssertTrue(badYAML.stderr.contains(frontMatter), badYAML.stderr)
    XCTAssertEqual(badYAML.stdout, "")
  }

  func testUsageErrorsExitWithTwo() throws {
    XCTAssertEqual(try seednb([]).status, 0, "no subcommand prints the help")
    let missing = try seednb(["run", "no-such.seednb"])
    XCTAssertEqual(missing.status, 2)
    XCTAssertEqual(missing.stderr, "seednb: cannot read 'no-such.seednb': no such file\n")
    XCTAssertEqual(try seednb(["run"]).status, 2)
    XCTAssertEqual(try seednb(["run", "x.seednb", "--no-such-flag"]).status, 2)
    XCTAssertEqual(try seednb(["frobnicate"]).status, 2)
    let folderRun = try seednb(["run", folder.path])
    XCTAssertEqual(folderRun.status, 2)
    XCTAssertTrue(folderRun.stderr.contains("it is a folder"), folderRun.stderr)
  }

  func testRunawayRecursionIsAnErrorNotACrash() throws {
    let nb = try write("deep.seednb", "```seed\nfunc down(n) { down(n + 1) }\ndown(0)\n```\n")
    let outcome = try seednb(["run", nb])
    XCTAssertEqual(outcome.status, 1)
    XCTAssertTrue(outcome.stderr.contains("stack overflow"), outcome.stderr)
  }

  func testImportsLookInTheStandardLibraryThenBesideTheNotebook() throws {
    let stdlib = folder.appendingPathComponent("lib")
    try write("lib/shared.seed", "func from_stdlib() { \"stdlib\" }\n")
    try write("nb/local.seed", "func from_folder() { \"folder\" }\n")
    let nb = try write("nb/imports.seednb", "```seed\nimport shared\nimport local\nprint(from_stdlib(), from_folder())\n```\n")
    let outcome = try seednb(["run", nb], environment: ["SEEDNB_STDLIB": stdlib.path])
    XCTAssertEqual(outcome.status, 0, outcome.stderr)
    XCTAssertEqual(outcome.cells, "── cell 1 · live · not cached ──\nstdlib folder\n")

    let missing = try write("nb/missing.seednb", "```seed\nimport nowhere\n```\n")
    let failed = try seednb(["run", missing], environment: ["SEEDNB_STDLIB": stdlib.path])
    XCTAssertEqual(failed.status, 1)
    XCTAssertTrue(failed.stderr.contains("no module named 'nowhere' (looked for nowhere.seed in: \(stdlib.path), "), failed.stderr)
  }

  func testPipedOutputHasNoColorCodes() throws {
    let nb = try write("plain.seednb", "```seed\nprint(\"x\")\n```\n```seed\nprint(1/0)\n```\n")
    let outcome = try seednb(["run", nb])
    XCTAssertFalse(outcome.stdout.contains("\u{1B}["))
    XCTAssertFalse(outcome.stderr.contains("\u{1B}["))
  }

  // MARK: - LLM calls

  func testChatAgainstAnOpenAICompatibleServerNeverPrintsTheKey() throws {
    let key = "sk-cli-secret-key-0123456789"
    var options = LoopbackOpenAIServer.Options()
    options.requiredKey = key
    let server = LoopbackOpenAIServer(options: options)
    try server.start()
    defer { server.stop() }
    let nb = try write(
      "llm.seednb",
      """
      ```seed
      let answers = parallel([1, 2]) { s in chat("Say hi", seed: s, temperature: 0) }
      print(answers.map { r in r.system_fingerprint }, answers[0].usage.total_tokens > 0)
      ```
      ```seed
      chat("no room to answer", max_tokens: 0)
      ```
      """)
    let good = try seednb(["run", nb], environment: ["OPENAI_BASE_URL": server.baseURL, "OPENAI_API_KEY": key])
    XCTAssertEqual(good.status, 1)
    XCTAssertEqual(good.cells, "── cell 1 · live · not cached ──\n[\"fp_loopback_1\", \"fp_loopback_1\"] true\n── cell 2 · live · not cached ──\n")
    XCTAssertTrue(good.stderr.hasPrefix("\(nb):cell 2:6:5: error: POST \(server.baseURL)/chat/completions: HTTP 400"), good.stderr)

    let wrongKey = "sk-wrong-but-long-enough-key"
    // --refresh, since cell 1 would otherwise be restored from the cache without a request.
    let unauthorized = try seednb(
      ["run", nb, "--refresh"], environment: ["OPENAI_BASE_URL": server.baseURL, "OPENAI_API_KEY": wrongKey])
    XCTAssertEqual(unauthorized.status, 1)
    XCTAssertTrue(unauthorized.stderr.contains("parallel item 0: POST \(server.baseURL)/chat/completions: HTTP 401"), unauthorized.stderr)
    for outcome in [good, unauthorized] {
      for secret in [key, wrongKey] {
        XCTAssertFalse(outcome.stdout.contains(secret) || outcome.stderr.contains(secret), "\(outcome)")
      }
    }
  }

  func testCtrlCCancelsTheRequestInFlight() throws {
    var options = LoopbackOpenAIServer.Options()
    options.delay = 30
    let server = LoopbackOpenAIServer(options: options)
    try server.start()
    defer { server.stop() }
    let nb = try write("slow.seednb", "```seed\nprint(\"asking\")\nchat(\"take your time\")\n```\n")
    let process = Process()
    process.executableURL = CommandLineTests.executable
    process.arguments = ["run", nb]
    var environment = ProcessInfo.processInfo.environment
    environment["OPENAI_BASE_URL"] = server.baseURL
    environment["OPENAI_API_KEY"] = "sk-anything-long-enough"
    process.environment = environment
    let err = Pipe()
    process.standardError = err
    process.standardOutput = Pipe()
    try process.run()
    // Wait until the request has reached the server, then press Ctrl-C.
    let deadline = Date().addingTimeInterval(10)
    while server.requests.isEmpty && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    XCTAssertFalse(server.requests.isEmpty, "the request never arrived")
    let interrupted = Date()
    process.interrupt()
    process.waitUntilExit()
    XCTAssertLessThan(Date().timeIntervalSince(interrupted), 5, "Ctrl-C did not cancel the 30 s request")
    XCTAssertEqual(process.terminationStatus, 1)
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    XCTAssertTrue(stderr.contains("/chat/completions: cancelled"), stderr)
  }

  func testTheHelloNotebookRuns() throws {
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    // A copy in the test's folder, so that no cache is left in the repository.
    let notebook = folder.appendingPathComponent("hello.seednb")
    try FileManager.default.copyItem(at: repository.appendingPathComponent("notebooks/hello.seednb"), to: notebook)
    let outcome = try seednb(["run", notebook.path, "-p", "repeats=1"])
    XCTAssertEqual(outcome.status, 0, outcome.stderr)
    XCTAssertTrue(outcome.stdout.contains("Hello, world!\n── cell table · "), outcome.stdout)
  }
}
