import Foundation
import SeedJSON

/// The index page of a parameter sweep: one row per combination of parameters, with how
/// its run ended, its tokens and time, the values the notebook recorded with `record(name,
/// value)` as extra columns, and links to its report and output. Self-contained like a
/// report: inline CSS, no script, nothing fetched.
public struct SweepIndex {
  public struct Row {
    /// The combination's parameters, as given on the command line.
    public var parameters: [(name: String, value: String)]
    /// The run's exit status (0 ok, 1 a cell failed, 2 bad input, 3 a request --frozen lacked).
    public var exitStatus: Int32
    /// Nil when the run ended before it could say.
    public var tokens: Int?
    public var seconds: Double
    /// The report's and the printed output's paths, relative to the index.
    public var report: String
    public var output: String
    public var recorded: [(name: String, value: JSONValue)]

    public init(
      parameters: [(name: String, value: String)], exitStatus: Int32, tokens: Int?, seconds: Double, report: String,
      output: String, recorded: [(name: String, value: JSONValue)]
    ) {
      self.parameters = parameters
      self.exitStatus = exitStatus
      self.tokens = tokens
      self.seconds = seconds
      self.report = report
      self.output = output
      self.recorded = recorded
    }
  }

  public var notebook: String
  /// The seednb that ran the sweep, as reports name it.
  public var version: String
  /// The swept parameters, in the order first given.
  public var keys: [String]
  public var rows: [Row]

  public init(notebook: String, version: String, keys: [String], rows: [Row]) {
    self.notebook = notebook
    self.version = version
    self.keys = keys
    self.rows = rows
  }

  /// How a run ended, in words, for an exit status.
  public static func outcome(_ status: Int32) -> String {
    switch status {
    case 0: return "ok"
    case 1: return "cell failed"
    case 2: return "bad input"
    case 3: return "not in the cache"
    default: return "exit \(status)"
    }
  }

  /// The names recorded by any run, in the order first seen.
  public var recordedNames: [String] {
    var names: [String] = []
    for row in rows {
      for (name, _) in row.recorded where !names.contains(name) { names.append(name) }
    }
    return names
  }

  public func html() -> String {
    let title = "Sweep of \(notebook)"
    let names = recordedNames
    var out = HTMLReport.pageStart(title: title, version: version)
    out += """
      <h1>\(Escape.html(title))</h1>
      <p>\(rows.count) run\(rows.count == 1 ? "" : "s"), \(rows.filter { $0.exitStatus == 0 }.count) ok.</p>
      <div class="output table"><table class="sweep">
      <thead><tr>
      """
    for key in keys { out += "<th>\(Escape.html(key))</th>" }
    out += "<th>status</th><th>tokens</th><th>time</th>"
    for name in names { out += "<th>\(Escape.html(name))</th>" }
    out += "<th>report</th><th>output</th></tr></thead>\n<tbody>\n"
    for row in rows {
      out += "<tr>"
      for key in keys {
        let value = row.parameters.first { $0.name == key }?.value ?? ""
        out += "<td><code>\(Escape.html(value))</code></td>"
      }
      let badge = row.exitStatus == 0 ? "live" : "error"
      out += "<td><span class=\"badge \(badge)\">\(Escape.html(SweepIndex.outcome(row.exitStatus)))</span></td>"
      out += "<td class=\"number\">\(row.tokens.map(String.init) ?? "")</td>"
      out += "<td class=\"number\">\(String(format: "%.2f s", row.seconds))</td>"
      for name in names { out += "<td>\(Escape.html(row.recorded.first { $0.name == name }.map { SweepIndex.cellText($0.value) } ?? ""))</td>" }
      out += "<td><a href=\"\(Escape.html(row.report))\">\(Escape.html(row.report))</a></td>"
      out += "<td><a href=\"\(Escape.html(row.output))\">output</a></td>"
      out += "</tr>\n"
    }
    out += "</tbody>\n</table></div>\n</main>\n</body>\n</html>\n"
    return out
  }

  /// A recorded value as a table cell shows it: text as is, numbers and bools as written.
  static func cellText(_ value: JSONValue) -> String {
    if case .string(let text) = value { return text }
    return value.serialized()
  }
}
