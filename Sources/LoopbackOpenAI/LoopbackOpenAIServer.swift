import Foundation

/// A deterministic OpenAI-compatible server on 127.0.0.1, for tests and benchmarks: chat
/// completions (plain and streamed), embeddings and the model list, with faults to inject.
///
///     let server = LoopbackOpenAIServer()
///     try server.start()
///     server.enqueue(.status(429, message: "slow down", headers: ["retry-after-ms": "50"]))
///     // point the client at server.baseURL
public final class LoopbackOpenAIServer: @unchecked Sendable {
  private let state: ServerState
  /// Guards `acceptLoop` and `boundPort`, which start() and stop() change.
  private let lock = NSLock()
  private var acceptLoop: AcceptLoop?
  private var boundPort = 0

  public init(options: Options = Options()) {
    state = ServerState(options: options)
  }

  deinit { stop() }

  /// Starts listening on 127.0.0.1 (port 0: any free port) and returns the port.
  /// A server starts once; after stop() make a new one.
  @discardableResult
  public func start(port: Int = 0) throws -> Int {
    try lock.withLock {
      guard acceptLoop == nil, !state.isStopped else {
        throw LoopbackServerError("a server starts once; make a new one to listen again")
      }
      let (listener, bound) = try Socket.listenOnLoopback(port: port)
      let loop: AcceptLoop
      do {
        loop = try AcceptLoop(listener: listener, state: state)
      } catch {
        listener.close()
        throw error
      }
      loop.start()
      acceptLoop = loop
      boundPort = bound
      return bound
    }
  }

  /// The bound port; 0 before start().
  public var port: Int { lock.withLock { boundPort } }

  /// `http://127.0.0.1:PORT/v1`, what an OpenAI client takes as its base URL.
  public var baseURL: String { "http://127.0.0.1:\(port)/v1" }

  /// Closes the listener and every connection, waking requests waiting on a delay.
  /// Idempotent; also done on deinit.
  public func stop() {
    let loop = lock.withLock { () -> AcceptLoop? in
      defer { acceptLoop = nil }
      return acceptLoop
    }
    state.stop(timeout: 2)
    loop?.stop()
  }

  /// Queues faults; each incoming request, on any endpoint, takes the next one. Requests
  /// that find the queue empty are answered normally.
  public func enqueue(_ faults: Fault...) { state.enqueue(faults) }

  /// Every request received, in arrival order, including those answered with a fault.
  public var requests: [RecordedRequest] { state.requests }

  /// Connections accepted so far, to check that a client reuses its connections.
  public var connectionsAccepted: Int { state.connectionsAccepted }
}
