import ArgumentParser
import Foundation
import SeedNotebook
import SeedRemoteCache

/// The remote cache options of `run`, `check`, `render`, `repl` and `cache push|pull`.
struct RemoteCacheOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "A shared cache speaking Bazel's HTTP cache protocol (bazel-remote, nginx with WebDAV), asked after the store and the lockfile (default: $SEEDNB_REMOTE_CACHE).",
      valueName: "URL"))
  var remoteCache: String?

  @Flag(help: "Read answers from the remote cache but upload none (for CI).")
  var remoteCacheReadOnly = false

  @Option(
    help: ArgumentHelp(
      "Seconds each request to the remote cache may take (default: $SEEDNB_REMOTE_CACHE_TIMEOUT, else 5).", valueName: "seconds"))
  var remoteCacheTimeout: Double?

  var settings: RemoteCacheSettings {
    RemoteCacheSettings(url: remoteCache, readOnly: remoteCacheReadOnly, timeout: remoteCacheTimeout)
  }
}

extension RemoteCacheSettings {
  /// The remote cache as an answer layer, or nil when none is set. What is wrong with the
  /// settings is printed and ends the command with the usage status. A cache that fails
  /// warns once, on standard error.
  func layer(terminal: Terminal, environment: [String: String] = ProcessEnvironment.current) throws -> RemoteAnswerLayer? {
    do {
      guard let (client, readOnly) = try client(environment: environment) else { return nil }
      let colors = terminal.colors
      let remote = RemoteCache(client: client, readOnly: readOnly) { warning in
        let text = "seednb: warning: \(warning)"
        FileHandle.standardError.write(Data(((colors ? "\u{1B}[33m\(text)\u{1B}[0m" : text) + "\n").utf8))
      }
      return RemoteAnswerLayer(remote: remote)
    } catch let invalid as RemoteCacheSettings.Invalid {
      terminal.err("seednb: \(invalid.description)\n")
      throw ExitCode(ExitStatus.usage)
    }
  }
}
