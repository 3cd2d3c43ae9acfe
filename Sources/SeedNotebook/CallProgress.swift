import Foundation

/// What the calls of the running cell have done so far: answered, of those how many from
/// the store, in flight, and tokens. `chat` and `embed` report here as they go; a host reads
/// it from any thread to show progress (`seednb run`'s status line).
public final class CallProgress: @unchecked Sendable {
  public struct Snapshot: Equatable, Sendable {
    /// Calls answered, from the backend or the store.
    public var done = 0
    /// Of `done`, the calls answered from the store.
    public var fromStore = 0
    public var inFlight = 0
    /// Prompt and completion tokens of the calls answered.
    public var tokens = 0
    /// How many calls the cell made the last time it ran, when the store knows.
    public var expected: Int?

    public init() {}
  }

  private let lock = NSLock()
  private var current = Snapshot()

  public init() {}

  public var snapshot: Snapshot { lock.withLock { current } }

  /// A new cell starts: the counts go back to zero.
  public func begin(expected: Int?) {
    lock.withLock {
      current = Snapshot()
      current.expected = expected
    }
  }

  func started() { lock.withLock { current.inFlight += 1 } }

  /// A live call ended, answered or not.
  func ended(tokens: Int?) {
    lock.withLock {
      current.inFlight -= 1
      if let tokens {
        current.done += 1
        current.tokens += tokens
      }
    }
  }

  func answeredFromStore(tokens: Int) {
    lock.withLock {
      current.done += 1
      current.fromStore += 1
      current.tokens += tokens
    }
  }
}
