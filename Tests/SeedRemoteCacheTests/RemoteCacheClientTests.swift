import Foundation
import LoopbackWebDAV
import SeedLLM
import XCTest

@testable import SeedRemoteCache

/// The Bazel HTTP cache protocol against a real nginx with WebDAV on loopback.
final class RemoteCacheClientTests: XCTestCase {
  var nginx: NginxWebDAV!

  override func setUpWithError() throws {
    nginx = try NginxWebDAV.started(token: "tok-remote-1234567", basicAuth: ("alice", "pw-secret-98765"))
  }

  override func tearDown() {
    nginx?.stop()
  }

  func client(_ url: String, token: String? = nil, timeout: Double = 5) throws -> RemoteCacheClient {
    RemoteCacheClient(
      address: try RemoteCacheAddress(url), token: token.map { APIKey(name: "SEEDNB_TEST_TOKEN", text: $0) },
      timeout: timeout)
  }

  func testPutGetAndHeadOfBothAreas() throws {
    let client = try client(nginx.baseURL + "/")
    let bytes = Data("an answer".utf8)
    let key = RemoteCache.sha256(bytes)
    XCTAssertNil(try client.get(.cas, key))
    XCTAssertFalse(try client.head(.cas, key))
    try client.put(.cas, key, bytes)
    XCTAssertTrue(try client.head(.cas, key))
    XCTAssertEqual(try client.get(.cas, key), bytes)
    let action = String(repeating: "a", count: 64)
    try client.put(.ac, action, Data("{}".utf8))
    XCTAssertEqual(try client.get(.ac, action), Data("{}".utf8))
    // Stored as Bazel's layout names them, under the cache's root.
    XCTAssertEqual(try nginx.storedFiles()["cas/\(key)"], bytes)
    XCTAssertEqual(try nginx.storedFiles()["ac/\(action)"], Data("{}".utf8))
    // A second PUT replaces.
    try client.put(.ac, action, Data("{\"b\":1}".utf8))
    XCTAssertEqual(try client.get(.ac, action), Data("{\"b\":1}".utf8))
  }

  func testAnEmptyBlobIsStoredAndRead() throws {
    let client = try client(nginx.baseURL)
    let key = RemoteCache.sha256(Data())
    try client.put(.cas, key, Data())
    XCTAssertEqual(try client.get(.cas, key), Data())
  }

  func testABearerTokenIsSentAndNeverShown() throws {
    let good = try client(nginx.baseURL + "/private", token: "tok-remote-1234567")
    try good.put(.cas, String(repeating: "b", count: 64), Data("x".utf8))
    XCTAssertEqual(try good.get(.cas, String(repeating: "b", count: 64)), Data("x".utf8))
    let wrong = try client(nginx.baseURL + "/private", token: "tok-wrong-7654321")
    XCTAssertThrowsError(try wrong.get(.cas, String(repeating: "b", count: 64))) { error in
      let fault = error as? RemoteCacheFault
      XCTAssertEqual(fault?.reason, .status(401, "401 Authorization Required 401 Authorization Required nginx/1.22.1"))
      XCTAssertFalse("\(error)".contains("tok-wrong"))
    }
    let none = try client(nginx.baseURL + "/private")
    XCTAssertThrowsError(try none.head(.cas, String(repeating: "b", count: 64))) { error in
      XCTAssertEqual((error as? RemoteCacheFault)?.reason, .status(401, ""))
    }
  }

  func testBasicAuthInTheURLIsSentAndRedactedWhereverShown() throws {
    let url = nginx.baseURL.replacingOccurrences(of: "http://", with: "http://alice:pw-secret-98765@") + "/basic/"
    let good = try client(url)
    XCTAssertEqual(good.address.shown, "http://alice:••••@127.0.0.1:\(nginx.port)/basic")
    try good.put(.ac, String(repeating: "c", count: 64), Data("y".utf8))
    XCTAssertEqual(try good.get(.ac, String(repeating: "c", count: 64)), Data("y".utf8))
    let wrong = try client(url.replacingOccurrences(of: "pw-secret-98765", with: "pw-wrong-11111"))
    XCTAssertThrowsError(try wrong.get(.ac, String(repeating: "c", count: 64))) { error in
      XCTAssertTrue("\(error)".hasPrefix("http://alice:••••@127.0.0.1:\(nginx.port)/basic: GET ac/"), "\(error)")
      XCTAssertFalse("\(error)".contains("pw-wrong"))
    }
  }

  func testAddressesAreCheckedAndRedacted() throws {
    XCTAssertEqual(try RemoteCacheAddress("https://cache.example.com:9090/team/").shown, "https://cache.example.com:9090/team")
    XCTAssertEqual(try RemoteCacheAddress("https://u:p@h/x").shown, "https://u:••••@h/x")
    XCTAssertEqual(try RemoteCacheAddress("https://tokenonly@h").shown, "https://••••@h")
    XCTAssertEqual(try RemoteCacheAddress("https://u:p@h").url(.cas, "k"), "https://u:p@h/cas/k")
    for (text, message) in [
      ("cache.example.com", "the remote cache's URL needs http:// or https://, not 'cache.example.com'"),
      ("ftp://u:secret@h/", "the remote cache's URL needs http:// or https://, not 'ftp://u:••••@h/'"),
      ("http://u:secret@/x", "the remote cache's URL 'http://u:••••@/x' names no host"),
      ("http://h/x?y=1", "the remote cache's URL 'http://h/x?y=1' has a query or fragment; give the cache's root (http://host:port/path)"),
    ] {
      XCTAssertThrowsError(try RemoteCacheAddress(text), text) { XCTAssertEqual("\($0)", message) }
    }
  }

  func testSettingsComeFromFlagsOrTheEnvironment() throws {
    XCTAssertNil(try RemoteCacheSettings().client(environment: [:]))
    let fromEnvironment = try XCTUnwrap(
      try RemoteCacheSettings().client(environment: [
        "SEEDNB_REMOTE_CACHE": "http://h:1", "SEEDNB_REMOTE_CACHE_TIMEOUT": "0.5", "SEEDNB_REMOTE_CACHE_READ_ONLY": "1",
        "SEEDNB_REMOTE_CACHE_TOKEN_ENV": "MY_TOKEN", "MY_TOKEN": "t-123456789",
      ]))
    XCTAssertEqual(fromEnvironment.client.address.shown, "http://h:1")
    XCTAssertEqual(fromEnvironment.client.timeout, 0.5)
    XCTAssertTrue(fromEnvironment.readOnly)
    XCTAssertEqual(fromEnvironment.client.token?.name, "MY_TOKEN")
    // The flag wins over the variable.
    let flagged = try XCTUnwrap(
      try RemoteCacheSettings(url: "https://other", timeout: 2).client(environment: ["SEEDNB_REMOTE_CACHE": "http://h:1"]))
    XCTAssertEqual(flagged.client.address.shown, "https://other")
    XCTAssertEqual(flagged.client.timeout, 2)
    XCTAssertFalse(flagged.readOnly)
    for (environment, message) in [
      (
        ["SEEDNB_REMOTE_CACHE": "http://h", "SEEDNB_REMOTE_CACHE_TOKEN_ENV": "UNSET_TOKEN"],
        "SEEDNB_REMOTE_CACHE_TOKEN_ENV names the variable UNSET_TOKEN, which is not set; set it to the remote cache's token"
      ),
      (
        ["SEEDNB_REMOTE_CACHE": "http://h", "SEEDNB_REMOTE_CACHE_TIMEOUT": "soon"],
        "SEEDNB_REMOTE_CACHE_TIMEOUT needs a number of seconds, not 'soon'"
      ),
      (
        ["SEEDNB_REMOTE_CACHE": "http://h", "SEEDNB_REMOTE_CACHE_TIMEOUT": "0"],
        "the remote cache's time-out needs a number of seconds above 0 and at most 3600, not 0.0"
      ),
    ] {
      XCTAssertThrowsError(try RemoteCacheSettings().client(environment: environment)) { XCTAssertEqual("\($0)", message) }
    }
  }
}
