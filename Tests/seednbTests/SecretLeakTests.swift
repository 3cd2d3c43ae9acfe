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
    secrets: [SEEDNB_OTHER_KEY, OPENAI_API_KEY]
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
    XCTAssertTrue(
      live.stdout.hasPrefix("── secrets: SEEDNB_OTHER_KEY (front matter), OPENAI_API_KEY (front matter) ──\n"), live.stdout)
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
    let scripted = try seednb(["run", script, "--allow-secret", "SEEDNB_OTHER_KEY"])
    XCTAssertEqual(scripted.status, 0, scripted.stderr)
    XCTAssertEqual(scripted.stdout, "•••• 2\n")

    // What is not allowed fails, saying why, with a report written all the same.
    for (name, source, message) in SecretLeakTests.refused {
      let path = try write(
        "\(name).seednb", "---\nsecrets: [SEEDNB_OTHER_KEY, OPENAI_API_KEY, SEEDNB_NOT_SET]\n---\n```seed id=\(name)\n\(source)\n```\n")
      let outcome = try seednb(["run", path, "--report", "\(name).html"])
      XCTAssertEqual(outcome.status, 1, "\(name): \(outcome.stdout)")
      XCTAssertTrue(outcome.stderr.contains(message), "\(name): \(outcome.stderr)")
      XCTAssertTrue(try read("\(name).html").contains("error"), name)
    }

    // Servers that echo the Authorization header, for the other key and for the API key.
    server.enqueue(.echoAuthorization(status: 401, json: true))
    let echoOther = try write("echo-other.seednb", "```seed id=echo\nchat(\"Hi\", seed: 2, api_key: secret(\"SEEDNB_OTHER_KEY\"))\n```\n")
    let other = try seednb(["run", echoOther, "--report", "echo-other.md", "--allow-secret", "SEEDNB_OTHER_KEY"])
    XCTAssertEqual(other.status, 1)
    XCTAssertTrue(other.stderr.contains("HTTP 401") && other.stderr.contains("Authorization: Bearer ••••"), other.stderr)
    server.enqueue(.echoAuthorization(status: 502, json: false))
    let echoMain = try write("echo-main.seednb", "```seed id=echo\nchat(\"Hi\", seed: 3)\n```\n")
    let main = try seednb(["run", echoMain, "--report", "echo-main.html"])
    XCTAssertEqual(main.status, 1)
    XCTAssertTrue(main.stderr.contains("HTTP 502") && main.stderr.contains("Authorization: Bearer ••••"), main.stderr)
    XCTAssertTrue(try read("echo-main.html").contains("Authorization: Bearer ••••"), "the report shows the redacted error")
    // OpenAI's 401, which repeats the key partly masked.
    server.enqueue(.echoMaskedKey)
    let masked = try seednb(["run", echoMain])
    XCTAssertEqual(masked.status, 1)
    XCTAssertTrue(masked.stderr.contains("Incorrect API key provided: ••••. You can find"), masked.stderr)
    XCTAssertFalse(masked.stderr.contains(String(SecretLeakTests.apiKey.suffix(4))), masked.stderr)

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
    XCTAssertEqual(try seednb(["run", nb, "--allow-secret", "SEEDNB_OTHER_KEY"]).status, 0)
    // Allowed for the run, not for the check: the check may not read it either.
    let refused = try seednb(["check", nb, "--repeat", "1"])
    XCTAssertEqual(refused.status, 1)
    XCTAssertTrue(
      refused.stderr.contains(
        "cell ask: the request was sent with api_key: secret(): the environment variable SEEDNB_OTHER_KEY may not be read (none is allowed); to allow it, list it in the front matter (secrets: [SEEDNB_OTHER_KEY]) or pass --allow-secret SEEDNB_OTHER_KEY"),
      refused.stderr)
    let check = try CommandLineTests.run(
      ["check", nb, "--repeat", "1", "--allow-secret", "SEEDNB_OTHER_KEY"], in: folder,
      environment: ["OPENAI_BASE_URL": server.baseURL, "OPENAI_API_KEY": SecretLeakTests.apiKey, "SEEDNB_OTHER_KEY": nil])
    XCTAssertEqual(check.status, 1)
    XCTAssertTrue(
      check.stderr.contains(
        "seednb: check failed: cell ask: the request was sent with api_key: secret(\"SEEDNB_OTHER_KEY\"), and SEEDNB_OTHER_KEY is not set"),
      check.stderr)
  }

  /// A variable neither the front matter nor the command line allows cannot be read, whatever
  /// it holds; the error says how to allow it, and nothing is sent.
  func testAVariableThatIsNotAllowedCannotBeRead() throws {
    let nb = try write(
      "unlisted.seednb",
      "---\nsecrets: [SEEDNB_OTHER_KEY]\n---\n```seed id=steal\nchat(\"Hi\", api_key: secret(\"SEEDNB_UNLISTED\"))\n```\n")
    let sentBefore = server.requests.count
    let outcome = try CommandLineTests.run(
      ["run", nb], in: folder,
      environment: ["OPENAI_BASE_URL": server.baseURL, "SEEDNB_UNLISTED": "aws-LEAKCHECK-secret-access-key", "NO_COLOR": "1"])
    printed += [outcome.stdout, outcome.stderr]
    XCTAssertEqual(outcome.status, 1)
    XCTAssertTrue(
      outcome.stderr.contains(
        "secret(): the environment variable SEEDNB_UNLISTED may not be read (allowed: SEEDNB_OTHER_KEY); to allow it, list it in the front matter (secrets: [SEEDNB_UNLISTED]) or pass --allow-secret SEEDNB_UNLISTED"),
      outcome.stderr)
    XCTAssertTrue(outcome.stderr.contains("unlisted.seednb:cell steal:5:27: error: secret()"), "the error has its location: \(outcome.stderr)")
    XCTAssertEqual(server.requests.count, sentBefore, "nothing was sent")
    // The same name allowed on the command line is read, and the header says by whom.
    let allowed = try seednb(["run", nb, "--allow-secret", "SEEDNB_UNLISTED"])
    XCTAssertTrue(
      allowed.stdout.hasPrefix("── secrets: SEEDNB_OTHER_KEY (front matter), SEEDNB_UNLISTED (--allow-secret) ──\n"), allowed.stdout)
    XCTAssertTrue(allowed.stderr.contains("SEEDNB_UNLISTED is not set"), allowed.stderr)
    let badName = try seednb(["run", nb, "--allow-secret", "NOT A NAME"])
    XCTAssertEqual(badName.status, 2)
    XCTAssertTrue(badName.stderr.contains("--allow-secret needs an environment variable name"), badName.stderr)
    for text in printed { XCTAssertFalse(text.contains("LEAKCHECK"), text) }
  }

  /// The REPL shows each secret the first time its code reads it, and who allowed it.
  func testTheREPLShowsASecretOnItsFirstRead() throws {
    let outcome = try CommandLineTests.run(
      ["repl", "--allow-secret", "SEEDNB_OTHER_KEY"], in: folder,
      environment: [
        "OPENAI_BASE_URL": server.baseURL, "SEEDNB_OTHER_KEY": SecretLeakTests.otherKey, "NO_COLOR": "1",
        "XDG_STATE_HOME": folder.appendingPathComponent("state").path,
      ],
      input: "let k = secret(\"SEEDNB_OTHER_KEY\")\nprint(k)\nsecret(\"SEEDNB_OTHER_KEY\").name\n")
    XCTAssertEqual(outcome.status, 0, outcome.stderr)
    XCTAssertEqual(
      outcome.stdout,
      "note: read the secret SEEDNB_OTHER_KEY from the environment (allowed by --allow-secret)\n••••\n\"SEEDNB_OTHER_KEY\"\n")
    XCTAssertFalse(outcome.stdout.contains("LEAKCHECK"))
  }

  /// A key given as a parameter is refused before anything runs, and the message points to
  /// `secret()` without repeating the value: by its shape, or as the value of the API key or
  /// of an allowed secret.
  func testAKeyPassedAsAParameterIsRefused() throws {
    let nb = try write("param.seednb", "---\nparams:\n  question: Say hi\nsecrets: [SEEDNB_PLAIN]\n---\n```seed\nprint(question)\n```\n")
    let environment: [String: String?] = [
      "OPENAI_BASE_URL": server.baseURL, "OPENAI_API_KEY": SecretLeakTests.apiKey, "NO_COLOR": "1",
      "SEEDNB_PLAIN": "plain-LEAKCHECK-words",
    ]
    for value in ["sk-proj-LEAKCHECKabcdefghijkl", SecretLeakTests.apiKey, "ask plain-LEAKCHECK-words please"] {
      for command in ["run", "repl", "check"] {
        let outcome = try CommandLineTests.run([command, nb, "-p", "question=\(value)"], in: folder, environment: environment, input: "")
        printed += [outcome.stdout, outcome.stderr]
        XCTAssertEqual(outcome.status, 2, "\(command) \(value): \(outcome.stdout)\(outcome.stderr)")
        XCTAssertTrue(
          outcome.stderr.contains(
            "-p question=...: the value looks like an API key, and a parameter is printed, cached and shown in reports: read the key in the notebook with secret(\"NAME\")"),
          "\(command): \(outcome.stderr)")
      }
    }
    let fine = try CommandLineTests.run(["run", nb, "-p", "question=ask sk-learn"], in: folder, environment: environment)
    XCTAssertEqual(fine.status, 0, fine.stderr)
    for text in printed { XCTAssertFalse(text.contains("LEAKCHECK"), text) }
    let store = try Data(contentsOf: folder.appendingPathComponent(".seednb/cache.sqlite"))
    XCTAssertNil(store.range(of: Data("LEAKCHECK".utf8)), "the store holds no refused value")
  }

  /// `user:password@` in OPENAI_BASE_URL shows as `••••@` in errors and in the REPL.
  func testCredentialsInTheBaseURLAreNeverShown() throws {
    let port = try XCTUnwrap(URL(string: server.baseURL)?.port)
    let nb = try write("creds.seednb", "```seed id=ask\nchat(\"Hi\", seed: 1)\n```\n")
    server.enqueue(.status(500, message: "upstream fell over"))
    let environment: [String: String?] = [
      "OPENAI_BASE_URL": "http://user:LEAKCHECKpw@127.0.0.1:\(port)/v1", "SEEDNB_MAX_RETRIES": "0", "NO_COLOR": "1",
      "XDG_STATE_HOME": folder.appendingPathComponent("state").path,
    ]
    let run = try CommandLineTests.run(["run", nb], in: folder, environment: environment)
    XCTAssertEqual(run.status, 1)
    XCTAssertTrue(run.stderr.contains("POST http://••••@127.0.0.1:\(port)/v1/chat/completions: HTTP 500"), run.stderr)
    let repl = try CommandLineTests.run(["repl"], in: folder, environment: environment, input: ":backend\n")
    XCTAssertTrue(repl.stdout.contains("backend: openai at http://••••@127.0.0.1:\(port)/v1"), repl.stdout)
    for text in [run.stdout, run.stderr, repl.stdout, repl.stderr] { XCTAssertFalse(text.contains("LEAKCHECK"), text) }
  }
}
