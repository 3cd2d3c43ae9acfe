import Foundation
import LoopbackOpenAI
import XCTest

/// `seednb sweep`: one run per combination of parameter values, sharing the notebook's
/// store, with a report each and an index; the exit status is the worst of the runs'.
final class SweepCommandTests: LoopbackFolderTestCase {
  func sweep(_ arguments: [String]) throws -> CommandLineTests.Outcome {
    try CommandLineTests.run(["sweep"] + arguments, in: folder, environment: ["OPENAI_BASE_URL": server.baseURL])
  }

  /// A notebook whose first cell asks what every run asks, and whose second asks about its
  /// topic: a 2×2 sweep needs three answers.
  static let notebook = """
    ---
    params:
      topic: cats
      n: 1
    ---

    ```seed id=shared
    let intro = chat("Say hello to everyone", seed: 1, max_tokens: 8)
    record("intro words", len(intro.content.split(" ")))
    ```

    ```seed id=topic
    let about = chat("One line about \\(topic)", seed: 1, max_tokens: 8)
    record("topic upper", topic.upper())
    record("n twice", n * 2)
    print(topic, n)
    ```

    """

  func testA2x2SweepWritesFourReportsAndAnIndexAndSendsEachRequestOnce() throws {
    try write("nb.seednb", Self.notebook)
    let outcome = try sweep(["nb.seednb", "-p", "topic=cats", "-p", "n=1", "-p", "topic=dogs", "-p", "n=2", "--report-dir", "out"])
    XCTAssertEqual(outcome.status, 0, outcome.stdout + outcome.stderr)
    let stems = ["1-topic=cats,n=1", "2-topic=cats,n=2", "3-topic=dogs,n=1", "4-topic=dogs,n=2"]
    for stem in stems {
      let report = try read("out/\(stem).html")
      XCTAssertTrue(report.hasPrefix("<!DOCTYPE html>"), stem)
      XCTAssertTrue(report.contains("One line about"), stem)
      XCTAssertTrue(try read("out/\(stem).txt").contains("── cell topic"), stem)
    }
    let index = try read("out/index.html")
    let rows = index.components(separatedBy: "<tr>").dropFirst(2).map { String($0.prefix { $0 != "\n" }) }
    XCTAssertEqual(rows.count, 4, index)
    for (row, stem) in zip(rows, stems) {
      XCTAssertTrue(row.contains("<a href=\"\(stem).html\">"), row)
      XCTAssertTrue(row.contains("<a href=\"\(stem).txt\">"), row)
      XCTAssertTrue(row.contains(">ok</span>"), row)
    }
    // Parameters in the order given, then status, tokens, time and the recorded values.
    XCTAssertTrue(
      index.contains(
        "<th>topic</th><th>n</th><th>status</th><th>tokens</th><th>time</th><th>intro words</th><th>topic upper</th><th>n twice</th>"),
      index)
    XCTAssertTrue(rows[0].hasPrefix("<td><code>cats</code></td><td><code>1</code></td>"), rows[0])
    XCTAssertTrue(rows[3].contains("<td>DOGS</td><td>4</td>"), rows[3])
    XCTAssertTrue(rows[1].contains("<td>CATS</td><td>4</td>"), rows[1])
    // One answer for what all runs ask, one per topic: the runs share the store. (Each run
    // also learns the server's fingerprint once, with a one-token "Hi", before it reuses an
    // answer.)
    let sent = server.requests.map { String(decoding: $0.body, as: UTF8.self) }.filter { !$0.contains(#""content":"Hi""#) }
    XCTAssertEqual(sent.count, 3, sent.joined(separator: "\n"))
    XCTAssertEqual(Set(sent).count, 3, sent.joined(separator: "\n"))
    XCTAssertTrue(outcome.stdout.contains("4 runs, 4 ok · index: out/index.html"), outcome.stdout)

    // Again, every cell restored from the store: the recorded values are the same.
    let again = try sweep(["nb.seednb", "-p", "topic=cats", "-p", "n=1", "-p", "topic=dogs", "-p", "n=2", "--report-dir", "out"])
    XCTAssertEqual(again.status, 0, again.stdout + again.stderr)
    XCTAssertTrue(try read("out/4-topic=dogs,n=2.txt").contains("── cell topic · cached"))
    let recorded = { (html: String) in
      html.components(separatedBy: "<tr>").dropFirst(2).map { row in
        row.components(separatedBy: "<td>").dropFirst(4).prefix(3).joined(separator: "|")
      }
    }
    XCTAssertEqual(recorded(try read("out/index.html")), recorded(index))
    XCTAssertTrue(recorded(index).last?.hasSuffix("</td>|DOGS</td>|4</td>") ?? false, "\(recorded(index))")
  }

  func testTheExitStatusIsTheWorstOfTheRuns() throws {
    try write(
      "nb.seednb",
      "---\nparams:\n  n: 1\n---\n```seed\nrecord(\"n\", n)\nif n == 2 { error(\"two is not allowed\") }\nprint(n)\n```\n")
    let outcome = try sweep(["nb.seednb", "-p", "n=1", "-p", "n=2", "-p", "n=3", "--report-dir", "out", "--jobs", "2"])
    XCTAssertEqual(outcome.status, 1, outcome.stdout + outcome.stderr)
    let index = try read("out/index.html")
    XCTAssertEqual(index.components(separatedBy: ">cell failed</span>").count - 1, 1, index)
    XCTAssertEqual(index.components(separatedBy: ">ok</span>").count - 1, 2, index)
    XCTAssertTrue(try read("out/2-n=2.txt").contains("two is not allowed"))
    // The failed run's report is written too, showing the error.
    XCTAssertTrue(try read("out/2-n=2.html").contains("two is not allowed"))
    XCTAssertTrue(outcome.stdout.contains("3 runs, 2 ok"), outcome.stdout)
  }

  /// The options of each run reach every run: here `--allow-secret`, without which every
  /// run's cell fails, and `--max-output`. Each case is a sweep into a folder of its own:
  /// its options, its exit status, and a text one of its runs printed.
  func testEachRunGetsTheOptionsOfARun() throws {
    try write(
      "nb.seednb",
      "---\nparams:\n  n: 1\n---\n```seed\nlet token = secret(\"SEEDNB_SWEEP_TOKEN\")\nprint(n, token == secret(\"SEEDNB_SWEEP_TOKEN\"))\n```\n")
    let environment = ["OPENAI_BASE_URL": server.baseURL, "SEEDNB_SWEEP_TOKEN": "tok-sweep-LEAKCHECK-93b1"]
    let allow = ["--allow-secret", "SEEDNB_SWEEP_TOKEN"]
    let cases: [(folder: String, options: [String], status: Int32, printed: String, expected: String)] = [
      ("refused", [], 1, "1-n=1.txt", "SEEDNB_SWEEP_TOKEN"),
      ("allowed", allow, 0, "2-n=2.txt", "2 true"),
      ("capped", allow + ["--max-output", "0.000001"], 1, "1-n=1.txt", "output limit: this would take the output past"),
    ]
    for (name, options, status, printed, expected) in cases {
      let outcome = try CommandLineTests.run(
        ["sweep", "nb.seednb", "-p", "n=1", "-p", "n=2", "--report-dir", name] + options, in: folder, environment: environment)
      XCTAssertEqual(outcome.status, status, name + ": " + outcome.stdout + outcome.stderr)
      let text = try read(name + "/" + printed)
      XCTAssertTrue(text.contains(expected), name + ": " + text)
      XCTAssertFalse((outcome.stdout + outcome.stderr).contains("LEAKCHECK"), outcome.stdout + outcome.stderr)
      for file in try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(name).path) {
        XCTAssertFalse(try read(name + "/" + file).contains("LEAKCHECK"), name + "/" + file)
      }
    }
  }
}
