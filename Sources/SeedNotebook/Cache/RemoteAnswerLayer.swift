import Foundation
import SeedRemoteCache

/// A remote cache as the last answer layer, after the store and the lockfile. Each answer is
/// filed under its request key and occurrence; a reusable one (a seeded chat, an embedding) is
/// also filed under its request key alone, so that the same request made anywhere finds it.
/// The answer's bytes (the stored answer as JSON) are verified against their SHA-256 before
/// use: bytes that do not match, or that hold another request's answer, are never served and
/// count as a miss, reported with the entry's name. New answers are uploaded in the background
/// when their cell has finished; a remote that fails is reported once and left alone.
public final class RemoteAnswerLayer: WritableAnswerLayer, @unchecked Sendable {
  public let remote: RemoteCache

  public init(remote: RemoteCache) { self.remote = remote }

  public var layerName: String { "remote cache" }
  public var location: String { remote.client.address.shown }

  /// The `ac` key of an answer at its place, and of any answer to its request.
  static func actionKey(_ address: AnswerAddress) -> String {
    RemoteCache.actionKey(requestKey: address.requestKey, occurrence: address.occurrence.description)
  }

  static func anyOccurrenceKey(_ requestKey: String) -> String {
    RemoteCache.actionKey(requestKey: requestKey, occurrence: "any")
  }

  /// Why an entry was not used: it names the entry.
  public struct Rejected: Error, CustomStringConvertible {
    public let description: String
  }

  public func answer(at address: AnswerAddress) throws -> StoredAnswer? {
    try lookup(RemoteAnswerLayer.actionKey(address), requestKey: address.requestKey, occurrence: address.occurrence)
  }

  public func answers(forRequestKey key: String) throws -> [StoredAnswer] {
    try lookup(RemoteAnswerLayer.anyOccurrenceKey(key), requestKey: key, occurrence: nil).map { [$0] } ?? []
  }

  private func lookup(_ actionKey: String, requestKey: String, occurrence: Occurrence?) throws -> StoredAnswer? {
    switch remote.lookup(actionKey: actionKey) {
    case .miss: return nil
    case .rejected(let why): throw Rejected(description: why)
    case .hit(let manifest, let bytes):
      let entry = "ac/\(actionKey) in \(location)"
      guard let answer = try? JSONDecoder().decode(StoredAnswer.self, from: bytes) else {
        throw Rejected(description: "\(entry) names bytes that are not a seednb answer")
      }
      // Bytes that verify but answer another request, or disagree with their manifest, are
      // an entry someone filed wrongly: not this request's answer.
      guard answer.call.requestKey == requestKey, occurrence.map({ $0 == answer.address.occurrence }) ?? answer.isReusable,
        manifest.fingerprint == answer.fingerprint, manifest.model == answer.model
      else { throw Rejected(description: "\(entry) holds the answer to another request; it was not used") }
      return answer
    }
  }

  /// Uploads the answers in the background: the run does not wait for them.
  public func save(_ answers: [StoredAnswer]) throws {
    for answer in answers {
      guard let blob = RemoteAnswerLayer.bytes(of: answer) else { continue }
      var keys = [RemoteAnswerLayer.actionKey(answer.address)]
      if answer.isReusable { keys.append(RemoteAnswerLayer.anyOccurrenceKey(answer.call.requestKey)) }
      for key in keys {
        remote.upload(
          actionKey: key, blob: blob, fingerprint: answer.fingerprint, model: answer.model, seed: answer.call.seed,
          date: answer.storedAt)
      }
    }
  }

  /// Uploads the answers now, a few at once; the failures, each naming its answer
  /// (`seednb cache push`).
  public func push(_ answers: [StoredAnswer]) -> (pushed: Int, failures: [String]) {
    let lock = NSLock()
    var pushed = 0
    var failures: [String] = []
    DispatchQueue.concurrentPerform(iterations: answers.count) { index in
      let answer = answers[index]
      guard let blob = RemoteAnswerLayer.bytes(of: answer) else { return }
      var keys = [RemoteAnswerLayer.actionKey(answer.address)]
      if answer.isReusable { keys.append(RemoteAnswerLayer.anyOccurrenceKey(answer.call.requestKey)) }
      do {
        for key in keys {
          try remote.storeNow(
            actionKey: key, blob: blob, fingerprint: answer.fingerprint, model: answer.model, seed: answer.call.seed,
            date: answer.storedAt)
        }
        lock.withLock { pushed += 1 }
      } catch {
        lock.withLock { failures.append("\(answer.kind.rawValue) \(answer.address.requestKey.prefix(12)) \(answer.address.occurrence): \(error)") }
      }
    }
    return (pushed, failures)
  }

  /// The answer as the remote keeps it: JSON with sorted keys, as the store keeps it.
  static func bytes(of answer: StoredAnswer) -> Data? {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try? encoder.encode(answer)
  }
}
