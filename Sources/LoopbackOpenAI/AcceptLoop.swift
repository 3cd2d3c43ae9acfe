import Foundation

/// The thread that accepts connections and starts a thread for each, so a slow answer on
/// one connection never holds up another.
final class AcceptLoop: @unchecked Sendable {
  private let listener: Socket
  private let wakePipe: WakePipe
  private let state: ServerState
  private let finished = DispatchSemaphore(value: 0)

  init(listener: Socket, state: ServerState) throws {
    self.listener = listener
    self.wakePipe = try WakePipe()
    self.state = state
  }

  func start() {
    let thread = Thread { [self] in run() }
    thread.name = "LoopbackOpenAI accept"
    thread.start()
  }

  /// Wakes the loop and waits for it to close the listener, so the port is free on return.
  func stop() {
    wakePipe.wake()
    _ = finished.wait(timeout: .now() + 2)
  }

  private func run() {
    while wakePipe.waitForConnection(on: listener) {
      guard let socket = listener.accept() else {
        // Out of descriptors, most likely; poll would report the same pending connection
        // at once, so pause rather than spin.
        usleep(10_000)
        continue
      }
      guard state.adopt(socket) else {
        socket.close()
        break
      }
      let connection = Connection(socket: socket, state: state)
      let thread = Thread { connection.serve() }
      thread.name = "LoopbackOpenAI connection \(socket.descriptor)"
      thread.start()
    }
    listener.close()
    wakePipe.close()
    finished.signal()
  }
}
