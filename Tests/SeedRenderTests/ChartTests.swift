import SeedLang
import XCTest

@testable import SeedRender

/// `chart(...)`: the data shapes it takes, its errors, and its SVG.
final class ChartTests: XCTestCase {
  func chart(_ code: String) throws -> Chart {
    let interpreter = Interpreter()
    var items: [OutputItem] = []
    interpreter.outputHandler = { items.append($0) }
    _ = try interpreter.run(SourceText(file: "test.seed", text: "display(\(code))"))
    guard case .chart(let chart)? = items.first else {
      XCTFail("no chart from \(code)")
      return Chart(kind: .bar, series: [])
    }
    return chart
  }

  func error(_ code: String) -> String {
    let interpreter = Interpreter()
    do {
      _ = try interpreter.run(SourceText(file: "test.seed", text: code))
      return ""
    } catch let diagnostic as Diagnostic {
      return diagnostic.message
    } catch {
      return "\(error)"
    }
  }

  func testADictOfNumbersIsOneSeriesOverCategories() throws {
    let c = try chart(#"chart("bar", ["a": 1, "b": 2.5], title: "T", x_label: "X", y_label: "Y")"#)
    XCTAssertEqual(c.kind, .bar)
    XCTAssertEqual(c.categories, ["a", "b"])
    XCTAssertEqual(c.series, [Chart.Series(name: "", points: [.init(x: 0, y: 1), .init(x: 1, y: 2.5)])])
    XCTAssertEqual([c.title, c.xLabel, c.yLabel], ["T", "X", "Y"])
  }

  func testListsOfNumbersPairsAndNamedSeries() throws {
    XCTAssertEqual(try chart(#"chart("line", [3, 1])"#).series[0].points, [.init(x: 0, y: 3), .init(x: 1, y: 1)])
    let pairs = try chart(#"chart("scatter", [[0.5, 1], [2, -1]])"#)
    XCTAssertEqual(pairs.categories, [])
    XCTAssertEqual(pairs.series[0].points, [.init(x: 0.5, y: 1), .init(x: 2, y: -1)])
    let named = try chart(#"chart("line", ["up": [[1, 1], [2, 2]], "down": [[1, 2], [2, 1]]])"#)
    XCTAssertEqual(named.series.map(\.name), ["up", "down"])
    // Bars over numbers name their categories by them.
    XCTAssertEqual(try chart(#"chart("bar", [[2010, 1], [2020, 3]])"#).categories, ["2010", "2020"])
  }

  func testMistakesAreErrors() {
    XCTAssertEqual(error(#"chart("pie", [1])"#), #"chart(): unknown kind "pie"; use one of: bar, line, scatter"#)
    XCTAssertEqual(error(#"chart("bar", ["a": "x"])"#), "chart(): value of a must be a finite number, got string")
    XCTAssertEqual(error(#"chart("bar", [1], colour: "red")"#), "chart() has no parameter named 'colour' (it takes: title, x_label, y_label)")
    XCTAssertEqual(error(#"chart("line", [[1, 2, 3]])"#), "chart(): point 0 must be [x, y]")
    XCTAssertEqual(error(#"chart("bar", 3)"#), "chart() expects a list or a dict as argument 2, got int")
  }

  func testTheTerminalGetsATextSketch() throws {
    let c = try chart(#"chart("bar", ["a": 1, "bb": 2], title: "T")"#)
    XCTAssertEqual(OutputItem.chart(c).plainText, "bar chart: T\n  a  │███████████████ 1\n  bb │██████████████████████████████ 2")
  }

  func testSVGHasAxesLabelsTitleAndEscapedText() throws {
    let c = try chart(#"chart("bar", ["<a>": 1, "b&": 2], title: "<script>t</script>", x_label: "X\"", y_label: "Y")"#)
    let svg = ChartSVG.render(c)
    XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
    XCTAssertTrue(svg.contains("&lt;script&gt;t&lt;/script&gt;</text>"))
    XCTAssertTrue(svg.contains(">&lt;a&gt;</text>"))
    XCTAssertTrue(svg.contains(">b&amp;</text>"))
    XCTAssertTrue(svg.contains(">X&quot;</text>"))
    XCTAssertTrue(svg.contains("rotate(-90"))
    XCTAssertFalse(svg.contains("<script"))
    XCTAssertEqual(svg.components(separatedBy: "<rect x=").count - 1, 2, "one bar per category")
  }

  func testTicksAreRoundNumbersCoveringTheRange() {
    XCTAssertEqual(ChartSVG.ticks(0, 0.12), [0, 0.05, 0.1, 0.15])
    XCTAssertEqual(ChartSVG.ticks(-3, 7), [-4, -2, 0, 2, 4, 6, 8])
    XCTAssertEqual(ChartSVG.ticks(5, 5), [4, 4.5, 5, 5.5, 6])
  }
}
