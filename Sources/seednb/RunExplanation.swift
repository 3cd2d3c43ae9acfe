import Foundation
import SeedNotebook

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
