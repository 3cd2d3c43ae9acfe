import Foundation

/// The local backend: llama-cpp-python's server with Gemma 3 270M, which
/// `scripts/setup-local-model` installs into the cache folder. It is started on a free
/// loopback port on first use, answers chat and embeddings, and is stopped when the process
/// exits; the server also exits by itself when its standard input closes, so a killed
/// seednb leaves nothing running.
public final class LocalModelServer: @unchecked Sendable {
  /// The files set-up puts in the cache folder.
  public struct Installation: Sendable {
    public let folder: URL

    public init(folder: URL) { self.folder = folder }

    /// `$SEEDNB_CACHE/local-model`, else `$XDG_CACHE_HOME/seednb/local-model`, else
    /// `~/.cache/seednb/local-model`: where `scripts/setup-local-model` installs.
    public static func standard(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Installation {
      let cache: URL
      if let configured = environment["SEEDNB_CACHE"], !configured.isEmpty {
        cache = URL(fileURLWithPath: configured)
      } else if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
        cache = URL(fileURLWithPath: xdg).appendingPathComponent("seednb")
      } else {
        let home = environment["HOME"] ?? NSHomeDirectory()
        cache = URL(fileURLWithPath: home).appendingPathComponent(".cache/seednb")
      }
      return Installation(folder: cache.appendingPathComponent("local-model"))
    }

    public var python: String { folder.appendingPathComponent("venv/bin/python").path }
    public var launcher: String { folder.appendingPathComponent("server.py").path }
    public var model: String { folder.appendingPathComponent("model/gemma-3-270m-q4_k_m.gguf").path }
    public var modelChecksum: String { model + ".sha256" }
    public var log: String { folder.appendingPathComponent("server.log").path }
    /// The fingerprint the server sends, written by set-up and by each start.
    public var fingerprintFile: String { folder.appendingPathComponent("fingerprint").path }

    /// The server's fingerprint, known without starting it; nil before set-up wrote it.
    public var fingerprint: String? {
      (try? String(contentsOfFile: fingerprintFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The files set-up makes that are not there.
    public var missing: [String] {
      [python, launcher, model, modelChecksum].filter { !FileManager.default.fileExists(atPath: $0) }
    }
  }

  /// The names the server answers under.
  public static let chatModel = "gemma-3-270m-q4_k_m"
  public static let embeddingModel = "gemma-3-270m-q4_k_m-embedding"

  public let installation: Installation
  private let startTimeout: Double
  private let lock = NSLock()
  private var process: Process?
  private var input: Pipe?
  private var baseURL: String?

  public init(installation: Installation = .standard(), startTimeout: Double = 120) {
    self.installation = installation
    self.startTimeout = startTimeout
  }

  deinit { stop() }

  /// Why the server is not there to answer.
  public struct StartFailure: Error, CustomStringConvertible {
    public let description: String
  }

  /// Starts the server unless it runs already, and returns its base URL.
  public func start() throws -> String {
    lock.lock()
    defer { lock.unlock() }
    if let baseURL, process?.isRunning == true { return baseURL }
    let missing = installation.missing
    guard missing.isEmpty else {
      throw StartFailure(
        description: "the local model is not installed (missing \(missing.joined(separator: ", "))); run scripts/setup-local-model, "
          + "or set OPENAI_BASE_URL and OPENAI_API_KEY to use another backend")
    }
    // Without libcurl the server could be started but never asked anything.
    do { try HTTPTransport.shared.loadLibcurl() } catch let failure as TransportFailure {
      throw StartFailure(description: "cannot talk to the local model server: \(failure.description)")
    }
    let checksum = (try? String(contentsOfFile: installation.modelChecksum, encoding: .utf8))?
      .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    let port = try LocalModelServer.freePort()
    guard FileManager.default.createFile(atPath: installation.log, contents: nil),
      let log = FileHandle(forWritingAtPath: installation.log)
    else {
      throw StartFailure(description: "cannot write the local model server's log at \(installation.log)")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: installation.python)
    process.arguments = [installation.launcher, "--model", installation.model, "--model-sha256", checksum, "--port", String(port)]
    let input = Pipe()
    process.standardInput = input
    process.standardOutput = log
    process.standardError = log
    do {
      try process.run()
    } catch {
      throw StartFailure(description: "cannot start the local model server (\(installation.python)): \(error)")
    }
    LocalModelServer.register(self)
    self.process = process
    self.input = input
    let url = "http://127.0.0.1:\(port)/v1"
    try waitUntilAnswering(url, process)
    baseURL = url
    return url
  }

  /// Polls `/models` until the server answers, it exits, or time runs out.
  private func waitUntilAnswering(_ url: String, _ process: Process) throws {
    let deadline = Date().addingTimeInterval(startTimeout)
    let probe = HTTPRequest(method: "GET", url: url + "/models", connectTimeout: 1, timeout: 2)
    while Date() < deadline {
      guard process.isRunning else {
        throw StartFailure(
          description: "the local model server exited with status \(process.terminationStatus) while starting; "
            + "its log is \(installation.log):\n\(logTail())")
      }
      if let response = try? HTTPTransport.shared.perform(probe), response.status == 200 { return }
      Thread.sleep(forTimeInterval: 0.1)
    }
    stopProcess()
    throw StartFailure(
      description: "the local model server did not answer within \(Int(startTimeout)) s; its log is \(installation.log):\n\(logTail())")
  }

  private func logTail() -> String {
    guard let text = try? String(contentsOfFile: installation.log, encoding: .utf8) else { return "(no log)" }
    return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(12).joined(separator: "\n")
  }

  /// Stops the server if it runs.
  public func stop() {
    lock.lock()
    defer { lock.unlock() }
    stopProcess()
  }

  private func stopProcess() {
    if let process, process.isRunning {
      process.terminate()
      process.waitUntilExit()
    }
    try? input?.fileHandleForWriting.close()
    process = nil
    input = nil
    baseURL = nil
  }

  /// A port on loopback that nothing listens on now.
  static func freePort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw StartFailure(description: "cannot open a socket to find a free port") }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
      }
    }
    guard bound else { throw StartFailure(description: "cannot find a free port on 127.0.0.1") }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  // MARK: - Stopping at exit

  private static let runningLock = NSLock()
  nonisolated(unsafe) private static var running: [LocalModelServer] = []
  nonisolated(unsafe) private static var exitHandlerInstalled = false

  private static func register(_ server: LocalModelServer) {
    runningLock.withLock {
      running.append(server)
      if !exitHandlerInstalled {
        exitHandlerInstalled = true
        atexit { LocalModelServer.stopAll() }
      }
    }
  }

  /// At exit no lock is taken: a thread stopped mid-start may hold one forever.
  private static func stopAll() {
    for server in running { server.stopProcess() }
  }
}
