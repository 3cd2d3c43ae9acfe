import ArgumentParser
import Foundation
import SeedNotebook

struct LockCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lock",
    abstract: "Write NB.lock beside a notebook: the answers its cells got, as text to commit.",
    discussion: """
      The lockfile holds, for every cell as it is now (with -p as for run), each answer the \
      cache keeps for it: JSON Lines sorted by request key and occurrence, each line with \
      the normalised request, the answer, fingerprint, model, seed, usage and occurrence, \
      and never an API key. Locking the same cache twice gives the same bytes.

      run, render and check read NB.lock under the cache, so a fresh clone holding the \
      notebook and its lockfile runs with --frozen without a server, a key or .seednb/.

      Exit status: 0 when written, 1 when a cell is not in the cache for its current source \
      and parameters (run the notebook first) or the file cannot be written, 2 for bad usage.
      """
  )

  @Argument(help: "The notebook to lock (a .seednb file).")
  var notebook: String

  @Option(name: .customShort("p"), help: ArgumentHelp("Set a parameter, as for run, to choose the results locked.", valueName: "key=value"))
  var parameters: [String] = []

  func run() throws {
    let terminal = Terminal()
    let loaded = try LoadedNotebook.forCommand(
      path: notebook, overrides: parameters, terminal: terminal,
      scriptRefusal: "lock needs a .seednb notebook; a plain .seed script has no cache")
    let storePath = CacheStore.path(forNotebook: loaded.notebook.file)
    guard let store = try CacheCommand.openStore(at: storePath, terminal: terminal, sayMissing: false) else {
      terminal.err("seednb: \(loaded.notebook.file) has no cache yet (\(storePath)); run it first\n")
      throw ExitCode(ExitStatus.cellFailed)
    }
    let keys = loaded.notebook.cellKeys(runtime: Seednb.version, parameters: loaded.parameters)
    var answers: [StoredAnswer] = []
    var missing: [String] = []
    for (cell, key) in zip(loaded.notebook.cells, keys) {
      do {
        guard let entry = try store.entry(notebook: loaded.name, cellKey: key) else {
          missing.append(cell.label)
          continue
        }
        // The date is left out, so that the same answers always make the same bytes.
        answers += entry.calls.map { StoredAnswer(call: $0, notebook: loaded.name, storedAt: Date(timeIntervalSince1970: 0)) }
      } catch {
        terminal.err("seednb: cannot read \(cell.label) from the cache: \(error.readableDescription)\n")
        throw ExitCode(ExitStatus.cellFailed)
      }
    }
    guard missing.isEmpty else {
      terminal.err(
        "seednb: not in the cache for their current source and parameters: \(missing.joined(separator: ", ")); "
          + "run the notebook first, then lock it\n")
      throw ExitCode(ExitStatus.cellFailed)
    }
    let path = Lockfile.path(forNotebook: loaded.notebook.file)
    let text = Lockfile.text(of: answers)
    do { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
      terminal.err("seednb: cannot write \(path): \(error.readableDescription)\n")
      throw ExitCode(ExitStatus.cellFailed)
    }
    let lines = text.split(separator: "\n").count
    let chats = answers.filter { $0.kind == .chat }.count
    terminal.out("wrote \(path): \(lines) answer\(lines == 1 ? "" : "s") (\(chats) chat\(chats == 1 ? "" : "s"), \(answers.count - chats) embedding request\(answers.count - chats == 1 ? "" : "s"))\n")
  }
}
