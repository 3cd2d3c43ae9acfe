import Foundation

/// What the accept loop, the connection threads and the public API share, behind one lock.
/// The threads hold this, not the server, so dropping the server still stops them.
final class ServerState: @unchecked Sendable {
  let options: LoopbackOpenAIServer.Options
  /// One lock for everything below; also signalled on stop and when a connection ends.
  private let condition = NSCondition()
  private var faults: [LoopbackOpenAIServer.Fault] = []
  private var recorded: [LoopbackOpenAIServer.RecordedRequest] = []
  private var accepted = 0
  /// Connections not yet closed, so stop() can wake their threads.
  private var open: [Int32: Socket] = [:]
  private var stopped = false

  init(options: LoopbackOpenAIServer.Options) { self.options = options }

  private func locked<Result>(_ body: () throws -> Result) rethrows -> Result {
    condition.lock()
    defer { condition.unlock() }
    return try body()
  }

  func enqueue(_ more: [LoopbackOpenAIServer.Fault]) { locked { faults += more } }

  var requests: [LoopbackOpenAIServer.RecordedRequest] { locked { recorded } }
  var connectionsAccepted: Int { locked { accepted } }
  var isStopped: Bool { locked { stopped } }

  /// Records a request and hands back the fault it must suffer, if one is queued. One step,
  /// so the n-th request recorded is the one that took the n-th fault.
  func arrived(_ request: LoopbackOpenAIServer.RecordedRequest) -> LoopbackOpenAIServer.Fault? {
    locked {
      recorded.append(request)
      return faults.isEmpty ? nil : faults.removeFirst()
    }
  }

  /// Adopts a new connection; false when the server is stopping and it must be closed.
  func adopt(_ connection: Socket) -> Bool {
    locked {
      guard !stopped else { return false }
      accepted += 1
      open[connection.descriptor] = connection
      return true
    }
  }

  /// Closes a connection for good. Forgotten first, under the lock, so stop() never shuts
  /// down a descriptor number the kernel has already handed to someone else.
  func close(_ connection: Socket, reset: Bool = false) {
    locked {
      open[connection.descriptor] = nil
      condition.broadcast()
    }
    if reset { connection.closeWithReset() } else { connection.close() }
  }

  /// Waits `seconds`, cut short by stop(); false when the server stopped meanwhile.
  func pause(_ seconds: Double) -> Bool {
    let deadline = Date(timeIntervalSinceNow: max(0, seconds))
    return locked {
      while !stopped && seconds > 0 && condition.wait(until: deadline) {}
      return !stopped
    }
  }

  /// Marks the server stopped, wakes every waiting thread and every connection; then waits
  /// (up to `timeout`) for the connection threads to close their sockets.
  func stop(timeout: Double) {
    locked {
      stopped = true
      condition.broadcast()
      for connection in open.values { connection.shutdownBoth() }
      let deadline = Date(timeIntervalSinceNow: timeout)
      while !open.isEmpty && condition.wait(until: deadline) {}
    }
  }
}
