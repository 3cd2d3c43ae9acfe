import Foundation

/// A place answers are looked up in. A run walks its layers in order, first hit wins: the
/// SQLite store beside the notebook, then the lockfile `NB.lock` (read-only, committed to
/// git), then a remote cache. A layer that fails is reported and skipped, never trusted.
public protocol AnswerLayer: AnyObject, Sendable {
  /// What the layer is, in a word, for summaries and messages: "store", "lockfile", "remote".
  var layerName: String { get }
  /// Where it is: a file's path, a URL.
  var location: String { get }

  /// The answer filed at exactly this address, if any.
  func answer(at address: AnswerAddress) throws -> StoredAnswer?

  /// Every answer filed under a request key, whatever its occurrence, in occurrence order:
  /// a seeded request or an embedding is answered by any of them, wherever it was asked.
  func answers(forRequestKey key: String) throws -> [StoredAnswer]
}

/// A layer that keeps the answers a run gets: the store, and a remote cache that uploads.
public protocol WritableAnswerLayer: AnswerLayer {
  /// Files the answers, all or none.
  func save(_ answers: [StoredAnswer]) throws
}

/// Where a call's answer came from.
public enum AnswerSource: Sendable, Equatable {
  /// Sent to the backend now.
  case live
  /// Replayed from the transcript of a cell restored unchanged.
  case transcript
  /// Found by its request in the layer of this name.
  case layer(String)

  public var isLive: Bool { self == .live }
}

/// The layers of one run, in the order they are asked.
public struct AnswerLayers: Sendable {
  public var layers: [AnswerLayer]

  public init(_ layers: [AnswerLayer]) { self.layers = layers }

  /// The answers a layer could not give because it failed: the layer, and why.
  public struct Failure: Error, Sendable, CustomStringConvertible {
    public let layer: String
    public let reason: String
    public var description: String { "the \(layer) could not be read: \(reason)" }
  }

  /// The first answer for `address` that `isValid` accepts: the one filed at the address,
  /// else, when `anyOccurrence` (a seeded request, an embedding), any answer to the same
  /// request. A layer that throws is skipped and reported in `failures`.
  public func find(
    _ address: AnswerAddress, anyOccurrence: Bool, isValid: (StoredAnswer) -> Bool
  ) -> (found: (answer: StoredAnswer, layer: String)?, failures: [Failure]) {
    var failures: [Failure] = []
    for layer in layers {
      do {
        if let exact = try layer.answer(at: address), isValid(exact) { return ((exact, layer.layerName), failures) }
        if anyOccurrence, let any = try layer.answers(forRequestKey: address.requestKey).first(where: isValid) {
          return ((any, layer.layerName), failures)
        }
      } catch {
        failures.append(Failure(layer: "\(layer.layerName) \(layer.location)", reason: "\(error)"))
      }
    }
    return (nil, failures)
  }

  /// The layers that keep new answers.
  public var writable: [WritableAnswerLayer] { layers.compactMap { $0 as? WritableAnswerLayer } }
}
