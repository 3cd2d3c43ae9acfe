/// SeedLang owns the seed language: its lexer, parser, compiler to closures, values,
/// builtins and diagnostics. It knows nothing of files, HTTP or terminals; the host hands
/// it module sources and receives its outputs.

/// A piece of source text that diagnostics point into: a notebook cell, a module, a REPL line.
public final class SourceText: Sendable {
  /// The file the text came from, as the user named it (`notebooks/hello.seednb`).
  public let file: String
  /// The part of the file, when the file holds several (`cell 3`, `cell setup`).
  public let unit: String?
  public let text: String
  /// The line in `file` on which `text` starts; diagnostics report file lines.
  public let firstLine: Int

  public init(file: String, unit: String? = nil, text: String, firstLine: Int = 1) {
    self.file = file
    self.unit = unit
    self.text = text
    self.firstLine = firstLine
  }

  /// The text of the given file line, without its line break, if the text holds it.
  public func line(_ number: Int) -> String? {
    let index = number - firstLine
    guard index >= 0 else { return nil }
    // Lines are split on UTF-8 bytes: as Characters, "\r\n" is one and would hide the break.
    var current = 0
    for line in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
      if current == index {
        let bytes = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
        return String(decoding: bytes, as: UTF8.self)
      }
      current += 1
    }
    return nil
  }

  /// `file:unit` as diagnostics print it.
  public var label: String { unit.map { "\(file):\($0)" } ?? file }
}

/// A 1-based line and column inside a source text.
public struct SourceLocation: Sendable {
  public let source: SourceText
  public let line: Int
  public let column: Int

  public init(source: SourceText, line: Int, column: Int) {
    self.source = source
    self.line = line
    self.column = column
  }

  public var description: String { "\(source.label):\(line):\(column)" }
}

/// One error the user sees: what is wrong and where, with the call stack for runtime errors.
public struct Diagnostic: Error, Sendable, CustomStringConvertible {
  public enum Kind: String, Sendable {
    case syntax = "syntax error"
    case runtime = "error"
    /// A notebook, front matter, parameter or import that is malformed outside the code itself.
    case format = "format error"
  }

  /// A call the error passed through, innermost first.
  public struct StackEntry: Sendable {
    public let function: String
    public let location: SourceLocation
  }

  public var kind: Kind
  public var message: String
  public var location: SourceLocation?
  public var callStack: [StackEntry] = []
  /// Calls left out of `callStack` between its innermost entries and its last, the outermost:
  /// a runaway recursion passes through thousands, and copying them all at every level would
  /// cost as much as the square of its depth.
  public var omittedCalls = 0
  static let maxCallStack = 40
  /// The error is that the input stopped early; a REPL reads another line instead of failing.
  public var atEndOfInput = false

  public init(_ kind: Kind, _ message: String, at location: SourceLocation?) {
    self.kind = kind
    self.message = message
    self.location = location
  }

  /// Records a call the error passed through on its way out.
  public mutating func addCall(_ entry: StackEntry) {
    if callStack.count < Diagnostic.maxCallStack {
      callStack.append(entry)
    } else {
      // The innermost calls stay, and the last entry is always the outermost so far.
      omittedCalls += 1
      callStack[callStack.count - 1] = entry
    }
  }

  /// The error as `seednb` prints it: `file:cell 2:7:12: error: message`, the source line with
  /// a caret under the column, then the calls that led there.
  public func rendered() -> String {
    guard let location else { return "\(kind.rawValue): \(message)" }
    var out = "\(location.description): \(kind.rawValue): \(message)"
    out += Diagnostic.excerpt(of: location)
    if !callStack.isEmpty {
      out += "\ncall stack (innermost first):"
      for (index, entry) in callStack.enumerated() {
        if index == callStack.count - 1 && omittedCalls > 0 {
          out += "\n  ... \(omittedCalls) more call\(omittedCalls == 1 ? "" : "s") ..."
        }
        out += "\n  in \(entry.function) at \(entry.location.description)"
      }
    }
    return out
  }

  public var description: String { rendered() }

  /// The source line of a location and a caret under its column, or nothing if the line is unknown.
  static func excerpt(of location: SourceLocation) -> String {
    guard let line = location.source.line(location.line) else { return "" }
    var text = line[...]
    let gutter = String(location.line)
    let pad = String(repeating: " ", count: gutter.count)
    var column = max(0, location.column - 1)
    // A very long line is shown as a window around the column, as compilers do.
    let window = 120
    if text.count > window {
      let start = max(0, column - window / 2)
      text = text.dropFirst(start).prefix(window)
      column -= start
      text = ((start > 0 ? "…" : "") + text + "…")[...]
      if start > 0 { column += 1 }
    }
    // Tabs stay tabs so the caret lines up under what the terminal shows.
    let lead = text.prefix(column).map { $0 == "\t" ? "\t" : " " }.joined()
    return "\n \(gutter) | \(text)\n \(pad) | \(lead)^"
  }
}

/// Every syntax error found in one source text; the parser recovers to report them all.
public struct DiagnosticList: Error, Sendable, CustomStringConvertible {
  public var diagnostics: [Diagnostic]

  public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

  public func rendered() -> String { diagnostics.map { $0.rendered() }.joined(separator: "\n") }

  /// Whether more input could complete the text: every error is at its end.
  public var isIncompleteInput: Bool { !diagnostics.isEmpty && diagnostics.allSatisfy(\.atEndOfInput) }
  public var description: String { rendered() }
}
