import Foundation
import SeedLang
import SeedNotebook

/// What `seednb run` prints as a notebook runs: each cell's header with its status and why
/// it ran, its outputs as they come, its error, and what could not be read or saved.
final class RunLines: NotebookObserver {
  let printer: OutputPrinter
  private let lock = NSLock()

  init(printer: OutputPrinter) { self.printer = printer }

  func notebook(_ event: NotebookEvent) {
    // Requests in `parallel` report from their own threads.
    lock.withLock {
      let terminal = printer.terminal
      switch event {
      case .cellStarted(let cell, let status, let reason):
        printer.header(RunText.header(cell, status, reason))
      case .output(_, let item):
        printer.print(item)
      case .cellFinished(let report):
        printer.finishLine()
        if let error = report.result.error { terminal.err(terminal.styled(error.description, "31") + "\n") }
      case .warning(let message):
        printer.finishLine()
        terminal.err(terminal.styled("seednb: \(message)", "33") + "\n")
      case .requestStarted, .requestFinished, .token:
        break
      }
    }
  }
}

/// `seednb run --explain`: each cell's key and what it is made of, and whether a run would
/// restore it, without running anything.
enum RunExplanation {
  static func text(_ runner: NotebookRunner) -> String {
    var text = ""
    for (index, cell) in runner.session.notebook.cells.enumerated() {
      let inputs = runner.keyInputs[index]
      let plan = runner.plan(index)
      let outcome = plan.status == .cached ? "restored from the cache" : "runs (\(plan.reason?.description ?? plan.status.rawValue))"
      text += "\(cell.label): key \(inputs.key.prefix(12)) · \(outcome)\n"
      text += "  source      \(inputs.source.prefix(12))\n"
      let parameters = inputs.parameters.map { "\($0.name)=\($0.json)" }
      text += "  parameters  \(parameters.isEmpty ? "none" : parameters.joined(separator: ", "))\n"
      let upstream = inputs.upstream.map { "\($0.identity) (\($0.key.prefix(12)))" }
      text += "  depends on  \(upstream.isEmpty ? "no other cell" : upstream.joined(separator: ", "))\n"
      if !inputs.modules.isEmpty {
        let modules = inputs.modules.map { "\($0.name) (\($0.source.isEmpty ? "not found" : String($0.source.prefix(12))))" }
        text += "  modules     \(modules.joined(separator: ", "))\n"
      }
    }
    return text
  }
}
