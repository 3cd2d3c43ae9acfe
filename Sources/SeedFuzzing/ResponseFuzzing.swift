import Foundation
import SeedJSON
import SeedLLM

/// Bytes as a server's answer: read as JSON, which must survive being written and read again,
/// then decoded as a chat answer, an embeddings answer and a chat request (a cache reads
/// requests back); and, separately, fed as a server-sent event stream in pieces of uneven
/// size, whose assembled answer must decode as a chat answer.
enum ResponseFuzzing {
  static func run(_ bytes: [UInt8], violations: inout [String]) {
    if let json = try? JSONValue.parse(bytes: bytes) {
      checkRoundTrip(json, violations: &violations)
      _ = try? ChatResponse(json: json)
      _ = try? EmbeddingResponse(json: json)
      _ = try? ChatRequest(json: json)
    }
    feedAsStream(bytes, violations: &violations)
  }

  static func checkRoundTrip(_ json: JSONValue, violations: inout [String]) {
    let compact = json.serialized()
    guard let again = try? JSONValue.parse(compact) else {
      violations.append("JSON the writer wrote does not read back: \(compact.prefix(200))")
      return
    }
    if again != json { violations.append("JSON changed on the way through the writer: \(compact.prefix(200))") }
    let pretty = json.serialized(indent: 2, sortedKeys: true)
    if (try? JSONValue.parse(pretty)) == nil { violations.append("indented JSON does not read back: \(pretty.prefix(200))") }
  }

  /// The stream arrives in pieces whose sizes come from the input's own bytes, so that event
  /// lines split across reads are exercised as a network splits them.
  static func feedAsStream(_ bytes: [UInt8], violations: inout [String]) {
    var tokens = 0
    let assembler = StreamAssembler(onToken: { _ in tokens += 1 })
    var start = 0
    while start < bytes.count {
      let size = 1 + Int(bytes[start] % 64)
      let end = min(bytes.count, start + size)
      assembler.feed(Data(bytes[start..<end]))
      start = end
    }
    guard assembler.sawEvents else { return }
    let answer = assembler.answer()
    do {
      _ = try ChatResponse(json: answer)
    } catch {
      violations.append("an assembled stream does not decode as a chat answer: \(error)")
    }
    checkRoundTrip(answer, violations: &violations)
  }
}
