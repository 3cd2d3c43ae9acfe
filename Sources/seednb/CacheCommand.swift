import ArgumentParser
import Foundation
import OrderedCollections
import SeedNotebook

struct CacheCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cache",
    abstract: "List or clear the cell cache, or share its answers through a remote cache.",
    discussion: """
      The cache is .seednb/cache.sqlite beside a notebook; without a notebook these \
      commands use the one in ./.seednb/, for every notebook it holds.
      """,
    subcommands: [List.self, Clear.self, Push.self, Pull.self]
  )

  /// Where the store is: beside the notebook, or in the current folder.
  static func storePath(notebook: String?) -> String {
    notebook.map(CacheStore.path(forNotebook:))
      ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".seednb/cache.sqlite").path
  }

  /// The store when its file exists; nil when there is none (said so when `sayMissing`). A
  /// missing store is never created here: commands that only read must not make one.
  static func openStore(at path: String, terminal: Terminal, sayMissing: Bool = true) throws -> CacheStore? {
    guard FileManager.default.fileExists(atPath: path) else {
      if sayMissing { terminal.out("no cache at \(path)\n") }
      return nil
    }
    do {
      let store = try CacheStore(path: path)
      if let note = store.rebuildNote { terminal.err("seednb: \(note)\n") }
      return store
    } catch {
      terminal.err("seednb: cannot open the cache \(path): \(error.readableDescription)\n")
      throw ExitCode(ExitStatus.cellFailed)
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "ls",
      abstract: "List the cached cells: per notebook and cell, the newest entry and what it holds.",
      discussion: """
        Each row is a cell identity (its id, else its position): the short key of its entry, \
        whether that entry is current for the notebook as it is now (given NB; with -p as for \
        run), the calls it recorded (chat with a seed, chat without, embeddings), their \
        tokens, and when it was saved. When a cell has an entry for its current key, that \
        entry is the one shown; otherwise the newest.
        """
    )

    @Argument(help: "A notebook: list its entries in the store beside it.")
    var notebook: String?

    @Option(name: .customShort("p"), help: ArgumentHelp("Set a parameter, as for run, to tell current entries.", valueName: "key=value"))
    var parameters: [String] = []

    func validate() throws {
      if notebook == nil && !parameters.isEmpty { throw ValidationError("-p needs a notebook") }
    }

    func run() throws {
      let terminal = Terminal()
      var loaded: LoadedNotebook?
      if let notebook {
        do { loaded = try LoadedNotebook(path: notebook, overrides: parameters) } catch let failure as LoadedNotebook.Failure {
          terminal.err(failure.message + "\n")
          throw ExitCode(ExitStatus.usage)
        }
      }
      let path = CacheCommand.storePath(notebook: notebook)
      guard let store = try CacheCommand.openStore(at: path, terminal: terminal) else { return }
      defer { store.close() }
      let name = notebook.map { URL(fileURLWithPath: $0).lastPathComponent }
      let entries: [CacheStore.Entry]
      do { entries = try store.entries(notebook: name) } catch {
        terminal.err("seednb: cannot read the cache \(path): \(error)\n")
        throw ExitCode(ExitStatus.cellFailed)
      }
      let current = loaded.map { CurrentKeys($0) }
      let rows = CacheListing.rows(entries, current: current)
      let size = CacheListing.size(ofStoreAt: path)
      guard !rows.isEmpty else {
        terminal.out("no cached cells\(name.map { " of \($0)" } ?? "") in \(path) (\(size))\n")
        return
      }
      terminal.out(CacheListing.table(rows, showStatus: current != nil))
      let notebooks = Set(rows.map(\.notebook)).count
      var total = "── \(plural(rows.count, "cell")) of \(plural(notebooks, "notebook")) (\(plural(entries.count, "entry", "entries")))"
      total += " · \(path) \(size)"
      terminal.out(terminal.styled(total, "2") + "\n")
    }
  }

  struct Clear: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "clear",
      abstract: "Remove the cached cells of a notebook, or every entry of the store in ./.seednb/.",
      discussion: "The notebook need not exist any more: its entries are found by its file name."
    )

    @Argument(help: "A notebook: remove its entries from the store beside it.")
    var notebook: String?

    func run() throws {
      let terminal = Terminal()
      if let notebook {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: notebook, isDirectory: &isDirectory), isDirectory.boolValue {
          terminal.err("seednb: '\(notebook)' is a folder, not a notebook\n")
          throw ExitCode(ExitStatus.usage)
        }
      }
      let path = CacheCommand.storePath(notebook: notebook)
      guard let store = try CacheCommand.openStore(at: path, terminal: terminal) else { return }
      defer { store.close() }
      let name = notebook.map { URL(fileURLWithPath: $0).lastPathComponent }
      let cells: Int, entries: Int
      do {
        let removed = try store.entries(notebook: name)
        cells = Set(removed.map { [$0.notebook, $0.cellIdentity] }).count
        entries = try store.clear(notebook: name)
      } catch {
        terminal.err("seednb: cannot clear the cache \(path): \(error)\n")
        throw ExitCode(ExitStatus.cellFailed)
      }
      terminal.out(
        "removed \(plural(cells, "cell")) (\(plural(entries, "entry", "entries")))\(name.map { " of \($0)" } ?? "") from \(path)\n")
    }
  }
}

/// The notebook's current cell keys by cell identity, as a run would compute them.
struct CurrentKeys {
  let notebook: String
  let keys: [String: String]
  /// Cell identities in notebook order.
  let order: [String]

  init(_ loaded: LoadedNotebook) {
    notebook = URL(fileURLWithPath: loaded.notebook.file).lastPathComponent
    let computed = loaded.notebook.cellKeys(runtime: Seednb.version, parameters: loaded.parameters)
    order = loaded.notebook.cells.map(\.identity)
    keys = Dictionary(zip(order, computed), uniquingKeysWith: { first, _ in first })
  }
}

/// `cache ls` as rows and as the table printed.
enum CacheListing {
  struct Row {
    let notebook: String
    let cell: String
    let key: String
    /// "current" or "stale"; nil without a notebook to compare with.
    let status: String?
    let seeded: Int
    let unseeded: Int
    let embeddings: Int
    let tokens: Int
    let savedAt: Date
    /// Other entries of the same cell, under older keys.
    let older: Int
  }

  /// One row per notebook and cell identity. With the notebook's current keys, its cells
  /// come in notebook order, and a cell's entry for the current key is the one shown.
  static func rows(_ entries: [CacheStore.Entry], current: CurrentKeys?) -> [Row] {
    var groups: OrderedDictionary<[String], [CacheStore.Entry]> = [:]
    for entry in entries { groups[[entry.notebook, entry.cellIdentity], default: []].append(entry) }
    if let current {
      let position = Dictionary(current.order.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
      groups.sort { a, b in
        (position[a.key[1]] ?? Int.max, a.value[0].savedAt) < (position[b.key[1]] ?? Int.max, b.value[0].savedAt)
      }
    }
    return groups.map { identity, group in
      let newest = group.max { $0.savedAt < $1.savedAt }!
      let currentKey = current.flatMap { $0.notebook == identity[0] ? $0.keys[identity[1]] : nil }
      let shown = group.first { $0.cellKey == currentKey } ?? newest
      let chats = shown.calls.filter { $0.kind == .chat }
      return Row(
        notebook: identity[0], cell: identity[1], key: String(shown.cellKey.prefix(12)),
        status: current.map { _ in shown.cellKey == currentKey ? "current" : "stale" },
        seeded: chats.filter(\.seeded).count, unseeded: chats.filter { !$0.seeded }.count,
        embeddings: shown.calls.filter { $0.kind == .embed }.count,
        tokens: shown.calls.reduce(0) { $0 + $1.promptTokens + $1.completionTokens }, savedAt: shown.savedAt,
        older: group.count - 1)
    }
  }

  /// Per notebook, a heading and an aligned table of its cells.
  static func table(_ rows: [Row], showStatus: Bool) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
    var headers = ["cell", "key"]
    if showStatus { headers.append("status") }
    headers += ["seeded", "unseeded", "embed", "tokens", "saved"]
    // Columns of numbers are right-aligned.
    let numeric: Set<String> = ["seeded", "unseeded", "embed", "tokens"]
    var text = ""
    var notebooks = OrderedSet<String>()
    for row in rows { notebooks.append(row.notebook) }
    for notebook in notebooks {
      let cells = rows.filter { $0.notebook == notebook }.map { row -> [String] in
        var cells = [row.cell, row.key]
        if showStatus { cells.append(row.status ?? "") }
        cells += [String(row.seeded), String(row.unseeded), String(row.embeddings), String(row.tokens)]
        cells.append(formatter.string(from: row.savedAt) + (row.older > 0 ? " (+\(row.older) older)" : ""))
        return cells
      }
      let widths = headers.indices.map { column in ([headers] + cells).map { $0[column].count }.max() ?? 0 }
      func line(_ values: [String]) -> String {
        let padded = values.enumerated().map { column, value in
          let pad = String(repeating: " ", count: widths[column] - value.count)
          return numeric.contains(headers[column]) ? pad + value : value + pad
        }
        let joined = "  " + padded.joined(separator: "  ")
        return String(joined.reversed().drop { $0 == " " }.reversed())
      }
      text += notebook + "\n" + line(headers) + "\n"
      for row in cells { text += line(row) + "\n" }
    }
    return text
  }

  /// The store's size on disk, its write-ahead log included: "48.0 KB".
  static func size(ofStoreAt path: String) -> String {
    let bytes = ["", "-wal"].reduce(0) { total, suffix in
      total + ((try? FileManager.default.attributesOfItem(atPath: path + suffix)[.size] as? Int) ?? 0)
    }
    if bytes < 1024 { return "\(bytes) bytes" }
    if bytes < 1024 * 1024 { return String(format: "%.1f KB", Double(bytes) / 1024) }
    return String(format: "%.1f MB", Double(bytes) / (1024 * 1024))
  }
}

/// "1 cell", "3 cells"; "1 entry", "2 entries".
private func plural(_ count: Int, _ noun: String, _ plural: String? = nil) -> String {
  "\(count) \(count == 1 ? noun : plural ?? noun + "s")"
}
