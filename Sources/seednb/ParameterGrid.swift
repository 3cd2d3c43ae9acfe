/// The runs of a sweep: `-p key=value` given once or more per key, expanded to every
/// combination of one value per key (the Cartesian product), keys in the order first given.
struct ParameterGrid: Equatable {
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  /// Each key with its values, in the order given; a value given twice counts once.
  let axes: [(key: String, values: [String])]

  static func == (a: ParameterGrid, b: ParameterGrid) -> Bool {
    a.axes.map(\.key) == b.axes.map(\.key) && a.axes.map(\.values) == b.axes.map(\.values)
  }

  init(_ assignments: [String]) throws {
    var axes: [(key: String, values: [String])] = []
    for assignment in assignments {
      // Scalars, as `seednb run` reads -p, so that an '=' before a combining mark is found.
      let scalars = assignment.unicodeScalars
      guard let equals = scalars.firstIndex(of: "=") else {
        throw Failure(description: "-p '\(assignment)' is not key=value: write -p \(assignment.isEmpty ? "name" : assignment)=VALUE")
      }
      let key = String(Substring(scalars[..<equals]))
      let value = String(Substring(scalars[scalars.index(after: equals)...]))
      if let index = axes.firstIndex(where: { $0.key == key }) {
        if !axes[index].values.contains(value) { axes[index].values.append(value) }
      } else {
        axes.append((key, [value]))
      }
    }
    self.axes = axes
  }

  var keys: [String] { axes.map(\.key) }

  /// Every combination, the last key varying fastest; one empty combination when no key is
  /// given (the notebook's defaults).
  var combinations: [[(key: String, value: String)]] {
    var result: [[(key: String, value: String)]] = [[]]
    for axis in axes {
      result = result.flatMap { prefix in axis.values.map { prefix + [(axis.key, $0)] } }
    }
    return result
  }
}
