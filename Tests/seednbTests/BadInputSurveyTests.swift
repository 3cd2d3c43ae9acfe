import Foundation
import LoopbackOpenAI
import XCTest

/// The README's survey of bad input, run: every row is a case here, tried on the built
/// `seednb`, with the exit status and the words the user gets. A case's message must also be
/// quoted in README.md, so the table cannot drift from what seednb says.
final class BadInputSurveyTests: XCTestCase {
  struct Case {
    /// What is tried, as the README's table names it.
    let input: String
    var files: [String: String] = [:]
    let arguments: [String]
    var environment: [String: String?] = [:]
    let status: Int32
    /// Words the user must see on standard error.
    let message: String
  }

  var folder: URL!

  override func setUpWithError() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("seednb-survey-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: folder)
  }

  static let hello = "```seed\nprint(1)\n```\n"
  static let withParameter = "---\nparams:\n  n: 2\n---\n```seed\nprint(n)\n```\n"

  func testNotebooks() throws {
    try check([
      Case(input: "a fence left open", files: ["nb.seednb": "```seed\nprint(1)\n"], arguments: ["run", "nb.seednb"],
        status: 2, message: "fence opened at line 1: add a closing"),
      Case(input: "front matter that is not YAML", files: ["nb.seednb": "---\ntitle: [x\n---\n" + Self.hello],
        arguments: ["run", "nb.seednb"], status: 2, message: "front matter: invalid YAML"),
      Case(input: "an unknown front matter key", files: ["nb.seednb": "---\nfoo: 1\n---\n" + Self.hello],
        arguments: ["run", "nb.seednb"], status: 2,
        message: "front matter: unknown key 'foo'; the known keys are title, backend, model, params, secrets"),
      Case(input: "a cache attribute that is not true or false", files: ["nb.seednb": "```seed cache=no\nprint(1)\n```\n"],
        arguments: ["run", "nb.seednb"], status: 2,
        message: "attribute 'cache' is true or false, not 'no': write cache=false to run the cell every time"),
      Case(input: "two cells with one id",
        files: ["nb.seednb": "```seed id=a\nprint(1)\n```\n```seed id=a\nprint(2)\n```\n"], arguments: ["run", "nb.seednb"],
        status: 2, message: "duplicate cell id 'a': line 1 and line 4 both use it"),
      Case(input: "a syntax error in any cell",
        files: ["nb.seednb": Self.hello + "```seed\nlet s = \"abc\n```\n"], arguments: ["run", "nb.seednb"],
        status: 2, message: "syntax error: unterminated string literal"),
      Case(input: "a runtime error",
        files: ["nb.seednb": "```seed\nundefined_thing()\n```\n"], arguments: ["run", "nb.seednb"],
        status: 1, message: "error: undefined name 'undefined_thing'"),
      Case(input: "an import that is nowhere",
        files: ["nb.seednb": "```seed\nimport nosuchmodule\n```\n"], arguments: ["run", "nb.seednb"],
        status: 1, message: "no module named 'nosuchmodule' (looked for nosuchmodule.seed in:"),
      Case(input: "recursion without end",
        files: ["nb.seednb": "```seed\nfunc down(n) { down(n + 1) }\ndown(0)\n```\n"], arguments: ["run", "nb.seednb"],
        status: 1, message: "stack overflow: more than 2000 nested calls"),
    ])
  }

  func testBytesThatAreNotText() throws {
    let path = folder.appendingPathComponent("binary.seednb")
    try Data([0xFF, 0xFE, 0x00, 0x60]).write(to: path)
    try check([Case(input: "a file that is not UTF-8", arguments: ["run", "binary.seednb"], status: 2, message: "is not UTF-8 text")])
  }

  func testParameters() throws {
    let files = ["p.seednb": Self.withParameter]
    try check([
      Case(input: "a value of the wrong type", files: files, arguments: ["run", "p.seednb", "-p", "n=abc"], status: 2,
        message: "parameter 'n' expects an int (its default is 2), got 'abc'"),
      Case(input: "a parameter the notebook does not declare", files: files, arguments: ["run", "p.seednb", "-p", "m=1"],
        status: 2, message: "unknown parameter 'm' (did you mean 'n'?)"),
      Case(input: "`-p` without `=`", files: files, arguments: ["run", "p.seednb", "-p", "n"], status: 2,
        message: "-p 'n' is not key=value: write -p n=VALUE"),
      Case(input: "an API key as a parameter", files: files,
        arguments: ["run", "p.seednb", "-p", "n=sk-proj-abcdefghijklmnopqrst"], status: 2,
        message: "-p n=...: the value looks like an API key, and a parameter is printed, cached and shown in reports: read the key in the notebook with secret(\"NAME\")"),
    ])
  }

  func testSecrets() throws {
    try check([
      Case(input: "a variable the notebook may not read",
        files: ["nb.seednb": "```seed\nlet k = secret(\"HOME\")\n```\n"], arguments: ["run", "nb.seednb"], status: 1,
        message: "secret(): the environment variable HOME may not be read (none is allowed); to allow it, list it in the front matter (secrets: [HOME]) or pass --allow-secret HOME"),
      Case(input: "`--allow-secret` that is not a name", files: ["nb.seednb": Self.hello],
        arguments: ["run", "nb.seednb", "--allow-secret", "A-B"], status: 2,
        message: "--allow-secret needs an environment variable name (letters, digits and _, not starting with a digit), not 'A-B'"),
      Case(input: "`secrets` that is not a list of names",
        files: ["nb.seednb": "---\nsecrets: OPENAI_API_KEY\n---\n" + Self.hello], arguments: ["run", "nb.seednb"], status: 2,
        message: "front matter: secrets must be a list of environment variable names, e.g. 'secrets: [OPENAI_ORG_KEY]', not"),
    ])
  }

  func testServerAnswers() throws {
    let server = LoopbackOpenAIServer()
    try server.start()
    defer { server.stop() }
    let files = ["chat.seednb": "```seed\nchat(\"Say hi\", seed: 1)\n```\n"]
    let environment: [String: String?] = [
      "OPENAI_BASE_URL": server.baseURL, "OPENAI_API_KEY": nil, "SEEDNB_MAX_RETRIES": "0", "SEEDNB_TIMEOUT": "1",
    ]
    func answered(_ fault: LoopbackOpenAIServer.Fault?, _ input: String, _ message: String) throws {
      if let fault { server.enqueue(fault) }
      try check([
        Case(input: input, files: files, arguments: ["run", "chat.seednb", "--refresh"], environment: environment,
          status: 1, message: message)
      ])
    }
    try answered(
      .status(500, message: "the model fell over"), "an HTTP error with OpenAI's error body",
      "chat/completions: HTTP 500 (server_error): the model fell over")
    try answered(.notJSON, "a body that is not JSON", "the answer is not JSON: <html>upstream error</html>")
    try answered(
      .status(200, message: "not a completion"), "JSON of another shape",
      "the answer is JSON but not the expected shape (choices is missing or not a list)")
    try answered(.truncated, "an answer cut short", "the connection broke before the whole answer arrived")
    try answered(.closeWithoutAnswer, "a connection closed without an answer", "the connection broke before the whole answer arrived (Empty reply from server)")
    try answered(.delay(3), "no answer in time", "timed out after 1 s")
    var stalling = environment
    stalling["SEEDNB_STALL_TIMEOUT"] = "1"
    stalling["SEEDNB_TIMEOUT"] = "600"
    server.enqueue(.stallMidBody(20))
    try check([
      Case(input: "an answer that stops mid-way", files: files, arguments: ["run", "chat.seednb", "--refresh"],
        environment: stalling, status: 1,
        message: "the answer began, then nothing arrived for 1 s (SEEDNB_STALL_TIMEOUT); it was abandoned")
    ])
    var keyed = environment
    keyed["OPENAI_API_KEY"] = "sk-survey-0123456789abcdef"
    server.enqueue(.echoMaskedKey)
    try check([
      Case(input: "the key echoed back partly masked", files: files, arguments: ["run", "chat.seednb", "--refresh"],
        environment: keyed, status: 1, message: "HTTP 401 (invalid_request_error, invalid_api_key): Incorrect API key provided: ••••. You can find")
    ])
    let serverPort = try XCTUnwrap(URL(string: server.baseURL)?.port)
    var credentialed = environment
    credentialed["OPENAI_BASE_URL"] = "http://user:pass@127.0.0.1:\(serverPort)/v1"
    server.enqueue(.status(500, message: "the model fell over"))
    try check([
      Case(input: "credentials in the endpoint's URL", files: files, arguments: ["run", "chat.seednb", "--refresh"],
        environment: credentialed, status: 1, message: "POST http://••••@127.0.0.1:")
    ])

    let closed = LoopbackOpenAIServer()
    let port = try closed.start()
    closed.stop()
    var refused = environment
    refused["OPENAI_BASE_URL"] = "http://127.0.0.1:\(port)/v1"
    try check([
      Case(input: "nothing listening", files: files, arguments: ["run", "chat.seednb", "--refresh"], environment: refused,
        status: 1, message: "chat/completions: connection refused")
    ])
  }

  func testALibcurlThatCannotBeLoaded() throws {
    // The loader looks in LD_LIBRARY_PATH first, and finds a file that is not a library there.
    let libraries = folder.appendingPathComponent("lib")
    try FileManager.default.createDirectory(at: libraries, withIntermediateDirectories: true)
    try Data("not a library\n".utf8).write(to: libraries.appendingPathComponent("libcurl.so.4"))
    let inherited = ProcessInfo.processInfo.environment["LD_LIBRARY_PATH"].map { ":" + $0 } ?? ""
    let environment: [String: String?] = [
      "LD_LIBRARY_PATH": libraries.path + inherited, "OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "OPENAI_API_KEY": nil,
    ]
    let notebook = "```seed\nchat(\"Say hi\", seed: 1)\n```\n"
    try check([
      Case(input: "a libcurl that cannot be loaded", files: ["chat.seednb": notebook], arguments: ["run", "chat.seednb", "--refresh"],
        environment: environment, status: 1, message: "chat/completions: libcurl could not be loaded: ")
    ])
    // The reason is the loader's own, naming the file.
    try notebook.write(to: folder.appendingPathComponent("chat.seednb"), atomically: false, encoding: .utf8)
    let outcome = try CommandLineTests.run(["run", "chat.seednb", "--refresh"], in: folder, environment: environment)
    XCTAssertTrue(outcome.stderr.contains("\(libraries.path)/libcurl.so.4: file too short"), outcome.stderr)
  }

  func testStores() throws {
    try check([
      Case(input: "a store that is not SQLite", files: ["nb.seednb": Self.hello, ".seednb/cache.sqlite": "garbage"],
        arguments: ["run", "nb.seednb"], status: 0,
        message: "was unusable (file is not a database); it was moved to"),
      Case(input: "a file where the store's folder belongs", files: ["nb.seednb": Self.hello, ".seednb": "x"],
        arguments: ["run", "nb.seednb"], status: 0, message: "is a file, where the cache's folder belongs); running without it"),
    ])
  }

  func testCommandLines() throws {
    let files = ["nb.seednb": Self.hello]
    try check([
      Case(input: "a notebook that does not exist", arguments: ["run", "no-such.seednb"], status: 2,
        message: "cannot read 'no-such.seednb': no such file"),
      Case(input: "a folder given as the notebook", arguments: ["run", "."], status: 2, message: "it is a folder"),
      Case(input: "an unknown command", arguments: ["frobnicate"], status: 2, message: "Unexpected argument 'frobnicate'"),
      Case(input: "an unknown option", files: files, arguments: ["run", "nb.seednb", "--no-such-flag"], status: 2,
        message: "Unknown option '--no-such-flag'"),
      Case(input: "an unknown report format", files: files, arguments: ["render", "nb.seednb", "--to", "pdf"], status: 2,
        message: "The value 'pdf' is invalid for '--to <format>'"),
      Case(input: "an unknown backend", files: files, arguments: ["run", "nb.seednb", "--backend", "foo"], status: 2,
        message: "unknown backend 'foo' given to --backend; use one of: local, openai"),
      Case(input: "a REPL input past `--cell-timeout`", arguments: ["repl", "--cell-timeout", "0.5"], status: 1,
        message: "input 1 ran longer than the cell timeout of 0.5 s and was stopped"),
      Case(input: "a report in a folder that does not exist", files: files,
        arguments: ["run", "nb.seednb", "--report", "missing/r.html"], status: 1,
        message: "cannot write the report missing/r.html: No such file or directory"),
    ])
  }

  func testSweepsAndWatching() throws {
    let files = ["nb.seednb": Self.withParameter]
    try check([
      Case(input: "no runs at once", files: files, arguments: ["sweep", "nb.seednb", "--jobs", "0", "-p", "n=1", "--report-dir", "out"],
        status: 2, message: "--jobs needs a number of runs at once from 1 to 256, not 0"),
      Case(input: "a key the notebook does not declare", files: files,
        arguments: ["sweep", "nb.seednb", "-p", "n=1", "-p", "m=2", "--report-dir", "out"], status: 2,
        message: "unknown parameter 'm' (did you mean 'n'?): the notebook declares n"),
      Case(input: "a value of the wrong type in one combination", files: files,
        arguments: ["sweep", "nb.seednb", "-p", "n=1", "-p", "n=two", "--report-dir", "out"], status: 2,
        message: "parameter 'n' expects an int (its default is 2), got 'two'"),
      Case(input: "no folder for the reports", files: files, arguments: ["sweep", "nb.seednb", "-p", "n=1"], status: 2,
        message: "Missing expected argument '--report-dir <folder>'"),
      Case(input: "a summary value that is not one table cell", files: ["nb.seednb": "```seed\nrecord(\"scores\", [1, 2])\n```\n"],
        arguments: ["run", "nb.seednb"], status: 1,
        message: "record(): 'scores' must be a string, number, bool or nil (one cell of a table), not list"),
    ])
    XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path), "a sweep with bad input ran")
    try check([
      Case(input: "a script to watch", files: ["s.seed": "print(1)\n"], arguments: ["run", "s.seed", "--watch"], status: 2,
        message: "--watch needs a .seednb notebook; run a plain .seed script again yourself"),
      Case(input: "watching and explaining", files: files, arguments: ["run", "nb.seednb", "--watch", "--explain"], status: 2,
        message: "--watch and --explain cannot be used together"),
    ])
  }

  // MARK: -

  private func check(_ cases: [Case], file: StaticString = #filePath, line: UInt = #line) throws {
    let readme = try String(contentsOf: Self.readme, encoding: .utf8)
    for survey in cases {
      for (name, text) in survey.files {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: false, encoding: .utf8)
      }
      defer {
        for name in survey.files.keys { try? FileManager.default.removeItem(at: folder.appendingPathComponent(name)) }
        try? FileManager.default.removeItem(at: folder.appendingPathComponent(".seednb"))
      }
      let outcome = try CommandLineTests.run(
        survey.arguments, in: folder, environment: survey.environment, input: survey.arguments.first == "repl" ? "while true {}\n" : nil)
      XCTAssertEqual(outcome.status, survey.status, "\(survey.input): \(outcome.stderr)", file: file, line: line)
      XCTAssertTrue(
        outcome.stderr.contains(survey.message), "\(survey.input): expected \(survey.message), got \(outcome.stderr)",
        file: file, line: line)
      XCTAssertTrue(
        readme.contains(survey.message.replacingOccurrences(of: "|", with: "\\|")),
        "README.md's survey does not quote the message for \(survey.input): \(survey.message)", file: file, line: line)
    }
  }

  static var readme: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("README.md")
  }
}
