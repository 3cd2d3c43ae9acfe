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
      The report shows where the results came from (run date, seednb version, backend, the
      models that answered, parameters, seeds, fingerprints, requests live and cached,
      tokens), then the prose and every cell: its status, its code, and its outputs as the
      cache holds them for the cell as it is now. A cell with no stored result shows as
      "not run"; a cell that failed in the last run shows its error.

      --to html writes one self-contained file (inline CSS and SVG charts, nothing fetched);
      --to md writes GitHub Markdown, with each chart as an SVG file beside it. Without --to
      the format follows the -o file's extension (.html or .md), else html. Without -o the
      report goes beside the notebook (NAME.html or NAME.md); -o - writes it to standard
      output.

      Without -p, the parameters are those of the last run recorded in the cache (else the
      front matter's defaults); they are part of the cell keys, so they choose the results.
      """
  )

  @Argument(help: "The notebook to render (a .seednb file).")
  var notebook: String

  @Option(help: ArgumentHelp("The format: html or md.", valueName: "format"))
  var to: ReportFormat?

  @Option(name: .customShort("o"), help: ArgumentHelp("The file to write; - for standard output.", valueName: "file"))
  var output: String?

  @Option(name: .customShort("p"), help: ArgumentHelp("Set a parameter, as for run, to choose the results shown.", valueName: "key=value"))
  var parameters: [String] = []

  func run() throws {
    let terminal = Terminal()
    let loaded: LoadedNotebook
    do {
      if notebook.hasSuffix(".seed") {
        throw LoadedNotebook.Failure(message: "seednb: render needs a .seednb notebook; a plain .seed script has no stored results")
      }
      loaded = try LoadedNotebook(path: notebook, overrides: parameters)
    } catch let failure as LoadedNotebook.Failure {
      terminal.err(failure.message + "\n")
      throw ExitCode(ExitStatus.usage)
    }
    let format = to ?? output.flatMap(ReportFormat.init(path:)) ?? .html
    let destination = output ?? ReportFormat.defaultPath(forNotebook: notebook, format: format)
    let storePath = CacheStore.path(forNotebook: loaded.notebook.file)
    // A missing store is not created: every cell is then "not run".
    let store = try CacheCommand.openStore(at: storePath, terminal: terminal, sayMissing: false)
    defer { store?.close() }
    var resolved = loaded.parameters
    if parameters.isEmpty, let store {
      let name = URL(fileURLWithPath: loaded.notebook.file).lastPathComponent
      let declared = loaded.notebook.frontMatter?.params ?? [:]
      for (key, value) in (try? store.latestRun(notebook: name))??.parameterValues ?? [:] where declared[key] != nil {
        resolved[key] = value
      }
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

/// The report formats: self-contained HTML, or GitHub Markdown with charts beside it.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
  case html
  case md

  /// The format a file name asks for by its extension, if any.
  init?(path: String) {
    switch URL(fileURLWithPath: path).pathExtension.lowercased() {
    case "html", "htm": self = .html
    case "md", "markdown": self = .md
    default: return nil
    }
  }

  /// NAME.html or NAME.md beside the notebook NAME.seednb.
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
