#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Why the server could not start.
public struct LoopbackServerError: Error, CustomStringConvertible, Sendable {
  public let description: String

  init(_ description: String) { self.description = description }

  /// A failed POSIX call, named with the errno text it left.
  static func posix(_ call: String) -> LoopbackServerError {
    LoopbackServerError("\(call): \(String(cString: strerror(errno)))")
  }
}
