import Foundation
import LoopbackWebDAV
import SeedLLM
import XCTest

@testable import SeedRemoteCache

/// Answers in a remote cache: manifests in ac, bytes in cas verified on every read, faults
/// reported once, uploads in the background; against a real nginx on loopback.
final class RemoteCacheTests: XCTestCase {
  var nginx: NginxWebDAV!

  override func setUpWithError() throws {
    nginx = try NginxWebDAV.started()
  }

  override func tearDown() {
    nginx?.stop()
  }

  func cache(_ url: String? = nil, readOnly: Bool = false, timeout: Double = 5, warnings: Warnings) throws -> RemoteCache {
    let client = RemoteCacheClient(address: try RemoteCacheAddress(url ?? nginx.baseURL), token: nil, timeout: timeout)
    return RemoteCache(client: client, readOnly: readOnly, onWarning: { warnings.add($0) })
  }

  static let requestKey = String(repeating: "1", count: 64)

  func testAnUploadedAnswerIsFoundWithItsManifest() throws {
    let warnings = Warnings()
    let cache = try cache(warnings: warnings)
    let key = RemoteCache.actionKey(requestKey: RemoteCacheTests.requestKey, occurrence: "0")
    XCTAssertNotEqual(key, RemoteCache.actionKey(requestKey: RemoteCacheTests.requestKey, occurrence: "1"))
    guard case .miss = cache.lookup(actionKey: key) else { return XCTFail("an empty cache has no entry") }
    let blob = Data(#"{"response":"hello"}"#.utf8)
    let date = Date(timeIntervalSince1970: 1_800_000_000)
    cache.upload(actionKey: key, blob: blob, fingerprint: "fp_1", model: "gpt-4o-mini", seed: 123, date: date)
    cache.waitForUploads()
    guard case .hit(let manifest, let bytes) = cache.lookup(actionKey: key) else { return XCTFail("the upload is not found") }
    XCTAssertEqual(bytes, blob)
    XCTAssertEqual(manifest.fingerprint, "fp_1")
    XCTAssertEqual(manifest.model, "gpt-4o-mini")
    XCTAssertEqual(manifest.seed, 123)
    XCTAssertEqual(manifest.date, "2027-01-15T08:00:00Z")
    XCTAssertEqual(manifest.blob, .init(sha256: RemoteCache.sha256(blob), size: blob.count))
    // The ac entry is the small JSON document, the cas entry the bytes under their SHA-256.
    let files = try nginx.storedFiles()
    XCTAssertEqual(files["cas/\(RemoteCache.sha256(blob))"], blob)
    let document = try XCTUnwrap(files["ac/\(key)"])
    XCTAssertEqual(
      String(decoding: document, as: UTF8.self),
      #"{"blob":{"sha256":"\#(RemoteCache.sha256(blob))","size":20},"date":"2027-01-15T08:00:00Z","fingerprint":"fp_1","format":"seednb-answer-1","model":"gpt-4o-mini","seed":123}"#
    )
    XCTAssertEqual(cache.counted, .init(hits: 1, misses: 1, rejected: 0, uploaded: 1))
    XCTAssertEqual(warnings.all, [])
  }

  func testTamperedBytesAreNeverServed() throws {
    let warnings = Warnings()
    let cache = try cache(warnings: warnings)
    let key = RemoteCache.actionKey(requestKey: RemoteCacheTests.requestKey, occurrence: "0")
    let blob = Data("the true answer".utf8)
    try cache.storeNow(actionKey: key, blob: blob, fingerprint: nil, model: nil, seed: nil, date: Date())
    let sha = RemoteCache.sha256(blob)
    // Someone with write access swaps the bytes, same length, same name.
    try Data("the fake answer".utf8).write(to: nginx.root.appendingPathComponent("cas/\(sha)"))
    guard case .rejected(let why) = cache.lookup(actionKey: key) else { return XCTFail("tampered bytes were served") }
    XCTAssertEqual(
      why,
      "ac/\(key) in \(nginx.baseURL) names cas/\(sha) (15 bytes), but its bytes have SHA-256 \(RemoteCache.sha256(Data("the fake answer".utf8))) (15 bytes); they were not used"
    )
    // Bytes that are gone, and a manifest that is not one.
    try FileManager.default.removeItem(at: nginx.root.appendingPathComponent("cas/\(sha)"))
    guard case .rejected(let gone) = cache.lookup(actionKey: key) else { return XCTFail("a missing blob was not noticed") }
    XCTAssertEqual(gone, "ac/\(key) in \(nginx.baseURL) names cas/\(sha), which the cache does not hold")
    try Data("not json".utf8).write(to: nginx.root.appendingPathComponent("ac/\(key)"))
    guard case .rejected(let garbage) = cache.lookup(actionKey: key) else { return XCTFail("garbage was read as a manifest") }
    XCTAssertEqual(garbage, "ac/\(key) in \(nginx.baseURL) is not a seednb answer manifest")
    XCTAssertEqual(cache.counted.rejected, 3)
    // Not a fault of the cache as a whole: it is still asked.
    XCTAssertNil(cache.failure)
    XCTAssertEqual(warnings.all, [])
  }

  func testTheFirstAnswerStaysUnlessItsFingerprintChanged() throws {
    let cache = try cache(warnings: Warnings())
    let key = RemoteCache.actionKey(requestKey: RemoteCacheTests.requestKey, occurrence: "#0")
    func served() -> String? {
      guard case .hit(_, let bytes) = cache.lookup(actionKey: key) else { return nil }
      return String(decoding: bytes, as: UTF8.self)
    }
    try cache.storeNow(actionKey: key, blob: Data("first".utf8), fingerprint: "fp_1", model: "m", seed: 1, date: Date())
    try cache.storeNow(actionKey: key, blob: Data("second".utf8), fingerprint: "fp_1", model: "m", seed: 2, date: Date())
    XCTAssertEqual(served(), "first")
    // Uploading the same answer again mends its lost bytes.
    try FileManager.default.removeItem(at: nginx.root.appendingPathComponent("cas/\(RemoteCache.sha256(Data("first".utf8)))"))
    try cache.storeNow(actionKey: key, blob: Data("first".utf8), fingerprint: "fp_1", model: "m", seed: 1, date: Date())
    XCTAssertEqual(served(), "first")
    try cache.storeNow(actionKey: key, blob: Data("third".utf8), fingerprint: "fp_2", model: "m", seed: 1, date: Date())
    XCTAssertEqual(served(), "third")
  }

  func testReadOnlyUploadsNothing() throws {
    let cache = try cache(readOnly: true, warnings: Warnings())
    cache.upload(actionKey: String(repeating: "d", count: 64), blob: Data("x".utf8), fingerprint: nil, model: nil, seed: nil)
    cache.waitForUploads()
    XCTAssertEqual(try nginx.storedFiles().count, 0)
  }

  func testAnUnreachableCacheWarnsOnceAndIsLeftAlone() throws {
    let port = nginx.port
    nginx.stop()
    let warnings = Warnings()
    let cache = try cache("http://127.0.0.1:\(port)/team", warnings: warnings)
    for occurrence in 0..<5 {
      guard case .miss = cache.lookup(actionKey: RemoteCache.actionKey(requestKey: "r", occurrence: "#\(occurrence)")) else {
        return XCTFail("an unreachable cache answered")
      }
      cache.upload(actionKey: RemoteCache.actionKey(requestKey: "u", occurrence: "#\(occurrence)"), blob: Data(), fingerprint: nil, model: nil, seed: nil)
    }
    cache.waitForUploads()
    XCTAssertEqual(warnings.all.count, 1, "\(warnings.all)")
    XCTAssertTrue(
      warnings.all[0].hasPrefix("the remote cache http://127.0.0.1:\(port)/team cannot be used (GET ac/"), warnings.all[0])
    XCTAssertTrue(warnings.all[0].hasSuffix("connection refused); going on with the local store"), warnings.all[0])
  }

  func testASlowCacheTimesOutOnceWithinItsTimeOut() throws {
    let silent = try LoopbackListener()
    defer { silent.close() }
    let warnings = Warnings()
    let cache = try cache(silent.baseURL, timeout: 0.3, warnings: warnings)
    let start = Date()
    for occurrence in 0..<10 {
      guard case .miss = cache.lookup(actionKey: RemoteCache.actionKey(requestKey: "r", occurrence: "#\(occurrence)")) else {
        return XCTFail("a silent cache answered")
      }
    }
    // One time-out, not ten.
    XCTAssertLessThan(Date().timeIntervalSince(start), 2.5)
    XCTAssertEqual(warnings.all.count, 1)
    XCTAssertTrue(warnings.all[0].hasSuffix("timed out after 0.3 s); going on with the local store"), warnings.all[0])
  }

  func testACacheAnswering500WarnsOnce() throws {
    let warnings = Warnings()
    let cache = try cache(nginx.baseURL + "/broken/", warnings: warnings)
    for occurrence in 0..<3 {
      _ = cache.lookup(actionKey: RemoteCache.actionKey(requestKey: "r", occurrence: "#\(occurrence)"))
    }
    XCTAssertEqual(warnings.all.count, 1)
    XCTAssertTrue(warnings.all[0].hasPrefix("the remote cache \(nginx.baseURL)/broken cannot be used (GET ac/"))
    XCTAssertTrue(warnings.all[0].hasSuffix(": HTTP 500: the cache broke); going on with the local store"), warnings.all[0])
  }

  func testManyUploadsAtOnceFromTwoCachesAllLand() throws {
    let warnings = Warnings()
    let first = try cache(warnings: warnings), second = try cache(warnings: warnings)
    // Both upload the same 100 answers, and 100 each of their own, at the same time.
    // (The shared ones are the same bytes: which upload comes first does not matter.)
    for index in 0..<100 {
      for (cache, own) in [(first, "first"), (second, "second")] {
        let shared = Data("shared answer \(index)".utf8)
        cache.upload(actionKey: RemoteCache.actionKey(requestKey: "shared", occurrence: "#\(index)"), blob: shared, fingerprint: "f", model: "m", seed: index)
        let mine = Data("\(own) answer \(index)".utf8)
        cache.upload(actionKey: RemoteCache.actionKey(requestKey: own, occurrence: "#\(index)"), blob: mine, fingerprint: "f", model: "m", seed: index)
      }
    }
    first.waitForUploads()
    second.waitForUploads()
    XCTAssertEqual(warnings.all, [])
    let reader = try cache(warnings: warnings)
    for index in 0..<100 {
      for (name, text) in [("shared", "shared answer \(index)"), ("first", "first answer \(index)"), ("second", "second answer \(index)")] {
        guard case .hit(let manifest, let bytes) = reader.lookup(actionKey: RemoteCache.actionKey(requestKey: name, occurrence: "#\(index)")) else {
          return XCTFail("\(name) \(index) is missing")
        }
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), text)
        XCTAssertEqual(manifest.seed, index)
      }
    }
    XCTAssertEqual(try nginx.storedFiles().count, 600)
  }
}
