import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

/// Runs a program on a pseudo-terminal of its own, as a user at a terminal would: the program
/// is a session leader with the terminal as its controlling terminal, so Ctrl-C written to the
/// terminal becomes SIGINT when the terminal is in its usual mode.
final class PseudoTerminal: @unchecked Sendable {
  let master: Int32
  let pid: pid_t
  private let lock = NSLock()
  private var received = Data()
  private var reader: Thread?
  private var mark = 0

  init(executable: String, arguments: [String], environment: [String: String], columns: UInt16 = 100) throws {
    // posix_openpt, unlockpt and ptsname, by the ioctls they are made of (Glibc's module
    // does not export them): TIOCSPTLCK and TIOCGPTN on Linux.
    master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
    var unlock: Int32 = 0
    var number: UInt32 = 0
    guard master >= 0, ioctl(master, UInt(0x4004_5431), &unlock) == 0, ioctl(master, UInt(0x8004_5430), &number) == 0 else {
      throw XCTSkip("no pseudo-terminal available")
    }
    var size = winsize(ws_row: 30, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
    _ = ioctl(master, UInt(TIOCSWINSZ), &size)
    let slavePath = "/dev/pts/\(number)"

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    // Opened after setsid, without O_NOCTTY: it becomes the controlling terminal.
    posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
    posix_spawn_file_actions_adddup2(&actions, 0, 1)
    posix_spawn_file_actions_adddup2(&actions, 0, 2)
    posix_spawn_file_actions_addclose(&actions, master)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    // POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK
    posix_spawnattr_setflags(&attributes, Int16(0x80 | 0x04 | 0x08))
    var defaults = sigset_t()
    sigemptyset(&defaults)
    sigaddset(&defaults, SIGINT)
    sigaddset(&defaults, SIGPIPE)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    var mask = sigset_t()
    sigemptyset(&mask)
    posix_spawnattr_setsigmask(&attributes, &mask)

    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      argv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    var child: pid_t = 0
    let result = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
    guard result == 0 else { throw NSError(domain: "posix_spawn", code: Int(result)) }
    pid = child
    let thread = Thread { [self] in readLoop() }
    reader = thread
    thread.start()
  }

  deinit {
    kill(pid, SIGKILL)
    close(master)
  }

  private func readLoop() {
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = read(master, &buffer, buffer.count)
      if count <= 0 { return }
      lock.withLock { received.append(contentsOf: buffer[0..<count]) }
    }
  }

  /// Everything the program wrote to the terminal so far, escape sequences included.
  var transcript: String { lock.withLock { String(decoding: received, as: UTF8.self) } }

  /// What was written since the last `expect` matched.
  var recent: String {
    lock.withLock { String(decoding: received[min(mark, received.count)...], as: UTF8.self) }
  }

  func send(_ text: String) {
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
  }

  /// Types a line and presses Enter.
  func line(_ text: String) { send(text + "\r") }

  /// Waits until `needle` appears after the last match; the match moves past it.
  @discardableResult
  func expect(_ needle: String, timeout: TimeInterval = 10, file: StaticString = #filePath, line: UInt = #line) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      let found: Bool = lock.withLock {
        let text = String(decoding: received[min(mark, received.count)...], as: UTF8.self)
        guard let range = text.range(of: needle) else { return false }
        mark += text[..<range.upperBound].utf8.count
        return true
      }
      if found { return true }
      usleep(10_000)
    }
    XCTFail("did not see \(needle.debugDescription) within \(timeout) s; the terminal shows:\n\(recent)", file: file, line: line)
    return false
  }

  /// Waits for the program to end and returns its exit status (128 + signal when killed).
  func waitForExit(timeout: TimeInterval = 10) -> Int32? {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      var status: Int32 = 0
      let done = waitpid(pid, &status, WNOHANG)
      if done == pid {
        if status & 0x7f == 0 { return (status >> 8) & 0xff }
        return 128 + (status & 0x7f)
      }
      usleep(10_000)
    }
    return nil
  }
}
