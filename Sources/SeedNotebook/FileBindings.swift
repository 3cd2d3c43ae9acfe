import SeedLang

/// The file builtins notebook code calls, every path confined to one folder (see
/// `NotebookFolder`): relative paths start there, and a path that leaves it, by `..`, an
/// absolute path or a symbolic link, is an error naming the path and why.
public struct FileBindings: Sendable {
  public let folder: NotebookFolder

  public init(folder: NotebookFolder) { self.folder = folder }

  /// The names and what they do, in one place.
  static let functions: [(String, @Sendable (NotebookFolder, inout Arguments) throws -> Value)] = [
    // read_file(path): the file's text.
    ("read_file", { folder, args in
      try args.expect(1)
      return .string(try folder.read(try args.string(0)))
    }),
    // write_file(path, text): replaces the file's text, making the file if needed.
    ("write_file", { folder, args in
      try args.expect(2)
      try folder.write(try args.string(0), try args.string(1))
      return .nil
    }),
    // append_file(path, text): adds text at the end of the file, making it if needed.
    ("append_file", { folder, args in
      try args.expect(2)
      try folder.write(try args.string(0), try args.string(1), append: true)
      return .nil
    }),
    // file_exists(path): whether a file or folder is there.
    ("file_exists", { folder, args in
      try args.expect(1)
      return .bool(try folder.exists(try args.string(0)))
    }),
    // list_dir(path = "."): the names in a folder, sorted.
    ("list_dir", { folder, args in
      try args.expect(0...1)
      let path = args.positionalCount == 0 ? "." : try args.string(0)
      return .list(ListObject(try folder.list(path).map(Value.string)))
    }),
    // make_dir(path): makes a folder and any missing folders above it.
    ("make_dir", { folder, args in
      try args.expect(1)
      try folder.makeFolder(try args.string(0))
      return .nil
    }),
    // read_json(path): the file's JSON as a value.
    ("read_json", { folder, args in
      try args.expect(1)
      let path = try args.string(0)
      let text = try folder.read(path)
      do { return try JSON.decode(text) } catch let error as JSON.DecodingError {
        throw RuntimeFailure("'\(path)' is not valid JSON: \(error.description)")
      }
    }),
    // write_json(path, value, indent: 2): the value as JSON text in the file.
    ("write_json", { folder, args in
      try args.checkLabels(["indent"])
      try args.expect(2)
      var indent: Int? = 2
      if let given = args.named("indent") {
        switch given {
        case .nil: indent = nil
        case .int(let n) where (0...16).contains(n): indent = n
        default: throw RuntimeFailure("indent must be nil or an int from 0 to 16")
        }
      }
      let path = try args.string(0)
      try folder.write(path, try JSON.encode(args[1], indent: indent) + "\n")
      return .nil
    }),
  ]

  public static var names: [String] { functions.map(\.0) }

  public func install(in interpreter: Interpreter) {
    let folder = self.folder
    for (name, body) in FileBindings.functions {
      interpreter.defineBuiltin(name) { args in
        do {
          return try body(folder, &args)
        } catch let error as NotebookFolder.AccessError {
          throw RuntimeFailure("\(name)(): \(error.description)")
        } catch let failure as RuntimeFailure where !failure.message.hasPrefix("\(name)()") {
          throw RuntimeFailure("\(name)(): \(failure.message)")
        }
      }
    }
  }
}
