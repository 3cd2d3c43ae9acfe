import Foundation
import SeedJSON

/// An answer before it is framed for the wire.
struct HTTPResponse {
  enum Body {
    case whole(Data)
    /// Server-sent events, written one HTTP chunk per event as a streaming server would.
    case events([Data])
  }

  var status: Int
  /// Names as written on the wire; framing headers (length, connection) are added when sent.
  var headers: [(name: String, value: String)]
  var body: Body

  static func json(
    _ value: JSONValue, status: Int = 200, headers: [(name: String, value: String)] = []
  )
    -> HTTPResponse
  {
    HTTPResponse(
      status: status, headers: [("content-type", "application/json")] + headers,
      body: .whole(Data(value.serialized().utf8)))
  }

  /// The body as one block, events joined.
  var wholeBody: Data {
    switch body {
    case .whole(let data): return data
    case .events(let events): return events.reduce(into: Data()) { $0.append($1) }
    }
  }

  /// The writes that carry this answer: the head with the first block, then one per chunk.
  func wireWrites(keepAlive: Bool) -> [[UInt8]] {
    switch body {
    case .whole(let data):
      return [
        head(framing: ("content-length", String(data.count)), keepAlive: keepAlive) + Array(data)
      ]
    case .events(let events):
      let chunks = events.map { event in
        Array((String(event.count, radix: 16) + "\r\n").utf8) + Array(event) + Self.crlf
      }
      let last = Array("0\r\n\r\n".utf8)
      let first = head(framing: ("transfer-encoding", "chunked"), keepAlive: keepAlive)
      return [first] + chunks + [last]
    }
  }

  /// The head announcing the whole body's length, for faults that then send only part of it.
  func headWithContentLength(keepAlive: Bool) -> [UInt8] {
    head(framing: ("content-length", String(wholeBody.count)), keepAlive: keepAlive)
  }

  private static let crlf: [UInt8] = [13, 10]

  private func head(framing: (name: String, value: String), keepAlive: Bool) -> [UInt8] {
    var text = "HTTP/1.1 \(status) \(HTTPStatus.reason(status))\r\n"
    for header in headers + [framing, ("connection", keepAlive ? "keep-alive" : "close")] {
      text += "\(header.name): \(header.value)\r\n"
    }
    text += "\r\n"
    return Array(text.utf8)
  }
}
