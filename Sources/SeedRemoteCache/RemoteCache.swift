import CMessageDigest
import Foundation
import SeedLLM

/// Recorded answers in a remote cache. An answer's bytes go in `cas` under their own SHA-256;
/// a small JSON manifest in `ac`, under a key made of the answer's request key and occurrence,
/// names them with what tells whether they may be served (fingerprint, model, seed, date).
/// Bytes are verified against the manifest on every read: what does not match is never served.
///
/// A cache that cannot be reached, is too slow, or answers with an error is reported once
/// (`onWarning`) and not asked again in this process: the run goes on with the local store.
/// Uploads run in the background, a few at once, so that a run does not wait for them until
/// it ends (`waitForUploads`).
public final class RemoteCache: @unchecked Sendable {
  /// The `ac` document of one answer.
  public struct Manifest: Codable, Sendable, Equatable {
    /// What the document is: `seednb-answer-1`.
    public var format: String
    public var blob: Blob
    public var fingerprint: String?
    public var model: String?
    public var seed: Int?
    /// When the answer was recorded, ISO 8601.
    public var date: String

    public struct Blob: Codable, Sendable, Equatable {
      public var sha256: String
      public var size: Int
    }

    public static let currentFormat = "seednb-answer-1"

    public init(blob bytes: Data, fingerprint: String?, model: String?, seed: Int?, date: Date) {
      format = Manifest.currentFormat
      blob = Blob(sha256: RemoteCache.sha256(bytes), size: bytes.count)
      self.fingerprint = fingerprint
      self.model = model
      self.seed = seed
      self.date = ISO8601DateFormatter().string(from: date)
    }
  }

  /// What a lookup found.
  public enum Lookup: Sendable {
    case hit(Manifest, Data)
    case miss
    /// An entry exists but may not be served: why, naming it.
    case rejected(String)
  }

  public let client: RemoteCacheClient
  /// Never uploads (`--remote-cache-read-only`).
  public let readOnly: Bool
  private let onWarning: @Sendable (String) -> Void
  private let lock = NSLock()
  private var fault: RemoteCacheFault?
  private var counts = Counts()
  private let uploads: OperationQueue = {
    let queue = OperationQueue()
    queue.name = "seednb remote cache uploads"
    queue.maxConcurrentOperationCount = 8
    return queue
  }()

  /// What the cache did in this process.
  public struct Counts: Sendable, Equatable {
    public var hits = 0
    public var misses = 0
    public var rejected = 0
    public var uploaded = 0
  }

  public init(client: RemoteCacheClient, readOnly: Bool, onWarning: @escaping @Sendable (String) -> Void) {
    self.client = client
    self.readOnly = readOnly
    self.onWarning = onWarning
  }

  /// The `ac` key of the answer to a request (its request key) at an occurrence, written as
  /// text; two different pairs never share a key.
  public static func actionKey(requestKey: String, occurrence: String) -> String {
    sha256(Data("seednb-answer-1\u{0}\(requestKey)\u{0}\(occurrence)".utf8))
  }

  public static func sha256(_ bytes: Data) -> String {
    var hex = [CChar](repeating: 0, count: 65)
    bytes.withUnsafeBytes { raw in
      seednb_sha256_hex(raw.baseAddress?.assumingMemoryBound(to: UInt8.self), raw.count, &hex)
    }
    return String(cString: hex)
  }

  /// The first fault, after which the cache is no longer asked.
  public var failure: RemoteCacheFault? { lock.withLock { fault } }
  public var counted: Counts { lock.withLock { counts } }

  /// The answer under an `ac` key, verified; a miss when the cache has none or has failed.
  public func lookup(actionKey: String) -> Lookup {
    guard failure == nil else { return .miss }
    let result = fetch(actionKey: actionKey)
    lock.withLock {
      switch result {
      case .hit: counts.hits += 1
      case .miss: counts.misses += 1
      case .rejected: counts.rejected += 1
      }
    }
    return result
  }

  private func fetch(actionKey: String) -> Lookup {
    let entry = "ac/\(actionKey) in \(client.address.shown)"
    let manifest: Manifest
    do {
      guard let document = try client.get(.ac, actionKey) else { return .miss }
      guard let decoded = try? JSONDecoder().decode(Manifest.self, from: document),
        decoded.format == Manifest.currentFormat, decoded.blob.sha256.count == 64
      else { return .rejected("\(entry) is not a seednb answer manifest") }
      manifest = decoded
      guard let bytes = try client.get(.cas, manifest.blob.sha256) else {
        return .rejected("\(entry) names cas/\(manifest.blob.sha256), which the cache does not hold")
      }
      let actual = RemoteCache.sha256(bytes)
      guard actual == manifest.blob.sha256, bytes.count == manifest.blob.size else {
        return .rejected(
          "\(entry) names cas/\(manifest.blob.sha256) (\(manifest.blob.size) bytes), but its bytes have SHA-256 \(actual) (\(bytes.count) bytes); they were not used"
        )
      }
      return .hit(manifest, bytes)
    } catch {
      disable(error)
      return .miss
    }
  }

  /// Uploads an answer in the background: its bytes to `cas`, then its manifest to `ac`, so
  /// that a manifest never names bytes the cache lacks (see `store`). Nothing when read-only
  /// or failed.
  public func upload(actionKey: String, blob: Data, fingerprint: String?, model: String?, seed: Int?, date: Date = Date()) {
    guard !readOnly, failure == nil else { return }
    let manifest = Manifest(blob: blob, fingerprint: fingerprint, model: model, seed: seed, date: date)
    uploads.addOperation { [self] in
      guard failure == nil else { return }
      do { try store(actionKey: actionKey, manifest: manifest, blob: blob) } catch { disable(error) }
    }
  }

  /// Uploads an answer now; throws what went wrong (for `seednb cache push`, which reports
  /// every failure rather than going on).
  public func storeNow(actionKey: String, blob: Data, fingerprint: String?, model: String?, seed: Int?, date: Date) throws {
    try store(actionKey: actionKey, manifest: Manifest(blob: blob, fingerprint: fingerprint, model: model, seed: seed, date: date), blob: blob)
  }

  /// The first answer filed under a key stays, as long as its fingerprint is the backend's:
  /// a second run that got other answers to the same unseeded requests must not mix its
  /// answers with the first one's, whose later requests (an embedding of them all) depend on
  /// them together. An answer under a new fingerprint replaces the old one.
  private func store(actionKey: String, manifest: Manifest, blob: Data) throws {
    if let document = try client.get(.ac, actionKey),
      let existing = try? JSONDecoder().decode(Manifest.self, from: document),
      existing.format == Manifest.currentFormat, existing.fingerprint == manifest.fingerprint
    {
      // The same bytes are written again, which mends a blob that was lost or altered.
      if existing.blob == manifest.blob { try client.put(.cas, manifest.blob.sha256, blob) }
      return
    }
    try client.put(.cas, manifest.blob.sha256, blob)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    try client.put(.ac, actionKey, try encoder.encode(manifest))
    lock.withLock { counts.uploaded += 1 }
  }

  /// Waits until every upload begun has ended.
  public func waitForUploads() {
    uploads.waitUntilAllOperationsAreFinished()
  }

  /// Turns the cache off for the rest of the process, with one warning naming it.
  private func disable(_ error: Error) {
    let first: RemoteCacheFault? = lock.withLock {
      guard fault == nil else { return nil }
      let made =
        (error as? RemoteCacheFault)
        ?? RemoteCacheFault(address: client.address.shown, operation: "request", reason: .transport("\(error)"))
      fault = made
      return made
    }
    // After Ctrl-C the run is ending: the cache is left alone, with nothing to warn of.
    guard let first, first.reason != .cancelled else { return }
    onWarning(
      "the remote cache \(first.address) cannot be used (\(first.operation): \(first.detail)); going on with the local store")
  }
}
