import ArgumentParser
import Foundation
import SeedJSON
import SeedNotebook
import SeedRender

struct SweepCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sweep",
    abstract: "Run a notebook once for every combination of parameter values, with a report each and an index.",
    discussion: """
      Give a key several values with several -p (-p n=1 -p n=2 -p style=long): every \
      combination of one value per key runs, keys in the order first given. Each run is a \
      `seednb run` of its own, writing DIR/<n>-<parameters>.html (its report), .txt (what it \
      printed) and .json (its summary); DIR/index.html links them, with each run's status, \
      tokens, time and the values the notebook recorded with record(name, value).

      The runs share the notebook's store, so a seeded request or embedding already answered \
      is not sent again. The first combination runs alone, so that the requests all runs share \
      are answered once; the others then run up to --jobs at a time. Every run gets the \
      options of each run below as `seednb run` takes them, the remote cache's included.

      Exit status: the worst of the runs' (0 all ran, 1 a cell failed, 3 --frozen met a request \
      the cache does not hold); 2 for bad usage or parameters, before anything runs.
      """
  )

  @Argument(help: "The notebook to run (a .seednb file).")
  var notebook: String

  @Option(name: .customShort("p"), help: ArgumentHelp("A parameter value; give a key several to sweep it.", valueName: "key=value"))
  var parameters: [String] = []

  @Option(help: ArgumentHelp("The folder for the reports and index.html (made if missing).", valueName: "folder"))
  var reportDir: String

  @Option(help: ArgumentHelp("How many runs at once after the first (default 1: each run with the local model starts a model server of its own).", valueName: "N"))
  var jobs = 1

  @OptionGroup(title: "Options of each run")
  var options: CellRunOptions

  func validate() throws {
    guard jobs >= 1 && jobs <= 256 else { throw ValidationError("--jobs needs a number of runs at once from 1 to 256, not \(jobs)") }
    if notebook.hasSuffix(".seed") {
      throw ValidationError("sweep needs a .seednb notebook with parameters in its front matter, not a plain .seed script")
    }
    try RunRequest(
      notebook: notebook, refresh: options.refresh, frozen: options.frozen, cellTimeout: options.cellTimeout,
      maxOutput: options.maxOutput, remoteCache: options.remote.settings, allowedSecrets: options.allowedSecrets
    ).validate()
  }

  func run() throws {
    let terminal = Terminal()
    let runs: [SweepRun]
    let grid: ParameterGrid
    do {
      grid = try ParameterGrid(parameters)
      runs = try SweepRun.plan(grid: grid, notebook: notebook)
    } catch let failure as ParameterGrid.Failure {
      terminal.err("seednb: \(failure.description)\n")
      throw ExitCode(ExitStatus.usage)
    } catch let failure as LoadedNotebook.Failure {
      terminal.err(failure.message + "\n")
      throw ExitCode(ExitStatus.usage)
    }
    // What each run would refuse, refused once before any runs.
    _ = try LoadedNotebook.withBackend(
      path: notebook, overrides: [], backendFlag: options.backend, terminal: terminal, allowedSecrets: options.allowedSecrets)
    _ = try options.remote.settings.layer(terminal: terminal)
    do {
      try FileManager.default.createDirectory(atPath: reportDir, withIntermediateDirectories: true)
    } catch {
      terminal.err("seednb: cannot make the report folder \(reportDir): \(error.readableDescription)\n")
      throw ExitCode(ExitStatus.usage)
    }
    let orchestra = SweepOrchestra(
      runs: runs, notebook: notebook, folder: reportDir, passedOptions: options.runArguments,
      passedEnvironment: options.runEnvironment, jobs: jobs, terminal: terminal)
    let rows = orchestra.runAll()
    let index = SweepIndex(
      notebook: URL(fileURLWithPath: notebook).lastPathComponent, version: Seednb.version, keys: grid.keys, rows: rows)
    let indexPath = (reportDir as NSString).appendingPathComponent("index.html")
    do { try Data(index.html().utf8).write(to: URL(fileURLWithPath: indexPath)) } catch {
      terminal.err("seednb: cannot write the index \(indexPath): \(error.readableDescription)\n")
      throw ExitCode(ExitStatus.cellFailed)
    }
    let worst = rows.map(\.exitStatus).max() ?? ExitStatus.ok
    let ok = rows.filter { $0.exitStatus == ExitStatus.ok }.count
    terminal.out(terminal.styled("── \(rows.count) run\(rows.count == 1 ? "" : "s"), \(ok) ok · index: \(indexPath)", "2") + "\n")
    if worst != ExitStatus.ok { throw ExitCode(worst) }
  }
}

/// One combination of a sweep: its parameters and the stem of its files.
struct SweepRun {
  let number: Int
  let parameters: [(key: String, value: String)]

  /// `3-n=2,style=long`: the run's number, then its parameters with every character that
  /// is not a letter, digit or one of `.=,-` as `_`, cut to a length any file system takes.
  var stem: String {
    let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.=,-")
    let described = parameters.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    let safe = String(described.map { allowed.contains($0) ? $0 : "_" }.prefix(120))
    return safe.isEmpty ? "\(number)" : "\(number)-\(safe)"
  }

  var arguments: [String] { parameters.flatMap { ["-p", "\($0.key)=\($0.value)"] } }

  /// The runs of a grid, each checked against the notebook's parameters before any runs,
  /// so that a key it lacks or a value of the wrong type stops the sweep at once.
  static func plan(grid: ParameterGrid, notebook: String) throws -> [SweepRun] {
    try grid.combinations.enumerated().map { offset, combination in
      let run = SweepRun(number: offset + 1, parameters: combination)
      _ = try LoadedNotebook(path: notebook, overrides: run.parameters.map { "\($0.key)=\($0.value)" })
      return run
    }
  }
}

/// Runs a sweep's combinations as `seednb run` processes: the first alone, so that what all
/// of them ask is answered once and stored, then the rest up to `jobs` at a time. Each run's
/// output goes to its `.txt` file; a line says how each ended, in the order they end.
final class SweepOrchestra: @unchecked Sendable {
  let runs: [SweepRun]
  let notebook: String
  let folder: String
  let passedOptions: [String]
  /// Variables each run gets besides this process's.
  let passedEnvironment: [String: String]
  let jobs: Int
  let terminal: Terminal
  private let lock = NSLock()
  private var rows: [SweepIndex.Row?] = []

  init(
    runs: [SweepRun], notebook: String, folder: String, passedOptions: [String], passedEnvironment: [String: String],
    jobs: Int, terminal: Terminal
  ) {
    self.runs = runs
    self.notebook = notebook
    self.folder = folder
    self.passedOptions = passedOptions
    self.passedEnvironment = passedEnvironment
    self.jobs = jobs
    self.terminal = terminal
  }

  /// Runs every combination; the index's rows, in the combinations' order.
  func runAll() -> [SweepIndex.Row] {
    guard let first = runs.first else { return [] }
    rows = [SweepIndex.Row?](repeating: nil, count: runs.count)
    rows[0] = run(first)
    let slots = DispatchSemaphore(value: jobs)
    let group = DispatchGroup()
    for (offset, sweepRun) in runs.enumerated().dropFirst() {
      slots.wait()
      group.enter()
      Thread.detachNewThread { [self] in
        let row = run(sweepRun)
        lock.withLock { rows[offset] = row }
        slots.signal()
        group.leave()
      }
    }
    group.wait()
    return lock.withLock { rows.compactMap { $0 } }
  }

  private func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }

  private func run(_ sweepRun: SweepRun) -> SweepIndex.Row {
    let stem = sweepRun.stem
    let report = stem + ".html", output = stem + ".txt", summary = stem + ".json"
    try? FileManager.default.removeItem(atPath: path(summary))
    let described = sweepRun.parameters.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    // A run with the local model takes minutes: say what is under way.
    lock.withLock {
      terminal.out(terminal.styled("── run \(sweepRun.number) of \(runs.count) started: \(described.isEmpty ? "(defaults)" : described)", "2") + "\n")
    }
    let begin = Date()
    let status = launch(
      ["run", notebook] + sweepRun.arguments + passedOptions + ["--report", path(report), "--summary-json", path(summary)],
      output: path(output))
    let seconds = Date().timeIntervalSince(begin)
    let written = (try? Data(contentsOf: URL(fileURLWithPath: path(summary))))
      .flatMap { try? JSONValue.parse(String(decoding: $0, as: UTF8.self)) }
      .flatMap { try? RunSummaryFile(json: $0) }
    let row = SweepIndex.Row(
      parameters: sweepRun.parameters.map { ($0.key, $0.value) }, exitStatus: status, tokens: written?.tokens, seconds: seconds,
      report: report, output: output, recorded: written?.recorded ?? [])
    lock.withLock {
      var line = "── run \(sweepRun.number) of \(runs.count) ended: \(described.isEmpty ? "(defaults)" : described) · \(SweepIndex.outcome(status))"
      if let written {
        line += " · \(written.tokens) tokens (requests: \(written.liveRequests) live, \(written.cachedRequests) from the cache)"
      }
      line += " · " + String(format: "%.2f s", seconds) + " · \(path(status == ExitStatus.usage ? output : report))"
      terminal.out((status == ExitStatus.ok ? line : terminal.styled(line, "31")) + "\n")
    }
    return row
  }

  /// Runs seednb itself with `arguments`, its output to the file `output`; its exit status
  /// (128 + the signal when one ended it).
  private func launch(_ arguments: [String], output: String) -> Int32 {
    let process = Process()
    process.executableURL = SweepOrchestra.executable
    process.arguments = arguments
    if !passedEnvironment.isEmpty {
      process.environment = ProcessInfo.processInfo.environment.merging(passedEnvironment) { _, passed in passed }
    }
    guard FileManager.default.createFile(atPath: output, contents: nil), let log = FileHandle(forWritingAtPath: output) else {
      terminal.err("seednb: cannot write \(output)\n")
      return ExitStatus.cellFailed
    }
    defer { try? log.close() }
    process.standardOutput = log
    process.standardError = log
    process.standardInput = FileHandle.nullDevice
    do { try process.run() } catch {
      terminal.err("seednb: cannot start \(SweepOrchestra.executable.path): \(error.readableDescription)\n")
      return ExitStatus.cellFailed
    }
    process.waitUntilExit()
    return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
  }

  /// This executable, wherever it was started from.
  static let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
}
