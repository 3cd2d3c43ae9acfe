import Foundation
import SeedLang
import SeedNotebook

/// How `render` and `check` read a notebook's lockfile: they work from the cells the store
/// holds, so the cells it lacks for their current keys are first replayed with `--frozen`
/// (every answer from the store or the lockfile, nothing sent) and kept in the store. A fresh
/// clone with only the notebook and `NB.lock` thus renders and checks like the original.
enum LockfileReplay {
  static func fill(_ loaded: LoadedNotebook, backend: Backend, terminal: Terminal) {
    let lockfile: Lockfile
    do {
      guard let read = try Lockfile.read(forNotebook: loaded.notebook.file) else { return }
      lockfile = read
    } catch {
      terminal.err("seednb: the lockfile is not used: \(error)\n")
      return
    }
    var cache = NotebookCache.open(forNotebook: loaded.notebook.file, createStore: true)
    cache.lockfile = lockfile
    for note in cache.notes { terminal.err("seednb: \(note)\n") }
    guard let store = cache.store else { return }
    let keys = loaded.notebook.cellKeys(runtime: Seednb.version, parameters: loaded.parameters)
    let missing = keys.filter { ((try? store.entry(notebook: loaded.name, cellKey: $0)) ?? nil) == nil }
    guard !missing.isEmpty else { return }
    let runner = NotebookRunner(
      loaded: loaded, llm: backend.bindings(model: loaded.notebook.frontMatter?.model), cache: cache,
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
      terminal.err("seednb: replaying \(lockfile.path) stopped at \(failed.cell.label): \(failed.result.error?.description ?? "")\n")
    } else {
      terminal.err("── \(missing.count) cell\(missing.count == 1 ? "" : "s") replayed from \(lockfile.path)\n")
    }
  }
}
