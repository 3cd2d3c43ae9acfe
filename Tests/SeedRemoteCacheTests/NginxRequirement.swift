import Foundation
import LoopbackWebDAV
import XCTest

extension NginxWebDAV {
  /// nginx started for a test; when it is not installed the test skips, saying so, unless
  /// SEEDNB_REQUIRE_NGINX=1 (set by scripts/test) makes that a failure.
  static func started(token: String? = nil, basicAuth: (user: String, password: String)? = nil) throws -> NginxWebDAV {
    guard NginxWebDAV.executable != nil else {
      let message = "nginx is not installed (apt-get install nginx, or run scripts/test); remote cache test skipped"
      if ProcessInfo.processInfo.environment["SEEDNB_REQUIRE_NGINX"] == "1" { XCTFail(message) }
      throw XCTSkip(message)
    }
    let server = try NginxWebDAV(token: token, basicAuth: basicAuth)
    try server.start()
    return server
  }
}

/// Warnings a remote cache gave, collected across threads.
final class Warnings: @unchecked Sendable {
  private let lock = NSLock()
  private var texts: [String] = []

  func add(_ text: String) { lock.withLock { texts.append(text) } }
  var all: [String] { lock.withLock { texts } }
}
