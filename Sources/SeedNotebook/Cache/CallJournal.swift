import Foundation
import SeedLang

/// Answers a cell's external calls from its transcript, or lets them go to the backend, and
/// records every call the cell makes. One journal serves a whole run; the runner opens it for
/// each cell.
public final class CallJournal: @unchecked Sendable {
  /// What to do with a call.
  public enum Decision {
    case replay(RecordedCall)
    case live
    /// Under `--frozen` with no recorded answer: the run must stop.
    case frozenMiss
  }

  private let lock = NSLock()
  private var recorded: [CallSlot: RecordedCall] = [:]
  private var frozen = false
  /// Under `--frozen`, answers from earlier runs of the notebook's other cells.
  private var fallback: (CallSlot) -> RecordedCall? = { _ in nil }
  private var occurrences: [String: Int] = [:]
  private var calls: [RecordedCall] = []
  private var misses: [String] = []
  private var live = 0
  private var replayed = 0
  private var liveTokens = 0

  public init() {}

  /// Starts a cell: `transcript` holds the answers it may replay.
  public func begin(transcript: [RecordedCall], frozen: Bool, fallback: @escaping (CallSlot) -> RecordedCall? = { _ in nil }) {
    lock.withLock {
      recorded = Dictionary(transcript.map { ($0.slot, $0) }, uniquingKeysWith: { first, _ in first })
      self.frozen = frozen
      self.fallback = fallback
      occurrences = [:]
      calls = []
      misses = []
      live = 0
      replayed = 0
      liveTokens = 0
    }
  }

  /// What the cell did: its calls in the order they finished, how many went to the backend
  /// and how many came from the cache, and the requests `--frozen` could not answer.
  public struct CellCalls: Sendable {
    public let calls: [RecordedCall]
    public let live: Int
    public let cached: Int
    public let liveTokens: Int
    public let frozenMisses: [String]

    public var tokens: Int { calls.reduce(0) { $0 + $1.promptTokens + $1.completionTokens } }
  }

  public func finish() -> CellCalls {
    lock.withLock { CellCalls(calls: calls, live: live, cached: replayed, liveTokens: liveTokens, frozenMisses: misses) }
  }

  /// Decides a call. A seeded chat or any embedding replays when recorded; a chat without a
  /// seed is meant to vary and goes live, unless the run is frozen.
  func decide(kind: RecordedCall.Kind, requestKey: String, taskPath: [Int], seeded: Bool, describe: () -> String)
    -> (Decision, CallSlot)
  {
    lock.withLock {
      let path = taskPath.map(String.init).joined(separator: ".")
      let counter = "\(kind.rawValue)|\(requestKey)|\(path)"
      let occurrence = occurrences[counter, default: 0]
      occurrences[counter] = occurrence + 1
      let slot = CallSlot(kind: kind, requestKey: requestKey, taskPath: path, occurrence: occurrence)
      let replayable = frozen || seeded || kind == .embed
      if replayable, let call = recorded[slot] ?? (frozen ? fallback(slot) : nil) {
        return (.replay(call), slot)
      }
      if frozen {
        misses.append(describe())
        return (.frozenMiss, slot)
      }
      return (.live, slot)
    }
  }

  /// Looks a call up: the recorded call to replay (noted as replayed), or nil to go live.
  /// Under `--frozen` a call the cache lacks is an error. `slot` is where a live answer is
  /// to be noted.
  func consult(kind: RecordedCall.Kind, requestKey: String, requestText: String, taskPath: [Int], seeded: Bool) throws
    -> (replay: RecordedCall?, slot: CallSlot)
  {
    let shown = "\(kind.rawValue) \(requestText.prefix(160))"
    let (decision, slot) = decide(kind: kind, requestKey: requestKey, taskPath: taskPath, seeded: seeded, describe: { shown })
    switch decision {
    case .replay(let call):
      note(call, live: false)
      return (call, slot)
    case .frozenMiss:
      throw RuntimeFailure("--frozen: this request is not in the cache: \(shown)")
    case .live:
      return (nil, slot)
    }
  }

  /// Notes a call the cell made, replayed or live.
  func note(_ call: RecordedCall, live isLive: Bool) {
    lock.withLock {
      calls.append(call)
      if isLive {
        live += 1
        liveTokens += call.promptTokens + call.completionTokens
      } else {
        replayed += 1
      }
    }
  }
}
