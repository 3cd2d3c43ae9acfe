/// The arguments of a builtin call, read in place from the value stack.
///
/// Positional arguments come first (the parser allows no positional after a named one), so
/// `self[i]` is the i-th positional argument and `named(_:)` finds the labelled ones.
public struct Arguments {
  /// Not retained: arguments live only for the call, inside the interpreter's run.
  public unowned(unsafe) let interpreter: Interpreter
  let values: UnsafeMutablePointer<Value>
  /// All arguments, positional and named.
  public let count: Int
  let labels: [String?]?
  /// The builtin called, for its name in error messages. Not retained: the caller holds it
  /// for the call, and a reference rather than the name itself spares every call a retain
  /// and a release of the string.
  let builtin: Unmanaged<Builtin>

  /// The builtin's name, for error messages.
  public var function: String { builtin._withUnsafeGuaranteedRef { $0.name } }

  /// How many arguments have no label.
  public var positionalCount: Int {
    guard let labels else { return count }
    return labels.firstIndex(where: { $0 != nil }) ?? count
  }

  public subscript(index: Int) -> Value { values[index] }

  /// The argument with this label, if given.
  public func named(_ label: String) -> Value? {
    guard let labels else { return nil }
    for index in 0..<count where labels[index] == label { return values[index] }
    return nil
  }

  /// The labels given that are not among `allowed`; builtins report them as errors.
  public func checkLabels(_ allowed: Set<String>) throws {
    guard let labels else { return }
    for case let label? in labels where !allowed.contains(label) {
      let known = allowed.sorted().joined(separator: ", ")
      throw RuntimeFailure("\(function)() has no parameter named '\(label)'\(known.isEmpty ? "" : " (it takes: \(known))")")
    }
  }

  /// Checks the number of positional arguments.
  public func expect(_ range: ClosedRange<Int>) throws {
    let n = positionalCount
    guard range.contains(n) else {
      let wanted =
        range.lowerBound == range.upperBound
        ? "\(range.lowerBound) argument\(range.lowerBound == 1 ? "" : "s")"
        : "\(range.lowerBound) to \(range.upperBound) arguments"
      throw RuntimeFailure("\(function)() takes \(wanted) but \(n) \(n == 1 ? "was" : "were") given")
    }
  }

  public func expect(_ n: Int) throws { try expect(n...n) }

  public func failure(_ index: Int, expected: String) -> RuntimeFailure {
    RuntimeFailure("\(function)() expects \(expected) as argument \(index + 1), got \(values[index].typeName)")
  }

  public func int(_ index: Int) throws -> Int {
    if case .int(let i) = values[index] { return i }
    throw failure(index, expected: "an int")
  }

  /// An int or a float, as a float.
  public func number(_ index: Int) throws -> Double {
    switch values[index] {
    case .int(let i): return Double(i)
    case .float(let f): return f
    default: throw failure(index, expected: "a number")
    }
  }

  public func string(_ index: Int) throws -> String {
    if case .string(let s) = values[index] { return s }
    throw failure(index, expected: "a string")
  }

  public func list(_ index: Int) throws -> ListObject {
    if case .list(let l) = values[index] { return l }
    throw failure(index, expected: "a list")
  }

  public func dict(_ index: Int) throws -> DictObject {
    if case .dict(let d) = values[index] { return d }
    throw failure(index, expected: "a dict")
  }

  public func function(_ index: Int) throws -> Value {
    switch values[index] {
    case .closure, .builtin: return values[index]
    default: throw failure(index, expected: "a function")
    }
  }
}
