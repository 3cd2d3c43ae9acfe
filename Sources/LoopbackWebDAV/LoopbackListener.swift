import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A socket listening on 127.0.0.1 that never accepts: the kernel completes each connection
/// and takes the request, and no answer ever comes. A remote cache as slow as can be.
public final class LoopbackListener: @unchecked Sendable {
  public let port: Int
  private var descriptor: Int32

  public struct Failure: Error, CustomStringConvertible {
    public let description: String
  }

  public init() throws {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
    var address = LoopbackListener.address(port: 0)
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0, listen(descriptor, 64) == 0 else {
      let reason = String(cString: strerror(errno))
      _ = Glibc.close(descriptor)
      throw Failure(description: "listen on 127.0.0.1: \(reason)")
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    port = Int(UInt16(bigEndian: address.sin_port))
    self.descriptor = descriptor
  }

  public var baseURL: String { "http://127.0.0.1:\(port)" }

  public func close() {
    if descriptor >= 0 { _ = Glibc.close(descriptor) }
    descriptor = -1
  }

  deinit { close() }

  static func address(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port)).bigEndian
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    return address
  }
}
