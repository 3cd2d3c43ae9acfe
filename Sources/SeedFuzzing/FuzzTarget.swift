/// SeedFuzzing drives seednb's readers and interpreter with arbitrary bytes. The libFuzzer
/// executables in `fuzz/` call these entry points, and the regression tests replay every input
/// fuzzing once found through the same ones, so a fixed crash stays fixed in a plain
/// `swift test`.
///
/// `violations` returns the invariants an input broke (a notebook prints back byte for byte,
/// JSON survives writing and reading again), as messages the regression tests assert on;
/// `run`, which libFuzzer drives, traps on the first, since a trap is what libFuzzer finds.
/// Both return normally for every input whatever errors the code under test throws; only a
/// crash or a hang in seednb itself stops them.
public enum FuzzTarget: String, CaseIterable, Sendable {
  /// The lexer, parser and compiler of SeedLang, and the rendering of their diagnostics.
  case language
  /// The `.seednb` reader: front matter, fences, cell attributes; then each cell's code.
  case notebook
  /// Parsed programs run on a fresh interpreter with the standard builtins.
  case interpreter
  /// The LLM client's readers: JSON, chat and embedding answers, streamed chat events.
  case responses

  /// Runs one input through the target; returns the invariants it broke, none when it passed.
  public func violations(_ bytes: [UInt8]) -> [String] {
    var found: [String] = []
    switch self {
    case .language: LanguageFuzzing.run(bytes, violations: &found)
    case .notebook: NotebookFuzzing.run(bytes, violations: &found)
    case .interpreter: InterpreterFuzzing.run(bytes)
    case .responses: ResponseFuzzing.run(bytes, violations: &found)
    }
    return found
  }

  /// Runs one input through the target, and traps on a broken invariant for libFuzzer to find.
  public func run(_ bytes: [UInt8]) {
    if let first = violations(bytes).first { fatalError("\(rawValue): \(first)") }
  }
}
