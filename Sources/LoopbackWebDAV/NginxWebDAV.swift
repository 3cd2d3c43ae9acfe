import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Debian's nginx on a free loopback port, storing what is `PUT` to it (WebDAV) under a root
/// folder of its own and serving it back: a remote cache as teams run one, for tests and
/// benchmarks. Its configuration, logs and files live in a temporary folder; `stop()` ends
/// it and removes the folder.
///
/// Under the root, `/` is the cache; `/broken/` answers every request with 500; `/private/`
/// wants `Authorization: Bearer <token>` and `/basic/` basic auth (`user`/`password`), when
/// those are given.
public final class NginxWebDAV: @unchecked Sendable {
  /// nginx's path, or nil when it is not installed.
  public static var executable: String? {
    ["/usr/sbin/nginx", "/usr/bin/nginx"].first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  public let folder: URL
  /// Where the cache's files are: `ac/<key>` and `cas/<key>` under it.
  public var root: URL { folder.appendingPathComponent("root") }
  public private(set) var port = 0
  public var baseURL: String { "http://127.0.0.1:\(port)" }
  private var process: Process?
  private let token: String?
  private let basicAuth: (user: String, password: String)?

  public struct Failure: Error, CustomStringConvertible {
    public let description: String
  }

  public init(token: String? = nil, basicAuth: (user: String, password: String)? = nil) throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("seednb-nginx-\(UUID().uuidString)")
    self.token = token
    self.basicAuth = basicAuth
    for name in ["root", "temp", "logs"] {
      try FileManager.default.createDirectory(at: folder.appendingPathComponent(name), withIntermediateDirectories: true)
    }
  }

  /// Starts nginx and waits until it answers. A port taken between choosing it and nginx
  /// binding it is chosen again.
  public func start() throws {
    guard let executable = NginxWebDAV.executable else {
      throw Failure(description: "nginx is not installed (apt-get install nginx, or run scripts/test)")
    }
    var lastError = ""
    for _ in 0..<5 {
      port = try NginxWebDAV.freePort()
      try configuration().write(to: folder.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)
      let process = Process()
      process.executableURL = URL(fileURLWithPath: executable)
      process.arguments = [
        "-c", folder.appendingPathComponent("nginx.conf").path, "-p", folder.path,
        "-e", folder.appendingPathComponent("logs/error.log").path,
      ]
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      self.process = process
      if waitUntilListening(process) { return }
      stop(removingFolder: false)
      lastError = (try? String(contentsOf: folder.appendingPathComponent("logs/error.log"), encoding: .utf8)) ?? ""
    }
    throw Failure(description: "nginx did not start: \(lastError)")
  }

  /// Ends nginx (and, unless asked not to, removes its folder).
  public func stop(removingFolder: Bool = true) {
    if let process, process.isRunning {
      process.terminate()
      process.waitUntilExit()
    }
    process = nil
    if removingFolder { try? FileManager.default.removeItem(at: folder) }
  }

  deinit { stop() }

  /// Every file under the root, with its bytes: what the remote holds.
  public func storedFiles() throws -> [String: Data] {
    var files: [String: Data] = [:]
    guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else {
      return files
    }
    for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
      files[String(url.path.dropFirst(root.path.count + 1))] = try Data(contentsOf: url)
    }
    return files
  }

  private func configuration() -> String {
    let temp = folder.appendingPathComponent("temp").path
    var locations = """
          location / {
            dav_methods PUT;
            create_full_put_path on;
            dav_access user:rw group:r all:r;
          }
          location /broken/ {
            return 500 "the cache broke";
          }

      """
    if let token {
      locations += """
            location /private/ {
              if ($http_authorization != "Bearer \(token)") { return 401; }
              dav_methods PUT;
              create_full_put_path on;
            }

        """
    }
    if let basicAuth {
      let users = folder.appendingPathComponent("users")
      try? "\(basicAuth.user):{PLAIN}\(basicAuth.password)\n".write(to: users, atomically: true, encoding: .utf8)
      locations += """
            location /basic/ {
              auth_basic "cache";
              auth_basic_user_file \(users.path);
              dav_methods PUT;
              create_full_put_path on;
            }

        """
    }
    // `user root`: the workers of a root master would otherwise run as nobody, who cannot
    // write into a temporary folder made by root.
    let user = getuid() == 0 ? "user root;\n" : ""
    return """
      \(user)daemon off;
      master_process on;
      worker_processes 1;
      pid \(folder.appendingPathComponent("nginx.pid").path);
      events { worker_connections 512; }
      http {
        access_log \(folder.appendingPathComponent("logs/access.log").path);
        client_body_temp_path \(temp)/body;
        proxy_temp_path \(temp)/proxy;
        fastcgi_temp_path \(temp)/fastcgi;
        uwsgi_temp_path \(temp)/uwsgi;
        scgi_temp_path \(temp)/scgi;
        client_max_body_size 64m;
        server {
          listen 127.0.0.1:\(port);
          root \(root.path);
      \(locations)
        }
      }

      """
  }

  private func waitUntilListening(_ process: Process) -> Bool {
    let deadline = Date().addingTimeInterval(10)
    while Date() < deadline {
      guard process.isRunning else { return false }
      if NginxWebDAV.connects(port: port) { return true }
      usleep(20_000)
    }
    return false
  }

  /// The URL of a loopback port nothing listens on: a remote cache that is down.
  public static func freePortURL() throws -> String { "http://127.0.0.1:\(try freePort())" }

  /// A port nothing listens on now: the kernel's choice for a socket bound to port 0.
  static func freePort() throws -> Int {
    let listener = try LoopbackListener()
    defer { listener.close() }
    return listener.port
  }

  static func connects(port: Int) -> Bool {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { return false }
    defer { _ = Glibc.close(descriptor) }
    var address = LoopbackListener.address(port: port)
    return withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    } == 0
  }
}
