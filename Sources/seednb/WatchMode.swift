import ArgumentParser
import Foundation
import SeedNotebook

/// `seednb run NB --watch`: runs the notebook, then again on every save of it or of a module
/// it may import, until Ctrl-C. Each run is a whole `seednb run` (report included); the
/// cache makes it re-run only what changed. A notebook that does not parse, or that is
/// removed, prints why and waits for the next save.
extension RunRequest {
  func watchAndRun(terminal: Terminal) throws {
    let watcher: FolderWatcher
    let file = URL(fileURLWithPath: notebook).standardizedFileURL.path
    let folder = (file as NSString).deletingLastPathComponent
    do {
      watcher = try FolderWatcher()
      try watcher.watch(folder: folder)
    } catch let failure as FolderWatcher.Failure {
      terminal.err("seednb: --watch: \(failure.description)\n")
      throw ExitCode(ExitStatus.usage)
    }
    // Modules are found in the standard library, then beside the notebook; a standard
    // library that cannot be watched (a read-only installation) is only said.
    if let library = ModuleSearchPath.standardLibrary() {
      do { try watcher.watch(folder: URL(fileURLWithPath: library).standardizedFileURL.path) } catch {
        terminal.err("seednb: --watch: \(error); changes to the standard library are not seen\n")
      }
    }
    let matters: (String) -> Bool = { $0 == file || $0.hasSuffix(".seed") }
    let remote = try remoteCache.layer(terminal: terminal)
    while true {
      runOnceForWatch(terminal: terminal, remote: remote)
      if Interruption.wasPressed { throw ExitCode(130) }
      terminal.err(terminal.styled("── watching \(notebook) and the modules it may import; Ctrl-C ends", "2") + "\n")
      var changed = watcher.nextChange(matters: matters)
      while !FileManager.default.fileExists(atPath: file) {
        terminal.err("── \(notebook) was removed; waiting for it to be written again\n")
        changed = watcher.nextChange { $0 == file }
      }
      let names = changed.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")
      terminal.err(terminal.styled("── changed: \(names); running again", "2") + "\n")
    }
  }

  /// One run; what stops it (a notebook that cannot be read or parsed) is printed, not thrown.
  private func runOnceForWatch(terminal: Terminal, remote: RemoteAnswerLayer?) {
    let loaded: LoadedNotebook
    let chosen: Backend
    do {
      loaded = try LoadedNotebook(
        path: notebook, overrides: parameters, allowedSecrets: allowedSecrets, environment: ProcessEnvironment.current)
      chosen = try Backend.choose(flag: backend, frontMatter: loaded.notebook.frontMatter?.backend)
    } catch let failure as LoadedNotebook.Failure {
      terminal.err(failure.message + "\n")
      return
    } catch {
      terminal.err("\(error)\n")
      return
    }
    let options = runnerOptions, report = self.report, summaryFile = self.summaryFile, allowedSecrets = self.allowedSecrets
    _ = LargeStack.run {
      RunRequest.execute(
        loaded, backend: chosen, options: options, terminal: terminal, report: report, remote: remote,
        summaryFile: summaryFile, allowedSecrets: allowedSecrets)
    }
  }
}
