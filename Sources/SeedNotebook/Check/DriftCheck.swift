import Foundation
import OrderedCollections
import SeedJSON
import SeedLLM
import SeedLang

/// `seednb check`: sends every seeded chat request a cached cell made to the backend again,
/// several times in sequence and several times at once, and compares each answer with the
/// one the cache holds. A seed promises the same answer; when it does not come back, the
/// check says where the texts part and how far apart they are in meaning (the cosine
/// distance of their embeddings, as the cookbook measures it).
///
/// Nothing runs the notebook's code: the requests are rebuilt from the cells' transcripts,
/// so a cell is checked only when its entry for the current key exists.
public final class DriftCheck {
  public struct Options: Sendable {
    /// Sends of each request in sequence, and again at once.
    public var repeats: Int
    /// The model that embeds the texts to compare, before the backend adapts it.
    public var embeddingModel: String
    /// Where the key of a call sent with `api_key: secret("NAME")` is read again: only a name
    /// the notebook or the command line allows.
    public var secrets = SecretAccess.notebook()

    public init(repeats: Int = 3, embeddingModel: String = "text-embedding-3-small") {
      self.repeats = repeats
      self.embeddingModel = embeddingModel
    }
  }

  /// What the check found for one cell.
  public enum Outcome: Sendable {
    /// The store has no entry for the cell's current key.
    case notCached
    /// The entry exists, but none of its chat calls gave a seed.
    case noSeededRequests
    /// One check per distinct seeded request, in the order the cell made them.
    case checked([RequestCheck])
  }

  public struct CellCheck: Sendable {
    public let cell: Cell
    public let key: String
    public let outcome: Outcome

    public var requests: [RequestCheck] {
      if case .checked(let requests) = outcome { return requests }
      return []
    }

    /// Whether any answer differs from the cache.
    public var drift: Bool { requests.contains { !$0.identical } }
    public var sends: Int { requests.reduce(0) { $0 + $1.sends } }

    /// The fingerprints the backend answered with now that differ from the stored ones.
    public var fingerprintChanges: [FingerprintChange] {
      var changes = OrderedSet<FingerprintChange>()
      for request in requests {
        for now in request.newFingerprints where now != request.storedFingerprint {
          changes.append(FingerprintChange(stored: request.storedFingerprint, now: now))
        }
      }
      return Array(changes)
    }
  }

  public struct FingerprintChange: Hashable, Sendable, CustomStringConvertible {
    public let stored: String?
    public let now: String?
    public var description: String { "fingerprint changed: \(stored ?? "none") -> \(now ?? "none")" }
  }

  /// One seeded request (every recorded occurrence of it), sent again.
  public struct RequestCheck: Sendable {
    /// Its recorded calls, first one first; they share one normalised request.
    public let calls: [RecordedCall]
    /// The request as rebuilt from the transcript, before the backend adapts it.
    public let request: ChatRequest
    public let sends: Int
    /// Answers that differ from the first cached one: one per distinct answer.
    public let differences: [Difference]
    public let storedFingerprint: String?
    /// The fingerprints of the new answers, distinct, in the order they came.
    public let newFingerprints: [String?]

    public var identical: Bool { differences.isEmpty }
    /// How many of the sends gave an answer other than the cached one.
    public var differingSends: Int { differences.reduce(0) { $0 + $1.sends } }

    /// `chat "What is…" (seed 123)`: enough to tell the requests of a cell apart.
    public var summary: String {
      let prompt = request.messages.last(where: { $0.role == "user" }) ?? request.messages.last
      var text = (prompt?.content ?? "").replacing("\n", with: " ")
      if text.count > 40 { text = String(text.prefix(40)) + "…" }
      return "chat \"\(text)\"" + (request.seed.map { " (seed \($0))" } ?? "")
    }
  }

  /// An answer that is not the cached one.
  public struct Difference: Sendable {
    /// How many of the sends gave it.
    public let sends: Int
    /// Set when the cache itself holds it, for a later call of the same request: its
    /// position among the request's recorded calls, from 0. The backend did not repeat
    /// itself even when the cell was recorded.
    public let cachedOccurrence: Int?
    /// Which choice of the answer differs first (0 unless the request asked for n > 1).
    public let choice: Int
    public let text: TextDifference
    /// Cosine distance between the embeddings of the cached and the new text.
    public let distance: Double?
    /// Why there is no distance, when there is none.
    public let distanceNote: String?
  }

  /// A request that failed, or a transcript that cannot be read: the check cannot go on.
  public struct Failure: Error, CustomStringConvertible {
    public let description: String
  }

  private let notebook: Notebook
  private let notebookName: String
  private let keys: [String]
  private let store: CacheStore?
  private let backend: LLMBackend
  private let options: Options

  /// `store` nil means there is no store yet: every cell is then not cached.
  public init(
    notebook: Notebook, parameters: OrderedDictionary<String, ParameterValue>, runtime: String, store: CacheStore?,
    backend: LLMBackend, options: Options = Options()
  ) {
    self.notebook = notebook
    notebookName = URL(fileURLWithPath: notebook.file).lastPathComponent
    keys = notebook.cellKeys(runtime: runtime, parameters: parameters)
    self.store = store
    self.backend = backend
    self.options = options
  }

  /// Checks every cell in order. `onCellStart` hears how many distinct seeded requests a
  /// cell has before they are sent; `onCellEnd` gets its result.
  public func run(onCellStart: (Cell, Int) -> Void = { _, _ in }, onCellEnd: (CellCheck) -> Void = { _ in }) throws
    -> [CellCheck]
  {
    var checks: [CellCheck] = []
    for (index, cell) in notebook.cells.enumerated() {
      let check = try self.check(cell, key: keys[index], onStart: onCellStart)
      checks.append(check)
      onCellEnd(check)
    }
    return checks
  }

  private func check(_ cell: Cell, key: String, onStart: (Cell, Int) -> Void) throws -> CellCheck {
    let entry: CacheStore.Entry?
    do { entry = try store?.entry(notebook: notebookName, cellKey: key) } catch {
      throw Failure(description: "\(cell.label): cannot read its cache entry: \(error)")
    }
    guard let entry else { return CellCheck(cell: cell, key: key, outcome: .notCached) }
    let groups = DriftCheck.seededRequests(in: entry.calls)
    guard !groups.isEmpty else { return CellCheck(cell: cell, key: key, outcome: .noSeededRequests) }
    onStart(cell, groups.count)
    let requests = try groups.map { calls in
      do { return try check(calls) } catch let failure as Failure {
        throw Failure(description: "\(cell.label): \(failure.description)")
      }
    }
    return CellCheck(cell: cell, key: key, outcome: .checked(requests))
  }

  /// The cell's seeded chat calls grouped by request, in the order the cell made them: the
  /// same seeded request made five times is sent again as one.
  static func seededRequests(in calls: [RecordedCall]) -> [[RecordedCall]] {
    // Calls inside `parallel` finish in any order; their item paths put them back in order.
    let seeded = calls.enumerated().filter { $0.element.kind == .chat && $0.element.seeded }.sorted { a, b in
      let pathA = a.element.taskPath.split(separator: ".").compactMap { Int($0) }
      let pathB = b.element.taskPath.split(separator: ".").compactMap { Int($0) }
      if pathA != pathB { return pathA.lexicographicallyPrecedes(pathB) }
      return a.offset < b.offset
    }.map(\.element)
    var groups: OrderedDictionary<String, [RecordedCall]> = [:]
    for call in seeded { groups[call.requestKey, default: []].append(call) }
    return Array(groups.values)
  }

  private func check(_ calls: [RecordedCall]) throws -> RequestCheck {
    let first = calls[0]
    let request: ChatRequest
    let cached: [[String]]
    do {
      request = DriftCheck.withoutDefaults(try ChatRequest(json: try JSONValue.parse(first.request)))
      cached = try calls.map { DriftCheck.contents(of: try ChatResponse(json: try JSONValue.parse($0.response))) }
    } catch {
      throw Failure(description: "its cached transcript cannot be read (\(error)); run the notebook with --refresh")
    }
    var adapted = request
    backend.adapt(&adapted)
    let answers = try send(adapted, apiKeyName: first.apiKeyName)
    let reference = cached[0]

    // Distinct answers other than the reference: how many sends gave each, and whether
    // the cache holds it too.
    var differing: OrderedDictionary<[String], (sends: Int, cachedOccurrence: Int?)> = [:]
    for (occurrence, contents) in cached.enumerated().dropFirst() where contents != reference && differing[contents] == nil {
      differing[contents] = (0, occurrence)
    }
    for contents in answers.map(DriftCheck.contents(of:)) where contents != reference {
      differing[contents, default: (0, nil)].sends += 1
    }
    let firstDifferences = differing.keys.map { DriftCheck.firstDifference(reference, $0) }
    let distances = distancesFromReference(firstDifferences.map { (reference: $0.reference, other: $0.other) })
    let differences = zip(zip(differing.values, firstDifferences), distances).map { pair, distance in
      Difference(
        sends: pair.0.sends, cachedOccurrence: pair.0.cachedOccurrence, choice: pair.1.choice, text: pair.1.text,
        distance: distance.value, distanceNote: distance.note)
    }
    var fingerprints = OrderedSet<String?>()
    for answer in answers { fingerprints.append(answer.systemFingerprint) }
    return RequestCheck(
      calls: calls, request: request, sends: answers.count, differences: differences, storedFingerprint: first.fingerprint,
      newFingerprints: Array(fingerprints))
  }

  /// The content of every choice of an answer.
  static func contents(of response: ChatResponse) -> [String] {
    response.choices.map { $0.message?.content ?? "" }
  }

  /// The first choice where two answers differ, its two texts, and where they part.
  static func firstDifference(_ reference: [String], _ other: [String]) -> (
    choice: Int, reference: String, other: String, text: TextDifference
  ) {
    for choice in 0..<max(reference.count, other.count) {
      let a = choice < reference.count ? reference[choice] : ""
      let b = choice < other.count ? other[choice] : ""
      if let difference = TextDifference(cached: a, new: b) { return (choice, a, b, difference) }
    }
    // Only the number of choices differs, and the extra ones are empty.
    let choice = min(reference.count, other.count)
    return (choice, "", "", TextDifference(cached: "", new: "(no choice)")!)
  }

  /// The transcript keeps the request with the API's defaults filled in; a live call sends
  /// only what the notebook gave. Sending `temperature: 1` where the notebook left it out is
  /// the same request to OpenAI, but not to every compatible server, so the defaults are
  /// left out again. (A notebook that spelled out a default is sent without it: the
  /// transcript cannot tell the two apart.)
  static func withoutDefaults(_ request: ChatRequest) -> ChatRequest {
    var request = request
    if request.temperature == 1 { request.temperature = nil }
    if request.topP == 1 { request.topP = nil }
    if request.n == 1 { request.n = nil }
    if request.presencePenalty == 0 { request.presencePenalty = nil }
    if request.frequencyPenalty == 0 { request.frequencyPenalty = nil }
    if request.logprobs == false { request.logprobs = nil }
    return request
  }

  // MARK: - Sending

  /// Sends the request `repeats` times one after another, then `repeats` times at once
  /// (each on its own thread; the transport runs them together on one multi handle).
  private func send(_ request: ChatRequest, apiKeyName: String?) throws -> [ChatResponse] {
    let client = try self.client(apiKeyName: apiKeyName)
    var answers: [ChatResponse] = []
    for _ in 0..<options.repeats {
      answers.append(try DriftCheck.chat(client, request))
    }
    let results = ConcurrentResults(count: options.repeats)
    let finished = DispatchGroup()
    for index in 0..<options.repeats {
      finished.enter()
      Thread {
        results.set(index, Result { try DriftCheck.chat(client, request) })
        finished.leave()
      }.start()
    }
    finished.wait()
    for result in results.all { answers.append(try result.get()) }
    return answers
  }

  private static func chat(_ client: OpenAIClient, _ request: ChatRequest) throws -> ChatResponse {
    do { return try client.chat(request).body } catch let error as LLMError { throw Failure(description: error.description) }
  }

  /// The backend's client, with the key the call was made with when it had one of its own.
  private func client(apiKeyName: String? = nil) throws -> OpenAIClient {
    var apiKey: APIKey?
    if let name = apiKeyName {
      let text: String?
      do { text = try options.secrets.text(of: name) } catch let failure as RuntimeFailure {
        throw Failure(description: "the request was sent with api_key: \(failure.message)")
      }
      guard let text, !text.isEmpty else {
        throw Failure(description: "the request was sent with api_key: secret(\"\(name)\"), and \(name) is not set")
      }
      apiKey = APIKey(name: name, text: text)
    }
    do { return try backend.client(apiKey: apiKey) } catch let failure as RuntimeFailure {
      throw Failure(description: failure.message)
    }
  }

  /// The cosine distance between each pair's texts, embedded in one request. A failed
  /// embedding request does not undo what the texts already showed: the distance is then
  /// missing, with the reason.
  private func distancesFromReference(_ pairs: [(reference: String, other: String)]) -> [(value: Double?, note: String?)] {
    guard !pairs.isEmpty else { return [] }
    var texts = OrderedSet<String>()
    for pair in pairs where !pair.reference.isEmpty && !pair.other.isEmpty {
      texts.append(pair.reference)
      texts.append(pair.other)
    }
    var vectors: [String: [Double]] = [:]
    var failure: String?
    if !texts.isEmpty {
      var request = EmbeddingRequest(model: options.embeddingModel, input: Array(texts))
      backend.adapt(&request)
      do {
        let data = try self.client().embeddings(request).body.data.sorted { $0.index < $1.index }
        if data.count == texts.count {
          for (text, item) in zip(texts, data) { vectors[text] = item.embedding }
        } else {
          failure = "the server returned \(data.count) embeddings for \(texts.count) texts"
        }
      } catch let error as LLMError {
        failure = error.description
      } catch {
        failure = "\(error)"
      }
    }
    return pairs.map { pair in
      if pair.reference.isEmpty || pair.other.isEmpty { return (nil, "an empty text has no embedding") }
      if let failure { return (nil, failure) }
      guard let a = vectors[pair.reference], let b = vectors[pair.other], let distance = cosineDistance(a, b) else {
        return (nil, "the embeddings cannot be compared")
      }
      return (distance, nil)
    }
  }
}

/// Answers that threads fill in, read once they are all done.
private final class ConcurrentResults: @unchecked Sendable {
  private let lock = NSLock()
  private var results: [Result<ChatResponse, Error>?]

  init(count: Int) { results = Array(repeating: nil, count: count) }

  func set(_ index: Int, _ result: Result<ChatResponse, Error>) { lock.withLock { results[index] = result } }

  var all: [Result<ChatResponse, Error>] { lock.withLock { results.compactMap { $0 } } }
}
