import Foundation
import OrderedCollections
import SeedJSON
import SeedLang

/// The values a notebook names with `record(name, value)`: a run's own summary figures,
/// which `seednb sweep` shows as columns of its index. A restored cell's code runs again, so
/// a cached run records the same values.
public final class SummaryValues: @unchecked Sendable {
  private let lock = NSLock()
  private var values: OrderedDictionary<String, JSONValue> = [:]

  public init() {}

  /// Each name once, in the order first recorded, with the value recorded last.
  public var recorded: OrderedDictionary<String, JSONValue> { lock.withLock { values } }

  // record(name, value): a string, number, bool or nil, shown in one cell of a table.
  public func install(in interpreter: Interpreter) {
    interpreter.defineBuiltin("record") { [self] args in
      try args.checkLabels([])
      try args.expect(2)
      guard case .string(let name) = args[0] else { throw args.failure(0, expected: "a name (a string)") }
      guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.count <= 100 else {
        throw RuntimeFailure("record(): the name must be 1 to 100 characters, not '\(name)'")
      }
      let json: JSONValue
      switch args[1] {
      case .nil: json = .null
      case .bool(let b): json = .bool(b)
      case .int(let i): json = .int(i)
      case .float(let f) where f.isFinite: json = .double(f)
      case .string(let s): json = .string(s)
      case let other:
        throw RuntimeFailure(
          "record(): '\(name)' must be a string, number, bool or nil (one cell of a table), not \(other.typeName)")
      }
      lock.withLock { values[name] = json }
      return .nil
    }
  }
}
