/// SeedFuzzing drives seednb's readers and interpreter with arbitrary bytes. The libFuzzer
/// executables in `fuzz/` call these entry points, and the regression tests replay every input
/// fuzzing once found through the same ones, so a fixed crash stays fixed in a plain
/// `swift test`.
///
/// An entry point returns normally for every input, whatever errors the code under test
/// throws; it traps only where seednb itself would crash, hang past libFuzzer's timeout, or
/// break one of the invariants checked here (a notebook prints back byte for byte, JSON
/// survives writing and reading again).
public enum FuzzTarget: String, CaseIterable, Sendable {
  /// The lexer, parser and compiler of SeedLang, and the rendering of their diagnostics.
  case language
  /// The `.seednb` reader: front matter, fences, cell attributes; then each cell's code.
  case notebook
  /// Parsed programs run on a fresh interpreter with the standard builtins.
  case interpreter
  /// The LLM client's readers: JSON, chat and embedding answers, streamed chat events.
  case responses

  /// Runs one input through the target.
  public func run(_ bytes: [UInt8]) {
    switch self {
    case .language: LanguageFuzzing.run(bytes)
    case .notebook: NotebookFuzzing.run(bytes)
    case .interpreter: InterpreterFuzzing.run(bytes)
    case .responses: ResponseFuzzing.run(bytes)
    }
  }
}
