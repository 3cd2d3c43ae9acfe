/// One external call a cell made, as the cache keeps it: the normalised request, the answer
/// as the server sent it, and what identifies the answer's origin.
public struct RecordedCall: Codable, Sendable, Equatable {
  public enum Kind: String, Codable, Sendable {
    case chat, embed
  }

  public var kind: Kind
  /// SHA-256 of the kind and the normalised request.
  public var requestKey: String
  /// The `parallel` item indices the call was made inside, joined with dots ("" outside).
  public var taskPath: String
  /// Which of the identical requests at this place it was, from 0.
  public var occurrence: Int
  /// The normalised request, sorted JSON.
  public var request: String
  /// The answer's JSON as the server sent it.
  public var response: String
  /// The model that answered.
  public var model: String?
  public var fingerprint: String?
  /// The seed sent, whether the notebook gave it or it was drawn at random.
  public var seed: Int?
  /// Whether the notebook gave the seed: only such calls are expected to repeat.
  public var seeded: Bool
  public var latency: Double
  public var promptTokens: Int
  public var completionTokens: Int
  /// The variable of the key the call was sent with (`chat(api_key: secret("NAME"))`), when
  /// not the backend's own; part of the request key. Never the key itself.
  public var apiKeyName: String? = nil

  /// Where the call stands in its cell, for lookups.
  public var slot: CallSlot { CallSlot(kind: kind, requestKey: requestKey, taskPath: taskPath, occurrence: occurrence) }

  /// Where the answer layers file it: its request key and occurrence.
  public var address: AnswerAddress {
    AnswerAddress(requestKey: requestKey, occurrence: Occurrence(path: taskPath, index: occurrence))
  }
}

/// A call's place: the same request at the same place in the same cell.
public struct CallSlot: Hashable, Sendable {
  public let kind: RecordedCall.Kind
  public let requestKey: String
  public let taskPath: String
  public let occurrence: Int
}
