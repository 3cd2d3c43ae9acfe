import Foundation

/// Runs notebook code on a thread with a large stack. The interpreter recurses once per
/// seed call; its depth limit, not the 8 MB of the main thread, must be what ends a deep
/// recursion.
public enum LargeStack {
  public static let size = 1 << 30

  public static func run<T>(_ body: @escaping () -> T) -> T {
    let slot = ResultSlot<T>()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      slot.value = body()
      done.signal()
    }
    thread.stackSize = size
    thread.start()
    done.wait()
    guard let value = slot.value else { preconditionFailure("the interpreter thread ended without a result") }
    return value
  }
}

/// Carries a result from the large-stack thread back to its caller, which waits for it.
private final class ResultSlot<T>: @unchecked Sendable {
  var value: T?
}
