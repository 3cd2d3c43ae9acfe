import Foundation
import SeedJSON

/// `NB.lock` beside the notebook: the answers a notebook's cells got, as text to commit to
/// git, like Quarto's `_freeze/`. JSON Lines, one answer a line, sorted by request key and
/// occurrence, each with its normalised request, the answer, the fingerprint, model, seed,
/// usage and occurrence; never an API key. The same answers always make the same bytes, so
/// the file diffs and merges. Runs read it as a read-only layer under the store.
public final class Lockfile: AnswerLayer, @unchecked Sendable {
  /// A line that cannot be read: where, and what is wrong.
  public struct Malformed: Error, CustomStringConvertible {
    public let path: String
    public let line: Int
    public let message: String
    public var description: String { "\(path):\(line): \(message)" }
  }

  public let path: String
  private let byAddress: [AnswerAddress: StoredAnswer]
  private let byKey: [String: [StoredAnswer]]

  /// `NB.lock` for `NB`.
  public static func path(forNotebook notebookPath: String) -> String { notebookPath + ".lock" }

  public var layerName: String { "lockfile" }
  public var location: String { path }

  /// Reads a lockfile; nil when there is none.
  public static func read(forNotebook notebookPath: String) throws -> Lockfile? {
    let path = path(forNotebook: notebookPath)
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
      throw Malformed(path: path, line: 1, message: "cannot be read as UTF-8 text")
    }
    return try Lockfile(path: path, text: text, notebook: URL(fileURLWithPath: notebookPath).lastPathComponent)
  }

  public init(path: String, text: String, notebook: String) throws {
    self.path = path
    var byAddress: [AnswerAddress: StoredAnswer] = [:]
    for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
      do {
        let answer = try Lockfile.answer(from: try JSONValue.parse(String(line)), notebook: notebook)
        byAddress[answer.address] = answer
      } catch let error as Malformed {
        throw Malformed(path: path, line: number + 1, message: error.message)
      } catch {
        throw Malformed(path: path, line: number + 1, message: "\(error)")
      }
    }
    self.byAddress = byAddress
    byKey = Dictionary(grouping: byAddress.values.sorted { $0.address < $1.address }, by: \.address.requestKey)
  }

  public func answer(at address: AnswerAddress) throws -> StoredAnswer? { byAddress[address] }

  public func answers(forRequestKey key: String) throws -> [StoredAnswer] { byKey[key] ?? [] }

  /// Every answer it holds, in file order.
  public var answers: [StoredAnswer] { byAddress.values.sorted { $0.address < $1.address } }

  // MARK: - Writing

  /// The lockfile's text for these answers: sorted, one line each, the same bytes for the
  /// same answers whenever they were stored.
  public static func text(of answers: [StoredAnswer]) -> String {
    var unique: [AnswerAddress: StoredAnswer] = [:]
    for answer in answers { unique[answer.address] = answer }
    return unique.keys.sorted().compactMap { unique[$0].map(line(for:)) }.map { $0 + "\n" }.joined()
  }

  static func line(for answer: StoredAnswer) -> String {
    let call = answer.call
    var members: [JSONValue.Member] = [
      .init(key: "request_key", value: .string(call.requestKey)),
      .init(key: "kind", value: .string(call.kind.rawValue)),
      .init(
        key: "occurrence",
        value: .object([.init(key: "path", value: .string(call.taskPath)), .init(key: "index", value: .int(call.occurrence))])),
      .init(key: "request", value: (try? JSONValue.parse(call.request)) ?? .string(call.request)),
      .init(key: "answer", value: (try? JSONValue.parse(call.response)) ?? .string(call.response)),
      .init(key: "fingerprint", value: call.fingerprint.map(JSONValue.string) ?? .null),
      .init(key: "model", value: call.model.map(JSONValue.string) ?? .null),
      .init(key: "seed", value: call.seed.map(JSONValue.int) ?? .null),
      .init(key: "seeded", value: .bool(call.seeded)),
      .init(
        key: "usage",
        value: .object([
          .init(key: "prompt_tokens", value: .int(call.promptTokens)),
          .init(key: "completion_tokens", value: .int(call.completionTokens)),
        ])),
      .init(key: "latency", value: .double(call.latency)),
    ]
    if let name = call.apiKeyName { members.append(.init(key: "api_key_name", value: .string(name))) }
    return JSONValue.object(members).serialized(sortedKeys: true)
  }

  static func answer(from json: JSONValue, notebook: String) throws -> StoredAnswer {
    func field<T>(_ name: String, _ read: (JSONValue) -> T?) throws -> T {
      guard let value = json[name], let read = read(value) else {
        throw Malformed(path: "", line: 0, message: "the answer has no valid \"\(name)\"")
      }
      return read
    }
    func optional<T>(_ name: String, _ read: (JSONValue) -> T?) -> T? { json[name].flatMap(read) }
    let kind = try field("kind") { $0.string.flatMap(RecordedCall.Kind.init(rawValue:)) }
    let occurrence = try field("occurrence") { $0 }
    guard let path = occurrence["path"]?.string, let index = occurrence["index"]?.int else {
      throw Malformed(path: "", line: 0, message: "the answer's \"occurrence\" needs a \"path\" and an \"index\"")
    }
    let usage = json["usage"]
    func text(_ value: JSONValue) -> String {
      if case .string(let s) = value { return s }
      return value.serialized()
    }
    let call = RecordedCall(
      kind: kind, requestKey: try field("request_key") { $0.string }, taskPath: path, occurrence: index,
      request: try field("request", text), response: try field("answer", text), model: optional("model") { $0.string },
      fingerprint: optional("fingerprint") { $0.string }, seed: optional("seed") { $0.int },
      seeded: optional("seeded") { $0.bool } ?? false, latency: optional("latency") { $0.double } ?? 0,
      promptTokens: usage?["prompt_tokens"]?.int ?? 0, completionTokens: usage?["completion_tokens"]?.int ?? 0,
      apiKeyName: optional("api_key_name") { $0.string })
    return StoredAnswer(call: call, notebook: notebook, storedAt: Date(timeIntervalSince1970: 0))
  }
}
