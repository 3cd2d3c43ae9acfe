import Foundation
import SeedLang

/// Where `import NAME` looks for `NAME.seed`: the standard library first, then the
/// notebook's own folder.
public struct ModuleSearchPath: Sendable {
  public var directories: [String]

  public init(directories: [String]) { self.directories = directories }

  /// The standard library beside the notebook's folder search: `$SEEDNB_STDLIB`, else the
  /// `stdlib` folder of the checkout or installation the running executable belongs to.
  public static func standardLibrary(executable: String = CommandLine.arguments.first ?? "") -> String? {
    if let configured = ProcessInfo.processInfo.environment["SEEDNB_STDLIB"], !configured.isEmpty {
      return configured
    }
    var directory = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
    // A build puts the executable in .build/<triple>/<config>/; an install in <prefix>/bin/.
    for _ in 0..<6 {
      for candidate in ["stdlib", "share/seednb/stdlib"] {
        let path = directory.appendingPathComponent(candidate).path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
          return path
        }
      }
      directory.deleteLastPathComponent()
    }
    return nil
  }

  /// The search path for a notebook: the standard library, then the notebook's folder.
  public static func forNotebook(at file: String) -> ModuleSearchPath {
    let folder = URL(fileURLWithPath: file).deletingLastPathComponent().path
    return ModuleSearchPath(directories: [standardLibrary()].compactMap { $0 } + [folder])
  }

  /// A module loader that works its search path out on the first `import`: most notebooks
  /// and scripts import nothing, and finding the standard library (the environment, then the
  /// executable's folders on disk) would otherwise be a noticeable part of seednb's start-up.
  public static func loader(_ searchPath: @escaping () -> ModuleSearchPath) -> (String) -> Interpreter.ModuleLookup {
    let lock = NSLock()
    var found: ModuleSearchPath?
    return { name in
      let path = lock.withLock {
        if let found { return found }
        let made = searchPath()
        found = made
        return made
      }
      return path.lookup(name)
    }
  }

  /// A module is read as notebook code reads files: a `NAME.seed` that is a symbolic link
  /// leading out of its folder is refused, so a notebook's folder cannot smuggle in another
  /// file (whose first line a syntax error would show).
  public func lookup(_ name: String) -> Interpreter.ModuleLookup {
    var searched: [String] = []
    for directory in directories {
      let file = name + ".seed"
      let path = (directory as NSString).appendingPathComponent(file)
      let folder = NotebookFolder(path: directory, role: "its folder")
      guard FileManager.default.fileExists(atPath: directory), (try? folder.exists(file)) ?? true else {
        searched.append(directory)
        continue
      }
      do {
        return .found(SourceText(file: path, text: try folder.read(file)))
      } catch {
        searched.append("\(directory) (\(error))")
      }
    }
    return .notFound(searched: searched)
  }
}
