import Foundation
import LoopbackOpenAI
import SeedLLM
import SeedLang
import XCTest

@testable import SeedREPL

/// Completion without a terminal, piped input as a script, and streamed chat answers.
final class CompleterAndScriptTests: XCTestCase {
  func completer(_ interpreter: Interpreter) -> Completer {
    Completer(
      globalNames: { interpreter.globalNames }, global: { interpreter.global($0) },
      moduleNames: { ["embeddings_utils", "extras"] }, metaCommands: [":help", ":load", ":quit"])
  }

  func testCompletesGlobalsFieldsMethodsModulesAndCommands() throws {
    let interpreter = Interpreter()
    try interpreter.run(SourceText(file: "t", text: #"let response = ["usage": ["prompt_tokens": 1], "model": "m"]; let items = [1]"#))
    let complete = completer(interpreter).complete
    XCTAssertEqual(complete("resp").candidates, ["response"])
    XCTAssertEqual(complete("print(response.us").candidates, ["usage"])
    XCTAssertEqual(complete("response.us").word, "us")
    XCTAssertEqual(complete("response.usage.pro").candidates, ["prompt_tokens"])
    XCTAssertEqual(complete("items.app").candidates, ["append"])
    XCTAssertEqual(complete("response.nothing.x").candidates, [])
    XCTAssertTrue(complete("whi").candidates.contains("while"))
    XCTAssertTrue(complete("json_").candidates.contains("json_encode"))
    XCTAssertEqual(complete("import emb").candidates, ["embeddings_utils"])
    XCTAssertEqual(complete(":q"), Completion(word: ":q", candidates: [":quit"], suffix: " "))
    XCTAssertEqual(Completion.commonPrefix(["record_one", "record_two"]), "record_")
  }

  func seednb(_ arguments: [String], input: String, environment: [String: String] = [:]) throws -> (Int32, String, String) {
    let executable = REPLTerminalTests.executable
    guard FileManager.default.isExecutableFile(atPath: executable.path) else { throw XCTSkip("seednb is not built") }
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["OPENAI_BASE_URL"] = "http://127.0.0.1:9/v1"
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    let err = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
  }

  func testTheREPLEchoesASecretMaskedAndRefusesToDisplayIt() throws {
    let key = "sk-repl-secret-5a4b3c2d1e"
    let input = "let k = secret(\"SEEDNB_REPL_KEY\")\nk\n[k]\n\"\\(k)\"\nk.name\ndisplay(k)\n"
    let (status, out, err) = try seednb(
      ["repl", "--allow-secret", "SEEDNB_REPL_KEY"], input: input, environment: ["SEEDNB_REPL_KEY": key])
    XCTAssertEqual(status, 1, err)
    XCTAssertEqual(
      out,
      "note: read the secret SEEDNB_REPL_KEY from the environment (allowed by --allow-secret)\n••••\n[••••]\n\"••••\"\n\"SEEDNB_REPL_KEY\"\n")
    XCTAssertTrue(err.contains("display(): cannot display the secret SEEDNB_REPL_KEY; a secret is never shown"), err)
    XCTAssertFalse(out.contains(key) || err.contains(key))
  }

  func testPipedInputRunsWithoutPromptsAndEndsWithARunsStatus() throws {
    let (ok, out, err) = try seednb(["repl"], input: "let a = 2\nfunc f(x) {\n  x * a\n}\nf(21)\n:quit\nnever()\n")
    XCTAssertEqual(ok, 0, err)
    XCTAssertEqual(out, "42\n")
    let (failed, failedOut, failedErr) = try seednb(["repl"], input: "print(1)\n1 / 0\nprint(2)\n")
    XCTAssertEqual(failed, 1)
    XCTAssertEqual(failedOut, "1\n")
    XCTAssertTrue(failedErr.contains("<repl>:input 2:1:3: error: division by zero"), failedErr)
    XCTAssertFalse(failedErr.contains("\u{1B}["), "no colours when piped")
    let (syntax, _, syntaxErr) = try seednb(["repl"], input: "let = 1\n")
    XCTAssertEqual(syntax, 2)
    XCTAssertTrue(syntaxErr.contains("syntax error"), syntaxErr)
    let (unfinished, _, _) = try seednb(["repl"], input: "[1,\n")
    XCTAssertEqual(unfinished, 2)
  }

  func testAfterLoadASeededRequestTypedInTheREPLIsAnsweredFromTheStore() throws {
    let server = LoopbackOpenAIServer()
    try server.start()
    defer { server.stop() }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("seednb-repl-store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let notebook = folder.appendingPathComponent("nb.seednb").path
    try "```seed\nlet answer = chat(\"Tell me about Mars\", seed: 7, temperature: 0)\n```\n".write(
      toFile: notebook, atomically: true, encoding: .utf8)
    let environment = ["OPENAI_BASE_URL": server.baseURL, "OPENAI_API_KEY": "sk-repl-store"]
    let (ran, _, ranErr) = try seednb(["run", notebook], input: "", environment: environment)
    XCTAssertEqual(ran, 0, ranErr)
    XCTAssertEqual(server.requests.count, 1)
    // The same request typed in the REPL, and one typed twice: the first from the store,
    // the second live once and then from the store.
    let input = """
      :load \(notebook)
      let again = chat("Tell me about Mars", seed: 7, temperature: 0)
      print(again.cached, again.content == answer.content)
      print(chat("Tell me about Venus", seed: 7).cached)
      print(chat("Tell me about Venus", seed: 7).cached)

      """
    let (status, out, err) = try seednb(["repl"], input: input, environment: environment)
    XCTAssertEqual(status, 0, err)
    XCTAssertTrue(out.contains("── cell 1 · cached ──\n"), out)
    XCTAssertTrue(out.contains("true true\nfalse\ntrue\n"), out)
    // (The backend is also asked its fingerprint, with a one-token request.)
    let asked = server.requests.map { String(decoding: $0.body, as: UTF8.self) }
    XCTAssertEqual(asked.filter { $0.contains("Mars") }.count, 1, "the Mars request was sent by the run only")
    XCTAssertEqual(asked.filter { $0.contains("Venus") }.count, 1, "the Venus request went out once")
  }

  func testStreamedChatGivesTheSameAnswerPieceByPiece() throws {
    let server = LoopbackOpenAIServer()
    try server.start()
    defer { server.stop() }
    let client = OpenAIClient(configuration: .init(baseURL: server.baseURL))
    var request = ChatRequest(model: "gpt-4o-mini", messages: [ChatMessage(role: "user", content: "say something long")])
    request.seed = 3
    let pieces = Pieces()
    let streamed = try client.chatStreaming(request) { pieces.append($0) }
    let plain = try client.chat(request)
    XCTAssertGreaterThan(pieces.items.count, 1)
    XCTAssertEqual(pieces.items.joined(), plain.body.choices.first?.message?.content)
    XCTAssertEqual(streamed.body.choices.first?.message?.content, plain.body.choices.first?.message?.content)
    XCTAssertEqual(streamed.body.choices.first?.finishReason, plain.body.choices.first?.finishReason)
    XCTAssertEqual(streamed.body.systemFingerprint, plain.body.systemFingerprint)
    XCTAssertEqual(streamed.body.usage?.completionTokens, plain.body.usage?.completionTokens)
    // An error answer falls back to the plain request, with its message.
    server.enqueue(.status(400, message: "bad thing", type: "invalid_request_error"), .status(400, message: "bad thing", type: "invalid_request_error"))
    XCTAssertThrowsError(try client.chatStreaming(request) { _ in }) { error in
      XCTAssertTrue("\(error)".contains("bad thing"), "\(error)")
    }
  }
}

final class Pieces: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: [String] = []
  func append(_ piece: String) { lock.withLock { stored.append(piece) } }
  var items: [String] { lock.withLock { stored } }
}
