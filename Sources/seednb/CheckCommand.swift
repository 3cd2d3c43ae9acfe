import ArgumentParser
import Foundation
import SeedNotebook

struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Send a notebook's seeded requests again and report answers that differ from the cache.",
    discussion: """
      For every cell whose cache entry matches its current source and parameters, each chat \
      request the cell made with a seed is sent --repeat times one after another and \
      --repeat times at once, and every answer is compared with the cached one. A differing \
      answer is shown where it first differs, with the cosine distance between the \
      embeddings of the two texts. Cells are not run, and the cache is not changed, except \
      that cells the cache lacks but NB.lock answers are first replayed from it.

      Exit status: 0 when every answer is identical to the cache (cells that are not cached \
      are only reported), 1 when a request fails, 2 for bad usage or a notebook that does \
      not parse, 4 when an answer differs.
      """
  )

  @Argument(help: "The notebook to check (a .seednb file).")
  var notebook: String

  @Option(name: .customLong("repeat"), help: ArgumentHelp("Sends of each seeded request in sequence, and again at once.", valueName: "n"))
  var repeats = 3

  @Option(name: .customShort("p"), help: ArgumentHelp("Set a parameter declared in the front matter, as for run.", valueName: "key=value"))
  var parameters: [String] = []

  @Option(help: ArgumentHelp("The LLM backend: local or openai (chosen as for run).", valueName: "name"))
  var backend: String?

  @OptionGroup(title: "Remote cache")
  var remote: RemoteCacheOptions

  @Option(name: .customLong("allow-secret"), help: ArgumentHelp("Let requests sent with api_key: secret(\"NAME\") read this environment variable, besides those the front matter lists (repeatable).", valueName: "NAME"))
  var allowedSecrets: [String] = []

  func validate() throws {
    if repeats < 1 { throw ValidationError("--repeat must be at least 1") }
    try RunRequest.validate(allowedSecrets: allowedSecrets)
  }

  func run() throws {
    let terminal = Terminal()
    if notebook.hasSuffix(".seed") {
      terminal.err("seednb: check needs a .seednb notebook; a plain .seed script has no cache\n")
      throw ExitCode(ExitStatus.usage)
    }
    let (loaded, chosen) = try LoadedNotebook.withBackend(
      path: notebook, overrides: parameters, backendFlag: backend, terminal: terminal, allowedSecrets: allowedSecrets)
    let remoteLayer = try remote.settings.layer(terminal: terminal)
    let status = CheckCommand.execute(
      loaded, backend: chosen, repeats: repeats, terminal: terminal, remote: remoteLayer, allowedSecrets: allowedSecrets)
    if status != ExitStatus.ok { throw ExitCode(status) }
  }

  static func execute(
    _ loaded: LoadedNotebook, backend: Backend, repeats: Int, terminal: Terminal, remote: RemoteAnswerLayer? = nil,
    allowedSecrets: [String] = []
  ) -> Int32 {
    let storePath = CacheStore.path(forNotebook: loaded.notebook.file)
    // Cells the store lacks but the lockfile answers are replayed from it first.
    LockfileReplay.fill(loaded, backend: backend, terminal: terminal, remote: remote)
    // A missing store is not created: every cell is then simply not cached.
    let store: CacheStore?
    do {
      store = try CacheCommand.openStore(at: storePath, terminal: terminal, sayMissing: false)
    } catch let exit as ExitCode {
      return exit.rawValue
    } catch {
      return ExitStatus.cellFailed
    }
    defer { store?.close() }
    let bindings = backend.bindings(model: loaded.notebook.frontMatter?.model)
    let options = DriftCheck.Options(repeats: repeats, embeddingModel: bindings.defaultEmbeddingModel)
    options.secrets.allow(frontMatter: loaded.notebook.frontMatter?.secrets ?? [], commandLine: allowedSecrets)
    let check = DriftCheck(
      notebook: loaded.notebook, parameters: loaded.parameters, runtime: Seednb.version, store: store,
      backend: bindings.backend, options: options)
    let interruption = Interruption { nil }
    defer { withExtendedLifetime(interruption) {} }
    let progress = isatty(STDOUT_FILENO) == 1
    let start = Date()
    terminal.out(
      "checking \(loaded.notebook.file) with the \(backend.rawValue) backend: each seeded request \(repeats) "
        + "time\(repeats == 1 ? "" : "s") in sequence and \(repeats) at once\n")
    let checks: [DriftCheck.CellCheck]
    do {
      checks = try check.run(
        onCellStart: { cell, requests in
          // On a terminal the line says what is being sent until the result replaces it.
          if progress {
            terminal.out(terminal.styled("\(cell.label): sending \(plural(requests, "request")) × \(2 * repeats)…", "2"))
          }
        },
        onCellEnd: { result in
          if progress, case .checked = result.outcome { terminal.out("\r\u{1B}[2K") }
          terminal.out(lines(for: result, repeats: repeats, terminal: terminal).joined(separator: "\n") + "\n")
        })
    } catch {
      if progress { terminal.out("\r\u{1B}[2K") }
      terminal.err(terminal.styled("seednb: check failed: \(error)", "31") + "\n")
      return ExitStatus.cellFailed
    }
    terminal.out(terminal.styled(summary(checks, seconds: Date().timeIntervalSince(start)), "2") + "\n")
    return checks.contains(where: \.drift) ? ExitStatus.drift : ExitStatus.ok
  }

  /// What a person reads about one cell: one line, and for drift the details below it.
  static func lines(for check: DriftCheck.CellCheck, repeats: Int, terminal: Terminal) -> [String] {
    let label = check.cell.label
    var lines: [String]
    switch check.outcome {
    case .notCached:
      return ["\(label): not cached (run the notebook first)"]
    case .noSeededRequests:
      return ["\(label): no seeded requests"]
    case .checked(let requests) where !check.drift:
      lines = ["\(label): " + terminal.styled("identical", "32") + " (\(plural(requests.count, "request")) × \(2 * repeats) sends)"]
    case .checked(let requests):
      let drifted = requests.filter { !$0.identical }.count
      lines = [
        "\(label): " + terminal.styled("drift", "33") + " in \(drifted) of \(plural(requests.count, "request")) (\(2 * repeats) sends each)"
      ]
      for (number, request) in requests.enumerated() where !request.identical {
        lines.append("  request \(number + 1), \(request.summary): \(request.differingSends) of \(request.sends) sends differ from the cache")
        for difference in request.differences {
          var whose: [String] = []
          if let occurrence = difference.cachedOccurrence { whose.append("the cache's answer to repeat \(occurrence + 1) of this request") }
          if difference.sends > 0 { whose.append("\(difference.sends) of \(request.sends) sends") }
          let choice = difference.choice > 0 || request.request.n ?? 1 > 1 ? " of choice \(difference.choice)" : ""
          lines.append("    first difference at character \(difference.text.offset)\(choice) (\(whose.joined(separator: ", and ")))")
          lines.append("      cached: \"\(difference.text.cachedExcerpt)\"" + (difference.text.cachedEnds ? " (ends here)" : ""))
          lines.append("      now:    \"\(difference.text.newExcerpt)\"" + (difference.text.newEnds ? " (ends here)" : ""))
          if let distance = difference.distance {
            lines.append("      cosine distance \(String(format: "%.4f", distance))")
          } else {
            lines.append("      cosine distance unknown: \(difference.distanceNote ?? "no embeddings")")
          }
        }
      }
    }
    lines += check.fingerprintChanges.map { "  " + terminal.styled($0.description, "33") }
    return lines
  }

  static func summary(_ checks: [DriftCheck.CellCheck], seconds: Double) -> String {
    var counts: [(String, Int)] = [
      ("identical", checks.filter { if case .checked = $0.outcome { return !$0.drift }; return false }.count),
      ("drift", checks.filter(\.drift).count),
      ("no seeded requests", checks.filter { if case .noSeededRequests = $0.outcome { return true }; return false }.count),
      ("not cached", checks.filter { if case .notCached = $0.outcome { return true }; return false }.count),
    ]
    counts.removeAll { $0.1 == 0 }
    let sends = checks.reduce(0) { $0 + $1.sends }
    var line = "── \(plural(checks.count, "cell"))"
    if !counts.isEmpty { line += " (" + counts.map { "\($0.1) \($0.0)" }.joined(separator: ", ") + ")" }
    return line + " · \(plural(sends, "send")) · \(String(format: "%.2f", seconds)) s"
  }
}

/// "1 request", "3 requests".
private func plural(_ count: Int, _ noun: String) -> String {
  "\(count) \(noun)\(count == 1 ? "" : "s")"
}
