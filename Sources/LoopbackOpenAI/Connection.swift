import Foundation

/// One client connection, served on its own thread: requests in order, each answered
/// normally or with the next queued fault, until either side closes.
struct Connection {
  let socket: Socket
  let state: ServerState

  /// How a connection ends after an answer.
  private enum Ending {
    case keepOpen
    case close
    case reset
  }

  func serve() {
    var reader = HTTPRequestReader(socket: socket)
    var ending = Ending.close
    reading: while !state.isStopped {
      switch reader.next() {
      case .closed:
        ending = .close
        break reading
      case .malformed(let status, let message):
        let error = OpenAIError(status: status, message: message, type: "invalid_request_error")
        send(error.response, keepAlive: false)
        ending = .close
        break reading
      case .request(let request, let keepAlive):
        let fault = state.arrived(request)
        ending = answer(request, fault: fault, keepAlive: keepAlive)
        if ending != .keepOpen { break reading }
      }
    }
    state.close(socket, reset: ending == .reset)
  }

  private func answer(
    _ request: LoopbackOpenAIServer.RecordedRequest, fault: LoopbackOpenAIServer.Fault?,
    keepAlive: Bool
  ) -> Ending {
    if case .closeWithoutAnswer = fault { return .close }
    var delay = state.options.delay
    if case .delay(let seconds) = fault { delay = seconds }
    guard state.pause(delay) else { return .close }

    let normal = { Router(options: state.options).answer(request) }
    let sent: Bool
    switch fault {
    case nil, .delay, .closeWithoutAnswer:
      sent = send(normal(), keepAlive: keepAlive)
    case .status(let status, let message, let type, let code, let headers):
      let error = OpenAIError(status: status, message: message, type: type, code: code)
      let extra = headers.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
      sent = send(error.response(extraHeaders: extra), keepAlive: keepAlive)
    case .echoAuthorization(let status, let json):
      let echoed = "rejected by the proxy: Authorization: \(request.headers["authorization"] ?? "(none)")"
      let response =
        json
        ? OpenAIError(status: status, message: echoed, type: "proxy_error").response
        : HTTPResponse(status: status, headers: [("content-type", "text/plain")], body: .whole(Data(echoed.utf8)))
      sent = send(response, keepAlive: keepAlive)
    case .echoMaskedKey:
      let header = request.headers["authorization"] ?? ""
      let key = header.hasPrefix("Bearer ") ? String(header.dropFirst(7)) : header
      let masked = key.count > 9 ? String(key.prefix(5)) + String(repeating: "*", count: key.count - 9) + String(key.suffix(4)) : key
      let message =
        "Incorrect API key provided: \(masked). You can find your API key at https://platform.openai.com/account/api-keys."
      sent = send(
        OpenAIError(status: 401, message: message, type: "invalid_request_error", code: "invalid_api_key").response,
        keepAlive: keepAlive)
    case .notJSON:
      let html = HTTPResponse(
        status: 200, headers: [("content-type", "application/json")],
        body: .whole(Data("<html>upstream error</html>".utf8)))
      sent = send(html, keepAlive: keepAlive)
    case .resetMidBody:
      sendHalf(of: normal())
      return .reset
    case .truncated:
      sendHalf(of: normal())
      return .close
    case .stallMidBody(let seconds):
      sendHalf(of: normal())
      _ = state.pause(seconds)
      return .close
    }
    return sent && keepAlive ? .keepOpen : .close
  }

  @discardableResult
  private func send(_ response: HTTPResponse, keepAlive: Bool) -> Bool {
    let gap = state.options.eventDelay
    for (position, write) in response.wireWrites(keepAlive: keepAlive).enumerated() {
      // Between the events of a stream, as a model that writes its answer word by word.
      if position > 0 && gap > 0 && !state.pause(gap) { return false }
      if !socket.sendAll(write) { return false }
    }
    return true
  }

  /// The head promising the whole body (as Content-Length, even for a stream), then half.
  private func sendHalf(of response: HTTPResponse) {
    let body = Array(response.wholeBody)
    socket.sendAll(response.headWithContentLength(keepAlive: true) + body.prefix(body.count / 2))
  }
}
