import Foundation
import XCTest

/// `seednb cache ls` and `seednb cache clear` on real stores written by `seednb run`.
final class CacheCommandTests: SeednbProcessTestCase {
  var storePath: String { folder.appendingPathComponent(".seednb/cache.sqlite").path }

  /// The table's rows for a notebook, each split into its columns.
  func rows(_ stdout: String) -> [[String]] {
    stdout.split(separator: "\n").filter { $0.hasPrefix("  ") }.map { $0.split(separator: " ").map(String.init) }
  }

  func testLsListsEachCellsEntryWithItsCallsAndWhetherItIsCurrent() throws {
    let nb = try write("drift.seednb", SeednbProcessTestCase.notebook)
    let llm = try server()
    XCTAssertEqual(try seednb(["run", nb], server: llm).status, 0)

    let listed = try seednb(["cache", "ls", nb])
    XCTAssertEqual(listed.status, 0, listed.stderr)
    XCTAssertEqual(listed.stderr, "")
    let lines = listed.stdout.split(separator: "\n").map(String.init)
    XCTAssertEqual(lines.first, "drift.seednb")
    XCTAssertEqual(lines[1], "  cell      key           status   seeded  unseeded  embed  tokens  saved")
    var table = rows(listed.stdout)
    XCTAssertEqual(table.count, 4)
    XCTAssertEqual(table[1].prefix(7), ["setup", table[1][1], "current", "0", "0", "0", "0"])
    XCTAssertEqual(table[2][0], "seeded")
    XCTAssertEqual(table[2][2...5], ["current", "2", "1", "0"])
    XCTAssertGreaterThan(Int(table[2][6]) ?? 0, 0, "tokens")
    XCTAssertEqual(table[3][2...5], ["current", "3", "0", "1"])
    XCTAssertEqual(table[1][1].count, 12, "a short key")
    XCTAssertTrue(table[1][7].hasPrefix("20"), "the date it was saved: \(table[1])")
    XCTAssertTrue(
      lines.last!.hasPrefix("── 3 cells of 1 notebook (3 entries) · \(storePath) ") && lines.last!.hasSuffix(" KB"), lines.last!)

    // Editing the second cell leaves its entry stale, until the next run; the third cell
    // reads nothing the second defines, so its entry stays current.
    try write("drift.seednb", SeednbProcessTestCase.notebook.replacing("Tell me a joke", with: "Tell me a riddle"))
    table = rows(try seednb(["cache", "ls", nb]).stdout)
    XCTAssertEqual(table.dropFirst().map { $0[2] }, ["current", "stale", "current"])
    let staleKey = table[2][1]
    XCTAssertEqual(try seednb(["run", nb], server: llm).status, 0)
    let after = try seednb(["cache", "ls", nb]).stdout
    table = rows(after)
    XCTAssertEqual(table.dropFirst().map { $0[2] }, ["current", "current", "current"])
    XCTAssertNotEqual(table[2][1], staleKey)
    XCTAssertTrue(after.contains("(+1 older)"), after)
    XCTAssertTrue(after.contains("── 3 cells of 1 notebook (4 entries) · "), after)
    // With -p, current means current for those parameters.
    XCTAssertEqual(try seednb(["cache", "ls", nb, "-p", "n=1"]).status, 2, "n is not declared")

    // Without a notebook: the store in ./.seednb, every notebook, no status column.
    let all = try seednb(["cache", "ls"])
    XCTAssertEqual(all.status, 0)
    XCTAssertTrue(all.stdout.hasPrefix("drift.seednb\n  cell      key           seeded  unseeded  embed  tokens  saved\n"), all.stdout)
  }

  func testClearRemovesOneNotebooksEntriesOrAll() throws {
    let first = try write("first.seednb", SeednbProcessTestCase.notebook)
    let second = try write("second.seednb", "```seed id=only\nchat(\"Hello\", seed: 1, temperature: 0)\n```\n")
    let llm = try server()
    XCTAssertEqual(try seednb(["run", first], server: llm).status, 0)
    XCTAssertEqual(try seednb(["run", second], server: llm).status, 0)
    let both = try seednb(["cache", "ls"]).stdout
    XCTAssertTrue(both.contains("first.seednb\n") && both.contains("second.seednb\n"), both)
    XCTAssertTrue(both.contains("── 4 cells of 2 notebooks (4 entries) · "), both)

    let cleared = try seednb(["cache", "clear", first])
    XCTAssertEqual(cleared.status, 0, cleared.stderr)
    XCTAssertEqual(cleared.stdout, "removed 3 cells (3 entries) of first.seednb from \(storePath)\n")
    XCTAssertEqual(try seednb(["cache", "ls", first]).stdout.prefix(31), "no cached cells of first.seednb")
    let rest = try seednb(["cache", "ls"]).stdout
    XCTAssertFalse(rest.contains("first.seednb"), rest)
    XCTAssertTrue(rest.hasPrefix("second.seednb\n"), rest)
    // The cleared notebook's cells run live again: nothing was left to restore.
    let rerun = try seednb(["run", first], server: llm)
    XCTAssertTrue(rerun.stdout.contains("── cell setup · live · not cached ──"), rerun.stdout)
    XCTAssertTrue(rerun.stdout.contains("requests: 7 live, 0 from the store"), "the cleared notebook's answers went too: \(rerun.stdout)")

    let all = try seednb(["cache", "clear"])
    XCTAssertEqual(all.stdout, "removed 4 cells (4 entries) from \(storePath)\n")
    let empty = try seednb(["cache", "ls"])
    XCTAssertEqual(empty.status, 0)
    XCTAssertTrue(empty.stdout.hasPrefix("no cached cells in \(storePath) ("), empty.stdout)
    let check = try seednb(["check", second], server: llm)
    XCTAssertTrue(check.stdout.contains("cell only: not cached (run the notebook first)"), check.stdout)
  }

  func testAMissingStoreIsSaidAndNotCreated() throws {
    let ls = try seednb(["cache", "ls"])
    XCTAssertEqual(ls.status, 0, ls.stderr)
    XCTAssertEqual(ls.stdout, "no cache at \(storePath)\n")
    let clear = try seednb(["cache", "clear"])
    XCTAssertEqual(clear.status, 0)
    XCTAssertEqual(clear.stdout, "no cache at \(storePath)\n")
    let nb = try write("sub/never.seednb", "```seed\nprint(1)\n```\n")
    let besideNotebook = folder.appendingPathComponent("sub/.seednb/cache.sqlite").path
    XCTAssertEqual(try seednb(["cache", "ls", nb]).stdout, "no cache at \(besideNotebook)\n")
    XCTAssertEqual(try seednb(["cache", "clear", nb]).stdout, "no cache at \(besideNotebook)\n")
    XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent(".seednb").path))
    XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("sub/.seednb").path))

    XCTAssertEqual(try seednb(["cache", "ls", "no-such.seednb"]).status, 2, "ls needs the notebook to tell current entries")
    XCTAssertEqual(try seednb(["cache", "ls", "-p", "n=1"]).status, 2, "-p without a notebook")
    XCTAssertEqual(try seednb(["cache", "clear", folder.path]).status, 2, "a folder is not a notebook")
    XCTAssertEqual(try seednb(["cache", "frobnicate"]).status, 2)
  }
}
