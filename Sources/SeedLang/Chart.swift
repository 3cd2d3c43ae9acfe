/// A chart that `display(chart(...))` records: bar, line or scatter, with a title, axis labels,
/// and one or more series of points. Reports draw it as SVG; a terminal gets a text sketch.
public struct Chart: Equatable, Codable, Sendable {
  public enum Kind: String, Codable, Sendable, CaseIterable {
    case bar, line, scatter
  }

  public struct Point: Equatable, Codable, Sendable {
    /// A number, or for a chart with categories the index of the point's category.
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
      self.x = x
      self.y = y
    }
  }

  public struct Series: Equatable, Codable, Sendable {
    /// Empty for the only series of a chart.
    public var name: String
    public var points: [Point]

    public init(name: String, points: [Point]) {
      self.name = name
      self.points = points
    }
  }

  public var kind: Kind
  public var title: String
  public var xLabel: String
  public var yLabel: String
  /// The names along the x axis when it is not numeric (always for bars); a point's x is then
  /// the index of its category.
  public var categories: [String]
  public var series: [Series]

  public init(kind: Kind, title: String = "", xLabel: String = "", yLabel: String = "", categories: [String] = [], series: [Series]) {
    self.kind = kind
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.categories = categories
    self.series = series
  }

  /// How a point's x reads: its category, or the number.
  public func xText(_ x: Double) -> String {
    if !categories.isEmpty, let index = Int(exactly: x), categories.indices.contains(index) { return categories[index] }
    return Chart.number(x)
  }

  /// A number as a chart labels it: integers without a fraction, others with up to 4 digits.
  public static func number(_ value: Double) -> String {
    if value == value.rounded() && abs(value) < 1e15 { return String(Int(value)) }
    var text = String(format: "%.4f", value)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
  }

  /// A text sketch for a terminal: the title, then per point its x, a bar of its size, and y.
  var plainText: String {
    var lines = ["\(kind.rawValue) chart" + (title.isEmpty ? "" : ": \(title)")]
    let all = series.flatMap(\.points)
    let largest = all.map { abs($0.y) }.max() ?? 0
    let labelWidth = all.map { xText($0.x).count }.max() ?? 0
    for item in series {
      if !item.name.isEmpty { lines.append("  \(item.name)") }
      for point in item.points {
        let x = xText(point.x)
        let bar = largest > 0 ? String(repeating: "█", count: Int((abs(point.y) / largest * 30).rounded())) : ""
        lines.append("  " + x + String(repeating: " ", count: labelWidth - x.count) + " │" + bar + " " + Chart.number(point.y))
      }
    }
    if !xLabel.isEmpty || !yLabel.isEmpty { lines.append("  (x: \(xLabel.isEmpty ? "-" : xLabel), y: \(yLabel.isEmpty ? "-" : yLabel))") }
    return lines.joined(separator: "\n")
  }
}
