import Foundation

/// Whether the cache store was last closed cleanly, so that its integrity is checked only when
/// it was not. Each process that opens the store leaves a marker, `cache.sqlite.open/<pid>-<start>`
/// (the process's id and start time, so that a reused id is told apart), and removes it when it
/// closes the store, after checkpointing the write-ahead log; the last one out records the
/// file's size and modification time in `cache.sqlite.clean`.
///
/// The store needs `PRAGMA quick_check` on opening when a marker belongs to a process that is
/// gone (it was killed, or crashed, with the store open), or when no process has it open and
/// the file is not as the last clean close left it (something else wrote it, or there is no
/// record yet: a store from before the record existed). A store that does not exist yet needs
/// none. Races between processes opening and closing at once can only cost an extra check.
struct StoreSession {
  let storePath: String
  /// Whether the store must be checked before it is trusted.
  let needsCheck: Bool
  /// Markers of processes that are gone, removed once the check has passed.
  private let staleMarkers: [String]
  private let marker: String

  private var markerFolder: String { storePath + ".open" }
  private var cleanRecord: String { storePath + ".clean" }

  /// Records this process as having the store open, and says whether it needs a check.
  init(storePath: String) {
    self.storePath = storePath
    let folder = storePath + ".open"
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let others = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    let stale = others.filter { !StoreSession.isRunning(marker: $0) }
    let live = others.count - stale.count
    let exists = (try? FileManager.default.attributesOfItem(atPath: storePath)[.size] as? Int).map { $0 > 0 } ?? false
    let asLeft = (try? String(contentsOfFile: storePath + ".clean", encoding: .utf8)) == StoreSession.fileState(storePath)
    needsCheck = exists && (!stale.isEmpty || (live == 0 && !asLeft))
    staleMarkers = stale.map { folder + "/" + $0 }
    marker = folder + "/" + StoreSession.ownMarkerName
    _ = FileManager.default.createFile(atPath: marker, contents: nil)
  }

  /// After the check passed, or when none was needed: the markers of processes that are gone
  /// have served their purpose.
  func opened() {
    for stale in staleMarkers { try? FileManager.default.removeItem(atPath: stale) }
  }

  /// Whether another process has the store open now.
  var othersOpen: Bool {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: markerFolder)) ?? []
    return names.contains { $0 != StoreSession.ownMarkerName && StoreSession.isRunning(marker: $0) }
  }

  /// Once the store is closed: records the file as left, when no one else has it open, and
  /// removes this process's marker.
  func closed(lastOut: Bool) {
    if lastOut, let state = StoreSession.fileState(storePath) {
      try? state.write(toFile: cleanRecord, atomically: true, encoding: .utf8)
    }
    try? FileManager.default.removeItem(atPath: marker)
  }

  /// `size mtime-seconds mtime-nanoseconds` of the file, or nil when it is not there.
  static func fileState(_ path: String) -> String? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return "\(info.st_size) \(info.st_mtim.tv_sec) \(info.st_mtim.tv_nsec)"
  }

  static let ownMarkerName = "\(getpid())-\(startTime(of: getpid()) ?? "0")"

  /// Whether the process a marker names is still the one that wrote it.
  static func isRunning(marker: String) -> Bool {
    let parts = marker.split(separator: "-", maxSplits: 1).map(String.init)
    guard parts.count == 2, let pid = Int32(parts[0]) else { return false }
    return startTime(of: pid) == parts[1]
  }

  /// The process's start time in clock ticks since boot (field 22 of `/proc/PID/stat`).
  static func startTime(of pid: Int32) -> String? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let end = stat.lastIndex(of: ")")
    else { return nil }
    // After the command name in parentheses come fields 3 onwards.
    let fields = stat[stat.index(after: end)...].split(separator: " ")
    return fields.count > 19 ? String(fields[19]) : nil
  }
}
