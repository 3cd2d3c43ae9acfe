import Foundation
import SeedLang

/// A chart as an SVG image: title, axes with ticks, axis labels, a legend for several series;
/// bars grouped by category, lines with their points, or scatter dots. It scales to its
/// container (a `viewBox`), and every text in it is escaped.
enum ChartSVG {
  static let width = 640.0
  static let height = 360.0
  static let palette = ["#3b6fb6", "#d9822b", "#3a9a5b", "#c2464b", "#7d5ba6", "#8c6d46"]

  /// `sized` gives the image its width and height in pixels too: where it is shown as an image
  /// with no stylesheet of ours (Jupyter), it is then that size, not as wide as the page.
  static func render(_ chart: Chart, sized: Bool = false) -> String {
    let hasLegend = chart.series.count > 1 || (chart.series.count == 1 && !chart.series[0].name.isEmpty)
    let left = 64.0, right = hasLegend ? 150.0 : 24.0, top = chart.title.isEmpty ? 24.0 : 44.0
    let bottom = chart.xLabel.isEmpty ? 44.0 : 62.0
    let plotWidth = width - left - right, plotHeight = height - top - bottom
    let points = chart.series.flatMap(\.points)

    // The y axis always shows 0 for bars, which are read by their length.
    var yMin = points.map(\.y).min() ?? 0, yMax = points.map(\.y).max() ?? 1
    if chart.kind == .bar { yMin = min(yMin, 0); yMax = max(yMax, 0) }
    let yTicks = ticks(yMin, yMax)
    yMin = min(yMin, yTicks.first ?? yMin)
    yMax = max(yMax, yTicks.last ?? yMax)
    if yMax == yMin { yMax = yMin + 1 }
    func y(_ value: Double) -> Double { top + plotHeight - (value - yMin) / (yMax - yMin) * plotHeight }

    let categorical = !chart.categories.isEmpty
    var xMin = points.map(\.x).min() ?? 0, xMax = points.map(\.x).max() ?? 1
    let xTicks = categorical ? [] : ticks(xMin, xMax)
    if !categorical {
      xMin = min(xMin, xTicks.first ?? xMin)
      xMax = max(xMax, xTicks.last ?? xMax)
      if xMax == xMin { xMax = xMin + 1 }
    }
    let band = plotWidth / Double(max(chart.categories.count, 1))
    func x(_ value: Double) -> Double {
      categorical ? left + band * (value + 0.5) : left + (value - xMin) / (xMax - xMin) * plotWidth
    }

    var svg = """
      <svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \(n(width)) \(n(height))"\
      \(sized ? " width=\"\(n(width))\" height=\"\(n(height))\"" : "") role="img" \
      aria-label="\(Escape.html(chart.title.isEmpty ? "\(chart.kind.rawValue) chart" : chart.title))" \
      font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">
      <rect width="100%" height="100%" fill="#ffffff"/>

      """
    if !chart.title.isEmpty {
      svg += "<text x=\"\(n(width / 2))\" y=\"24\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"600\" fill=\"#1f2328\">\(Escape.html(chart.title))</text>\n"
    }
    // Grid lines and y ticks.
    for tick in yTicks {
      let ty = y(tick)
      svg += "<line x1=\"\(n(left))\" y1=\"\(n(ty))\" x2=\"\(n(left + plotWidth))\" y2=\"\(n(ty))\" stroke=\"#e5e7eb\"/>"
      svg += "<text x=\"\(n(left - 6))\" y=\"\(n(ty + 4))\" text-anchor=\"end\" fill=\"#57606a\">\(Escape.html(Chart.number(tick)))</text>\n"
    }
    // Axes.
    svg += "<line x1=\"\(n(left))\" y1=\"\(n(top))\" x2=\"\(n(left))\" y2=\"\(n(top + plotHeight))\" stroke=\"#57606a\"/>"
    let baseline = chart.kind == .bar ? y(0) : top + plotHeight
    svg += "<line x1=\"\(n(left))\" y1=\"\(n(baseline))\" x2=\"\(n(left + plotWidth))\" y2=\"\(n(baseline))\" stroke=\"#57606a\"/>\n"
    // x ticks.
    if categorical {
      for (index, name) in chart.categories.enumerated() {
        svg += "<text x=\"\(n(x(Double(index))))\" y=\"\(n(top + plotHeight + 18))\" text-anchor=\"middle\" fill=\"#57606a\">\(Escape.html(name))</text>\n"
      }
    } else {
      for tick in xTicks {
        svg += "<text x=\"\(n(x(tick)))\" y=\"\(n(top + plotHeight + 18))\" text-anchor=\"middle\" fill=\"#57606a\">\(Escape.html(Chart.number(tick)))</text>\n"
      }
    }
    // Axis labels.
    if !chart.xLabel.isEmpty {
      svg += "<text x=\"\(n(left + plotWidth / 2))\" y=\"\(n(height - 16))\" text-anchor=\"middle\" fill=\"#1f2328\">\(Escape.html(chart.xLabel))</text>\n"
    }
    if !chart.yLabel.isEmpty {
      let cy = top + plotHeight / 2
      svg += "<text x=\"16\" y=\"\(n(cy))\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(n(cy)))\" fill=\"#1f2328\">\(Escape.html(chart.yLabel))</text>\n"
    }
    // Marks.
    let groups = Double(max(chart.series.count, 1))
    for (index, series) in chart.series.enumerated() {
      let color = palette[index % palette.count]
      switch chart.kind {
      case .bar:
        let barWidth = band * 0.7 / groups
        for point in series.points {
          let bx = left + band * point.x + band * 0.15 + barWidth * Double(index)
          let top = min(y(point.y), y(0)), h = abs(y(point.y) - y(0))
          svg += "<rect x=\"\(n(bx))\" y=\"\(n(top))\" width=\"\(n(barWidth))\" height=\"\(n(h))\" fill=\"\(color)\">"
          svg += "<title>\(Escape.html(chart.xText(point.x))): \(Escape.html(Chart.number(point.y)))</title></rect>\n"
          svg += "<text x=\"\(n(bx + barWidth / 2))\" y=\"\(n(top - 4))\" text-anchor=\"middle\" font-size=\"11\" fill=\"#1f2328\">\(Escape.html(Chart.number(point.y)))</text>\n"
        }
      case .line, .scatter:
        let coordinates = series.points.map { "\(n(x($0.x))),\(n(y($0.y)))" }
        if chart.kind == .line && coordinates.count > 1 {
          svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(coordinates.joined(separator: " "))\"/>\n"
        }
        for point in series.points {
          svg += "<circle cx=\"\(n(x(point.x)))\" cy=\"\(n(y(point.y)))\" r=\"\(chart.kind == .line ? 3 : 4)\" fill=\"\(color)\">"
          svg += "<title>\(Escape.html(chart.xText(point.x))), \(Escape.html(Chart.number(point.y)))</title></circle>\n"
        }
      }
    }
    if hasLegend {
      for (index, series) in chart.series.enumerated() {
        let ly = top + 8 + Double(index) * 20
        svg += "<rect x=\"\(n(width - right + 16))\" y=\"\(n(ly - 9))\" width=\"12\" height=\"12\" fill=\"\(palette[index % palette.count])\"/>"
        svg += "<text x=\"\(n(width - right + 34))\" y=\"\(n(ly + 1))\" fill=\"#1f2328\">\(Escape.html(series.name))</text>\n"
      }
    }
    return svg + "</svg>"
  }

  /// Round tick values covering [low, high]: steps of 1, 2 or 5 times a power of ten.
  static func ticks(_ low: Double, _ high: Double) -> [Double] {
    var low = low, high = high
    if low == high {
      low -= 1
      high += 1
    }
    let raw = (high - low) / 5
    let magnitude = pow(10, floor(log10(raw)))
    let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? magnitude * 10
    let first = floor(low / step) * step
    var values: [Double] = []
    // Rounded to the step's decimals, so that 3 × 0.05 is 0.15.
    let scale = pow(10, max(0, -floor(log10(step))))
    repeat {
      let value = ((first + step * Double(values.count)) * scale).rounded() / scale
      values.append(value == 0 ? 0 : value)
    } while values[values.count - 1] < high - step * 1e-9 && values.count < 50
    return values
  }

  /// A coordinate with at most one decimal, so the SVG stays small and stable.
  static func n(_ value: Double) -> String {
    let rounded = (value * 10).rounded() / 10
    return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
  }
}
