import ArgumentParser

/// The `seednb` command: runs literate notebooks whose code calls LLMs, reproducibly.
struct Seednb: ParsableCommand {
  static let version = "0.1.0"

  static let configuration = CommandConfiguration(
    commandName: "seednb",
    abstract: "Run literate notebooks whose code calls LLMs, and make their results reproducible.",
    version: version,
    subcommands: [
      RunCommand.self, SweepCommand.self, RenderCommand.self, CheckCommand.self, LockCommand.self, CacheCommand.self,
      ReplCommand.self,
    ]
  )
}

/// The process exit statuses, as the README documents them.
enum ExitStatus {
  static let ok: Int32 = 0
  static let cellFailed: Int32 = 1
  static let usage: Int32 = 2
  static let frozenMiss: Int32 = 3
  static let drift: Int32 = 4
}
