import Dispatch
import SeedLang
import SeedNotebook

/// A program run as a notebook cell runs: on a fresh interpreter with the standard builtins and
/// the standard library's modules, on a large stack, its final value shown. A timer interrupts
/// it after `budget` seconds, as Ctrl-C would, so that endless loops end with an error; the
/// call-depth limit ends endless recursion. Outputs are rendered to text and dropped.
enum InterpreterFuzzing {
  static let budget = 0.5
  /// Outputs rendered per run; past it they are only counted, so a loop that prints does not
  /// spend the run's time in string building.
  static let renderedOutputs = 200
  static let modules = ModuleSearchPath(directories: [ModuleSearchPath.standardLibrary()].compactMap { $0 })

  static func run(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    LargeStack.run {
      let interpreter = Interpreter()
      interpreter.moduleLoader = { modules.lookup($0) }
      var outputs = 0
      interpreter.outputHandler = { item in
        outputs += 1
        if outputs <= renderedOutputs { _ = item.plainText }
      }
      // Held weakly: a cancelled timer lives on in its queue until its deadline, and the last
      // reference would free the interpreter, and everything its program built, on a thread
      // with a small stack.
      let timer = DispatchWorkItem { [weak interpreter] in interpreter?.interrupt() }
      DispatchQueue.global().asyncAfter(deadline: .now() + budget, execute: timer)
      defer { timer.cancel() }
      do {
        let value = try interpreter.run(SourceText(file: "fuzz.seed", text: text))
        _ = value.literalDescription
      } catch {
        _ = DiagnosticRendering.render(error)
      }
    }
  }
}
