import Foundation
import OrderedCollections
import SeedJSON
import SeedNotebook

/// `seednb run --summary-json FILE`: how the run ended, as JSON, for a program to read (as
/// `seednb sweep` reads each of its runs): exit status, cells, requests, tokens, time, and
/// the values the notebook recorded with `record(name, value)`.
struct RunSummaryFile {
  var exitStatus: Int32
  var cells: Int
  var failed: Bool
  var liveRequests: Int
  var cachedRequests: Int
  var tokens: Int
  var liveTokens: Int
  var seconds: Double
  var recorded: [(name: String, value: JSONValue)]

  init(summary: NotebookRunner.Summary, exitStatus: Int32, recorded: OrderedDictionary<String, JSONValue>) {
    self.exitStatus = exitStatus
    cells = summary.reports.count
    failed = summary.failed
    liveRequests = summary.liveRequests
    cachedRequests = summary.cachedRequests
    tokens = summary.tokens
    liveTokens = summary.liveTokens
    seconds = summary.seconds
    self.recorded = recorded.map { ($0.key, $0.value) }
  }

  init(json: JSONValue) throws {
    guard let status = json["exit_status"]?.int, let cells = json["cells"]?.int else {
      throw DecodingFailure()
    }
    exitStatus = Int32(clamping: status)
    self.cells = cells
    failed = json["failed"] == .bool(true)
    liveRequests = json["live_requests"]?.int ?? 0
    cachedRequests = json["cached_requests"]?.int ?? 0
    tokens = json["tokens"]?.int ?? 0
    liveTokens = json["live_tokens"]?.int ?? 0
    seconds = json["seconds"]?.double ?? 0
    if case .object(let members)? = json["recorded"] { recorded = members.map { ($0.key, $0.value) } } else { recorded = [] }
  }

  struct DecodingFailure: Error {}

  var json: JSONValue {
    .object([
      .init(key: "exit_status", value: .int(Int(exitStatus))),
      .init(key: "cells", value: .int(cells)),
      .init(key: "failed", value: .bool(failed)),
      .init(key: "live_requests", value: .int(liveRequests)),
      .init(key: "cached_requests", value: .int(cachedRequests)),
      .init(key: "tokens", value: .int(tokens)),
      .init(key: "live_tokens", value: .int(liveTokens)),
      .init(key: "seconds", value: .double(seconds)),
      .init(key: "recorded", value: .object(recorded.map { .init(key: $0.name, value: $0.value) })),
    ])
  }

  func write(to path: String, terminal: Terminal) {
    do { try Data((json.serialized(indent: 2) + "\n").utf8).write(to: URL(fileURLWithPath: path)) } catch {
      terminal.err("seednb: cannot write the summary \(path): \(error.readableDescription)\n")
    }
  }
}
