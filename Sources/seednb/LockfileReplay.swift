import Foundation
import SeedLang
import SeedNotebook

/// How `render` and `check` read a notebook's lockfile and a remote cache: they work from the
/// cells the store holds, so the cells it lacks for their current keys are first replayed with
/// `--frozen` (every answer from the store, the lockfile or the remote cache, nothing sent)
/// and kept in the store. A fresh clone with only the notebook and `NB.lock`, or a machine
/// with only the notebook and the remote cache, thus renders and checks like the original.
/// `seednb cache pull` is this replay from the remote cache.
enum LockfileReplay {
  /// What a replay did: the cells the store lacked, and the run that replayed them (nil
  /// when nothing was to be replayed).
  struct Outcome {
    var missing = 0
    var summary: NotebookRunner.Summary?
  }

  @discardableResult
  static func fill(_ loaded: LoadedNotebook, backend: Backend, terminal: Terminal, remote: RemoteAnswerLayer? = nil) -> Outcome {
    var lockfile: Lockfile?
    do { lockfile = try Lockfile.read(forNotebook: loaded.notebook.file) } catch {
      terminal.err("seednb: the lockfile is not used: \(error)\n")
    }
    guard lockfile != nil || remote != nil else { return Outcome() }
    let sources = [lockfile?.path, remote.map { "the remote cache \($0.location)" }].compactMap { $0 }.joined(separator: " and ")
    var cache = NotebookCache.open(forNotebook: loaded.notebook.file, createStore: true)
    cache.lockfile = lockfile
    if let remote { cache.extraLayers = [remote] }
    for note in cache.notes { terminal.err("seednb: \(note)\n") }
    guard let store = cache.store else { return Outcome() }
    defer { store.close() }
    let keys = loaded.notebook.cellKeys(runtime: Seednb.version, parameters: loaded.parameters)
    let missing = keys.filter { ((try? store.entry(notebook: loaded.name, cellKey: $0)) ?? nil) == nil }
    guard !missing.isEmpty else { return Outcome() }
    let bindings = backend.bindings(model: loaded.notebook.frontMatter?.model)
    // The replay's code reads the secrets its front matter lists, as its run did.
    bindings.secrets.allow(frontMatter: loaded.notebook.frontMatter?.secrets ?? [], commandLine: [])
    let runner = NotebookRunner(
      loaded: loaded, llm: bindings, cache: cache,
      runtime: Seednb.version, options: NotebookRunner.Options(frozen: true))
    let startedAt = Date()
    let summary = LargeStack.run {
      runner.run(
        observer: NotebookEventHandler { event in
          if case .warning(let message) = event { terminal.err("seednb: \(message)\n") }
        })
    }
    do {
      try store.saveRun(
        RunRecord(
          summary: summary, runner: runner, startedAt: startedAt, runtime: Seednb.version, backend: backend.rawValue,
          parameters: loaded.parameters))
    } catch {
      terminal.err("seednb: cannot record the replay in the cache: \(error.readableDescription)\n")
    }
    if let failed = summary.reports.last, failed.status == .error {
      terminal.err("seednb: replaying \(sources) stopped at \(failed.cell.label): \(failed.result.error?.description ?? "")\n")
    } else {
      terminal.err("── \(missing.count) cell\(missing.count == 1 ? "" : "s") replayed from \(sources)\n")
    }
    return Outcome(missing: missing.count, summary: summary)
  }
}
