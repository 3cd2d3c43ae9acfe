import OrderedCollections
import SeedJSON

extension Notebook {
  /// The key of each cell, in order, as `NotebookRunner` computes them for a run with these
  /// parameters: what `check` and `cache ls` look entries up by without running anything.
  public func cellKeys(runtime: String, parameters: OrderedDictionary<String, ParameterValue>) -> [String] {
    let parameterJSON = JSONValue.object(parameters.map { JSONValue.Member(key: $0.key, value: $0.value.json) })
    return CacheKeys.cellKeys(runtime: runtime, parameters: parameterJSON, sources: cells.map(\.source))
  }
}
