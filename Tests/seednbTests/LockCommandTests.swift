import Foundation
import LoopbackOpenAI
import XCTest

/// Answers by request, cells by dataflow and the lockfile, on the cookbook notebook itself,
/// against the loopback server: what re-runs after an edit or a parameter, what is sent,
/// a fresh copy that replays from its lockfile alone, and a store that refuses to save.
final class LockCommandTests: SeednbProcessTestCase {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The cookbook notebook, copied into `folder/sub/`.
  func cookbook(in sub: String = "original") throws -> String {
    let text = try String(
      contentsOf: LockCommandTests.repository.appendingPathComponent("notebooks/reproducible-outputs.seednb"), encoding: .utf8)
    return try write("\(sub)/reproducible-outputs.seednb", text)
  }

  /// Each cell's header line, in order.
  func headers(_ outcome: CommandLineTests.Outcome) -> [String] {
    outcome.stdout.split(separator: "\n").filter { $0.hasPrefix("── cell ") }.map(String.init)
  }

  /// What the cells printed, without their headers and the summary.
  func printed(_ outcome: CommandLineTests.Outcome) -> String {
    outcome.stdout.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("── ") }.joined(separator: "\n")
  }

  func chatRequests(_ server: LoopbackOpenAIServer, since: Int = 0) -> (seeded: Int, unseeded: Int, embeddings: Int) {
    var counts = (seeded: 0, unseeded: 0, embeddings: 0)
    for request in server.requests.dropFirst(since) {
      let body = String(decoding: request.body, as: UTF8.self)
      // The one-token request that learns the backend's fingerprint is not the notebook's.
      if body.contains("\"max_tokens\":1,") || body.contains("\"max_tokens\":1}") { continue }
      if request.path.hasSuffix("/embeddings") {
        counts.embeddings += 1
      } else if body.contains("\"seed\"") {
        counts.seeded += 1
      } else {
        counts.unseeded += 1
      }
    }
    return counts
  }

  func testACosmeticEditOfAHelperResendsOnlyTheUnseededChatsAndTheirEmbedding() throws {
    let nb = try cookbook()
    let llm = try server()
    let first = try seednb(["run", nb], server: llm)
    XCTAssertEqual(first.status, 0, first.stderr)
    XCTAssertEqual(chatRequests(llm).seeded, 10)
    XCTAssertEqual(chatRequests(llm).unseeded, 5)
    XCTAssertEqual(chatRequests(llm).embeddings, 3)
    XCTAssertTrue(first.stdout.contains("requests: 18 live, 0 from the store"), first.stdout)

    let before = llm.requests.count
    try write("original/reproducible-outputs.seednb", try read("original/reproducible-outputs.seednb").replacing(
      "print(\"Output \\(number)\")", with: "print(\"Output #\\(number)\")"))
    let edited = try seednb(["run", nb], server: llm)
    XCTAssertEqual(edited.status, 0, edited.stderr)
    XCTAssertEqual(
      headers(edited),
      [
        "── cell helpers · changed · source changed ──", "── cell unseeded · changed · upstream cell helpers changed ──",
        "── cell seeded · changed · upstream cell helpers changed ──",
        "── cell seeded-warm · changed · upstream cell helpers changed ──",
        "── cell summary · changed · upstream cell helpers changed ──",
      ])
    let sent = chatRequests(llm, since: before)
    XCTAssertEqual(sent.unseeded, 5, "the five unseeded chats went again")
    XCTAssertEqual(sent.seeded, 0, "the ten seeded chats came from the store")
    XCTAssertEqual(sent.embeddings, 1, "only the new unseeded answers were embedded")
    XCTAssertTrue(edited.stdout.contains("requests: 6 live, 12 from the store"), edited.stdout)
    XCTAssertTrue(edited.stdout.contains("Output #1"), edited.stdout)
  }

  func testAParameterReRunsOnlyTheCellsThatReadItAndWhatDependsOnThem() throws {
    let nb = try cookbook()
    let llm = try server()
    XCTAssertEqual(try seednb(["run", nb], server: llm).status, 0)
    let before = llm.requests.count
    let seeded = try seednb(["run", nb, "-p", "seed=7"], server: llm)
    XCTAssertEqual(seeded.status, 0, seeded.stderr)
    XCTAssertEqual(
      headers(seeded),
      [
        "── cell helpers · cached ──", "── cell unseeded · cached ──", "── cell seeded · changed · parameter seed changed ──",
        "── cell seeded-warm · changed · parameter seed changed ──", "── cell summary · changed · parameter seed changed ──",
      ])
    let sent = chatRequests(llm, since: before)
    XCTAssertEqual(sent.unseeded, 0, "the unseeded cell does not read seed: restored")
    XCTAssertEqual(sent.seeded, 10)

    let topic = try seednb(["run", nb, "-p", "topic=a trip to Venus"], server: llm)
    XCTAssertEqual(topic.status, 0, topic.stderr)
    // Counted first: a wrong output fails the test rather than crashing it on an index.
    let topicHeaders = headers(topic)
    guard topicHeaders.count >= 2 else { return XCTFail("two cell headers expected:\n\(topic.stdout)") }
    XCTAssertEqual(topicHeaders[0], "── cell helpers · cached ──", "helpers reads no parameter it calls nothing with")
    XCTAssertEqual(topicHeaders[1], "── cell unseeded · changed · parameter topic changed ──")
  }

  func testExplainPrintsEachCellsKeyInputsWithoutRunning() throws {
    let nb = try cookbook()
    let llm = try server()
    let explained = try seednb(["run", nb, "--explain"], server: llm)
    XCTAssertEqual(explained.status, 0, explained.stderr)
    XCTAssertTrue(llm.requests.isEmpty)
    XCTAssertTrue(explained.stdout.contains("cell unseeded: key "), explained.stdout)
    XCTAssertTrue(explained.stdout.contains("  parameters  max_tokens=200, topic=\"a journey to Mars\"\n"), explained.stdout)
    XCTAssertTrue(explained.stdout.contains("  depends on  helpers ("), explained.stdout)
    XCTAssertTrue(explained.stdout.contains("  modules     embeddings_utils ("), explained.stdout)
    XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("original/.seednb").path))
  }

  func testAFreshCopyWithOnlyTheNotebookAndItsLockfileReplaysFrozenOfflineWithIdenticalOutput() throws {
    let nb = try cookbook()
    let llm = try server()
    let original = try seednb(["run", nb], server: llm)
    XCTAssertEqual(original.status, 0, original.stderr)

    let locked = try seednb(["lock", nb])
    XCTAssertEqual(locked.status, 0, locked.stderr)
    XCTAssertTrue(locked.stdout.hasSuffix("reproducible-outputs.seednb.lock: 18 answers (15 chats, 3 embedding requests)\n"), locked.stdout)
    let lock = try read("original/reproducible-outputs.seednb.lock")
    XCTAssertEqual(try seednb(["lock", nb]).status, 0)
    XCTAssertEqual(try read("original/reproducible-outputs.seednb.lock"), lock, "the same store locks to the same bytes")
    let lines = lock.split(separator: "\n")
    XCTAssertEqual(lines.count, 18)
    let keys = try lines.map { line -> String in
      let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      for field in ["request", "answer", "fingerprint", "model", "seed", "usage", "occurrence"] {
        XCTAssertNotNil(object[field], "\(field) in \(line.prefix(80))")
      }
      return try XCTUnwrap(object["request_key"] as? String)
    }
    XCTAssertEqual(keys, keys.sorted(), "sorted by request key")
    XCTAssertFalse(lock.contains(SeednbProcessTestCase.key), "no key in the lockfile")
    llm.stop()

    // A fresh clone: the notebook and its lockfile, no server, no key, no .seednb/, and no
    // local model either.
    let clone = try write("clone/reproducible-outputs.seednb", try read("original/reproducible-outputs.seednb"))
    try write("clone/reproducible-outputs.seednb.lock", lock)
    let offline = try CommandLineTests.run(
      ["run", clone, "--frozen"], in: folder.appendingPathComponent("clone"),
      environment: [
        "OPENAI_BASE_URL": nil, "OPENAI_API_KEY": nil, "SEEDNB_CACHE": folder.appendingPathComponent("no-model").path,
      ])
    XCTAssertEqual(offline.status, 0, offline.stderr)
    XCTAssertEqual(printed(offline), printed(original), "the clone prints what the original run printed")
    XCTAssertTrue(offline.stdout.contains("requests: 0 live, 0 from the store, 18 from the lockfile"), offline.stdout)

    // render and check read it too.
    let renderClone = try write("render/reproducible-outputs.seednb", try read("original/reproducible-outputs.seednb"))
    try write("render/reproducible-outputs.seednb.lock", lock)
    let rendered = try CommandLineTests.run(
      ["render", renderClone, "-o", "report.md"], in: folder.appendingPathComponent("render"),
      environment: [
        "OPENAI_BASE_URL": nil, "OPENAI_API_KEY": nil, "SEEDNB_CACHE": folder.appendingPathComponent("no-model").path,
      ])
    XCTAssertEqual(rendered.status, 0, rendered.stderr)
    let report = try read("render/report.md")
    let firstAnswer = try XCTUnwrap(
      original.stdout.split(separator: "\n").first { $0.contains("Response") }.map(String.init), original.stdout)
    let answerText = firstAnswer.components(separatedBy: "Response").last?.trimmingCharacters(in: CharacterSet(charactersIn: " |")) ?? ""
    XCTAssertTrue(report.contains(String(answerText.prefix(30))), "the report shows the locked answers")
    XCTAssertFalse(report.contains("not run"), report)
  }

  func testLockNeedsEveryCellInTheCache() throws {
    let nb = try cookbook()
    let missing = try seednb(["lock", nb])
    XCTAssertEqual(missing.status, 1)
    XCTAssertTrue(missing.stderr.contains("has no cache yet"), missing.stderr)
    XCTAssertEqual(try seednb(["run", nb], server: try server()).status, 0)
    try write("original/reproducible-outputs.seednb", try read("original/reproducible-outputs.seednb") + "\n```seed id=extra\nprint(1)\n```\n")
    let stale = try seednb(["lock", nb])
    XCTAssertEqual(stale.status, 1)
    XCTAssertTrue(stale.stderr.contains("not in the cache for their current source and parameters: cell extra"), stale.stderr)
  }

  func testAMalformedLockfileIsReportedWithItsLineAndNotUsed() throws {
    let nb = try cookbook()
    try write("original/reproducible-outputs.seednb.lock", "{\"kind\": \"chat\"}\n")
    let frozen = try seednb(["run", nb, "--frozen"])
    XCTAssertEqual(frozen.status, 3)
    XCTAssertTrue(frozen.stderr.contains("reproducible-outputs.seednb.lock:1: "), frozen.stderr)
  }

  func testACellThatCannotBeSavedSaysSoAndTheRunGoesOn() throws {
    let nb = try write("original/small.seednb", "```seed id=one\nprint(1)\n```\n\n```seed id=two\nprint(2)\n```\n")
    XCTAssertEqual(try seednb(["run", nb]).status, 0)
    // The store's file refuses new cells from now on, as a full disk would.
    let store = folder.appendingPathComponent("original/.seednb/cache.sqlite").path
    let python = Process()
    python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    python.arguments = [
      "python3", "-c",
      "import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); db.execute(\"CREATE TRIGGER refuse BEFORE INSERT ON cell "
        + "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END\"); db.commit()", store,
    ]
    try python.run()
    python.waitUntilExit()
    XCTAssertEqual(python.terminationStatus, 0)
    try write("original/small.seednb", "```seed id=one\nprint(10)\n```\n\n```seed id=two\nprint(2)\n```\n")
    let outcome = try seednb(["run", nb])
    XCTAssertEqual(outcome.status, 0, outcome.stderr)
    XCTAssertEqual(printed(outcome).trimmingCharacters(in: .newlines), "10\n2")
    XCTAssertTrue(
      outcome.stderr.contains("seednb: cell one could not be saved in the cache: ") && outcome.stderr.contains("database or disk is full"),
      outcome.stderr)
    XCTAssertTrue(outcome.stdout.contains("── not saved in the cache: cell one ("), outcome.stdout)
  }
}
