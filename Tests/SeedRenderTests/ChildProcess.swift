import Foundation

/// A program the tests run to its end (chromium, Python, jupyter), its standard output and
/// error read at once: either can fill a pipe's buffer while the other is read.
enum ChildProcess {
  struct Result {
    var status: Int32
    var output: String
    var errors: String
  }

  static func run(_ program: String, _ arguments: [String], in directory: URL? = nil) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let collected = Collected()
    let reader = Thread { collected.data = err.fileHandleForReading.readDataToEndOfFile() }
    reader.start()
    let output = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !collected.done { usleep(1000) }
    return Result(
      status: process.terminationStatus, output: String(decoding: output, as: UTF8.self),
      errors: String(decoding: collected.data, as: UTF8.self))
  }

  final class Collected: @unchecked Sendable {
    var data = Data() { didSet { done = true } }
    var done = false
  }
}
