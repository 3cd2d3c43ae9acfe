import Foundation
import SeedLang
import SeedLLM
import SeedNotebook

/// A line that starts with `:` is a command to the REPL, not code. The whole surface is
/// this one table: name, argument, help line, and what it does.
struct MetaCommand {
  enum Outcome {
    case `continue`
    case quit
    /// Went wrong; piped input ends with this status.
    case failed(Int32)
  }

  let name: String
  let argument: String?
  let help: String
  let action: (REPL, String) -> Outcome

  static let all: [MetaCommand] = [
    MetaCommand(name: "help", argument: nil, help: "this list of commands and keys") { repl, _ in
      repl.output.out(MetaCommand.helpText)
      return .continue
    },
    MetaCommand(
      name: "load", argument: "NB", help: "run a notebook's cells in this session (cached cells are restored)"
    ) { repl, argument in
      guard !argument.isEmpty else { return usage(repl, ":load needs a notebook: :load NB") }
      let status = repl.load(notebook: argument)
      return status == ExitStatus.ok ? .continue : .failed(status)
    },
    MetaCommand(name: "cells", argument: nil, help: "list the cells of the notebook loaded") { repl, _ in
      guard let loaded = repl.loaded else { return usage(repl, "no notebook is loaded: :load NB") }
      for cell in loaded.notebook.cells {
        let lines = cell.source.split(separator: "\n", omittingEmptySubsequences: false)
        let first = lines.first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map(String.init) ?? ""
        let shown = first.count > 60 ? String(first.prefix(59)) + "…" : first
        let more = lines.count > 1 ? repl.output.styled("  (\(lines.count) lines)", "2") : ""
        let number = String(cell.number).padding(toLength: 3, withPad: " ", startingAt: 0)
        let label = cell.id.map { repl.output.styled("id=\($0) ", "36") } ?? ""
        repl.output.out("  \(number) \(label)\(shown)\(more)\n")
      }
      return .continue
    },
    MetaCommand(name: "run", argument: "N", help: "run cell N (its number or id) of the notebook loaded, live") {
      repl, argument in
      guard let loaded = repl.loaded else { return usage(repl, "no notebook is loaded: :load NB") }
      guard let cell = loaded.notebook.cells.first(where: { String($0.number) == argument || $0.id == argument }) else {
        return usage(repl, ":run needs a cell number (1-\(loaded.notebook.cells.count)) or id, not '\(argument)'")
      }
      let printer = repl.output.printer()
      let timeout = repl.configuration.cellTimeout
      let result = repl.whileRunning(printer: printer) { () -> NotebookSession.CellResult in
        guard let timeout else { return loaded.session.run(cell, onOutput: { printer.print($0) }) }
        var (result, expired) = timeout.run(interrupting: loaded.session.interpreter) {
          loaded.session.run(cell, onOutput: { printer.print($0) })
        }
        if expired, case .runtime(let stopped)? = result.error {
          result.error = .runtime(timeout.error(for: cell.label, stoppedBy: stopped))
        }
        return result
      }
      printer.finishLine()
      if let error = result.error {
        repl.output.error(error.description)
        if case .syntax = error { return .failed(ExitStatus.usage) }
        return .failed(ExitStatus.cellFailed)
      }
      repl.inputs.append(cell.source)
      return .continue
    },
    MetaCommand(name: "save", argument: "FILE", help: "write what this session ran as the cells of a new notebook") {
      repl, argument in
      guard !argument.isEmpty else { return usage(repl, ":save needs a file: :save FILE.seednb") }
      guard !repl.inputs.isEmpty else { return usage(repl, "nothing to save: no input has run yet") }
      let text = repl.savedNotebook(file: argument)
      do {
        try text.write(toFile: argument, atomically: true, encoding: .utf8)
      } catch {
        repl.output.error("seednb: cannot write '\(argument)': \(error.readableDescription)")
        return .failed(ExitStatus.cellFailed)
      }
      let count = repl.inputs.count
      repl.output.out("saved \(count) cell\(count == 1 ? "" : "s") to \(argument)\n")
      return .continue
    },
    MetaCommand(name: "backend", argument: "[NAME]", help: "show the LLM backend, or switch to local or openai") {
      repl, argument in
      if !argument.isEmpty {
        do {
          var bindings = try repl.configuration.makeBindings(argument)
          bindings.journal = repl.bindings.journal
          bindings.defaultChatModel = repl.bindings.defaultChatModel
          bindings.secrets = repl.bindings.secrets
          repl.bindings = bindings
          repl.configuration.backendName = argument
          repl.installBindings()
        } catch {
          return usage(repl, "\(error)")
        }
      }
      repl.output.out(repl.backendDescription() + "\n")
      return .continue
    },
    MetaCommand(name: "cache", argument: nil, help: "show the cell cache of the notebook loaded and this session's requests")
    { repl, _ in
      repl.output.out(repl.cacheDescription())
      return .continue
    },
    MetaCommand(name: "quit", argument: nil, help: "leave (also Ctrl-D)") { _, _ in .quit },
  ]

  static var helpText: String {
    var text = "Commands:\n"
    for command in all {
      let usage = ":" + command.name + (command.argument.map { " " + $0 } ?? "")
      text += "  " + usage.padding(toLength: 16, withPad: " ", startingAt: 0) + command.help + "\n"
    }
    text += """
      Keys:
        Tab             complete names, record fields (r.us<Tab>), modules, commands
        Up, Down        walk the history (from what is typed); Ctrl-R searches it
        Ctrl-C          drop the line being typed, or stop the code running
        Ctrl-D          leave
      An open bracket, brace or triple-quoted string continues on the next line.

      """
    return text
  }

  private static func usage(_ repl: REPL, _ message: String) -> Outcome {
    repl.output.error(message)
    return .failed(ExitStatus.usage)
  }

  /// Runs a `:command argument` line.
  static func run(_ line: String, in repl: REPL) -> Outcome {
    let body = line.dropFirst()
    let name = String(body.prefix { !$0.isWhitespace })
    let argument = body.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
    let matches = all.filter { $0.name.hasPrefix(name) }
    guard !name.isEmpty, let command = all.first(where: { $0.name == name }) ?? (matches.count == 1 ? matches[0] : nil)
    else {
      return usage(repl, "unknown command ':\(name)'; :help lists them")
    }
    return command.action(repl, argument)
  }
}

extension REPL {
  /// The session as a notebook: the front matter of the notebook loaded, if any, then a cell
  /// for each input that ran.
  func savedNotebook(file: String) -> String {
    let cells = Notebook(file: file, title: nil, cellSources: inputs).printed()
    if let raw = loaded?.notebook.frontMatter?.raw { return raw + "\n" + cells }
    return cells
  }

  func backendDescription() -> String {
    switch bindings.backend {
    case .remote(let client):
      return "backend: openai at \(Redactor.withoutURLCredentials(client.configuration.baseURL)) · chat model \(bindings.defaultChatModel)"
    case .local(let connection):
      return "backend: local (\(connection.server.installation.folder.path)) · answers as \(bindings.defaultChatModel)"
    }
  }

  func cacheDescription() -> String {
    var text = "this session: \(liveRequests) request\(liveRequests == 1 ? "" : "s") live, \(cachedRequests) from the cache\n"
    guard let loaded else { return text + "no notebook loaded: inputs typed here are not cached\n" }
    guard let store = loaded.store else { return text + "\(loaded.notebook.file): running without a cache\n" }
    let name = URL(fileURLWithPath: loaded.notebook.file).lastPathComponent
    let entries = (try? store.entries(notebook: name)) ?? []
    let cells = Set(entries.map(\.cellIdentity)).count
    text += "\(loaded.notebook.file): \(entries.count) entr\(entries.count == 1 ? "y" : "ies") for \(cells) cell\(cells == 1 ? "" : "s") in \(store.path)\n"
    return text
  }
}
