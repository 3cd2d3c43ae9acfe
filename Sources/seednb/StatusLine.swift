import Foundation
import SeedNotebook

/// The line at the foot of a terminal that says what the running cell is doing: its name,
/// how long it has run, its requests (answered, from the store, in flight, of how many) and
/// tokens, and the text of a chat streaming in. It is redrawn in place at most ten times a
/// second, and only once a cell has run a quarter of a second, so cells that finish fast
/// (a cached run) draw nothing. Output goes through `write`, which clears the line first, so
/// that `print` output appears as it is printed and the line comes back under it.
///
/// Only on a terminal that can redraw: when standard output is piped, or NO_COLOR or
/// TERM=dumb is set, there is no status line and each cell shows as its one header line.
final class StatusLine: @unchecked Sendable {
  /// What the running cell's requests have done so far.
  struct Counts: Equatable {
    /// Requests answered, by the backend or the store.
    var done = 0
    /// Of `done`, those answered from the store (a restored cell's transcript, or by request).
    var fromStore = 0
    var inFlight = 0
    /// Prompt and completion tokens of the requests answered, and those of an answer
    /// streaming in so far.
    var tokens = 0
    /// How many requests the cell made when it was stored, when it is being restored.
    var expected: Int?
  }

  private let terminal: Terminal
  /// Where the running cell's answered requests are counted.
  private let journal: CallJournal
  private let interval: Double
  private let quiet: Double
  private let lock = NSLock()
  private var timer: DispatchSourceTimer?
  private var cell: String?
  private var cellStart = Date()
  private var expected: Int?
  private var inFlight = 0
  private var drawn = false
  private var atLineStart = true
  /// The text of the chat streaming in now, its last few hundred characters.
  private var streamed = ""
  /// Its pieces so far, a token each as servers stream them.
  private var streamedPieces = 0
  private var answeredWhenStreamStarted = 0

  /// A status line when the terminal can show one, else nil.
  static func forTerminal(
    _ terminal: Terminal, journal: CallJournal, environment: [String: String] = ProcessEnvironment.current
  ) -> StatusLine? {
    guard canRedraw(environment: environment) else { return nil }
    return StatusLine(terminal: terminal, journal: journal)
  }

  static func canRedraw(environment: [String: String]) -> Bool {
    isatty(STDOUT_FILENO) == 1 && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
  }

  init(terminal: Terminal, journal: CallJournal, interval: Double = 0.1, quiet: Double = 0.25) {
    self.terminal = terminal
    self.journal = journal
    self.interval = interval
    self.quiet = quiet
  }

  deinit { timer?.cancel() }

  /// Hears the run's events before `inner` does (which prints them), to follow the cell
  /// and its requests.
  func observing(_ inner: NotebookObserver) -> NotebookObserver { StatusLineObserver(statusLine: self, inner: inner) }

  /// A cell starts; the line appears if it is still running after a quarter of a second.
  func cellStarted(_ label: String) {
    let expected = journal.transcriptCount
    lock.withLock {
      cell = label
      cellStart = Date()
      self.expected = expected > 0 ? expected : nil
      inFlight = 0
      streamed = ""
      streamedPieces = 0
      answeredWhenStreamStarted = 0
      if timer == nil {
        let made = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "seednb.status-line"))
        made.schedule(deadline: .now() + quiet, repeating: interval, leeway: .milliseconds(20))
        made.setEventHandler { [weak self] in self?.tick() }
        made.resume()
        timer = made
      }
    }
  }

  /// The cell ended: the line is cleared, and stays so until the next cell has run a while.
  func cellEnded() {
    lock.withLock {
      cell = nil
      clear()
    }
  }

  func requestStarted() { lock.withLock { inFlight += 1 } }

  func liveRequestFinished() { lock.withLock { inFlight = max(0, inFlight - 1) } }

  /// Stops redrawing for good and clears the line.
  func stop() {
    lock.withLock {
      timer?.cancel()
      timer = nil
      cell = nil
      clear()
    }
  }

  /// A piece of a streaming chat answer.
  func streamedText(_ piece: String) {
    let answered = journal.finish().calls.count
    lock.withLock {
      if answered != answeredWhenStreamStarted {
        streamed = ""
        streamedPieces = 0
        answeredWhenStreamStarted = answered
      }
      streamed += piece
      streamedPieces += 1
      if streamed.count > 400 { streamed = String(streamed.suffix(300)) }
    }
  }

  /// Writes output under the line: the line is cleared, the text written, and the line
  /// drawn again at the next tick.
  func write(_ text: String) {
    lock.withLock {
      clear()
      terminal.out(text)
      if !text.isEmpty { atLineStart = text.hasSuffix("\n") }
    }
  }

  private func clear() {
    if drawn {
      terminal.out("\r\u{1B}[2K")
      drawn = false
    }
  }

  private func tick() {
    let calls = journal.finish()
    lock.withLock {
      // Output that ended mid-line would be wiped by the next redraw: wait for its newline.
      guard let cell, atLineStart else { return }
      let elapsed = Date().timeIntervalSince(cellStart)
      guard elapsed >= quiet else { return }
      // The answer streaming in counts its tokens as they arrive, until it is answered.
      let streaming = inFlight == 1 && calls.calls.count == answeredWhenStreamStarted
      let counts = Counts(
        done: calls.calls.count, fromStore: calls.cached, inFlight: inFlight,
        tokens: calls.tokens + (streaming ? streamedPieces : 0), expected: expected)
      let stream = streaming ? streamed : ""
      let text = StatusLine.text(cell: cell, elapsed: elapsed, progress: counts, streamed: stream, width: terminalWidth())
      terminal.out("\r" + terminal.styled(text, "2") + "\u{1B}[K")
      drawn = true
    }
  }

  /// The line's text, cut to `width` columns: what the running cell is doing.
  static func text(cell: String, elapsed: Double, progress: Counts, streamed: String, width: Int) -> String {
    var parts = ["▸ \(cell)", String(format: "%.1f s", elapsed)]
    if progress.done > 0 || progress.inFlight > 0 || progress.expected != nil {
      var requests = "\(progress.done)"
      if let expected = progress.expected, expected >= progress.done { requests += "/\(expected)" }
      requests += " request\((progress.expected ?? progress.done) == 1 ? "" : "s") answered"
      if progress.fromStore > 0 {
        requests += progress.fromStore == progress.done ? " (all from the store)" : " (\(progress.fromStore) from the store)"
      }
      parts.append(requests)
      if progress.inFlight > 0 { parts.append("\(progress.inFlight) in flight") }
      parts.append("\(progress.tokens) token\(progress.tokens == 1 ? "" : "s")")
    }
    // Text from a notebook or a model may hold escape sequences; the line shows none.
    var line = StatusLine.printable(parts.joined(separator: " · "))
    let text = StatusLine.printable(streamed)
    let room = width - 1 - StatusLine.columns(line) - 3
    if !text.isEmpty && room > 8 {
      line += " · " + (StatusLine.columns(text) > room ? "…" + StatusLine.tail(of: text, columns: room - 1) : text)
    }
    if StatusLine.columns(line) <= width - 1 { return line }
    var cut = ""
    for character in line {
      if StatusLine.columns(cut) + StatusLine.columns(String(character)) > width - 2 { break }
      cut.append(character)
    }
    return cut + "…"
  }

  /// Control characters (escape sequences, line breaks, tabs) as spaces.
  static func printable(_ text: String) -> String {
    String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
  }

  /// The columns a terminal gives the text: two for wide East Asian characters and emoji.
  static func columns(_ text: String) -> Int {
    text.reduce(0) { total, character in
      guard let scalar = character.unicodeScalars.first else { return total }
      let wide =
        scalar.properties.isEmojiPresentation || (0x1100...0x115F).contains(scalar.value)
        || (0x2E80...0xA4CF).contains(scalar.value) || (0xAC00...0xD7A3).contains(scalar.value)
        || (0xF900...0xFAFF).contains(scalar.value) || (0xFE30...0xFE4F).contains(scalar.value)
        || (0xFF00...0xFF60).contains(scalar.value) || (0xFFE0...0xFFE6).contains(scalar.value)
        || (0x20000...0x3FFFD).contains(scalar.value)
      return total + (wide ? 2 : 1)
    }
  }

  /// The end of the text that fits in `columns`.
  static func tail(of text: String, columns room: Int) -> String {
    var kept = ""
    var used = 0
    for character in text.reversed() {
      let width = columns(String(character))
      if used + width > room { break }
      used += width
      kept.insert(character, at: kept.startIndex)
    }
    return kept
  }

  private func terminalWidth() -> Int {
    var size = winsize()
    guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
    return Int(size.ws_col)
  }
}

/// Passes a run's events on to the printer, telling the status line what it needs first:
/// the cell that starts (after its header) or ends (before its error), requests in flight,
/// and the words of a streaming chat.
final class StatusLineObserver: NotebookObserver {
  let statusLine: StatusLine
  let inner: NotebookObserver

  init(statusLine: StatusLine, inner: NotebookObserver) {
    self.statusLine = statusLine
    self.inner = inner
  }

  var streamsTokens: Bool { true }

  func notebook(_ event: NotebookEvent) {
    switch event {
    case .cellStarted(let cell, _, _):
      inner.notebook(event)
      statusLine.cellStarted(cell.label)
    case .cellFinished:
      statusLine.cellEnded()
      inner.notebook(event)
    case .requestStarted:
      statusLine.requestStarted()
      inner.notebook(event)
    case .requestFinished(_, let source):
      if source == .live { statusLine.liveRequestFinished() }
      inner.notebook(event)
    case .token(let piece):
      statusLine.streamedText(piece)
      inner.notebook(event)
    case .warning:
      // Written to standard error, past the printer: the line must be gone first.
      statusLine.write("")
      inner.notebook(event)
    case .output:
      inner.notebook(event)
    }
  }
}
