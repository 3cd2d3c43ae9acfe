import Foundation
import XCTest

/// The main job: the cookbook notebook on the local model, with no key and no network.
final class LocalBackendTests: XCTestCase {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  func requireLocalModel() throws {
    let environment = ProcessInfo.processInfo.environment
    let home = environment["HOME"] ?? NSHomeDirectory()
    let cache = environment["SEEDNB_CACHE"].map { URL(fileURLWithPath: $0) }
      ?? URL(fileURLWithPath: environment["XDG_CACHE_HOME"] ?? "\(home)/.cache").appendingPathComponent("seednb")
    let launcher = cache.appendingPathComponent("local-model/server.py").path
    if !FileManager.default.fileExists(atPath: launcher) {
      let message = "the local model is not installed (run scripts/setup-local-model)"
      if environment["SEEDNB_REQUIRE_LOCAL_MODEL"] == "1" { XCTFail(message) }
      throw XCTSkip(message)
    }
  }

  /// A new empty folder under the system's temporary one, named after `prefix`.
  static func temporaryFolder(_ prefix: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  /// Runs seednb in a folder of its own with no OpenAI settings at all, as on a machine
  /// without key or network.
  func run(_ arguments: [String], in folder: URL) throws -> (status: Int32, stdout: String, stderr: String) {
    let outcome = try CommandLineTests.run(
      arguments, in: folder, environment: ["OPENAI_BASE_URL": nil, "OPENAI_API_KEY": nil, "NO_COLOR": "1"])
    return (outcome.status, outcome.stdout, outcome.stderr)
  }

  /// The lines of one cell's output.
  func cell(_ id: String, in stdout: String) -> [String] {
    let lines = stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let start = lines.firstIndex(where: { $0.hasPrefix("── cell \(id) · ") }) else { return [] }
    let rest = lines[(start + 1)...]
    return Array(rest.prefix { !$0.hasPrefix("── cell ") })
  }

  func testTheCookbookNotebookIsReproducibleOnTheLocalModel() throws {
    try requireLocalModel()
    // A copy, so that its cache starts empty and is not left in the repository.
    let folder = try LocalBackendTests.temporaryFolder("seednb-cookbook")
    defer { try? FileManager.default.removeItem(at: folder) }
    let notebook = folder.appendingPathComponent("reproducible-outputs.seednb")
    try FileManager.default.copyItem(
      at: LocalBackendTests.repository.appendingPathComponent("notebooks/reproducible-outputs.seednb"), to: notebook)
    let outcome = try run(["run", notebook.path, "-p", "max_tokens=40"], in: folder)
    XCTAssertEqual(outcome.status, 0, outcome.stderr)

    func responses(_ id: String) -> [String] {
      cell(id, in: outcome.stdout).filter { $0.hasPrefix("Response ") }
    }
    func averageDistance(_ id: String) -> Double? {
      cell(id, in: outcome.stdout).last { $0.hasPrefix("The average distance between responses is: ") }
        .flatMap { Double($0.dropFirst("The average distance between responses is: ".count)) }
    }
    let unseeded = responses("unseeded"), seeded = responses("seeded"), warm = responses("seeded-warm")
    XCTAssertEqual([unseeded.count, seeded.count, warm.count], [5, 5, 5], outcome.stdout)
    XCTAssertEqual(Set(seeded).count, 1, "seed 123 at temperature 0 gives one answer five times")
    XCTAssertEqual(Set(warm).count, 1, "seed 123 at temperature 0.7 gives one answer five times")
    XCTAssertGreaterThan(Set(unseeded).count, 1, "unseeded answers differ")
    XCTAssertEqual(averageDistance("seeded"), 0)
    XCTAssertEqual(averageDistance("seeded-warm"), 0)
    XCTAssertGreaterThan(averageDistance("unseeded") ?? 0, 0)
    let fingerprints = Set(outcome.stdout.split(separator: "\n").filter { $0.hasPrefix("System Fingerprint ") })
    XCTAssertEqual(fingerprints.count, 1, "one backend, one fingerprint: \(fingerprints)")
    XCTAssertTrue(fingerprints.first?.contains("fp_") ?? false)
    XCTAssertTrue(outcome.stdout.contains("Model                       | gemma-3-270m-q4_k_m (asked for gpt-4o-mini)"), outcome.stdout)
  }

  /// A seeded chat's answer does not depend on what the server was asked before it: sent
  /// first after the server starts, after itself, and after a prompt sharing only its
  /// beginning, it is the same (the server used to reuse the previous prompt's evaluated
  /// tokens, and the first send after a start differed from the next ones).
  func testASeededAnswerDoesNotDependOnTheRequestsBeforeIt() throws {
    try requireLocalModel()
    let folder = try LocalBackendTests.temporaryFolder("seednb-order")
    defer { try? FileManager.default.removeItem(at: folder) }
    let script = folder.appendingPathComponent("order.seed")
    try Data(
      """
      let prompt = "Generate a short excerpt of news about a journey to Mars."
      func ask(text) { return chat(text, seed: 123, temperature: 0, max_tokens: 24).content }
      let first = ask(prompt)
      let again = ask(prompt)
      let other = ask("Generate a short excerpt of news about a cat.")
      let after = ask(prompt)
      print(first == again, first == after, first != other)
      print(first)

      """.utf8
    ).write(to: script)
    let outcome = try run(["run", script.path, "--backend", "local"], in: folder)
    XCTAssertEqual(outcome.status, 0, outcome.stderr)
    XCTAssertTrue(outcome.stdout.hasPrefix("true true true\n"), outcome.stdout)
  }

  func testTheServerStopsWhenSeednbIsKilled() throws {
    try assertServerStops(after: SIGKILL)
  }

  func testTheServerStopsAfterCtrlC() throws {
    try assertServerStops(after: SIGINT)
  }

  /// Starts a notebook that keeps the server busy forever, signals seednb, and waits for the
  /// server to be gone.
  func assertServerStops(after signal: Int32, file: StaticString = #filePath, line: UInt = #line) throws {
    try requireLocalModel()
    let folder = try LocalBackendTests.temporaryFolder("seednb-kill")
    defer { try? FileManager.default.removeItem(at: folder) }
    let notebook = folder.appendingPathComponent("long.seednb")
    try "```seed\nprint(chat(\"hi\", max_tokens: 2).model)\nwhile true { }\n```\n".write(to: notebook, atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = CommandLineTests.executable
    process.arguments = ["run", notebook.path, "--backend", "local"]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    // The first line is printed once the server has answered.
    var seen = Data()
    while !String(decoding: seen, as: UTF8.self).contains("gemma") {
      let chunk = out.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      seen.append(chunk)
    }
    XCTAssertTrue(String(decoding: seen, as: UTF8.self).contains("gemma-3-270m-q4_k_m"))
    // This run's server only: other runs on the machine may have servers of their own.
    let serverBefore = try launcherProcesses(childrenOf: process.processIdentifier)
    XCTAssertFalse(serverBefore.isEmpty, "the server runs while seednb does")
    kill(process.processIdentifier, signal)
    process.waitUntilExit()
    if signal == SIGINT {
      XCTAssertEqual(process.terminationStatus, 1, "Ctrl-C ends the cell with an error", file: file, line: line)
    }
    let deadline = Date().addingTimeInterval(15)
    while Date() < deadline, !(try launcherProcesses()).isDisjoint(with: serverBefore) {
      Thread.sleep(forTimeInterval: 0.2)
    }
    XCTAssertTrue((try launcherProcesses()).isDisjoint(with: serverBefore), "the server outlived seednb", file: file, line: line)
  }

  /// Process ids of running local model launchers; with `parent`, only that process's children.
  func launcherProcesses(childrenOf parent: Int32? = nil) throws -> Set<String> {
    let ids = try FileManager.default.contentsOfDirectory(atPath: "/proc").filter { $0.allSatisfy(\.isNumber) }
    return Set(
      ids.filter { id in
        guard let data = FileManager.default.contents(atPath: "/proc/\(id)/cmdline"),
          String(decoding: data, as: UTF8.self).contains("local-model/server.py")
        else { return false }
        guard let parent else { return true }
        // Field 4 of /proc/PID/stat, after the command name in parentheses, is the parent's id.
        guard let stat = try? String(contentsOfFile: "/proc/\(id)/stat", encoding: .utf8), let end = stat.lastIndex(of: ")") else {
          return false
        }
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        return fields.count > 1 && Int32(fields[1]) == parent
      })
  }
}
