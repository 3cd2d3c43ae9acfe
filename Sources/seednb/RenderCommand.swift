import ArgumentParser
import Foundation
import OrderedCollections
import SeedNotebook
import SeedRender

struct RenderCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "render",
    abstract: "Write a notebook's report from its stored results, without running anything.",
    discussion: """
      The report shows where the results came from (run date, seednb version, backend, the \
      models that answered, parameters, seeds, fingerprints, requests live and cached, \
      tokens), then the prose and every cell: its status, its code, and its outputs as the \
      cache holds them for the cell as it is now. A cell with no stored result shows as \
      "not run"; a cell that failed in the last run shows its error.

      --to html writes one self-contained file (inline CSS and SVG charts, nothing fetched); \
      --to md writes GitHub Markdown, with each chart as an SVG file beside it; --to ipynb \
      writes a Jupyter notebook (nbformat 4.5) with the outputs, for GitHub, nbviewer, \
      JupyterLab and nbconvert. Without --to the format follows the -o file's extension \
      (.html, .md or .ipynb), else html. Without -o the report goes beside the notebook \
      (NAME.html, NAME.md or NAME.ipynb); -o - writes it to standard output.

      Without -p, the parameters are those of the last run recorded in the cache (else the \
      front matter's defaults); they are part of the cell keys, so they choose the results. \
      Cells the cache lacks but NB.lock answers are first replayed from it, sending nothing.
      """
  )

  @Argument(help: "The notebook to render (a .seednb file).")
  var notebook: String

  @Option(help: ArgumentHelp("The format: html, md or ipynb.", valueName: "format"))
  var to: ReportFormat?

  @Option(name: .customShort("o"), help: ArgumentHelp("The file to write; - for standard output.", valueName: "file"))
  var output: String?

  @Option(name: .customShort("p"), help: ArgumentHelp("Set a parameter, as for run, to choose the results shown.", valueName: "key=value"))
  var parameters: [String] = []

  @OptionGroup(title: "Remote cache")
  var remote: RemoteCacheOptions

  func run() throws {
    let terminal = Terminal()
    let loaded = try LoadedNotebook.forCommand(
      path: notebook, overrides: parameters, terminal: terminal,
      scriptRefusal: "render needs a .seednb notebook; a plain .seed script has no stored results")
    let format = to ?? output.flatMap(ReportFormat.init(path:)) ?? .html
    let destination = output ?? ReportFormat.defaultPath(forNotebook: notebook, format: format)
    let storePath = CacheStore.path(forNotebook: loaded.notebook.file)
    // A missing store is not created: every cell is then "not run".
    var store = try CacheCommand.openStore(at: storePath, terminal: terminal, sayMissing: false)
    defer { store?.close() }
    var resolved = loaded.parameters
    if parameters.isEmpty, let store {
      let name = URL(fileURLWithPath: loaded.notebook.file).lastPathComponent
      let declared = loaded.notebook.frontMatter?.params ?? [:]
      for (key, value) in (try? store.latestRun(notebook: name))??.parameterValues ?? [:] where declared[key] != nil {
        resolved[key] = value
      }
    }
    // Cells the store lacks but the lockfile or the remote cache answers are replayed first.
    let remoteLayer = try remote.settings.layer(terminal: terminal)
    if FileManager.default.fileExists(atPath: Lockfile.path(forNotebook: loaded.notebook.file)) || remoteLayer != nil {
      let backend = (try? Backend.choose(flag: nil, frontMatter: loaded.notebook.frontMatter?.backend)) ?? .local
      LockfileReplay.fill(
        LoadedNotebook(notebook: loaded.notebook, parameters: resolved), backend: backend, terminal: terminal, remote: remoteLayer)
      if store == nil { store = try CacheCommand.openStore(at: storePath, terminal: terminal, sayMissing: false) }
    }
    do {
      let report = try ReportBuilder.build(
        notebook: loaded.notebook, parameters: resolved, runtime: Seednb.version, store: store)
      try ReportWriter.write(report, format: format, to: destination)
      if destination != "-" { terminal.out("wrote \(destination)\n") }
    } catch {
      terminal.err("seednb: cannot write the report \(destination): \(error.readableDescription)\n")
      throw ExitCode(ExitStatus.cellFailed)
    }
  }
}

/// The report formats: self-contained HTML, GitHub Markdown with charts beside it, or a
/// Jupyter notebook.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
  case html
  case md
  case ipynb

  /// The format a file name asks for by its extension, if any.
  init?(path: String) {
    switch URL(fileURLWithPath: path).pathExtension.lowercased() {
    case "html", "htm": self = .html
    case "md", "markdown": self = .md
    case "ipynb": self = .ipynb
    default: return nil
    }
  }

  /// NAME.html, NAME.md or NAME.ipynb beside the notebook NAME.seednb.
  static func defaultPath(forNotebook path: String, format: ReportFormat) -> String {
    URL(fileURLWithPath: path).deletingPathExtension().appendingPathExtension(format.rawValue).path
  }
}

/// Writes a report file, and for Markdown its chart files beside it.
enum ReportWriter {
  static func write(_ report: Report, format: ReportFormat, to path: String) throws {
    let text: String
    var files: [(name: String, contents: String)] = []
    let folder =
      path == "-"
      ? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
      : URL(fileURLWithPath: path).deletingLastPathComponent()
    switch format {
    case .html:
      text = HTMLReport.render(report)
    case .md:
      let stem =
        path == "-"
        ? URL(fileURLWithPath: report.provenance.notebook).deletingPathExtension().lastPathComponent
        : URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
      let rendered = MarkdownReport.render(report, chartPrefix: stem)
      text = rendered.markdown
      files = rendered.files
    case .ipynb:
      text = JupyterNotebookReport.render(report)
    }
    for file in files {
      try Data(file.contents.utf8).write(to: folder.appendingPathComponent(file.name), options: .atomic)
    }
    if path == "-" {
      FileHandle.standardOutput.write(Data(text.utf8))
    } else {
      try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
  }
}
