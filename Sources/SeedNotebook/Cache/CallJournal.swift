import Foundation
import SeedLang

/// Answers calls and records every call made. A call is answered, in this order, from the
/// transcript of a cell restored unchanged; else, for a seeded chat or an embedding (or any
/// call under `--frozen`), from the answer layers, by its request key and occurrence, when
/// the answer's fingerprint matches the backend's; else live. One journal serves a whole
/// run (or a REPL session); the runner opens it for each cell.
public final class CallJournal: @unchecked Sendable {
  /// Where answers are looked up and how, for a run.
  public struct Policy {
    public var layers: AnswerLayers
    /// Everything replays; a call nothing answers is an error.
    public var frozen: Bool
    /// Everything goes live; nothing is looked up.
    public var refresh: Bool
    /// The backend's fingerprint now for a model, or nil when it cannot be told (an answer
    /// is then trusted). Asked at most once per model.
    public var currentFingerprint: (String) -> String?

    public init(
      layers: AnswerLayers = AnswerLayers([]), frozen: Bool = false, refresh: Bool = false,
      currentFingerprint: @escaping (String) -> String? = { _ in nil }
    ) {
      self.layers = layers
      self.frozen = frozen
      self.refresh = refresh
      self.currentFingerprint = currentFingerprint
    }
  }

  /// What to do with a call.
  enum Decision {
    case replay(RecordedCall, AnswerSource)
    case live
    /// Under `--frozen` with no answer anywhere: the call must fail.
    case frozenMiss
  }

  private let lock = NSLock()
  private var policy = Policy()
  private var fingerprints: [String: String?] = [:]
  private var cellLabel: String?
  private var transcript: [CallSlot: RecordedCall] = [:]
  private var occurrences: [String: Int] = [:]
  private var calls: [RecordedCall] = []
  private var misses: [String] = []
  private var failures: [String] = []
  private var live = 0
  private var fromTranscript = 0
  private var fromLayers = 0
  private var liveTokens = 0
  private var byLayer: [String: Int] = [:]
  private var liveCalls: [RecordedCall] = []
  /// Hears requests as they start and finish.
  public var observer: NotebookObserver?

  public init(policy: Policy = Policy()) {
    self.policy = policy
  }

  /// Sets where and how the calls that follow are answered.
  public func use(_ policy: Policy) {
    lock.withLock {
      self.policy = policy
      fingerprints = [:]
    }
  }

  public var currentPolicy: Policy { lock.withLock { policy } }

  /// Starts a cell (or a REPL input): `transcript` holds the answers of a cell restored
  /// unchanged, which it replays in place, seeded or not.
  public func begin(cell: String?, transcript: [RecordedCall] = []) {
    lock.withLock {
      cellLabel = cell
      self.transcript = Dictionary(transcript.map { ($0.slot, $0) }, uniquingKeysWith: { first, _ in first })
      occurrences = [:]
      calls = []
      misses = []
      failures = []
      live = 0
      fromTranscript = 0
      fromLayers = 0
      liveTokens = 0
      byLayer = [:]
      liveCalls = []
    }
  }

  /// What the cell did: its calls in the order they finished, how many went to the backend,
  /// how many were replayed from its transcript and from the layers, the requests
  /// `--frozen` could not answer, and the layers that failed.
  public struct CellCalls: Sendable {
    public let calls: [RecordedCall]
    public let live: Int
    public let fromTranscript: Int
    public let fromLayers: Int
    public let liveTokens: Int
    public let frozenMisses: [String]
    public let layerFailures: [String]
    /// Calls not sent, by the layer that answered ("store" for restored cells' transcripts).
    public let byLayer: [String: Int]
    /// The calls answered by the backend now: the new answers, for the layers that keep them.
    public var liveCalls: [RecordedCall] = []

    /// Calls not sent to the backend.
    public var cached: Int { fromTranscript + fromLayers }
    public var tokens: Int { calls.reduce(0) { $0 + $1.promptTokens + $1.completionTokens } }
  }

  /// How many answers the running cell's transcript holds: the calls a restored cell made
  /// when it was stored.
  public var transcriptCount: Int { lock.withLock { transcript.count } }

  public func finish() -> CellCalls {
    lock.withLock {
      var cellCalls = CellCalls(
        calls: calls, live: live, fromTranscript: fromTranscript, fromLayers: fromLayers, liveTokens: liveTokens,
        frozenMisses: misses, layerFailures: failures, byLayer: byLayer)
      cellCalls.liveCalls = liveCalls
      return cellCalls
    }
  }

  /// The place of the next call of a request: its `parallel` items and its number among
  /// the identical requests made there in this cell.
  private func slot(kind: RecordedCall.Kind, requestKey: String, taskPath: [Int]) -> CallSlot {
    let path = taskPath.map(String.init).joined(separator: ".")
    let counter = "\(kind.rawValue)|\(requestKey)|\(path)"
    let occurrence = occurrences[counter, default: 0]
    occurrences[counter] = occurrence + 1
    return CallSlot(kind: kind, requestKey: requestKey, taskPath: path, occurrence: occurrence)
  }

  /// Decides a call: see the type's comment.
  func decide(kind: RecordedCall.Kind, requestKey: String, taskPath: [Int], seeded: Bool, describe: () -> String)
    -> (Decision, CallSlot)
  {
    let (slot, restored, policy) = lock.withLock {
      let slot = self.slot(kind: kind, requestKey: requestKey, taskPath: taskPath)
      return (slot, transcript[slot], self.policy)
    }
    if let restored { return (.replay(restored, .transcript), slot) }
    let reusable = seeded || kind == .embed
    if !policy.refresh && (policy.frozen || reusable) {
      let address = AnswerAddress(requestKey: requestKey, occurrence: Occurrence(path: slot.taskPath, index: slot.occurrence))
      let (found, layerFailures) = policy.layers.find(address, anyOccurrence: reusable) { answer in
        policy.frozen || self.fingerprintMatches(answer.call)
      }
      if !layerFailures.isEmpty { lock.withLock { failures += layerFailures.map(\.description) } }
      if let (answer, layer) = found {
        var call = answer.call
        // Filed elsewhere, it answers here: the transcript keeps it at this place.
        call.taskPath = slot.taskPath
        call.occurrence = slot.occurrence
        return (.replay(call, .layer(layer)), slot)
      }
    }
    if policy.frozen {
      lock.withLock { misses.append(describe()) }
      return (.frozenMiss, slot)
    }
    return (.live, slot)
  }

  /// Whether an answer's fingerprint is the backend's now (or either is unknown).
  private func fingerprintMatches(_ call: RecordedCall) -> Bool {
    guard let stored = call.fingerprint, let model = call.model else { return true }
    let known = lock.withLock { fingerprints[model] }
    let current: String?
    if let known {
      current = known
    } else {
      current = currentPolicy.currentFingerprint(model)
      lock.withLock { fingerprints[model] = .some(current) }
    }
    return current.map { $0 == stored } ?? true
  }

  /// Looks a call up: the recorded call to replay (noted as replayed), or nil to go live.
  /// Under `--frozen` a call nothing answers is an error. `slot` is where a live answer is
  /// to be noted.
  func consult(kind: RecordedCall.Kind, requestKey: String, requestText: String, taskPath: [Int], seeded: Bool, model: String)
    throws -> (replay: RecordedCall?, slot: CallSlot)
  {
    let shown = "\(kind.rawValue) \(requestText.prefix(160))"
    let (decision, slot) = decide(kind: kind, requestKey: requestKey, taskPath: taskPath, seeded: seeded, describe: { shown })
    let event = RequestEvent(
      cell: lock.withLock { cellLabel }, kind: kind,
      address: AnswerAddress(requestKey: requestKey, occurrence: Occurrence(path: slot.taskPath, index: slot.occurrence)),
      model: model, seeded: seeded)
    switch decision {
    case .replay(let call, let source):
      note(call, source: source)
      observer?.notebook(.requestFinished(event, source))
      return (call, slot)
    case .frozenMiss:
      // Named, so that a CI job replaying from a remote cache sees that it was asked.
      let asked = currentPolicy.layers.layers.map(\.layerName)
      throw RuntimeFailure(
        "--frozen: this request is in no cache (asked: \(asked.isEmpty ? "none" : asked.joined(separator: ", "))): \(shown)")
    case .live:
      observer?.notebook(.requestStarted(event))
      return (nil, slot)
    }
  }

  /// Notes a call the cell made, replayed or live.
  func note(_ call: RecordedCall, source: AnswerSource) {
    lock.withLock {
      calls.append(call)
      switch source {
      case .live:
        live += 1
        liveTokens += call.promptTokens + call.completionTokens
        liveCalls.append(call)
      case .transcript:
        fromTranscript += 1
        byLayer["store", default: 0] += 1
      case .layer(let name):
        fromLayers += 1
        byLayer[name, default: 0] += 1
      }
    }
    if source == .live {
      let event = RequestEvent(
        cell: lock.withLock { cellLabel }, kind: call.kind, address: call.address, model: call.model ?? "", seeded: call.seeded)
      observer?.notebook(.requestFinished(event, .live))
    }
  }
}
