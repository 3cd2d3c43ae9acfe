import Foundation
import SeedLang

/// Writes to standard output and error; colour only when asked for (a terminal, no NO_COLOR).
struct Output {
  let colors: Bool

  func out(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
  }

  /// An error line, in red on a terminal, as `seednb run` prints it.
  func error(_ text: String) {
    FileHandle.standardError.write(Data((styled(text, "31") + "\n").utf8))
  }

  func styled(_ text: String, _ code: String) -> String {
    colors ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }

  func printer() -> OutputPrinter { OutputPrinter(output: self) }
}

/// Prints outputs as they arrive, keeping separate items on separate lines.
final class OutputPrinter: @unchecked Sendable {
  let output: Output
  private var atLineStart = true

  init(output: Output) { self.output = output }

  func print(_ item: OutputItem) {
    switch item {
    case .text(let text):
      write(text)
    default:
      finishLine()
      output.out(item.plainText + "\n")
    }
  }

  /// Text as it streams: a chat answer token by token.
  func write(_ text: String) {
    guard !text.isEmpty else { return }
    output.out(text)
    atLineStart = text.hasSuffix("\n")
  }

  func finishLine() {
    if !atLineStart {
      output.out("\n")
      atLineStart = true
    }
  }
}
