import Foundation
import SeedLang
import SeedNotebook

/// Writes to standard output and error, with colour only on a terminal and never when
/// NO_COLOR is set.
struct Terminal {
  let colors: Bool

  init() {
    colors = isatty(STDOUT_FILENO) == 1 && ProcessEnvironment.current["NO_COLOR"].map(\.isEmpty) ?? true
  }

  func out(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
  }

  func err(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
  }

  func styled(_ text: String, _ code: String) -> String {
    colors ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }
}

/// Prints a cell's outputs as they arrive, keeping separate items on separate lines.
final class OutputPrinter {
  let terminal: Terminal
  /// When set, output is written under it (`StatusLine.write`).
  var statusLine: StatusLine?
  private var atLineStart = true

  init(terminal: Terminal) { self.terminal = terminal }

  private func out(_ text: String) {
    if let statusLine { statusLine.write(text) } else { terminal.out(text) }
  }

  func header(_ text: String) {
    finishLine()
    out(terminal.styled(text, "1;36") + "\n")
  }

  /// The run's last line.
  func summary(_ summary: NotebookRunner.Summary) {
    finishLine()
    out(terminal.styled(RunText.summary(summary), "2") + "\n")
  }

  func print(_ item: OutputItem) {
    switch item {
    case .text(let text):
      guard !text.isEmpty else { return }
      out(text)
      atLineStart = text.hasSuffix("\n")
    default:
      finishLine()
      out(item.plainText + "\n")
    }
  }

  func finishLine() {
    if !atLineStart {
      out("\n")
      atLineStart = true
    }
  }
}

extension RunTextPrinter {
  /// What `seednb run` prints as a notebook runs: headers and outputs on standard output,
  /// errors and warnings on standard error, in colour on a terminal.
  convenience init(printer: OutputPrinter) {
    let terminal = printer.terminal
    self.init(
      .init(
        header: { printer.header($0) }, output: { printer.print($0) },
        error: { terminal.err(terminal.styled($0, "31") + "\n") }, finishLine: { printer.finishLine() }))
  }
}
