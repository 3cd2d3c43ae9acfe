import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Waits for files to be saved, with Linux's inotify. It watches folders, not files: an
/// editor that saves by writing a new file and renaming it over the old one (or by deleting
/// and writing again) replaces the file, and a watch on the old file would hear nothing more.
/// A save is a burst of events (create, writes, close, rename); a change is reported once
/// the folder has been quiet for `debounce` seconds, so a file saved halfway is not read.
final class FolderWatcher {
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  private let descriptor: Int32
  /// The folder of each watch descriptor.
  private var folders: [Int32: String] = [:]
  let debounce: Double

  init(debounce: Double = 0.1) throws {
    descriptor = inotify_init1(Int32(IN_CLOEXEC))
    guard descriptor >= 0 else { throw Failure(description: "inotify is not available: \(String(cString: strerror(errno)))") }
    self.debounce = debounce
  }

  deinit { close(descriptor) }

  /// Watches `folder` for files written, closed, moved in or out, made and removed.
  func watch(folder: String) throws {
    guard !folders.values.contains(folder) else { return }
    let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_MODIFY)
    let watch = inotify_add_watch(descriptor, folder, mask)
    guard watch >= 0 else {
      throw Failure(description: "cannot watch \(folder): \(String(cString: strerror(errno)))")
    }
    folders[watch] = folder
  }

  /// Blocks until a file for which `matters(path)` is true changes, then until the folders
  /// have been quiet for `debounce` seconds; the paths that changed, each once, in order.
  func nextChange(matters: (String) -> Bool) -> [String] {
    var changed: [String] = []
    // Without a timeout until something that matters happens, then for the quiet spell.
    while true {
      let timeout: Int32 = changed.isEmpty ? -1 : Int32(debounce * 1000)
      var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
      let ready = poll(&poller, 1, timeout)
      if ready < 0 {
        if errno == EINTR { continue }
        return changed
      }
      if ready == 0 { return changed }
      for path in readEvents() where matters(path) && !changed.contains(path) { changed.append(path) }
    }
  }

  /// The paths named by the events waiting to be read.
  private func readEvents() -> [String] {
    var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
    guard count > 0 else { return [] }
    var paths: [String] = []
    var offset = 0
    // struct inotify_event { int wd; uint32_t mask, cookie, len; char name[len]; }
    let header = 16
    while offset + header <= count {
      let (watch, length) = buffer.withUnsafeBytes { bytes in
        (bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self), Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)))
      }
      let nameBytes = buffer[(offset + header)..<min(offset + header + length, count)]
      let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
      if let folder = folders[watch], !name.isEmpty { paths.append((folder as NSString).appendingPathComponent(name)) }
      offset += header + length
    }
    return paths
  }
}
