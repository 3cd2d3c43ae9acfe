import Foundation

/// A test that works in a folder of its own: files are written into it and read back by
/// name, with any folders on the way made.
protocol TestFolder: AnyObject {
  var folder: URL! { get }
}

extension TestFolder {
  /// Writes `text` to `name` inside the folder; the file's path.
  @discardableResult
  func write(_ name: String, _ text: String) throws -> String {
    let url = folder.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  func read(_ name: String) throws -> String {
    try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
  }
}
