import Foundation
import SeedNotebook

/// What the REPL prints as a notebook's cells run in it: the same lines as `seednb run`.
final class NotebookLines: NotebookObserver {
  let printer: OutputPrinter
  private let lock = NSLock()

  init(printer: OutputPrinter) { self.printer = printer }

  func notebook(_ event: NotebookEvent) {
    lock.withLock {
      let output = printer.output
      switch event {
      case .cellStarted(let cell, let status, let reason):
        printer.finishLine()
        output.out(output.styled(RunText.header(cell, status, reason), "1;36") + "\n")
      case .output(_, let item):
        printer.print(item)
      case .cellFinished(let report):
        printer.finishLine()
        if let error = report.result.error { output.error(error.description) }
      case .warning(let message):
        printer.finishLine()
        output.error("seednb: \(message)")
      case .requestStarted, .requestFinished, .token:
        break
      }
    }
  }
}
