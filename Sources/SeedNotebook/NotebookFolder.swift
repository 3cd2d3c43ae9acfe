import Foundation
import Glibc

/// The one folder notebook code may read and write (the notebook's, a script's, or the REPL's
/// working folder), and the opening of paths beneath it.
///
/// A path is resolved one component at a time from a descriptor of the folder, and every
/// `openat` refuses to follow a symbolic link (`O_NOFOLLOW`). A link met on the way is read
/// and its target spliced into the path, as the kernel would do, but checked first: a target
/// that leaves the folder (an absolute path elsewhere, or `..` above the folder) is an error.
/// Since the kernel never follows a link for us, there is no window between checking a path
/// and opening it: a link swapped in afterwards makes the open fail, and is then read and
/// checked in turn. `..` is taken by going back to the descriptor of the folder above, never
/// by asking the kernel, so it cannot leave either. (This is what Linux's `openat2` with
/// `RESOLVE_BENEATH` does, except that absolute links into the folder are allowed.)
public struct NotebookFolder: Sendable {
  /// The folder, with its own symbolic links resolved.
  public let path: String
  /// The folder as it was given, when that differs (a path through a link); absolute paths
  /// may start with either.
  private let givenPath: String
  /// How messages name the folder: "the notebook's folder".
  public let role: String

  /// Links followed in one path before giving up, as Linux does (`ELOOP`).
  static let maxLinks = 40
  /// Files larger than this are not read into memory.
  public static let maxReadBytes = 256 << 20
  /// The cache's folder beside the notebook; notebook code may not write into it.
  public static let cacheFolder = ".seednb"

  public struct AccessError: Error, CustomStringConvertible, Equatable {
    public let description: String
  }

  public init(path: String, role: String) {
    let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    givenPath = NotebookFolder.trimmed(absolute)
    self.path = NotebookFolder.trimmed(resolvedPath(givenPath) ?? givenPath)
    self.role = role
  }

  /// The folder of the notebook or script at `file`.
  public static func around(file: String, role: String = "the notebook's folder") -> NotebookFolder {
    NotebookFolder(path: URL(fileURLWithPath: file).deletingLastPathComponent().path, role: role)
  }

  // MARK: - Operations

  /// The text of a file (UTF-8).
  public func read(_ path: String) throws -> String {
    try withFile(path, opening: O_RDONLY) { fd, place in
      var data = [UInt8]()
      var buffer = [UInt8](repeating: 0, count: 1 << 16)
      while true {
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        if count < 0 {
          if errno == EINTR { continue }
          throw place.failure("cannot be read (\(systemError()))")
        }
        if count == 0 { break }
        data += buffer[0..<count]
        if data.count > NotebookFolder.maxReadBytes {
          throw place.failure("is larger than \(NotebookFolder.maxReadBytes >> 20) MB, the most a file read may hold")
        }
      }
      guard let text = String(validating: data, as: UTF8.self) else { throw place.failure("is not UTF-8 text") }
      return text
    }
  }

  /// Writes `text` to a file, made if missing; `append` adds it at the end instead of
  /// replacing what is there.
  public func write(_ path: String, _ text: String, append: Bool = false) throws {
    try withFile(path, opening: O_WRONLY | O_CREAT | (append ? O_APPEND : 0)) { fd, place in
      // Truncated only now that it is known to be a regular file.
      if !append && ftruncate(fd, 0) != 0 { throw place.failure("cannot be written (\(systemError()))") }
      var bytes = Array(text.utf8)[...]
      while !bytes.isEmpty {
        let count = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        if count < 0 {
          if errno == EINTR { continue }
          throw place.failure("cannot be written (\(systemError()))")
        }
        bytes = bytes.dropFirst(count)
      }
    }
  }

  /// Whether a file or folder exists at `path`. A path that leaves the folder is still an
  /// error, not `false`: the answer would tell what lies outside.
  public func exists(_ path: String) throws -> Bool {
    do {
      return try resolve(path, creatingFolders: false, missingFolderThrows: MissingFolder()) { place in
        guard let name = place.name else { return .done(true) }
        var info = stat()
        if fstatat(place.directory, name, &info, AT_SYMLINK_NOFOLLOW) != 0 {
          if errno == ENOENT || errno == ENOTDIR { return .done(false) }
          throw place.failure("cannot be examined (\(systemError()))")
        }
        return (info.st_mode & S_IFMT) == S_IFLNK ? .link : .done(true)
      }
    } catch is MissingFolder {
      return false
    }
  }

  /// The names in a folder, sorted, without `.` and `..`.
  public func list(_ path: String) throws -> [String] {
    try resolve(path, creatingFolders: false) { place in
      let fd: Int32
      if let name = place.name {
        fd = openat(place.directory, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 {
          let code = errno
          if isLink(place.directory, name) { return .link }
          throw place.failure(openProblem(code, wantFolder: true))
        }
      } else {
        fd = dup(place.directory)
      }
      guard let stream = fdopendir(fd) else {
        close(fd)
        throw place.failure("cannot be listed (\(systemError()))")
      }
      defer { closedir(stream) }
      var names: [String] = []
      while let entry = readdir(stream) {
        var nameField = entry.pointee.d_name
        let capacity = MemoryLayout.size(ofValue: nameField)
        let name = withUnsafePointer(to: &nameField) { field in
          field.withMemoryRebound(to: CChar.self, capacity: capacity) { String(cString: $0) }
        }
        if name != "." && name != ".." { names.append(name) }
      }
      return .done(names.sorted())
    }
  }

  /// Makes a folder and the folders above it that are missing, as `mkdir -p` does.
  public func makeFolder(_ path: String) throws {
    try resolve(path, creatingFolders: true) { place in
      guard let name = place.name else { return .done(()) }
      if place.isCacheFolder { throw place.cacheRefusal() }
      if mkdirat(place.directory, name, 0o777) != 0 && errno != EEXIST {
        throw place.failure("cannot be made (\(systemError()))")
      }
      let fd = openat(place.directory, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
      if fd < 0 {
        if isLink(place.directory, name) { return .link }
        throw place.failure("exists and is not a folder")
      }
      close(fd)
      return .done(())
    }
  }

  // MARK: - Resolution

  /// Where a walk ended: the folder holding the last component, and its name.
  struct Place {
    let directory: Int32
    /// Nil when the path names a folder itself, as `.` and `a/..` do.
    let name: String?
    /// The folders from the notebook's folder to `directory`.
    let folders: [String]
    /// The path as given, and the last link followed to get here, for messages.
    let path: String
    let link: (name: String, target: String)?

    /// Whether the place is the cache folder or inside it.
    var isCacheFolder: Bool {
      folders.first == NotebookFolder.cacheFolder || (folders.isEmpty && name == NotebookFolder.cacheFolder)
    }

    func failure(_ problem: String) -> AccessError {
      let through = link.map { " (through the symbolic link '\($0.name)' -> '\($0.target)')" } ?? ""
      return AccessError(description: "'\(path)' \(problem)\(through)")
    }

    func cacheRefusal() -> AccessError {
      failure("is in \(NotebookFolder.cacheFolder)/, the folder of the notebook's cache, where notebook code may not write")
    }
  }

  /// What the last step of a walk found.
  enum Final<T> {
    case done(T)
    /// The last component is a symbolic link: go on with its target.
    case link
  }

  /// A folder on the way does not exist; `exists` answers false for it.
  private struct MissingFolder: Error {}

  /// Opens the regular file at `path` with `flags` and hands its descriptor to `body`.
  /// Writes are refused in the cache folder; anything but a regular file is refused before
  /// it is read or truncated (a FIFO would block, a device would never end).
  private func withFile<T>(_ path: String, opening flags: Int32, _ body: (Int32, Place) throws -> T) throws -> T {
    try resolve(path, creatingFolders: false) { place in
      guard let name = place.name else { throw place.failure("is a folder, not a file") }
      if flags & O_WRONLY != 0 && place.isCacheFolder { throw place.cacheRefusal() }
      let fd = openat(place.directory, name, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o666)
      if fd < 0 {
        let code = errno
        if isLink(place.directory, name) { return .link }
        throw place.failure(openProblem(code, wantFolder: false))
      }
      defer { close(fd) }
      var info = stat()
      guard fstat(fd, &info) == 0 else { throw place.failure("cannot be examined (\(systemError()))") }
      switch info.st_mode & S_IFMT {
      case S_IFREG: return .done(try body(fd, place))
      case S_IFDIR: throw place.failure("is a folder, not a file")
      default: throw place.failure("is not a regular file (a device, pipe or socket)")
      }
    }
  }

  /// Walks `path` from the folder. Every component but the last must be a folder (made when
  /// `creatingFolders`); `final` is handed the place of the last one and says whether it
  /// found a link to go on with.
  private func resolve<T>(
    _ path: String, creatingFolders: Bool, missingFolderThrows missing: Error? = nil, _ final: (Place) throws -> Final<T>
  ) throws -> T {
    guard !path.isEmpty else { throw AccessError(description: "the path is empty (write \".\" for \(role))") }
    guard !path.utf8.contains(0) else { throw AccessError(description: "the path \(path.debugDescription) holds a NUL character") }
    let root = open(self.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard root >= 0 else { throw AccessError(description: "\(role) \(self.path) cannot be opened (\(systemError()))") }
    // The descriptors of the folders walked into, the notebook's folder first, and their names.
    var chain: [Int32] = [root]
    var folders: [String] = []
    defer { for fd in chain { close(fd) } }
    var link: (name: String, target: String)?
    var links = 0

    func failure(_ problem: String) -> AccessError {
      Place(directory: root, name: nil, folders: folders, path: path, link: link).failure(problem)
    }
    func outside() -> AccessError {
      guard let link else { return AccessError(description: "'\(path)' is outside \(role) (\(self.path))") }
      return AccessError(
        description: "'\(path)' leads outside \(role) (\(self.path)): '\(link.name)' is a symbolic link to '\(link.target)'")
    }
    /// A path's components as a stack, last first; an absolute one must lie in the folder.
    func components(_ text: String) throws -> [String] {
      var relative = Substring(text)
      if text.hasPrefix("/") {
        let trimmed = NotebookFolder.trimmed(text)
        guard let inside = [self.path, givenPath].lazy.compactMap({ NotebookFolder.part(of: trimmed, beneath: $0) }).first
        else { throw outside() }
        relative = inside
        for fd in chain.dropFirst() { close(fd) }
        chain.removeSubrange(1...)
        folders.removeAll()
      }
      return relative.split(separator: "/").map(String.init).reversed()
    }
    func follow(_ name: String, in directory: Int32) throws -> [String] {
      links += 1
      let shown = (folders + [name]).joined(separator: "/")
      guard links <= NotebookFolder.maxLinks else { throw failure("passes through more than \(NotebookFolder.maxLinks) symbolic links; do they form a loop?") }
      guard let target = readLink(directory, name) else {
        throw failure("cannot be resolved: the symbolic link '\(shown)' cannot be read (\(systemError()))")
      }
      link = (shown, target)
      return try components(target)
    }

    var pending = try components(path)
    while true {
      guard let component = pending.popLast() else {
        let place = Place(directory: chain[chain.count - 1], name: nil, folders: folders, path: path, link: link)
        guard case .done(let value) = try final(place) else { throw failure("cannot be resolved") }
        return value
      }
      if component == "." { continue }
      if component == ".." {
        guard chain.count > 1 else { throw outside() }
        close(chain.removeLast())
        folders.removeLast()
        continue
      }
      let directory = chain[chain.count - 1]
      if pending.isEmpty {
        let place = Place(directory: directory, name: component, folders: folders, path: path, link: link)
        switch try final(place) {
        case .done(let value): return value
        case .link: pending += try follow(component, in: directory)
        }
        continue
      }
      var fd = openat(directory, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
      var code = errno
      if fd < 0 && code == ENOENT && creatingFolders && !isLink(directory, component) {
        if folders.isEmpty && component == NotebookFolder.cacheFolder {
          throw Place(directory: directory, name: component, folders: folders, path: path, link: link).cacheRefusal()
        }
        if mkdirat(directory, component, 0o777) == 0 || errno == EEXIST {
          fd = openat(directory, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
          code = errno
        }
      }
      guard fd >= 0 else {
        if isLink(directory, component) {
          pending += try follow(component, in: directory)
          continue
        }
        if let missing, code == ENOENT || code == ENOTDIR { throw missing }
        let shown = (folders + [component]).joined(separator: "/")
        switch code {
        case ENOENT: throw failure("cannot be reached: there is no folder '\(shown)'")
        case ENOTDIR: throw failure("cannot be reached: '\(shown)' is a file, not a folder")
        default: throw failure("cannot be reached: the folder '\(shown)' \(openProblem(code, wantFolder: true))")
        }
      }
      chain.append(fd)
      folders.append(component)
    }
  }

  /// The part of `path` beneath `folder`, or nil when it is not beneath it.
  private static func part(of path: String, beneath folder: String) -> Substring? {
    if path == folder { return "" }
    let prefix = folder == "/" ? "/" : folder + "/"
    return path.hasPrefix(prefix) ? path.dropFirst(prefix.count) : nil
  }

  private static func trimmed(_ path: String) -> String {
    var path = path
    while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
    return path
  }
}

// MARK: - System calls

private func isLink(_ directory: Int32, _ name: String) -> Bool {
  var info = stat()
  return fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
}

private func readLink(_ directory: Int32, _ name: String) -> String? {
  var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
  let count = readlinkat(directory, name, &buffer, buffer.count - 1)
  guard count >= 0 else { return nil }
  return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

private func resolvedPath(_ path: String) -> String? {
  guard let resolved = realpath(path, nil) else { return nil }
  defer { free(resolved) }
  return String(cString: resolved)
}

private func systemError() -> String { String(cString: strerror(errno)) }

private func openProblem(_ code: Int32, wantFolder: Bool) -> String {
  switch code {
  case ENOENT: return "does not exist"
  case ENOTDIR: return wantFolder ? "is a file, not a folder" : "cannot be reached: a part of it is not a folder"
  case EISDIR: return "is a folder, not a file"
  case EACCES, EPERM: return "cannot be opened: permission denied"
  case ENXIO: return "is not a regular file (a device, pipe or socket)"
  default: return "cannot be opened (\(String(cString: strerror(code))))"
  }
}
