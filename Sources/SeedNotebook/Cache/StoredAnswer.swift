import Foundation

/// Where an answer is filed: the request's key and which of the identical requests it was.
/// A request key is the SHA-256 of the kind and the normalised request (endpoint, body with
/// the API's defaults filled in, never an API key); the occurrence tells apart the answers of
/// a request sent several times, so that five identical unseeded calls replay as the five
/// answers they got, each in its place.
public struct AnswerAddress: Hashable, Sendable, Codable, Comparable {
  public var requestKey: String
  public var occurrence: Occurrence

  public init(requestKey: String, occurrence: Occurrence) {
    self.requestKey = requestKey
    self.occurrence = occurrence
  }

  public static func < (a: AnswerAddress, b: AnswerAddress) -> Bool {
    (a.requestKey, a.occurrence) < (b.requestKey, b.occurrence)
  }
}

/// Which of several identical requests an answer belongs to: the `parallel` items it was
/// sent from (their indices joined with dots, "" outside `parallel`) and its number among
/// the identical requests sent from there in its cell, from 0. Both are fixed by the code,
/// not by timing, so they name the same request in every run.
public struct Occurrence: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
  public var path: String
  public var index: Int

  public init(path: String, index: Int) {
    self.path = path
    self.index = index
  }

  public static func < (a: Occurrence, b: Occurrence) -> Bool {
    (a.path, a.index) < (b.path, b.index)
  }

  /// "0.3#1": item 3 of item 0, the second identical request there; "#0" outside `parallel`.
  public var description: String { "\(path)#\(index)" }
}

/// One answer as the answer layers keep it: the call that got it (its request key and
/// occurrence, the normalised request, the answer's bytes as the server sent them, the
/// fingerprint that is its validity tag, the model, the seed, the usage) and when it was
/// stored. The store, the lockfile and a remote cache all hold these.
public struct StoredAnswer: Codable, Sendable, Equatable {
  public var call: RecordedCall
  /// The notebook that asked for it (its file name), for `seednb lock` and `cache clear`.
  public var notebook: String
  public var storedAt: Date

  public init(call: RecordedCall, notebook: String, storedAt: Date) {
    self.call = call
    self.notebook = notebook
    self.storedAt = storedAt
  }

  public var address: AnswerAddress { call.address }
  public var kind: RecordedCall.Kind { call.kind }
  public var fingerprint: String? { call.fingerprint }
  public var model: String? { call.model }

  /// Whether the same request is expected to get this answer again: a chat sent with a seed
  /// the notebook chose, or an embedding. Only such answers are reused outside their place.
  public var isReusable: Bool { call.kind == .embed || call.seeded }
}
