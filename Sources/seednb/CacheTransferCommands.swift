import ArgumentParser
import Foundation
import SeedNotebook

extension CacheCommand {
  /// The remote cache the settings name; without one, a usage error that says how to give it.
  static func requireRemote(_ options: RemoteCacheOptions, for command: String, terminal: Terminal) throws -> RemoteAnswerLayer {
    guard let layer = try options.settings.layer(terminal: terminal) else {
      terminal.err("seednb: cache \(command) needs a remote cache: give --remote-cache URL or SEEDNB_REMOTE_CACHE\n")
      throw ExitCode(ExitStatus.usage)
    }
    return layer
  }

  struct Push: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "push",
      abstract: "Upload every answer of a notebook in the store beside it to the remote cache.",
      discussion: """
        Each answer's bytes go to URL/cas/<sha256> and its manifest to URL/ac/<key>, as a run \
        uploads new answers. Exit status: 0 when every answer was uploaded, 1 when one was \
        not (each failure is named), 2 for bad usage.
        """
    )

    @Argument(help: "The notebook whose answers to upload (its store is .seednb/ beside it).")
    var notebook: String

    @OptionGroup(title: "Remote cache")
    var remote: RemoteCacheOptions

    func run() throws {
      let terminal = Terminal()
      let layer = try CacheCommand.requireRemote(remote, for: "push", terminal: terminal)
      if layer.remote.readOnly {
        terminal.err("seednb: cache push uploads, and the remote cache is read-only here (--remote-cache-read-only)\n")
        throw ExitCode(ExitStatus.usage)
      }
      guard let store = try CacheCommand.openStore(at: CacheStore.path(forNotebook: notebook), terminal: terminal) else {
        throw ExitCode(ExitStatus.cellFailed)
      }
      let name = URL(fileURLWithPath: notebook).lastPathComponent
      let answers: [StoredAnswer]
      do { answers = try store.answers(notebook: name) } catch {
        terminal.err("seednb: cannot read the answers of \(name) in \(store.path): \(error.readableDescription)\n")
        throw ExitCode(ExitStatus.cellFailed)
      }
      let (pushed, failures) = layer.push(answers)
      for failure in failures { terminal.err("seednb: not uploaded: \(failure)\n") }
      terminal.out("pushed \(pushed) of \(answers.count) answers of \(name) to \(layer.location)\n")
      if !failures.isEmpty { throw ExitCode(ExitStatus.cellFailed) }
    }
  }

  struct Pull: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "pull",
      abstract: "Fetch a notebook's answers from the remote cache into the store beside it.",
      discussion: """
        The cells the store lacks are replayed with --frozen, every answer from the store, \
        the lockfile or the remote cache and nothing sent to the backend, and kept in the \
        store with their answers: later runs, render and check need no network. Exit \
        status: 0 when every cell is in the store, 1 when a cell failed, 2 for bad usage, 3 \
        when an answer is in no cache.
        """
    )

    @Argument(help: "The notebook whose answers to fetch (its store is .seednb/ beside it).")
    var notebook: String

    @Option(name: .customShort("p"), help: ArgumentHelp("Set a parameter, as for run: the cells pulled are those of a run with it.", valueName: "key=value"))
    var parameters: [String] = []

    @Option(help: ArgumentHelp("The LLM backend the answers were recorded with: local or openai (chosen as for run).", valueName: "name"))
    var backend: String?

    @OptionGroup(title: "Remote cache")
    var remote: RemoteCacheOptions

    func run() throws {
      let terminal = Terminal()
      let layer = try CacheCommand.requireRemote(remote, for: "pull", terminal: terminal)
      let (loaded, chosen) = try LoadedNotebook.withBackend(
        path: notebook, overrides: parameters, backendFlag: backend, terminal: terminal)
      let outcome = LockfileReplay.fill(loaded, backend: chosen, terminal: terminal, remote: layer)
      guard let summary = outcome.summary else {
        terminal.out("nothing to pull: every cell of \(loaded.name) is in the store\n")
        return
      }
      if summary.frozenMiss != nil { throw ExitCode(ExitStatus.frozenMiss) }
      if summary.failed { throw ExitCode(ExitStatus.cellFailed) }
      terminal.out(
        "pulled \(layer.remote.counted.hits) answers from \(layer.location): \(outcome.missing) cells of \(loaded.name) are now in "
          + "\(CacheStore.path(forNotebook: loaded.notebook.file))\n")
    }
  }
}
