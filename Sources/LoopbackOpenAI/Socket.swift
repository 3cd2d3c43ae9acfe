#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

#if canImport(Glibc)
  private let streamSocketType = Int32(SOCK_STREAM.rawValue)
  // A peer that hangs up while we write must give us an error, not kill the process.
  private let sendFlags = Int32(MSG_NOSIGNAL)
#else
  private let streamSocketType = SOCK_STREAM
  private let sendFlags: Int32 = 0
#endif

/// A TCP socket's file descriptor and the few calls the server makes on it. A plain value:
/// whoever owns the connection closes it, once.
struct Socket: Sendable {
  let descriptor: Int32

  /// A socket listening on 127.0.0.1; `port` 0 lets the kernel pick a free one.
  static func listenOnLoopback(port: Int) throws -> (socket: Socket, port: Int) {
    guard (0...65535).contains(port) else {
      throw LoopbackServerError("port \(port) is out of range")
    }
    let descriptor = socket(AF_INET, streamSocketType, 0)
    guard descriptor >= 0 else { throw LoopbackServerError.posix("socket") }
    let listener = Socket(descriptor: descriptor)
    // A benchmark restarted on a fixed port must not wait out TIME_WAIT.
    listener.setOption(SOL_SOCKET, SO_REUSEADDR, 1)

    var address = sockaddr_in()
    #if canImport(Darwin)
      address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
    #endif
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port)).bigEndian
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0 else {
      let error = LoopbackServerError.posix("bind 127.0.0.1:\(port)")
      listener.close()
      throw error
    }
    guard listen(descriptor, 256) == 0 else {
      let error = LoopbackServerError.posix("listen")
      listener.close()
      throw error
    }

    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let named = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    guard named == 0 else {
      let error = LoopbackServerError.posix("getsockname")
      listener.close()
      throw error
    }
    return (listener, Int(UInt16(bigEndian: address.sin_port)))
  }

  /// The next connection, or nil when accept failed (the listener may be closing).
  func accept() -> Socket? {
    while true {
      #if canImport(Glibc)
        let accepted = Glibc.accept(descriptor, nil, nil)
      #else
        let accepted = Darwin.accept(descriptor, nil, nil)
      #endif
      if accepted >= 0 {
        let connection = Socket(descriptor: accepted)
        // Small answers written in pieces (SSE events) must not wait for delayed ACKs.
        connection.setOption(Int32(IPPROTO_TCP), TCP_NODELAY, 1)
        #if canImport(Darwin)
          connection.setOption(SOL_SOCKET, SO_NOSIGPIPE, 1)
        #endif
        return connection
      }
      if errno == EINTR || errno == ECONNABORTED { continue }
      return nil
    }
  }

  /// Reads what is available into `buffer`: the count, 0 at end of stream, -1 on error.
  func receive(into buffer: inout [UInt8], upTo limit: Int = 65536) -> Int {
    var chunk = [UInt8](repeating: 0, count: limit)
    while true {
      let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, limit, 0) }
      if count > 0 { buffer.append(contentsOf: chunk[0..<count]) }
      if count < 0 && errno == EINTR { continue }
      return count
    }
  }

  /// Writes every byte; false when the peer is gone.
  @discardableResult
  func sendAll(_ bytes: [UInt8]) -> Bool {
    var offset = 0
    while offset < bytes.count {
      let sent = bytes.withUnsafeBytes {
        send(descriptor, $0.baseAddress! + offset, bytes.count - offset, sendFlags)
      }
      if sent < 0 && errno == EINTR { continue }
      guard sent > 0 else { return false }
      offset += sent
    }
    return true
  }

  /// Wakes any thread blocked reading or writing this socket; the owner then closes it.
  func shutdownBoth() {
    _ = shutdown(descriptor, Int32(SHUT_RDWR))
  }

  func close() {
    #if canImport(Glibc)
      _ = Glibc.close(descriptor)
    #else
      _ = Darwin.close(descriptor)
    #endif
  }

  /// Closes with SO_LINGER 0, so the peer gets a RST instead of an orderly FIN.
  func closeWithReset() {
    var option = linger(l_onoff: 1, l_linger: 0)
    _ = setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
    close()
  }

  private func setOption(_ level: Int32, _ name: Int32, _ value: Int32) {
    var value = value
    _ = setsockopt(descriptor, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
  }
}
