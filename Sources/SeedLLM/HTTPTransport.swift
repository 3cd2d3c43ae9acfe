import CCurl
import Foundation

/// All HTTP of a process on one libcurl multi handle: requests from any number of threads
/// run concurrently and share its connection cache, with no thread per request.
///
/// No thread is dedicated to the handle. A thread waiting for its response drives the
/// handle for everyone until its own transfer is done, then hands the role to a waiting
/// thread (leader and followers). A lone request is thus sent and read by its own thread,
/// with no hand-off between threads on its path.
public final class HTTPTransport: @unchecked Sendable {
  public static let shared = HTTPTransport()

  /// Guards everything below, and is what waiting threads sleep on.
  private let state = NSCondition()
  /// Made with the first request: libcurl is loaded only then (see CCurl.h).
  private var multi: UnsafeMutableRawPointer?
  private var queued: [Transfer] = []
  private var driving = false
  /// Bumped by `cancelAll()`; transfers begun before a bump are cancelled.
  private var cancellations = 0
  /// Touched only by the driving thread.
  private var active: [UnsafeMutableRawPointer: Transfer] = [:]

  private init() {}

  /// Loads libcurl and makes the multi handle, unless done already; throws
  /// `TransportFailure.libcurlUnavailable` saying why libcurl cannot be loaded. `perform`
  /// does this itself; call it to learn early that no request can be sent.
  public func loadLibcurl() throws {
    _ = try multiHandle()
  }

  private func multiHandle() throws -> UnsafeMutableRawPointer {
    state.lock()
    defer { state.unlock() }
    if let multi { return multi }
    if let reason = seednb_curl_load_error() { throw TransportFailure.libcurlUnavailable(String(cString: reason)) }
    guard let made = seednb_multi_init() else { throw TransportFailure.other("libcurl could not create a multi handle") }
    // Many requests to one host go over as many connections as needed, each reused.
    _ = seednb_multi_setopt_long(made, CURLMOPT_MAXCONNECTS, 256)
    multi = made
    return made
  }

  /// Sends a request and waits for its response; other threads' requests proceed meanwhile.
  /// `onData`, when given, also hears each piece of the body as it arrives (a streamed answer),
  /// on whichever thread drives the handle.
  public func perform(_ request: HTTPRequest, onData: ((Data) -> Void)? = nil) throws -> HTTPResponse {
    let multi = try multiHandle()
    let transfer = try Transfer(request)
    transfer.onData = onData
    state.lock()
    transfer.generation = cancellations
    queued.append(transfer)
    state.unlock()
    // A thread blocked in poll admits the new transfer at once.
    seednb_multi_wakeup(multi)
    while true {
      state.lock()
      while transfer.outcome == nil && driving { state.wait() }
      if let outcome = transfer.outcome {
        state.unlock()
        switch outcome {
        case .success(let response): return response
        case .failure(let failure): throw failure
        }
      }
      driving = true
      state.unlock()
      drive(multi, until: transfer)
      state.lock()
      driving = false
      state.broadcast()
      state.unlock()
    }
  }

  /// Ends every request in flight, and every retry being waited for, with
  /// `TransportFailure.cancelled` (Ctrl-C).
  public func cancelAll() {
    state.lock()
    cancellations += 1
    let multi = self.multi
    state.broadcast()
    state.unlock()
    if let multi { seednb_multi_wakeup(multi) }
  }

  /// Waits before a retry; `cancelAll()` ends the wait early with `TransportFailure.cancelled`.
  public func pause(_ seconds: Double) throws {
    let deadline = Date().addingTimeInterval(seconds)
    state.lock()
    defer { state.unlock() }
    let generation = cancellations
    while Date() < deadline {
      _ = state.wait(until: deadline)
      if cancellations != generation { throw TransportFailure.cancelled }
    }
  }

  // MARK: - Driving the multi handle

  private func drive(_ multi: UnsafeMutableRawPointer, until own: Transfer) {
    var running: Int32 = 0
    while true {
      admitAndCancel(multi)
      seednb_multi_perform(multi, &running)
      collectFinished(multi)
      abandonStalled(multi)
      state.lock()
      let done = own.outcome != nil
      state.unlock()
      if done { return }
      seednb_multi_poll(multi, nil, 0, 1000, nil)
    }
  }

  private func admitAndCancel(_ multi: UnsafeMutableRawPointer) {
    state.lock()
    let admitted = queued
    queued.removeAll()
    let generation = cancellations
    state.unlock()
    for transfer in admitted {
      active[transfer.easy] = transfer
      seednb_multi_add_handle(multi, transfer.easy)
    }
    for (easy, transfer) in active where transfer.generation < generation {
      seednb_multi_remove_handle(multi, easy)
      active[easy] = nil
      finish(transfer, .failure(.cancelled))
    }
  }

  private func collectFinished(_ multi: UnsafeMutableRawPointer) {
    var remaining: Int32 = 0
    while let message = seednb_multi_info_read(multi, &remaining) {
      guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
        let transfer = active.removeValue(forKey: easy)
      else { continue }
      let code = message.pointee.data.result
      seednb_multi_remove_handle(multi, easy)
      finish(transfer, transfer.result(of: code))
    }
  }

  /// Ends each transfer whose answer began and then stopped coming for its stall timeout
  /// (the handle is polled at least once a second, so that is the resolution).
  private func abandonStalled(_ multi: UnsafeMutableRawPointer) {
    let now = DispatchTime.now().uptimeNanoseconds
    for (easy, transfer) in active {
      guard let last = transfer.lastReceived, Double(now &- last) / 1e9 >= transfer.request.stallTimeout else { continue }
      seednb_multi_remove_handle(multi, easy)
      active[easy] = nil
      finish(transfer, .failure(.stalled(seconds: transfer.request.stallTimeout)))
    }
  }

  private func finish(_ transfer: Transfer, _ outcome: Result<HTTPResponse, TransportFailure>) {
    state.lock()
    transfer.outcome = outcome
    state.broadcast()
    state.unlock()
  }
}

/// One request in flight: its easy handle and what has arrived so far.
final class Transfer: @unchecked Sendable {
  let easy: UnsafeMutableRawPointer
  let request: HTTPRequest
  /// Set and read under the transport's lock.
  var outcome: Result<HTTPResponse, TransportFailure>?
  var generation = 0
  /// Hears each piece of the body as it arrives; set before the transfer is queued.
  var onData: ((Data) -> Void)?
  /// When the last byte of the answer arrived (monotonic nanoseconds); nil until it begins.
  /// Written by libcurl's callbacks and read by the stall check, both on the driving thread.
  var lastReceived: UInt64?
  private var headerList: UnsafeMutablePointer<curl_slist>?
  private var body = Data()
  private var headerLines: [String] = []
  /// libcurl writes its detailed error text here; it keeps the pointer, so it must not move.
  private let errorBuffer: UnsafeMutablePointer<CChar> = {
    let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    buffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    return buffer
  }()

  init(_ request: HTTPRequest) throws {
    guard let easy = seednb_easy_init() else { throw TransportFailure.other("libcurl could not create a handle") }
    self.easy = easy
    self.request = request
    configure()
  }

  deinit {
    seednb_easy_cleanup(easy)
    seednb_slist_free_all(headerList)
    errorBuffer.deallocate()
  }

  private func configure() {
    _ = seednb_easy_setopt_string(easy, CURLOPT_URL, request.url)
    // Requests carry the API key: they go to the configured endpoint over HTTP(S) and nowhere
    // else, so a redirect is an answer to report, never followed (libcurl's default, made
    // explicit), and no other scheme (file:, ftp:, ...) is spoken even if a URL names one.
    _ = seednb_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0)
    _ = seednb_easy_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https")
    _ = seednb_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
    _ = seednb_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Int(request.connectTimeout * 1000))
    _ = seednb_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, Int(request.timeout * 1000))
    _ = seednb_easy_setopt_string(easy, CURLOPT_ACCEPT_ENCODING, "")
    _ = seednb_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1)
    // HEAD is asked for as such: named only as a custom method, libcurl would wait for a body.
    if request.method == "HEAD" {
      _ = seednb_easy_setopt_long(easy, CURLOPT_NOBODY, 1)
    } else {
      _ = seednb_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method)
    }
    _ = seednb_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer)
    if let payload = request.body {
      _ = seednb_easy_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(payload.count))
      payload.withUnsafeBytes { bytes in
        _ = seednb_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
      }
    }
    for header in request.headers {
      headerList = seednb_slist_append(headerList, "\(header.name): \(header.value)")
    }
    // Without this, libcurl waits a second for "100 Continue" before sending a large body.
    headerList = seednb_slist_append(headerList, "Expect:")
    _ = seednb_easy_setopt_pointer(easy, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headerList))
    let context = Unmanaged.passUnretained(self).toOpaque()
    _ = seednb_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context)
    _ = seednb_easy_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION) { data, size, count, context in
      guard let data, let context else { return 0 }
      let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
      transfer.lastReceived = DispatchTime.now().uptimeNanoseconds
      transfer.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size * count)
      if let onData = transfer.onData { onData(Data(bytes: data, count: size * count)) }
      return size * count
    }
    _ = seednb_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, context)
    _ = seednb_easy_setopt_data_callback(easy, CURLOPT_HEADERFUNCTION) { data, size, count, context in
      guard let data, let context else { return 0 }
      let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
      transfer.lastReceived = DispatchTime.now().uptimeNanoseconds
      let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
      // A new status line starts a new header block (after a redirect or "100 Continue").
      if line.hasPrefix("HTTP/") { transfer.headerLines.removeAll() }
      transfer.headerLines.append(line)
      return size * count
    }
  }

  /// The response, or why there is none, once libcurl is done with the transfer.
  func result(of code: CURLcode) -> Result<HTTPResponse, TransportFailure> {
    guard code == CURLE_OK else { return .failure(failure(for: code)) }
    var status = 0
    _ = seednb_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
    var headers: [String: String] = [:]
    for line in headerLines {
      guard let colon = line.utf8.firstIndex(of: UInt8(ascii: ":")) else { continue }
      let name = line[..<colon].lowercased()
      // Header values are ASCII-trimmed by hand: Foundation's trimming costs more than a request.
      var value = line.utf8[line.utf8.index(after: colon)...]
      while let first = value.first, first == 0x20 || first == 0x09 { value = value.dropFirst() }
      while let last = value.last, last == 0x20 || last == 0x09 || last == 0x0D || last == 0x0A { value = value.dropLast() }
      headers[name] = String(decoding: value, as: UTF8.self)
    }
    return .success(HTTPResponse(status: status, headers: headers, body: body))
  }

  private func failure(for code: CURLcode) -> TransportFailure {
    let detail = String(cString: errorBuffer)
    let text = detail.isEmpty ? String(cString: seednb_easy_strerror(code)) : detail
    switch code {
    case CURLE_COULDNT_CONNECT: return .refused
    case CURLE_OPERATION_TIMEDOUT:
      // libcurl has one code for both limits; a connection never made is the connect timeout.
      var appConnected = 0.0
      _ = seednb_easy_getinfo_double(easy, CURLINFO_APPCONNECT_TIME, &appConnected)
      var primaryConnected = 0.0
      _ = seednb_easy_getinfo_double(easy, CURLINFO_CONNECT_TIME, &primaryConnected)
      let secure = request.url.hasPrefix("https:")
      let connecting = primaryConnected == 0 || (secure && appConnected == 0)
      return .timedOut(seconds: connecting ? request.connectTimeout : request.timeout, connecting: connecting)
    case CURLE_COULDNT_RESOLVE_HOST: return .unresolvedHost(text)
    case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
      CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ENGINE_NOTFOUND:
      return .tls(text)
    case CURLE_PARTIAL_FILE, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING:
      return .truncated(text)
    default:
      return .other(text)
    }
  }
}
