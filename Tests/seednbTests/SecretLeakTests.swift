import Foundation
import LoopbackOpenAI
import XCTest

/// A notebook that uses secrets in every way allowed and fails in ways that are not, run,
/// reported, rendered, listed and checked against a loopback server that requires the key:
/// neither the API key nor the secret's text may be anywhere in what seednb printed or wrote.
final class SecretLeakTests: XCTestCase, TestFolder {
  /// Both contain `LEAKCHECK`, so that any piece of either that holds it is found too.
  static let apiKey = "sk-main-LEAKCHECK-4d9c2e7a1b"
  static let otherKey = "sk-other-LEAKCHECK-8f3b6a0e5c"

  var folder: URL!
  var server: LoopbackOpenAIServer!
  /// Everything every command printed.
  var printed: [String] = []

  override func setUpWithError() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("seednb-secrets-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var options = LoopbackOpenAIServer.Options()
    options.requiredKey = SecretLeakTests.apiKey
    options.otherKeys = [SecretLeakTests.otherKey]
    server = LoopbackOpenAIServer(options: options)
    try server.start()
  }

  override func tearDownWithError() throws {
    server.stop()
    try? FileManager.default.removeItem(at: folder)
  }

  func seednb(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> CommandLineTests.Outcome {
    let outcome = try CommandLineTests.run(
      arguments, in: folder,
      environment: [
        "OPENAI_BASE_URL": server.baseURL, "OPENAI_API_KEY": SecretLeakTests.apiKey,
        "SEEDNB_OTHER_KEY": SecretLeakTests.otherKey, "SEEDNB_MAX_RETRIES": "0", "NO_COLOR": "1",
        "XDG_STATE_HOME": folder.appendingPathComponent("state").path,
      ])
    printed += [outcome.stdout, outcome.stderr]
    return outcome
  }

  static let notebook = """
    ---
    title: Secrets in a notebook
    params:
      question: Say hi
    ---

    Keys come from the environment and never show.

    ```seed id=keys
    let other = secret("SEEDNB_OTHER_KEY")
    let main = secret("OPENAI_API_KEY")
    print("keys:", other, main, other.name, main.name)
    print(["other": other], "\\(other)", str(main), repr(main), type(other))
    display(table([[other.name, other], [main.name, main]], headers: ["variable", "value"]))
    let keys = ["other": other, "main": main]
    print(other == secret("SEEDNB_OTHER_KEY"), other == main, other == "sk")
    keys.other
    ```

    ```seed id=calls
    let r = chat(question, seed: 7, temperature: 0, api_key: other)
    let plain = chat(question, seed: 7, temperature: 0, api_key: main)
    print(r.content == plain.content, r.seed)
    let v = embed("a journey to mars", api_key: keys.other)
    print(v.count)
    print(parallel(["a", "b"]) { item in chat("item \\(item)", seed: 1, api_key: other).seed })
    display(chart("bar", ["calls": 4, "keys": 2], title: "made with \\(other)"))
    ```
    """

  /// Notebooks of one cell that must fail, and what their error must say.
  static let refused: [(name: String, source: String, message: String)] = [
    ("display", "display(secret(\"SEEDNB_OTHER_KEY\"))", "display(): cannot display the secret SEEDNB_OTHER_KEY; a secret is never shown"),
    ("concatenate", "let header = \"Bearer \" + secret(\"OPENAI_API_KEY\")", "cannot apply '+' to string and secret"),
    ("json", "print(json_encode([\"key\": secret(\"SEEDNB_OTHER_KEY\")]))", "cannot encode a secret as JSON"),
    ("unset", "let key = secret(\"SEEDNB_NOT_SET\")", "secret(): the environment variable SEEDNB_NOT_SET is not set"),
    ("literal", "chat(\"Hi\", api_key: \"sk-typed-into-the-notebook\")", "chat(): api_key must be a secret, not a string"),
    ("prompt", "chat(secret(\"SEEDNB_OTHER_KEY\"))", "chat(): the prompt is a secret; a secret is only sent as api_key"),
  ]

  func testNeitherTheKeyNorASecretIsInAnyOutputStoreOrReport() throws {
    let nb = try write("secrets.seednb", SecretLeakTests.notebook)

    // Every allowed use, live, with an HTML report.
    let live = try seednb(["run", nb, "--report", "live.html"])
    XCTAssertEqual(live.status, 0, live.stderr)
    XCTAssertTrue(live.stdout.contains("keys: •••• •••• SEEDNB_OTHER_KEY OPENAI_API_KEY\n"), live.stdout)
    XCTAssertTrue(live.stdout.contains("[\"other\": ••••] •••• •••• •••• secret\n"), live.stdout)
    XCTAssertTrue(live.stdout.contains("SEEDNB_OTHER_KEY | ••••"), live.stdout)
    XCTAssertTrue(live.stdout.contains("true false false\n••••\n"), live.stdout)
    XCTAssertTrue(live.stdout.contains("true 7\n"), live.stdout)
    XCTAssertTrue(live.stdout.contains("[1, 1]\n"), live.stdout)
    let authorizations = server.requests.map { $0.headers["authorization"] ?? "" }
    XCTAssertEqual(authorizations.filter { $0 == "Bearer \(SecretLeakTests.otherKey)" }.count, 4, "chat, embed, two in parallel")
    XCTAssertEqual(authorizations.filter { $0 == "Bearer \(SecretLeakTests.apiKey)" }.count, 1)

    // Again, from the cache (secret() runs again, the calls with api_key are found by its
    // name), with a Markdown report.
    let sentBefore = server.requests.count
    let cached = try seednb(["run", nb, "--report", "cached.md"])
    XCTAssertEqual(cached.status, 0, cached.stderr)
    XCTAssertTrue(cached.stdout.contains("calls · cached"), cached.stdout)
    XCTAssertTrue(
      server.requests.dropFirst(sentBefore).allSatisfy { $0.headers["authorization"] == "Bearer \(SecretLeakTests.apiKey)" },
      "only the fingerprint probe, with the backend's own key")
    XCTAssertTrue(try read("cached.md").contains("| SEEDNB\\_OTHER\\_KEY | •••• |"))

    XCTAssertEqual(try seednb(["render", nb, "--to", "html", "-o", "rendered.html"]).status, 0)
    XCTAssertEqual(try seednb(["render", nb, "--to", "md", "-o", "rendered.md"]).status, 0)
    XCTAssertEqual(try seednb(["render", nb, "--to", "ipynb", "-o", "rendered.ipynb"]).status, 0)
    let listed = try seednb(["cache", "ls", nb])
    XCTAssertEqual(listed.status, 0, listed.stderr)
    XCTAssertTrue(listed.stdout.contains("calls"), listed.stdout)

    // `check` sends the seeded calls again, each with the key it was made with.
    let checkedFrom = server.requests.count
    let check = try seednb(["check", nb, "--repeat", "1"])
    XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
    let resent = server.requests.dropFirst(checkedFrom).map { $0.headers["authorization"] ?? "" }
    XCTAssertTrue(resent.contains("Bearer \(SecretLeakTests.otherKey)"), "\(resent.count) requests")

    // The REPL (its echo of the notebook's values) and a plain script.
    let repl = try seednb(["repl", nb])
    XCTAssertEqual(repl.status, 0, repl.stderr)
    XCTAssertTrue(repl.stdout.contains("keys: •••• ••••"), repl.stdout)
    let script = try write(
      "script.seed", "let k = secret(\"SEEDNB_OTHER_KEY\")\nprint(k, chat(\"Hi\", seed: 2, api_key: k).seed)\n")
    let scripted = try seednb(["run", script])
    XCTAssertEqual(scripted.status, 0, scripted.stderr)
    XCTAssertEqual(scripted.stdout, "•••• 2\n")

    // What is not allowed fails, saying why, with a report written all the same.
    for (name, source, message) in SecretLeakTests.refused {
      let path = try write("\(name).seednb", "```seed id=\(name)\n\(source)\n```\n")
      let outcome = try seednb(["run", path, "--report", "\(name).html"])
      XCTAssertEqual(outcome.status, 1, "\(name): \(outcome.stdout)")
      XCTAssertTrue(outcome.stderr.contains(message), "\(name): \(outcome.stderr)")
      XCTAssertTrue(try read("\(name).html").contains("error"), name)
    }

    // Servers that echo the Authorization header, for the other key and for the API key.
    server.enqueue(.echoAuthorization(status: 401, json: true))
    let echoOther = try write("echo-other.seednb", "```seed id=echo\nchat(\"Hi\", seed: 2, api_key: secret(\"SEEDNB_OTHER_KEY\"))\n```\n")
    let other = try seednb(["run", echoOther, "--report", "echo-other.md"])
    XCTAssertEqual(other.status, 1)
    XCTAssertTrue(other.stderr.contains("HTTP 401") && other.stderr.contains("Authorization: Bearer ••••"), other.stderr)
    server.enqueue(.echoAuthorization(status: 502, json: false))
    let echoMain = try write("echo-main.seednb", "```seed id=echo\nchat(\"Hi\", seed: 3)\n```\n")
    let main = try seednb(["run", echoMain, "--report", "echo-main.html"])
    XCTAssertEqual(main.status, 1)
    XCTAssertTrue(main.stderr.contains("HTTP 502") && main.stderr.contains("Authorization: Bearer ••••"), main.stderr)
    XCTAssertTrue(try read("echo-main.html").contains("Authorization: Bearer ••••"), "the report shows the redacted error")

    // Nothing printed and no file written holds either key: the store (with its WAL and
    // shared-memory files when present), the reports, the charts beside them, the history.
    for text in printed {
      XCTAssertFalse(text.contains("LEAKCHECK"), text)
    }
    var files: [String] = []
    let walker = try XCTUnwrap(FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]))
    for case let url as URL in walker where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
      files.append(url.lastPathComponent)
      let bytes = try Data(contentsOf: url)
      XCTAssertNil(bytes.range(of: Data("LEAKCHECK".utf8)), "\(url.path) holds a key")
    }
    for expected in ["cache.sqlite", "live.html", "cached.md", "rendered.html", "rendered.md", "rendered.ipynb", "echo-other.md", "display.html"] {
      XCTAssertTrue(files.contains(expected), "\(expected) was not written: \(files.sorted())")
    }
    // The store did keep what it should: the cells, and the secret's name with its calls.
    let store = try Data(contentsOf: folder.appendingPathComponent(".seednb/cache.sqlite"))
    XCTAssertNotNil(store.range(of: Data("SEEDNB_OTHER_KEY".utf8)), "the store holds the key's name")
  }

  func testCheckNeedsTheVariableACallWasSentWith() throws {
    let nb = try write("one.seednb", "```seed id=ask\nchat(\"Hi\", seed: 4, api_key: secret(\"SEEDNB_OTHER_KEY\"))\n```\n")
    XCTAssertEqual(try seednb(["run", nb]).status, 0)
    let check = try CommandLineTests.run(
      ["check", nb, "--repeat", "1"], in: folder,
      environment: ["OPENAI_BASE_URL": server.baseURL, "OPENAI_API_KEY": SecretLeakTests.apiKey, "SEEDNB_OTHER_KEY": nil])
    XCTAssertEqual(check.status, 1)
    XCTAssertTrue(
      check.stderr.contains(
        "seednb: check failed: cell ask: the request was sent with api_key: secret(\"SEEDNB_OTHER_KEY\"), and SEEDNB_OTHER_KEY is not set"),
      check.stderr)
  }
}
