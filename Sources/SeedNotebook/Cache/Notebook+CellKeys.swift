import OrderedCollections
import SeedJSON

extension Notebook {
  /// What each cell's key is made of, in order, for a run with these parameters (see
  /// `CellDataflow`); `modules` finds what `import` reads, by default as a run finds it.
  public func cellKeyInputs(
    runtime: String, parameters: OrderedDictionary<String, ParameterValue>, modules: ModuleSearchPath? = nil
  ) -> [CellKeyInputs] {
    let search = modules ?? .forNotebook(at: file)
    return CellDataflow.keyInputs(notebook: self, parameters: parameters, runtime: runtime, modules: search.lookup)
  }

  /// The key of each cell, in order, as `NotebookRunner` computes them for a run with these
  /// parameters: what `check`, `render` and `cache ls` look entries up by without running.
  public func cellKeys(runtime: String, parameters: OrderedDictionary<String, ParameterValue>) -> [String] {
    cellKeyInputs(runtime: runtime, parameters: parameters).map(\.key)
  }
}
