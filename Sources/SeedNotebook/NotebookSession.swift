import OrderedCollections
import SeedLang

/// One run of a notebook: a single interpreter session in which its cells run in order,
/// with the notebook's parameters bound as globals.
public final class NotebookSession {
  public let notebook: Notebook
  public let interpreter: Interpreter
  /// What the notebook named with `record(name, value)`.
  public let summaryValues = SummaryValues()

  /// What went wrong in a cell.
  public enum CellError: Error, CustomStringConvertible {
    case syntax(DiagnosticList)
    case runtime(Diagnostic)

    public var description: String {
      switch self {
      case .syntax(let list): return list.rendered()
      case .runtime(let diagnostic): return diagnostic.rendered()
      }
    }
  }

  public struct CellResult {
    public let cell: Cell
    public var outputs: [OutputItem]
    public var error: CellError?
  }

  /// Its code reads and writes files only under `folder`, by default the notebook's own.
  /// `modules` is worked out on the first `import`, if any.
  public init(
    notebook: Notebook, parameters: OrderedDictionary<String, ParameterValue>,
    modules: @autoclosure @escaping () -> ModuleSearchPath,
    llm: LLMBindings? = nil, folder: NotebookFolder? = nil
  ) {
    self.notebook = notebook
    interpreter = Interpreter(options: .fromEnvironment())
    interpreter.moduleLoader = ModuleSearchPath.loader(modules)
    llm?.install(in: interpreter)
    FileBindings(folder: folder ?? .around(file: notebook.file)).install(in: interpreter)
    summaryValues.install(in: interpreter)
    for (name, value) in parameters { interpreter.define(name, value.value) }
  }

  /// A session over an interpreter that exists already (the REPL's), so that the notebook's
  /// cells run among the names defined there; its parameters are bound as globals.
  public init(notebook: Notebook, parameters: OrderedDictionary<String, ParameterValue>, interpreter: Interpreter) {
    self.notebook = notebook
    self.interpreter = interpreter
    for (name, value) in parameters { interpreter.define(name, value.value) }
  }

  public func source(of cell: Cell) -> SourceText {
    SourceText(file: notebook.file, unit: cell.label, text: cell.source, firstLine: cell.sourceLine)
  }

  /// Every syntax error in every cell, found without running anything.
  public func syntaxErrors() -> [Diagnostic] {
    var errors: [Diagnostic] = []
    for cell in notebook.cells {
      do { try interpreter.check(source(of: cell)) } catch let list as DiagnosticList {
        errors += list.diagnostics
      } catch let diagnostic as Diagnostic {
        errors.append(diagnostic)
      } catch {
        errors.append(Diagnostic(.syntax, "\(error)", at: nil))
      }
    }
    return errors
  }

  /// Runs one cell. Its outputs reach `onOutput` as they are made, and are returned; a
  /// final expression's value that is not nil is shown, as a notebook shows it.
  public func run(_ cell: Cell, onOutput: @escaping (OutputItem) -> Void = { _ in }) -> CellResult {
    var result = CellResult(cell: cell, outputs: [], error: nil)
    var outputs: [OutputItem] = []
    interpreter.outputHandler = { item in
      outputs.append(item)
      onOutput(item)
    }
    defer { interpreter.outputHandler = { _ in } }
    do {
      let value = try interpreter.run(source(of: cell))
      if case .nil = value {} else {
        // Through the output limit, as `print` is.
        try interpreter.record(.text(value.literalDescription + "\n"))
      }
    } catch let list as DiagnosticList {
      result.error = .syntax(list)
    } catch let diagnostic as Diagnostic {
      result.error = .runtime(diagnostic)
    } catch let failure as RuntimeFailure {
      result.error = .runtime(Diagnostic(.runtime, failure.message, at: nil))
    } catch {
      result.error = .runtime(Diagnostic(.runtime, "\(error)", at: nil))
    }
    result.outputs = NotebookSession.mergingText(outputs)
    return result
  }

  /// Adjacent text outputs (successive prints) become one, as a notebook's stream output does.
  static func mergingText(_ items: [OutputItem]) -> [OutputItem] {
    var merged: [OutputItem] = []
    for item in items {
      if case .text(let next) = item, case .text(let previous)? = merged.last {
        merged[merged.count - 1] = .text(previous + next)
      } else {
        merged.append(item)
      }
    }
    return merged
  }
}
