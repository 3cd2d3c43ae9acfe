import Foundation

/// Reads HTTP/1.1 requests one after another from a kept-alive connection.
struct HTTPRequestReader {
  /// What the next read produced.
  enum Outcome {
    case request(LoopbackOpenAIServer.RecordedRequest, keepAlive: Bool)
    /// A request we cannot read; it is answered with this status and the connection closed.
    case malformed(status: Int, message: String)
    /// The peer closed (or the server is stopping) between requests.
    case closed
  }

  static let headLimit = 64 * 1024
  static let bodyLimit = 64 * 1024 * 1024
  private static let headEnd: [UInt8] = Array("\r\n\r\n".utf8)

  let socket: Socket
  /// Bytes read but not yet consumed: the client may pipeline the next request.
  private var buffer: [UInt8] = []

  init(socket: Socket) { self.socket = socket }

  mutating func next() -> Outcome {
    guard let headLength = readHead() else {
      if buffer.isEmpty { return .closed }
      return buffer.count > Self.headLimit
        ? .malformed(status: 431, message: "Request headers are larger than 64 KiB.") : .closed
    }
    let headText = String(decoding: buffer[0..<headLength], as: UTF8.self)
    buffer.removeFirst(headLength + Self.headEnd.count)

    // request-line = method SP request-target SP HTTP-version
    var lines = headText.components(separatedBy: "\r\n")
    let requestLine = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: false)
    guard requestLine.count == 3, requestLine[2].hasPrefix("HTTP/1.") else {
      return .malformed(status: 400, message: "Malformed request line.")
    }
    let method = String(requestLine[0])
    let target = String(requestLine[1])
    let version = String(requestLine[2])

    // header-field = field-name ":" OWS field-value OWS
    var headers: [String: String] = [:]
    for line in lines where !line.isEmpty {
      guard let colon = line.firstIndex(of: ":") else {
        return .malformed(status: 400, message: "Malformed header line.")
      }
      let name = line[..<colon].lowercased()
      let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      headers[name] = headers[name].map { "\($0), \(value)" } ?? value
    }

    if headers["transfer-encoding"] != nil {
      return .malformed(status: 411, message: "Send the request body with a Content-Length.")
    }
    var bodyLength = 0
    if let declared = headers["content-length"] {
      guard let length = Int(declared), length >= 0 else {
        return .malformed(status: 400, message: "Invalid Content-Length.")
      }
      guard length <= Self.bodyLimit else {
        return .malformed(status: 413, message: "Request body is larger than 64 MiB.")
      }
      bodyLength = length
    }
    // Clients that ask first (curl does for large bodies) wait a while for this go-ahead.
    if headers["expect"]?.lowercased() == "100-continue" && buffer.count < bodyLength {
      socket.sendAll(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
    }
    while buffer.count < bodyLength {
      guard socket.receive(into: &buffer) > 0 else { return .closed }
    }
    let body = Data(buffer[0..<bodyLength])
    buffer.removeFirst(bodyLength)

    let connection = headers["connection"]?.lowercased() ?? ""
    let keepAlive =
      version == "HTTP/1.1" ? !connection.contains("close") : connection.contains("keep-alive")
    let request = LoopbackOpenAIServer.RecordedRequest(
      method: method, path: target, headers: headers, body: body)
    return .request(request, keepAlive: keepAlive)
  }

  /// Reads until the buffer holds a whole head; its length without the blank line, or nil
  /// when the stream ended or the head grew past the limit.
  private mutating func readHead() -> Int? {
    var searchedUpTo = 0
    while true {
      if let end = Self.find(Self.headEnd, in: buffer, from: searchedUpTo) { return end }
      searchedUpTo = max(0, buffer.count - Self.headEnd.count + 1)
      guard buffer.count <= Self.headLimit, socket.receive(into: &buffer) > 0 else { return nil }
    }
  }

  private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
    guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
    for index in start...(haystack.count - needle.count)
    where haystack[index..<(index + needle.count)].elementsEqual(needle) {
      return index
    }
    return nil
  }
}
