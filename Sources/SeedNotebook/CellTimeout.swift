import Foundation
import SeedLLM
import SeedLang

/// `--cell-timeout`: a cell still running after so many seconds is stopped the way Ctrl-C
/// stops it (the interpreter's interrupt, and every request in flight cancelled), and its
/// error says that the time ran out, where the cell was when it stopped.
public struct CellTimeout: Sendable {
  public let seconds: Double

  public init(seconds: Double) { self.seconds = seconds }

  /// Runs `body` (one cell) with the clock running; returns its result and whether the time
  /// ran out before it ended.
  public func run<T>(interrupting interpreter: Interpreter, _ body: () -> T) -> (T, expired: Bool) {
    let expired = Expiry()
    // Once the time is up, requests are cancelled again every quarter second until the cell
    // has ended: a `parallel` worker may send one after the first cancellation, before it
    // notices the interrupt.
    let alarm = DispatchSource.makeTimerSource(queue: .global())
    alarm.schedule(deadline: .now() + seconds, repeating: 0.25)
    alarm.setEventHandler { [interpreter] in
      expired.fire {
        interpreter.interrupt()
        HTTPTransport.shared.cancelAll()
      }
    }
    alarm.resume()
    let result = body()
    alarm.cancel()
    return (result, expired.finish())
  }

  /// The error of a cell stopped by the timeout, at the place it had reached.
  public func error(for label: String, stoppedBy original: Diagnostic?) -> Diagnostic {
    var diagnostic = Diagnostic(
      .runtime, "\(label) ran longer than the cell timeout of \(CellTimeout.format(seconds)) and was stopped",
      at: original?.location)
    diagnostic.callStack = original?.callStack ?? []
    diagnostic.omittedCalls = original?.omittedCalls ?? 0
    return diagnostic
  }

  /// "5 s", "0.5 s".
  static func format(_ seconds: Double) -> String {
    seconds == seconds.rounded() && seconds < 1e15 ? "\(Int(seconds)) s" : "\(seconds) s"
  }
}

/// Whether the alarm went off; set on the timer's thread, read on the cell's. Once the cell
/// has ended, the alarm does nothing more: it must not cancel the next cell's requests.
private final class Expiry: @unchecked Sendable {
  private let lock = NSLock()
  private var fired = false
  private var finished = false

  func fire(_ stop: () -> Void) {
    lock.withLock {
      guard !finished else { return }
      fired = true
      stop()
    }
  }

  /// Ends the watch; returns whether the alarm went off.
  func finish() -> Bool {
    lock.withLock {
      finished = true
      return fired
    }
  }
}
