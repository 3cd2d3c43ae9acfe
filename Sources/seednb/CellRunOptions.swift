import ArgumentParser

/// The options of `run` that say how each cell runs and where its answers come from, as
/// opposed to what the run writes. `sweep` takes the same ones and hands them on to each of
/// its runs, so that a sweep can do whatever a run can.
struct CellRunOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "The LLM backend: local or openai (default: the front matter's, else openai when OPENAI_BASE_URL or OPENAI_API_KEY is set, else local).",
      valueName: "name"))
  var backend: String?

  @Flag(help: "Run every cell live and rewrite its cache entry.")
  var refresh = false

  @Flag(help: "Never ask the backend: replay everything from the cache; a request it lacks exits with status 3.")
  var frozen = false

  @Option(help: ArgumentHelp("Stop a cell that runs longer than this, with an error (the run then exits with 1).", valueName: "seconds"))
  var cellTimeout: Double?

  @Option(help: ArgumentHelp("The most a cell may print or display, in megabytes; more ends it with an error.", valueName: "MB"))
  var maxOutput: Double = RunRequest.defaultMaxOutput

  @Option(
    name: .customLong("allow-secret"),
    help: ArgumentHelp(
      "Let notebook code read this environment variable with secret(\"NAME\"), besides those the front matter lists (repeatable).",
      valueName: "NAME"))
  var allowedSecrets: [String] = []

  @OptionGroup(title: "Remote cache")
  var remote: RemoteCacheOptions

  /// These options as arguments of a `seednb run`, all but the remote cache's address: that
  /// goes in `environment`, since a URL may carry a password and a process's arguments are
  /// visible to every user of the machine.
  var runArguments: [String] {
    var arguments: [String] = []
    if let backend { arguments += ["--backend", backend] }
    if refresh { arguments.append("--refresh") }
    if frozen { arguments.append("--frozen") }
    if let cellTimeout { arguments += ["--cell-timeout", String(cellTimeout)] }
    arguments += ["--max-output", String(maxOutput)]
    for name in allowedSecrets { arguments += ["--allow-secret", name] }
    if remote.remoteCacheReadOnly { arguments.append("--remote-cache-read-only") }
    if let timeout = remote.remoteCacheTimeout { arguments += ["--remote-cache-timeout", String(timeout)] }
    return arguments
  }

  /// The variables a `seednb run` given `runArguments` needs besides its parent's.
  var runEnvironment: [String: String] {
    guard let url = remote.remoteCache else { return [:] }
    return ["SEEDNB_REMOTE_CACHE": url]
  }
}
