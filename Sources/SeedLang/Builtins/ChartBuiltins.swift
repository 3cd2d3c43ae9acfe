/// `chart(kind, data, title:, x_label:, y_label:)`: a bar, line or scatter chart as an output
/// item for `display`.
///
/// `data` is one of:
/// - a dict of numbers: one point per key, the keys as categories (`["a": 1, "b": 2]`);
/// - a list of numbers: the y values at x = 0, 1, 2, ...;
/// - a list of `[x, y]` pairs: x numbers, or strings that become categories;
/// - a dict of such lists: one series per key, named by it.
enum ChartBuiltins {
  static let labels: Set<String> = ["title", "x_label", "y_label"]

  static let functions: [(String, NativeFunction)] = [
    ("chart", .init(chart))
  ]

  static func chart(_ args: inout Arguments) throws -> Value {
    try args.checkLabels(labels)
    try args.expect(2)
    let kindName = try args.string(0)
    guard let kind = Chart.Kind(rawValue: kindName) else {
      throw RuntimeFailure(
        "chart(): unknown kind \(Value.quoted(kindName)); use one of: \(Chart.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    func label(_ name: String) throws -> String {
      guard let value = args.named(name) else { return "" }
      guard case .string(let text) = value else { throw RuntimeFailure("chart(): '\(name)' must be a string") }
      return text
    }
    var builder = Builder()
    switch args[1] {
    case .dict(let dict) where dict.entries.values.allSatisfy({ if case .list = $0 { return true } else { return false } }) && !dict.entries.isEmpty:
      for (key, value) in dict.entries {
        guard case .list(let list) = value else { continue }
        builder.series.append(Chart.Series(name: key.value.description, points: try builder.points(list.items)))
      }
    case .dict(let dict):
      var points: [Chart.Point] = []
      for (key, value) in dict.entries {
        points.append(Chart.Point(x: builder.category(key.value.description), y: try Builder.number(value, "value of \(key.value.description)")))
      }
      builder.series.append(Chart.Series(name: "", points: points))
    case .list(let list):
      builder.series.append(Chart.Series(name: "", points: try builder.points(list.items)))
    default:
      throw args.failure(1, expected: "a list or a dict")
    }
    // Bars stand on categories: numbers become their names.
    if kind == .bar && builder.categories.isEmpty {
      let xs = Array(Set(builder.series.flatMap { $0.points.map(\.x) })).sorted()
      builder.categories = xs.map(Chart.number)
      let index = Dictionary(uniqueKeysWithValues: xs.enumerated().map { ($1, Double($0)) })
      for s in builder.series.indices {
        builder.series[s].points = builder.series[s].points.map { Chart.Point(x: index[$0.x] ?? $0.x, y: $0.y) }
      }
    }
    return .output(
      .chart(
        Chart(
          kind: kind, title: try label("title"), xLabel: try label("x_label"), yLabel: try label("y_label"),
          categories: builder.categories, series: builder.series)))
  }

  private struct Builder {
    var categories: [String] = []
    var series: [Chart.Series] = []
    var numericX = false

    mutating func category(_ name: String) -> Double {
      if let index = categories.firstIndex(of: name) { return Double(index) }
      categories.append(name)
      return Double(categories.count - 1)
    }

    static func number(_ value: Value, _ what: String) throws -> Double {
      switch value {
      case .int(let i): return Double(i)
      case .float(let f) where f.isFinite: return f
      default: throw RuntimeFailure("chart(): \(what) must be a finite number, got \(value.typeName)")
      }
    }

    mutating func points(_ items: [Value]) throws -> [Chart.Point] {
      var points: [Chart.Point] = []
      for (index, item) in items.enumerated() {
        if case .list(let pair) = item {
          guard pair.items.count == 2 else { throw RuntimeFailure("chart(): point \(index) must be [x, y]") }
          let x: Double
          if case .string(let name) = pair.items[0] {
            guard !numericX else { throw RuntimeFailure("chart(): point \(index) mixes a category with numeric x values") }
            x = category(name)
          } else {
            guard categories.isEmpty else { throw RuntimeFailure("chart(): point \(index) mixes a number with category x values") }
            numericX = true
            x = try Builder.number(pair.items[0], "x of point \(index)")
          }
          points.append(Chart.Point(x: x, y: try Builder.number(pair.items[1], "y of point \(index)")))
        } else {
          points.append(Chart.Point(x: Double(index), y: try Builder.number(item, "point \(index)")))
        }
      }
      return points
    }
  }
}
