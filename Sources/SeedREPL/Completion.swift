import Foundation
import SeedLang

/// The candidates for the word before the cursor.
public struct Completion: Equatable {
  /// The part of the word already typed, which every candidate starts with.
  public var word: String
  /// Whole words, sorted, without repeats.
  public var candidates: [String]
  /// Added after a single candidate: a space after a meta-command.
  public var suffix: String?

  public init(word: String, candidates: [String], suffix: String? = nil) {
    self.word = word
    self.candidates = Array(Set(candidates.filter { $0.hasPrefix(word) })).sorted()
    self.suffix = suffix
  }

  static func commonPrefix(_ words: [String]) -> String {
    guard var prefix = words.first else { return "" }
    for word in words.dropFirst() {
      while !word.hasPrefix(prefix) { prefix.removeLast() }
    }
    return prefix
  }

  /// The candidates in columns across the terminal, as shells list them.
  static func columns(_ words: [String], width: Int) -> String {
    let cell = (words.map(\.count).max() ?? 0) + 2
    let perLine = max(1, width / cell)
    var text = ""
    for (index, word) in words.enumerated() {
      let last = index % perLine == perLine - 1 || index == words.count - 1
      text += last ? word + "\n" : word.padding(toLength: cell, withPad: " ", startingAt: 0)
    }
    return text
  }
}

/// What Tab completes, from what the session holds: meta-commands at the start of a line,
/// module names after `import`, fields and methods after `name.`, else globals (builtins
/// included) and keywords.
public struct Completer {
  /// The session's defined global names.
  public var globalNames: () -> [String]
  /// A global's value, to complete its fields.
  public var global: (String) -> Value?
  /// Modules `import` can find.
  public var moduleNames: () -> [String]
  public var metaCommands: [String]

  public init(
    globalNames: @escaping () -> [String], global: @escaping (String) -> Value?, moduleNames: @escaping () -> [String],
    metaCommands: [String]
  ) {
    self.globalNames = globalNames
    self.global = global
    self.moduleNames = moduleNames
    self.metaCommands = metaCommands
  }

  static let keywords = [
    "let", "var", "func", "return", "if", "else", "for", "in", "while", "break", "continue", "true", "false", "nil",
    "import",
  ]

  /// Methods by type, from the language reference; completed after a value of that type.
  static let methods: [String: [String]] = [
    "list": [
      "append", "extend", "insert", "pop", "remove_at", "contains", "index_of", "sorted", "sort", "reversed", "join",
      "copy", "sum", "min", "max", "map", "filter", "reduce", "count", "isEmpty", "first", "last",
    ],
    "dict": ["keys", "values", "items", "get", "contains", "remove", "merge", "copy", "count", "isEmpty"],
    "string": [
      "split", "join", "upper", "lower", "trim", "replace", "starts_with", "ends_with", "contains", "index_of", "lines",
      "chars", "count", "isEmpty",
    ],
    "vector": ["dot", "norm", "to_list", "sum", "count"],
    "range": ["lowerBound", "upperBound", "count", "contains"],
  ]

  public func complete(_ line: String) -> Completion {
    // Meta-commands and their file arguments.
    let trimmed = line.drop { $0 == " " }
    if trimmed.hasPrefix(":") {
      if let space = trimmed.firstIndex(of: " ") {
        let command = String(trimmed[..<space])
        let argument = String(trimmed[trimmed.index(after: space)...])
        guard [":load", ":save"].contains(command) else { return Completion(word: argument, candidates: []) }
        return Completer.files(argument, extensions: command == ":load" ? ["seednb", "seed"] : ["seednb"])
      }
      return Completion(word: String(trimmed), candidates: metaCommands, suffix: " ")
    }
    // The word before the cursor: a name, or a chain of names joined by dots.
    var start = line.endIndex
    while start > line.startIndex {
      let previous = line[line.index(before: start)]
      guard previous.isLetter || previous.isNumber || previous == "_" || previous == "." else { break }
      start = line.index(before: start)
    }
    let word = String(line[start...])
    let before = line[..<start].trimmingCharacters(in: .whitespaces)
    if before.hasSuffix("import") && (before == "import" || !(before.dropLast(6).last.map { $0.isLetter || $0 == "_" } ?? false)) {
      return Completion(word: word, candidates: moduleNames())
    }
    guard let dot = word.lastIndex(of: ".") else {
      return Completion(word: word, candidates: globalNames() + Completer.keywords)
    }
    let path = word[..<dot].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    let field = String(word[word.index(after: dot)...])
    guard let value = resolve(path) else { return Completion(word: field, candidates: []) }
    var names = Completer.methods[value.typeName] ?? []
    if case .dict(let dict) = value {
      names += dict.entries.keys.compactMap { key in
        guard case .string(let name) = key.value, Completer.isIdentifier(name) else { return nil }
        return name
      }
    }
    return Completion(word: field, candidates: names)
  }

  /// The value a chain of names reaches through dict entries, if every step exists.
  private func resolve(_ path: [String]) -> Value? {
    guard let first = path.first, Completer.isIdentifier(first), var value = global(first) else { return nil }
    for name in path.dropFirst() {
      guard case .dict(let dict) = value, let next = dict[name] else { return nil }
      value = next
    }
    return value
  }

  static func isIdentifier(_ text: String) -> Bool {
    guard let first = text.first, first.isLetter || first == "_" else { return false }
    return text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
  }

  /// Files and folders for `:load` and `:save`, relative to the current folder.
  static func files(_ typed: String, extensions: [String]) -> Completion {
    let folder = typed.contains("/") ? String(typed[...typed.lastIndex(of: "/")!]) : ""
    let name = typed.contains("/") ? String(typed[typed.index(after: typed.lastIndex(of: "/")!)...]) : typed
    let directory = folder.isEmpty ? "." : (folder as NSString).expandingTildeInPath
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    let candidates = entries.compactMap { entry -> String? in
      guard entry.hasPrefix(name), !entry.hasPrefix(".") || name.hasPrefix(".") else { return nil }
      var isDirectory: ObjCBool = false
      _ = FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent(entry), isDirectory: &isDirectory)
      if isDirectory.boolValue { return folder + entry + "/" }
      return extensions.contains((entry as NSString).pathExtension) ? folder + entry : nil
    }
    return Completion(word: typed, candidates: candidates)
  }
}
