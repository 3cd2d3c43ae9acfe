import CEditLine
import Foundation

/// What reading one line gave.
public enum LineRead: Equatable {
  case line(String)
  /// Ctrl-C: the line being typed is dropped.
  case cancelled
  /// Ctrl-D on an empty line, or the end of piped input.
  case endOfInput
}

/// Where the REPL's lines come from: the line editor on a terminal, or plain standard input.
/// As in lua.c, line editing hides behind these two functions.
public protocol LineSource: AnyObject {
  func read(prompt: String) -> LineRead
  /// Keeps an entered line in the history.
  func remember(_ line: String)
}

/// Standard input that is not a terminal: lines without prompts, editing or history.
public final class PlainLineSource: LineSource {
  public init() {}

  public func read(prompt: String) -> LineRead {
    guard let line = Swift.readLine(strippingNewline: true) else { return .endOfInput }
    return .line(line)
  }

  public func remember(_ line: String) {}
}

/// libedit in emacs mode: line editing, a history kept in a file, Ctrl-R searching back
/// through it, Tab completion, and Ctrl-C dropping the line being typed.
///
/// While a line is edited the terminal does not turn Ctrl-C into SIGINT (`-isig`): it
/// arrives as a key bound to `seed-cancel`, which ends the line and marks it cancelled. While
/// code runs, the terminal is back in its usual mode and Ctrl-C is a signal again.
public final class LineEditor: LineSource {
  /// Candidates for the word before the cursor: the text it replaces and the full words.
  public typealias Completer = (_ textBeforeCursor: String) -> Completion

  private let editLine: OpaquePointer
  private let history: OpaquePointer
  private let historyPath: String?
  private let completer: Completer
  private var prompt: UnsafeMutablePointer<CChar>
  fileprivate var cancelled = false

  /// `historyPath`: where the history is read from and saved to after every line; nil keeps
  /// it for the session only.
  public init(historyPath: String?, completer: @escaping Completer) {
    self.historyPath = historyPath
    self.completer = completer
    prompt = strdup("")
    editLine = el_init(CommandLine.arguments.first ?? "seednb", stdin, stdout, stderr)
    history = history_init()
    seednb_history_set_size(history, 1000)
    seednb_history_set_unique(history, 1)
    if let historyPath { seednb_history_load(history, historyPath) }

    seednb_el_set_client_data(editLine, Unmanaged.passUnretained(self).toOpaque())
    seednb_el_set_editor(editLine, "emacs")
    // libedit's own signal handling stays off: it would take SIGINT from the handler that
    // stops running code. The window size is read again before each line instead.
    seednb_el_set_signal(editLine, 0)
    seednb_el_set_history(editLine, history)
    seednb_el_set_prompt(editLine) { editLine in
      guard let editor = LineEditor.owner(of: editLine) else { return nil }
      return editor.prompt
    }
    seednb_el_set_tty_edit_flag(editLine, "-isig")
    seednb_el_add_function(editLine, "seed-complete", "Complete the word before the cursor") { editLine, _ in
      guard let editLine, let editor = LineEditor.owner(of: editLine) else { return UInt8(CC_ERROR) }
      return editor.complete()
    }
    seednb_el_add_function(editLine, "seed-cancel", "Drop the line being typed") { editLine, _ in
      guard let editLine, let editor = LineEditor.owner(of: editLine) else { return UInt8(CC_ERROR) }
      return editor.cancel()
    }
    seednb_el_bind(editLine, "^I", "seed-complete")
    seednb_el_bind(editLine, "^C", "seed-cancel")
    // Incremental search back through the history, as readline binds it.
    seednb_el_bind(editLine, "^R", "em-inc-search-prev")
    // Arrows walk the history from what is typed, as in zsh and IPython.
    seednb_el_bind(editLine, "\u{1B}[A", "ed-search-prev-history")
    seednb_el_bind(editLine, "\u{1B}[B", "ed-search-next-history")
    seednb_el_bind(editLine, "\u{1B}OA", "ed-search-prev-history")
    seednb_el_bind(editLine, "\u{1B}OB", "ed-search-next-history")
  }

  deinit {
    el_end(editLine)
    history_end(history)
    free(prompt)
  }

  private static func owner(of editLine: OpaquePointer?) -> LineEditor? {
    guard let editLine, let data = seednb_el_client_data(editLine) else { return nil }
    return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue()
  }

  public func read(prompt text: String) -> LineRead {
    free(prompt)
    prompt = strdup(text)
    cancelled = false
    el_resize(editLine)
    var count: Int32 = 0
    let line = el_gets(editLine, &count)
    if cancelled {
      // libedit leaves the cursor after the `^C`.
      fputs("\n", stdout)
      fflush(stdout)
      return .cancelled
    }
    guard let line, count > 0 else { return .endOfInput }
    var text = String(cString: line)
    if text.hasSuffix("\n") { text.removeLast() }
    return .line(text)
  }

  public func remember(_ line: String) {
    guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return }
    seednb_history_enter(history, line)
    guard let historyPath else { return }
    // Saved after every line, so a session that is killed keeps what was typed.
    let folder = (historyPath as NSString).deletingLastPathComponent
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    seednb_history_save(history, historyPath)
  }

  /// Ctrl-C: shows `^C` at the end of the line and ends it; `read` reports it cancelled.
  /// With the cursor inside the line, it first replays Ctrl-E (move to the end, which also
  /// moves the cursor on screen) and Ctrl-C.
  private func cancel() -> UInt8 {
    if let info = el_line(editLine), info.pointee.cursor != info.pointee.lastchar {
      el_push(editLine, "\u{05}\u{03}")
      return UInt8(CC_NORM)
    }
    cancelled = true
    fputs("^C", stdout)
    fflush(stdout)
    return UInt8(CC_NEWLINE)
  }

  /// Tab: completes the word before the cursor as far as its candidates agree, and lists
  /// them when they go separate ways.
  private func complete() -> UInt8 {
    guard let info = el_line(editLine)?.pointee else { return UInt8(CC_ERROR) }
    let length = info.cursor - info.buffer
    let before = String(decoding: UnsafeRawBufferPointer(start: info.buffer, count: length), as: UTF8.self)
    let completion = completer(before)
    guard !completion.candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
    let common = Completion.commonPrefix(completion.candidates)
    if common.count > completion.word.count {
      var insertion = String(common.dropFirst(completion.word.count))
      if completion.candidates.count == 1, let suffix = completion.suffix { insertion += suffix }
      el_insertstr(editLine, insertion)
      return UInt8(CC_REFRESH)
    }
    if completion.candidates.count == 1 {
      if let suffix = completion.suffix { el_insertstr(editLine, suffix) }
      return UInt8(CC_REFRESH)
    }
    let listing = Completion.columns(completion.candidates, width: Int(seednb_el_columns(editLine)))
    fputs("\n" + listing, stdout)
    fflush(stdout)
    return UInt8(CC_REDISPLAY)
  }
}
