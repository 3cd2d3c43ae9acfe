import Foundation
import OrderedCollections
import SeedLang

/// A notebook read from disk and parsed, with its parameters resolved: the first step of
/// every command that works on a notebook, and of the REPL's `:load`.
public struct LoadedNotebook {
  /// Why a notebook cannot be used, as the command prints it.
  public struct Failure: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }

    public init(message: String) { self.message = message }
  }

  public let notebook: Notebook
  public let parameters: OrderedDictionary<String, ParameterValue>

  public init(notebook: Notebook, parameters: OrderedDictionary<String, ParameterValue>) {
    self.notebook = notebook
    self.parameters = parameters
  }

  /// Reads and parses the notebook at `path` and resolves `-p key=value` overrides against
  /// its front matter. A `-p` may not hold the value of `OPENAI_API_KEY`, of a secret the front
  /// matter lists or of one `allowedSecrets` (`--allow-secret`) names, nor anything shaped like
  /// a key.
  public init(
    path: String, overrides: [String], allowedSecrets: [String] = [],
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws {
    guard let data = FileManager.default.contents(atPath: path) else {
      var isDirectory: ObjCBool = false
      let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
      throw Failure(
        message: "seednb: cannot read '\(path)': "
          + (isDirectory.boolValue ? "it is a folder" : exists ? "permission denied" : "no such file"))
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw Failure(message: "seednb: '\(path)' is not UTF-8 text")
    }
    do {
      notebook = try Notebook.parse(text, file: path)
      let keyNames = ["OPENAI_API_KEY"] + (notebook.frontMatter?.secrets ?? []) + allowedSecrets
      parameters = try ParameterOverrides.resolve(
        overrides, declared: notebook.frontMatter?.params ?? [:], knownKeys: keyNames.compactMap { environment[$0] })
    } catch let diagnostic as Diagnostic {
      throw Failure(message: diagnostic.rendered())
    } catch let list as DiagnosticList {
      throw Failure(message: list.rendered())
    }
  }

  /// The notebook's file name, as the store names notebooks.
  public var name: String { URL(fileURLWithPath: notebook.file).lastPathComponent }

  /// Where its `import`s are looked for.
  public var modules: ModuleSearchPath { .forNotebook(at: notebook.file) }
}
