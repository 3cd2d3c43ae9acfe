import ArgumentParser
import Foundation

#if canImport(Glibc)
Heap.configure()
#endif

// Exit codes are part of seednb's interface: 2 means bad usage, whatever the parser's own.
do {
  if let request = RunRequest(bareCommandLine: Array(CommandLine.arguments.dropFirst())) {
    try request.run()
  } else {
    var command = try Seednb.parseAsRoot()
    try command.run()
  }
} catch {
  let code = Seednb.exitCode(for: error)
  if code == .success {
    Seednb.exit(withError: error)
  }
  if code == .validationFailure {
    FileHandle.standardError.write(Data((Seednb.fullMessage(for: error) + "\n").utf8))
    Foundation.exit(ExitStatus.usage)
  }
  Seednb.exit(withError: error)
}
