// openai-loopback: the loopback OpenAI server as a process, for benchmark scripts.
// Prints `listening on 127.0.0.1:PORT` once ready; runs until SIGTERM, SIGINT, or end of stdin
// (so a parent that dies without signalling still takes the server down with it).

import Foundation
import LoopbackOpenAI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What the command line asked for.
struct Settings {
  var options = LoopbackOpenAIServer.Options()
  var port = 0
  var watchStdin = true
}

/// One command-line flag: its name, its value's placeholder (nil for a switch), its help
/// line, and what it does to the settings (throwing a message for a bad value).
struct Flag {
  var name: String
  var value: String?
  var help: String
  var apply: (inout Settings, String) throws -> Void
}

struct UsageError: Error { var message: String }

func number(_ text: String, for flag: String) throws -> Int {
  guard let value = Int(text), value >= 0 else {
    throw UsageError(message: "\(flag) takes a non-negative integer, not '\(text)'")
  }
  return value
}

let flags: [Flag] = [
  Flag(name: "--port", value: "N", help: "port to listen on (default: any free port)") {
    $0.port = try number($1, for: "--port")
  },
  Flag(name: "--delay-ms", value: "N", help: "wait N milliseconds before every answer") {
    $0.options.delay = Double(try number($1, for: "--delay-ms")) / 1000
  },
  Flag(name: "--no-fingerprint", value: nil, help: "leave system_fingerprint out of chat answers") {
    settings, _ in settings.options.fingerprint = nil
  },
  Flag(
    name: "--model", value: "NAME", help: "name this model in answers instead of the requested one"
  ) {
    $0.options.model = $1
  },
  Flag(name: "--require-key", value: "KEY", help: "answer 401 unless 'Authorization: Bearer KEY'") {
    $0.options.requiredKey = $1
  },
  Flag(name: "--embedding-dimensions", value: "N", help: "default embedding length (default 16)") {
    $0.options.embeddingDimensions = max(1, try number($1, for: "--embedding-dimensions"))
  },
  // A background job in a non-interactive shell gets /dev/null as stdin, which ends at once.
  Flag(name: "--ignore-stdin", value: nil, help: "keep running when stdin closes") {
    settings, _ in settings.watchStdin = false
  },
]

var usage: String {
  let lines = flags.map { flag in
    let left = flag.name + (flag.value.map { " " + $0 } ?? "")
    return "  " + left.padding(toLength: 26, withPad: " ", startingAt: 0) + flag.help
  }
  return (["usage: openai-loopback [options]"] + lines).joined(separator: "\n")
}

func parse(_ arguments: [String]) throws -> Settings {
  var settings = Settings()
  var remaining = arguments[...]
  while let argument = remaining.popFirst() {
    guard let flag = flags.first(where: { $0.name == argument }) else {
      throw UsageError(message: "unknown option '\(argument)'")
    }
    var value = ""
    if let placeholder = flag.value {
      guard let given = remaining.popFirst() else {
        throw UsageError(message: "\(flag.name) needs a value (\(placeholder))")
      }
      value = given
    }
    try flag.apply(&settings, value)
  }
  return settings
}

func fail(_ message: String, status: Int32) -> Never {
  FileHandle.standardError.write(Data("openai-loopback: \(message)\n".utf8))
  exit(status)
}

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.contains("--help") || arguments.contains("-h") {
  print(usage)
  exit(0)
}
let settings: Settings
do {
  settings = try parse(arguments)
} catch let error as UsageError {
  fail("\(error.message)\n\(usage)", status: 2)
} catch {
  fail("\(error)", status: 2)
}

let server = LoopbackOpenAIServer(options: settings.options)
let port: Int
do {
  port = try server.start(port: settings.port)
} catch {
  fail("cannot listen: \(error)", status: 1)
}
print("listening on 127.0.0.1:\(port)")
fflush(stdout)

func shutDown() -> Never {
  server.stop()
  exit(0)
}

// Signals arrive as dispatch events rather than in a handler, where stop() could not run.
var signalSources: [DispatchSourceSignal] = []
for signalNumber in [SIGTERM, SIGINT] {
  signal(signalNumber, SIG_IGN)
  let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .main)
  source.setEventHandler { shutDown() }
  source.resume()
  signalSources.append(source)
}

if settings.watchStdin {
  let watcher = Thread {
    // Whatever arrives on stdin is ignored; only its end matters.
    while !FileHandle.standardInput.availableData.isEmpty {}
    DispatchQueue.main.async { shutDown() }
  }
  watcher.start()
}

dispatchMain()
