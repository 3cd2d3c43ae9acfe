import Foundation
import SeedLLM
import SeedLang

/// Ctrl-C stops the running code and cancels the requests in flight; a second Ctrl-C
/// exits at once.
final class Interruption: @unchecked Sendable {
  private let source: DispatchSourceSignal
  private var count = 0
  private static let pressed = NSLock()
  nonisolated(unsafe) private static var pressedOnce = false

  /// Whether Ctrl-C was pressed in this process (`--watch` then ends after the run).
  static var wasPressed: Bool { pressed.withLock { pressedOnce } }

  init(interpreter: @escaping () -> Interpreter?) {
    signal(SIGINT, SIG_IGN)
    source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    source.setEventHandler { [unowned self] in
      count += 1
      Interruption.pressed.withLock { Interruption.pressedOnce = true }
      if count > 1 { exit(130) }
      interpreter()?.interrupt()
      HTTPTransport.shared.cancelAll()
    }
    source.resume()
  }

  deinit {
    source.cancel()
    signal(SIGINT, SIG_DFL)
  }
}
