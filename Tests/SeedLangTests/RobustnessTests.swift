import Foundation
import SeedLang
import XCTest

/// No input may crash or hang the interpreter: thousands of mangled programs are parsed,
/// compiled and run, each stopped by `interrupt()` if it is still running after a moment.
final class RobustnessTests: XCTestCase {
  static let seeds = [
    """
    func fib(n) {
      if n < 2 { return n }
      return fib(n - 1) + fib(n - 2)
    }
    let xs = [1, 2, 3].map { x in x * fib(x) }
    var d = ["a": [1, 2], "b": "text \\(xs[0])"]
    d.c = xs[1..<3]
    for k, v in d.items() { print(k, v) }
    """,
    """
    let s = \"\"\"
        multi \\(1 + 2)
        line
        \"\"\"
    var total = 0.0
    for i in 0..<10 {
      if i % 2 == 0 { continue } else if i > 7 { break }
      total += float(i) / 3
    }
    print(s.split("\\n"), total, json_encode(["k": [nil, true, 1.5]]))
    """,
    """
    func make(step = 1) {
      var n = 0
      return { n += step; return n }
    }
    let counter = make(step: 2)
    counter(); counter()
    let v = vector([1, 2, 3]) * 2.0
    print(dot(v, v), norm(v), sorted([3, 1, 2], by: { a, b in a > b }))
    while counter() < 100 { }
    display(table([[1, "a"]], headers: ["n", "s"]), json(json_decode("[1, {\\"x\\": null}]")))
    """,
  ]

  static let fragments = [
    "(", ")", "{", "}", "[", "]", "\"", "\"\"\"", "\\(", "..<", "...", "func", "in", "let", "var", ",", ":", "=",
    "+=", "return", "break", "while true", "for x in", "if", "else", ".", "?", "??", "//", "/*", "*/", "\n", "-",
    "9223372036854775807", "0x", "1e999", "nil", "[:]", "{ x in x }", "import nowhere", "\\u{110000}",
  ]

  func testMangledProgramsNeverCrashOrHang() throws {
    var generator = SplitMix64(seed: 0x5EED)
    var outcomes = [String: Int]()
    for round in 0..<2_000 {
      var text = Array(RobustnessTests.seeds[round % RobustnessTests.seeds.count].unicodeScalars)
      for _ in 0..<(1 + Int(generator.next() % 4)) {
        mutate(&text, &generator)
      }
      var program = String.UnicodeScalarView()
      program.append(contentsOf: text)
      outcomes[run(String(program)), default: 0] += 1
    }
    // Every kind of ending happened, so the mangling explored both parser and runtime.
    XCTAssertGreaterThan(outcomes["syntax", default: 0], 100, "\(outcomes)")
    XCTAssertGreaterThan(outcomes["runtime", default: 0], 50, "\(outcomes)")
    XCTAssertGreaterThan(outcomes["ok", default: 0], 50, "\(outcomes)")
  }

  func testDeepNestingIsAnErrorNotACrash() {
    for text in [
      String(repeating: "(", count: 100_000),
      String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000),
      "let x = " + String(repeating: "1 + ", count: 100_000) + "1",
      String(repeating: "{ ", count: 50_000),
      String(repeating: "-", count: 100_000) + "1",
      String(repeating: "if true { ", count: 10_000),
      "var x = 1\n" + String(repeating: "x.a", count: 10_000),
    ] {
      XCTAssertEqual(run(text), "syntax", String(text.prefix(40)))
    }
  }

  func testSelfContainingStructuresAreReportedNotRecursedForever() {
    XCTAssertEqual(run("let a = []\na.append(a)\nprint(a)"), "ok")
    XCTAssertEqual(run("let a = []\nlet b = []\na.append(a)\nb.append(b)\nprint(a == b)"), "runtime")
    XCTAssertEqual(run("let a = []\na.append(a)\nprint(json_encode(a))"), "runtime")
  }

  /// Runs a program on a large stack, interrupting it after 100 ms; names how it ended.
  func run(_ text: String) -> String {
    let interpreter = Interpreter()
    final class Ending: @unchecked Sendable { var name = "" }
    let ending = Ending()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      do {
        try interpreter.run(SourceText(file: "mangled.seed", text: text))
        ending.name = "ok"
      } catch let list as DiagnosticList {
        _ = list.rendered()
        ending.name = "syntax"
      } catch let diagnostic as Diagnostic {
        _ = diagnostic.rendered()
        ending.name = "runtime"
      } catch {
        ending.name = "other: \(error)"
      }
      done.signal()
    }
    thread.stackSize = 1 << 30
    thread.start()
    if done.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
      interpreter.interrupt()
      if done.wait(timeout: .now() + .seconds(10)) == .timedOut {
        XCTFail("did not stop when interrupted:\n\(text)")
        return "hung"
      }
    }
    return ending.name
  }

  private func mutate(_ text: inout [Unicode.Scalar], _ generator: inout SplitMix64) {
    guard !text.isEmpty else { return }
    let position = Int(generator.next() % UInt64(text.count))
    switch generator.next() % 4 {
    case 0:
      let length = min(text.count - position, Int(generator.next() % 12))
      text.removeSubrange(position..<(position + length))
    case 1:
      let fragment = RobustnessTests.fragments[Int(generator.next() % UInt64(RobustnessTests.fragments.count))]
      text.insert(contentsOf: fragment.unicodeScalars, at: position)
    case 2:
      let length = min(text.count - position, Int(generator.next() % 20))
      text.insert(contentsOf: text[position..<(position + length)], at: position)
    default:
      let other = Int(generator.next() % UInt64(text.count))
      text.swapAt(position, other)
    }
  }
}

/// A small deterministic generator, so that a failure can be replayed.
struct SplitMix64 {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// A host that makes an interpreter per input (a fuzzer, a test suite) must get its memory
/// back: the compiled code and global functions must not keep their interpreter alive.
final class InterpreterLifetimeTests: XCTestCase {
  func testAnInterpreterIsFreedWhenItsHostLetsGo() throws {
    weak var released: Interpreter?
    do {
      let interpreter = Interpreter()
      try interpreter.run(
        SourceText(
          file: "lifetime.seed",
          text: "func even(n) { if n == 0 { return true }\n return odd(n - 1) }\nfunc odd(n) { return n != 0 && even(n - 1) }\nwhile false { }\nprint(even(10), [1, 2].map { x in x * 2 })"
        ))
      released = interpreter
    }
    XCTAssertNil(released, "the interpreter outlived its last reference")
  }
}
