import SeedLang

/// What happens while a notebook runs, as it happens: for the command line's lines, the
/// REPL, a progress line. Requests inside `parallel` report from their own threads, at the
/// same time, so an observer must be safe to call from several threads.
public enum NotebookEvent {
  /// A cell starts: how it is expected to run, and why when it is not restored.
  case cellStarted(Cell, NotebookRunner.Status, CellReason?)
  /// Something a cell printed or displayed, when it did.
  case output(Cell, OutputItem)
  case requestStarted(RequestEvent)
  /// A request was answered: live, from a restored cell's transcript, or from a layer.
  case requestFinished(RequestEvent, AnswerSource)
  /// A piece of a chat answer as it streams (only when the observer asks for tokens).
  case token(String)
  case cellFinished(NotebookRunner.CellReport)
  /// Something went wrong that does not stop the run: a layer that could not be read, a
  /// cell that could not be saved.
  case warning(String)
}

/// A request as events name it.
public struct RequestEvent: Sendable {
  /// The cell that sent it, by label; nil in the REPL.
  public let cell: String?
  public let kind: RecordedCall.Kind
  public let address: AnswerAddress
  public let model: String
  public let seeded: Bool
}

/// Hears a run's events. `streamsTokens` asks for chat answers outside `parallel` to be
/// streamed, piece by piece, as `.token` events.
public protocol NotebookObserver: AnyObject {
  func notebook(_ event: NotebookEvent)
  var streamsTokens: Bool { get }
}

extension NotebookObserver {
  public var streamsTokens: Bool { false }
}

/// An observer made of a closure.
public final class NotebookEventHandler: NotebookObserver {
  private let handle: (NotebookEvent) -> Void
  public let streamsTokens: Bool

  public init(streamsTokens: Bool = false, _ handle: @escaping (NotebookEvent) -> Void) {
    self.handle = handle
    self.streamsTokens = streamsTokens
  }

  public func notebook(_ event: NotebookEvent) { handle(event) }
}
