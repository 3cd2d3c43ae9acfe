import Foundation
import XCTest

/// The Python venv with nbformat, nbconvert and textmate-grammar-python from PyPI, which
/// `bench/cache/setup-peers` installs (scripts/test runs it): `$SEEDNB_PYTHON_TOOLS`, else
/// `bench-venv` in seednb's cache folder. When it lacks a module the tests skip, saying so,
/// unless SEEDNB_REQUIRE_PYTHON_TOOLS=1 (set by scripts/test) makes that a failure.
struct PythonTools {
  let venv: URL

  var python: String { venv.appendingPathComponent("bin/python").path }
  var jupyter: String { venv.appendingPathComponent("bin/jupyter").path }

  static var defaultVenv: URL {
    let environment = ProcessInfo.processInfo.environment
    if let given = environment["SEEDNB_PYTHON_TOOLS"], !given.isEmpty { return URL(fileURLWithPath: given) }
    let cache =
      environment["SEEDNB_CACHE"].map { URL(fileURLWithPath: $0) }
      ?? environment["XDG_CACHE_HOME"].map { URL(fileURLWithPath: $0).appendingPathComponent("seednb") }
      ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/seednb")
    return cache.appendingPathComponent("bench-venv")
  }

  /// The venv, when its Python imports every one of `modules`.
  static func require(_ modules: [String]) throws -> PythonTools {
    let tools = PythonTools(venv: defaultVenv)
    let imports = "import " + modules.joined(separator: ", ")
    if FileManager.default.isExecutableFile(atPath: tools.python), (try? tools.run(tools.python, ["-c", imports]))?.status == 0 {
      return tools
    }
    let message =
      "\(modules.joined(separator: ", ")) not found in \(tools.venv.path) (bench/cache/setup-peers installs them, "
      + "as scripts/test does); test skipped"
    if ProcessInfo.processInfo.environment["SEEDNB_REQUIRE_PYTHON_TOOLS"] == "1" { XCTFail(message) }
    throw XCTSkip(message)
  }

  func run(_ program: String, _ arguments: [String], in directory: URL? = nil) throws -> ChildProcess.Result {
    try ChildProcess.run(program, arguments, in: directory)
  }

  /// Runs a Python script given as text with the venv's Python.
  func python(_ script: String, _ arguments: [String]) throws -> ChildProcess.Result {
    try run(python, ["-c", script] + arguments)
  }
}
