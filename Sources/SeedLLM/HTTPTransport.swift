import CCurl
import Foundation

/// All HTTP of a process on one libcurl multi handle, driven by one thread: requests from
/// any number of threads run concurrently and share the multi handle's connection cache,
/// with no thread per request.
public final class HTTPTransport: @unchecked Sendable {
  public static let shared = HTTPTransport()

  private let multi: UnsafeMutableRawPointer
  private let lock = NSLock()
  private var queued: [Transfer] = []
  private var active: [UnsafeMutableRawPointer: Transfer] = [:]
  private var cancelRequested = false

  private init() {
    curl_global_init(Int(CURL_GLOBAL_DEFAULT))
    guard let multi = curl_multi_init() else { preconditionFailure("libcurl could not create a multi handle") }
    self.multi = multi
    // Many requests to one host go over as many connections as needed, each reused.
    _ = seednb_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, 256)
    let thread = Thread { [unowned self] in self.drive() }
    thread.name = "seednb-http"
    thread.start()
  }

  /// Sends a request and waits for its response; other threads' requests proceed meanwhile.
  public func perform(_ request: HTTPRequest) throws -> HTTPResponse {
    let transfer = try Transfer(request)
    lock.lock()
    queued.append(transfer)
    lock.unlock()
    curl_multi_wakeup(multi)
    transfer.done.wait()
    switch transfer.outcome {
    case .success(let response)?: return response
    case .failure(let failure)?: throw failure
    case nil: throw TransportFailure.other("the transfer ended without an outcome")
    }
  }

  /// Ends every request in flight, and every retry being waited for, with
  /// `TransportFailure.cancelled` (Ctrl-C).
  public func cancelAll() {
    lock.lock()
    cancelRequested = true
    lock.unlock()
    curl_multi_wakeup(multi)
    pauses.lock()
    cancellations += 1
    pauses.broadcast()
    pauses.unlock()
  }

  private let pauses = NSCondition()
  private var cancellations = 0

  /// Waits before a retry; `cancelAll()` ends the wait early with `TransportFailure.cancelled`.
  public func pause(_ seconds: Double) throws {
    let deadline = Date().addingTimeInterval(seconds)
    pauses.lock()
    defer { pauses.unlock() }
    let generation = cancellations
    while Date() < deadline {
      _ = pauses.wait(until: deadline)
      if cancellations != generation { throw TransportFailure.cancelled }
    }
  }

  // MARK: - The driving thread

  private func drive() {
    var running: Int32 = 0
    while true {
      admitAndCancel()
      curl_multi_perform(multi, &running)
      collectFinished()
      curl_multi_poll(multi, nil, 0, 1000, nil)
    }
  }

  private func admitAndCancel() {
    lock.lock()
    let admitted = queued
    queued.removeAll()
    let cancelling = cancelRequested
    cancelRequested = false
    lock.unlock()
    for transfer in admitted {
      active[transfer.easy] = transfer
      curl_multi_add_handle(multi, transfer.easy)
    }
    if cancelling {
      for (easy, transfer) in active {
        curl_multi_remove_handle(multi, easy)
        transfer.finish(.failure(.cancelled))
      }
      active.removeAll()
    }
  }

  private func collectFinished() {
    var remaining: Int32 = 0
    while let message = curl_multi_info_read(multi, &remaining) {
      guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
        let transfer = active.removeValue(forKey: easy)
      else { continue }
      let code = message.pointee.data.result
      curl_multi_remove_handle(multi, easy)
      transfer.complete(code)
    }
  }
}

/// One request in flight: its easy handle and what has arrived so far.
final class Transfer: @unchecked Sendable {
  let easy: UnsafeMutableRawPointer
  let request: HTTPRequest
  let done = DispatchSemaphore(value: 0)
  private(set) var outcome: Result<HTTPResponse, TransportFailure>?
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
    guard let easy = curl_easy_init() else { throw TransportFailure.other("libcurl could not create a handle") }
    self.easy = easy
    self.request = request
    configure()
  }

  deinit {
    curl_easy_cleanup(easy)
    curl_slist_free_all(headerList)
    errorBuffer.deallocate()
  }

  private func configure() {
    _ = seednb_easy_setopt_string(easy, CURLOPT_URL, request.url)
    _ = seednb_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
    _ = seednb_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Int(request.connectTimeout * 1000))
    _ = seednb_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, Int(request.timeout * 1000))
    _ = seednb_easy_setopt_string(easy, CURLOPT_ACCEPT_ENCODING, "")
    _ = seednb_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1)
    _ = seednb_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method)
    _ = seednb_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer)
    if let payload = request.body {
      _ = seednb_easy_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(payload.count))
      payload.withUnsafeBytes { bytes in
        _ = seednb_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
      }
    }
    for header in request.headers {
      headerList = curl_slist_append(headerList, "\(header.name): \(header.value)")
    }
    // Without this, libcurl waits a second for "100 Continue" before sending a large body.
    headerList = curl_slist_append(headerList, "Expect:")
    _ = seednb_easy_setopt_pointer(easy, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headerList))
    let context = Unmanaged.passUnretained(self).toOpaque()
    _ = seednb_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context)
    _ = seednb_easy_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION) { data, size, count, context in
      guard let data, let context else { return 0 }
      let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
      transfer.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size * count)
      return size * count
    }
    _ = seednb_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, context)
    _ = seednb_easy_setopt_data_callback(easy, CURLOPT_HEADERFUNCTION) { data, size, count, context in
      guard let data, let context else { return 0 }
      let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
      let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
      // A new status line starts a new header block (after a redirect or "100 Continue").
      if line.hasPrefix("HTTP/") { transfer.headerLines.removeAll() }
      transfer.headerLines.append(line)
      return size * count
    }
  }

  func finish(_ result: Result<HTTPResponse, TransportFailure>) {
    outcome = result
    done.signal()
  }

  func complete(_ code: CURLcode) {
    guard code == CURLE_OK else {
      finish(.failure(failure(for: code)))
      return
    }
    var status = 0
    _ = seednb_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
    var headers: [String: String] = [:]
    for line in headerLines {
      guard let colon = line.firstIndex(of: ":") else { continue }
      let name = line[..<colon].lowercased()
      let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
      headers[name] = value
    }
    finish(.success(HTTPResponse(status: status, headers: headers, body: body)))
  }

  private func failure(for code: CURLcode) -> TransportFailure {
    let detail = String(cString: errorBuffer)
    let text = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
    switch code {
    case CURLE_COULDNT_CONNECT: return .refused
    case CURLE_OPERATION_TIMEDOUT: return .timedOut(seconds: request.timeout)
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
