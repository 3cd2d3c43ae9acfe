#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A pipe the accept loop polls beside the listener, so `stop()` can wake it at once.
/// (Closing or shutting down a listening socket does not wake a blocked accept everywhere.)
struct WakePipe: Sendable {
  let readEnd: Int32
  let writeEnd: Int32

  init() throws {
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else { throw LoopbackServerError.posix("pipe") }
    readEnd = ends[0]
    writeEnd = ends[1]
  }

  func wake() {
    var byte: UInt8 = 1
    _ = write(writeEnd, &byte, 1)
  }

  func close() {
    #if canImport(Glibc)
      _ = Glibc.close(readEnd)
      _ = Glibc.close(writeEnd)
    #else
      _ = Darwin.close(readEnd)
      _ = Darwin.close(writeEnd)
    #endif
  }

  /// Blocks until `socket` has a connection to accept (true) or the pipe is woken (false).
  func waitForConnection(on socket: Socket) -> Bool {
    var watched = [
      pollfd(fd: socket.descriptor, events: Int16(POLLIN), revents: 0),
      pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0),
    ]
    while true {
      let ready = poll(&watched, nfds_t(watched.count), -1)
      if ready < 0 && errno == EINTR { continue }
      guard ready > 0, watched[1].revents == 0 else { return false }
      return watched[0].revents & Int16(POLLIN) != 0
    }
  }
}
