import Foundation
import SeedLang
import XCTest

/// The golden tests of the language: every `Fixtures/<area>/<case>.seed` file is a program
/// that carries its expectations in comments, in the style of Crafting Interpreters.
///
///     print(1 + 2)          // expect: 3
///     let x = 1 / 0         // error: division by zero: 1 / 0
///     f()                   // error at column 1: ...
///     // error at line 9: ...      (for errors on a line that cannot hold a comment)
///     // stack: inner, outer       (the runtime error's call stack, innermost first)
///
/// `secret(name)` reads `Golden.secrets` instead of the environment; the text of a secret
/// must never appear in a fixture's output or errors.
///
/// `Fixtures/modules/` holds the modules that `import` finds; they are not tests.
///
/// Each fixture runs twice, with the emitter's specialisations on and off
/// (`CompilerOptions.specialisations`), and both runs must agree with each other and with
/// the expectations; `Fixtures/specialisations/` tests each specialisation at its edges.
final class GoldenTests: XCTestCase {
  func testFixtures() throws {
    let fixtures = try Golden.fixtureFiles()
    XCTAssertFalse(fixtures.isEmpty, "no fixtures found in the test bundle")
    var failed: [String] = []
    for fixture in fixtures {
      let text = try String(contentsOf: fixture.url, encoding: .utf8)
      if let failure = Golden.check(name: fixture.name, text: text) {
        failed.append(fixture.name)
        XCTFail("\(fixture.name):\n\(failure)")
      }
    }
    if !failed.isEmpty {
      XCTFail("\(failed.count) of \(fixtures.count) fixtures failed:\n  " + failed.joined(separator: "\n  "))
    }
  }
}

/// Tests of the runner itself, so that it cannot pass silently on files it misreads.
final class GoldenRunnerTests: XCTestCase {
  func testParsesEveryKindOfExpectation() {
    let text = """
      print("a")          // expect: a
      print("")           // expect:
      print(1 / 0)        // error: division by zero: 1 / 0
      // error at line 7: some message: with a colon
      f()                 // error at column 3: another
      // error at line 2, column 4: both
      // stack: inner, outer
      print("real") /* ok */ // expect: real
      """
    let expectations = Golden.Expectations.parse(text)
    XCTAssertEqual(expectations.problems, [])
    XCTAssertEqual(expectations.output, ["a", "", "real"])
    XCTAssertEqual(
      expectations.errors,
      [
        .init(line: 3, column: nil, message: "division by zero: 1 / 0"),
        .init(line: 7, column: nil, message: "some message: with a colon"),
        .init(line: 5, column: 3, message: "another"),
        .init(line: 2, column: 4, message: "both"),
      ])
    XCTAssertEqual(expectations.stack, ["inner", "outer"])
  }

  func testEmptyStackAndMalformedComments() {
    XCTAssertEqual(Golden.Expectations.parse("// stack:").stack, [])
    let bad = Golden.Expectations.parse(
      """
      print(1) // expect 1
      print(2) // errors: x
      print(3) // error at row 2: x
      // stack f
      """)
    XCTAssertEqual(bad.problems.count, 4, "\(bad.problems)")
    XCTAssertTrue(bad.isEmpty)
  }

  func testRunnerReportsMismatches() {
    // Each of these must fail; a runner that passes them checks nothing.
    let wrong = [
      "print(1) // expect: 2",
      "print(1)\nprint(2) // expect: 2",
      "print(1) // expect: 1\n// expect: 2",
      "print(1 / 0) // error: division by zero: 1 / 1",
      "\nprint(1 / 0)\n// error at line 3: division by zero: 1 / 0",
      "print(1 / 0) // error at column 1: division by zero: 1 / 0",
      "print(1) // error: something",
      "let x = ) // error: expected an expression, found ')'\nlet y = ]",
      "func f() { 1 / 0 } // error: division by zero: 1 / 0\nf()\n// stack: g",
      "",
      "print(1) // expect 1",
      // A secret's text in the output fails the fixture, whatever the expectations say.
      "print(\"tok-golden-5e1f0c9a\") // expect: tok-golden-5e1f0c9a",
    ]
    for text in wrong {
      XCTAssertNotNil(Golden.check(name: "wrong", text: text), "should fail: \(text)")
    }
    // A loop that outlives the time limit fails instead of hanging the suite; it is finite,
    // so the thread left behind ends on its own.
    let slow = "var i = 0\nwhile i < 100_000_000 { i += 1 }\nprint(i) // expect: 100000000"
    XCTAssertNotNil(Golden.check(name: "slow", text: slow, timeout: 0.2))
    let right = [
      "print(1) // expect: 1",
      "print(1, terminator: \"\")\nprint(2) // expect: 12",
      "print(1 / 0) // error at column 9: division by zero: 1 / 0",
      "\nprint(1 / 0)\n// error at line 2, column 9: division by zero: 1 / 0",
      "func f() { 1 / 0 } // error: division by zero: 1 / 0\nf()\n// stack: f",
      "let x = ) // error: expected an expression, found ')'\nlet y = ] // error: expected an expression, found ']'",
    ]
    for text in right {
      XCTAssertNil(Golden.check(name: "right", text: text), "should pass: \(text)")
    }
  }

  func testEveryFixtureIsWellFormed() throws {
    let fixtures = try Golden.fixtureFiles()
    XCTAssertGreaterThanOrEqual(fixtures.count, 100, "the golden suite has lost fixtures")
    var areas: Set<String> = []
    for fixture in fixtures {
      let expectations = Golden.Expectations.parse(try String(contentsOf: fixture.url, encoding: .utf8))
      XCTAssertFalse(expectations.isEmpty, "\(fixture.name) has no expect or error comment")
      XCTAssertEqual(expectations.problems, [], "\(fixture.name) has malformed expectation comments")
      if expectations.stack != nil {
        XCTAssertFalse(expectations.errors.isEmpty, "\(fixture.name) has a stack but no error")
      }
      areas.insert(String(fixture.name.split(separator: "/").first ?? ""))
    }
    XCTAssertGreaterThanOrEqual(areas.count, 15, "fixtures are grouped by area: \(areas.sorted())")
    let modules = try Golden.fixturesFolder().appendingPathComponent("modules")
    XCTAssertTrue(FileManager.default.fileExists(atPath: modules.appendingPathComponent("greet.seed").path))
  }
}

/// Finding, reading and running fixtures.
enum Golden {
  static let stackSize = 512 << 20
  /// Long enough for the fixtures that build and free values a million levels deep (about
  /// 5 s each in a debug build, several times that on a loaded machine); an endless loop
  /// still ends the suite's run of its fixture, as a failure.
  static let timeout: TimeInterval = 90
  /// The environment `secret(name)` sees in fixtures; `EMPTY_TOKEN` is set to nothing, and
  /// `UNLISTED_TOKEN` is set but not allowed.
  static let secrets = [
    "GOLDEN_TOKEN": "tok-golden-5e1f0c9a", "OTHER_TOKEN": "tok-other-77d2b4e1", "EMPTY_TOKEN": "",
    "UNLISTED_TOKEN": "tok-unlisted-3c9e0a71",
  ]
  /// The names fixtures may read, as a notebook's front matter would list them.
  static let allowedSecrets = ["GOLDEN_TOKEN", "OTHER_TOKEN", "EMPTY_TOKEN", "NOT_SET_ANYWHERE"]

  // MARK: - Files

  struct Fixture {
    /// `area/case.seed`, as failures name it.
    let name: String
    let url: URL
  }

  static func fixturesFolder() throws -> URL {
    guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
      throw NSError(domain: "GoldenTests", code: 1, userInfo: [NSLocalizedDescriptionKey: "Fixtures is not in the test bundle"])
    }
    return url
  }

  /// Every fixture, sorted by name; the modules folder holds imports, not tests.
  static func fixtureFiles() throws -> [Fixture] {
    let root = try fixturesFolder().standardizedFileURL
    guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
    var fixtures: [Fixture] = []
    for case let url as URL in walker where url.pathExtension == "seed" {
      let path = url.standardizedFileURL.path
      let name = String(path.dropFirst(root.path.count + 1))
      if name.hasPrefix("modules/") { continue }
      fixtures.append(Fixture(name: name, url: url))
    }
    return fixtures.sorted { $0.name < $1.name }
  }

  // MARK: - Expectations

  struct ExpectedError: Hashable, CustomStringConvertible {
    var line: Int
    var column: Int?
    var message: String

    var description: String { "line \(line)\(column.map { ", column \($0)" } ?? ""): \(message)" }
  }

  /// The expectations written in a fixture's comments.
  struct Expectations {
    var output: [String] = []
    var errors: [ExpectedError] = []
    /// The function names of the runtime error's call stack, innermost first.
    var stack: [String]?
    /// Comments that look like expectations but cannot be read; the fixture fails.
    var problems: [String] = []

    var isEmpty: Bool { output.isEmpty && errors.isEmpty }

    static let markers = ["// expect", "// error", "// stack"]

    static func parse(_ text: String) -> Expectations {
      var result = Expectations()
      for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
        let number = index + 1
        // The first marker on the line wins; its payload is the rest of the line.
        let found = markers.compactMap { marker in line.range(of: marker).map { (marker, $0) } }
          .min { $0.1.lowerBound < $1.1.lowerBound }
        guard let (marker, range) = found else { continue }
        let rest = line[range.upperBound...]
        switch marker {
        case "// expect":
          guard rest.hasPrefix(":") else {
            result.problems.append("line \(number): write '// expect: TEXT'")
            continue
          }
          let payload = rest.dropFirst()
          result.output.append(String(payload.hasPrefix(" ") ? payload.dropFirst() : payload))
        case "// error":
          if rest.hasPrefix(": ") {
            result.errors.append(ExpectedError(line: number, column: nil, message: String(rest.dropFirst(2))))
          } else if rest.hasPrefix(" at "), let colon = rest.range(of: ": ") {
            // `at line N`, `at column N` or `at line N, column M`.
            var line = number
            var column: Int?
            var valid = true
            for part in rest[rest.index(rest.startIndex, offsetBy: 4)..<colon.lowerBound].components(separatedBy: ", ") {
              let words = part.split(separator: " ")
              guard words.count == 2, let value = Int(words[1]) else {
                valid = false
                break
              }
              switch words[0] {
              case "line": line = value
              case "column": column = value
              default: valid = false
              }
            }
            if valid {
              result.errors.append(ExpectedError(line: line, column: column, message: String(rest[colon.upperBound...])))
            } else {
              result.problems.append("line \(number): write '// error at line N, column M: MESSAGE'")
            }
          } else {
            result.problems.append("line \(number): write '// error: MESSAGE' or '// error at column N: MESSAGE'")
          }
        default:
          guard rest.hasPrefix(":") else {
            result.problems.append("line \(number): write '// stack: f, g'")
            continue
          }
          result.stack = rest.dropFirst().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        }
      }
      return result
    }
  }

  // MARK: - Running

  /// What one run of a fixture produced.
  struct Outcome {
    struct ActualError: CustomStringConvertible {
      var line: Int
      var column: Int
      var message: String
      var stack: [String]

      var description: String { "line \(line), column \(column): \(message)" }
    }

    var output: [String] = []
    var errors: [ActualError] = []
    var otherError: String?
    var timedOut = false
  }

  /// Collects output items as lines; tables and other rich items contribute their plain text.
  final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    private static let limit = 1 << 20

    func record(_ item: OutputItem) {
      lock.lock()
      defer { lock.unlock() }
      guard text.utf8.count < OutputCollector.limit else { return }
      if case .text(let string) = item {
        text += string
      } else {
        if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
        text += item.plainText + "\n"
      }
    }

    var lines: [String] {
      lock.lock()
      defer { lock.unlock() }
      guard !text.isEmpty else { return [] }
      var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      if text.hasSuffix("\n") { lines.removeLast() }
      return lines
    }
  }

  private final class Completion: @unchecked Sendable {
    var error: Error?
  }

  /// Runs a fixture in a fresh interpreter on a thread with a large stack, within a time limit.
  static func run(
    name: String, text: String, timeout: TimeInterval = Golden.timeout, options: CompilerOptions = CompilerOptions()
  ) -> Outcome {
    let collector = OutputCollector()
    let completion = Completion()
    let done = DispatchSemaphore(value: 0)
    let modules = try? fixturesFolder().appendingPathComponent("modules")
    let thread = Thread {
      let interpreter = Interpreter(options: options)
      interpreter.outputHandler = collector.record
      let access = SecretAccess(lookup: { Golden.secrets[$0] }, howToAllow: { "allow \($0) to read it" })
      for name in Golden.allowedSecrets { access.allow(name, by: .frontMatter) }
      interpreter.defineSecretBuiltin(access)
      interpreter.moduleLoader = { module in
        guard let file = modules?.appendingPathComponent("\(module).seed"),
          let source = try? String(contentsOf: file, encoding: .utf8)
        else { return .notFound(searched: ["Fixtures/modules"]) }
        return .found(SourceText(file: "modules/\(module).seed", text: source))
      }
      do {
        try interpreter.run(SourceText(file: name, text: text))
      } catch {
        completion.error = error
      }
      done.signal()
    }
    thread.stackSize = stackSize
    thread.start()
    var outcome = Outcome()
    if done.wait(timeout: .now() + timeout) == .timedOut {
      // The thread cannot be stopped; it is left to finish on its own.
      outcome.timedOut = true
      outcome.output = collector.lines
      return outcome
    }
    outcome.output = collector.lines
    switch completion.error {
    case nil: break
    case let diagnostic as Diagnostic:
      outcome.errors = [actual(diagnostic, in: name)]
    case let list as DiagnosticList:
      outcome.errors = list.diagnostics.map { actual($0, in: name) }
    case let other?:
      outcome.otherError = "\(type(of: other)): \(other)"
    }
    return outcome
  }

  /// An error's position in the fixture: where it happened, or, when that is inside a module or
  /// the core library, the innermost call in the fixture that led there.
  private static func actual(_ diagnostic: Diagnostic, in name: String) -> Outcome.ActualError {
    var line = 0, column = 0
    if let location = diagnostic.location, location.source.file == name {
      (line, column) = (location.line, location.column)
    } else if let entry = diagnostic.callStack.first(where: { $0.location.source.file == name }) {
      (line, column) = (entry.location.line, entry.location.column)
    }
    return .init(line: line, column: column, message: diagnostic.message, stack: diagnostic.callStack.map(\.function))
  }

  // MARK: - Checking

  /// Runs a fixture and compares what it did with its expectations; nil when they agree,
  /// else a readable account of every difference.
  static func check(name: String, text: String, timeout: TimeInterval = Golden.timeout) -> String? {
    let expected = Expectations.parse(text)
    var problems: [String] = expected.problems.map { "malformed expectation: \($0)" }
    if expected.isEmpty { problems.append("the fixture has no '// expect:' or '// error:' comment") }

    // Every fixture runs twice, with the emitter's specialisations and without: the fast
    // paths must do exactly what the general paths do.
    let outcome = run(name: name, text: text, timeout: timeout)
    let general = run(name: name, text: text, timeout: timeout, options: CompilerOptions(specialisations: false))
    if let difference = differences(specialised: outcome, general: general) {
      problems.append("specialisations on and off differ:\n" + difference)
    }
    if outcome.timedOut {
      problems.append("timed out after \(Int(timeout)) s (an endless loop?)")
    }
    if let other = outcome.otherError { problems.append("threw an unexpected error: \(other)") }

    let shown = outcome.output + outcome.errors.map(\.message) + [outcome.otherError ?? ""]
    for text in secrets.values where !text.isEmpty && shown.contains(where: { $0.contains(text) }) {
      problems.append("the text of a secret was shown: \(text)")
    }
    if outcome.output != expected.output {
      problems.append("output differs:\n" + diff(expected: expected.output, actual: outcome.output))
    }

    if !outcome.timedOut {
      problems += compareErrors(expected.errors, outcome.errors)
    }

    if let stack = expected.stack {
      if outcome.errors.count == 1, stack != outcome.errors[0].stack {
        problems.append(
          "call stack differs:\n  expected: \(stack.joined(separator: ", "))\n  actual:   \(outcome.errors[0].stack.joined(separator: ", "))")
      } else if outcome.errors.count != 1 {
        problems.append("a call stack is expected, but there was no single runtime error")
      }
    }
    return problems.isEmpty ? nil : problems.joined(separator: "\n")
  }

  /// What differs between a fixture's runs with specialisations and without: output,
  /// errors with their places and call stacks, other failures; nil when nothing does.
  static func differences(specialised: Outcome, general: Outcome) -> String? {
    if specialised.timedOut || general.timedOut { return nil }
    var lines: [String] = []
    if specialised.output != general.output {
      lines.append("output (- specialised, + general):\n" + diff(expected: specialised.output, actual: general.output))
    }
    let describe = { (errors: [Outcome.ActualError]) in errors.map { "\($0) [stack: \($0.stack.joined(separator: ", "))]" } }
    if describe(specialised.errors) != describe(general.errors) {
      lines.append("errors:\n  specialised: \(describe(specialised.errors))\n  general:     \(describe(general.errors))")
    }
    if specialised.otherError != general.otherError {
      lines.append("other errors: \(specialised.otherError ?? "none") vs \(general.otherError ?? "none")")
    }
    return lines.isEmpty ? nil : lines.joined(separator: "\n")
  }

  private static func compareErrors(_ expected: [ExpectedError], _ actual: [Outcome.ActualError]) -> [String] {
    if expected.isEmpty && actual.isEmpty { return [] }
    if expected.isEmpty {
      return ["unexpected error:\n" + actual.map { "  \($0)" }.joined(separator: "\n")]
    }
    if actual.isEmpty {
      return ["ran without error, but expected:\n" + expected.map { "  \($0)" }.joined(separator: "\n")]
    }
    var unmatched = actual
    var missing: [ExpectedError] = []
    for want in expected {
      let index = unmatched.firstIndex { got in
        got.line == want.line && got.message == want.message && (want.column == nil || want.column == got.column)
      }
      if let index { unmatched.remove(at: index) } else { missing.append(want) }
    }
    if missing.isEmpty && unmatched.isEmpty { return [] }
    var lines = ["errors differ:"]
    lines += missing.map { "  expected but not reported: \($0)" }
    lines += unmatched.map { "  reported but not expected: \($0)" }
    return [lines.joined(separator: "\n")]
  }

  /// Expected and actual output side by side, the differing lines marked.
  static func diff(expected: [String], actual: [String]) -> String {
    var lines: [String] = []
    for index in 0..<max(expected.count, actual.count) {
      let want = index < expected.count ? expected[index] : nil
      let got = index < actual.count ? actual[index] : nil
      if want == got {
        lines.append("    \(index + 1): \(want!)")
      } else {
        lines.append("  - \(index + 1): \(want.map { "\"\($0)\"" } ?? "(no line)")")
        lines.append("  + \(index + 1): \(got.map { "\"\($0)\"" } ?? "(no line)")")
      }
    }
    return "  (- expected, + actual)\n" + lines.joined(separator: "\n")
  }
}
