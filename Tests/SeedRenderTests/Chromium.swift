import Foundation
import XCTest

/// Debian's `chromium` in headless mode, for the browser tests. When it is not installed the
/// tests skip, saying so, unless SEEDNB_REQUIRE_BROWSER=1 makes that a failure.
struct Chromium {
  let path: String

  static func require() throws -> Chromium {
    for candidate in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
    where FileManager.default.isExecutableFile(atPath: candidate) {
      return Chromium(path: candidate)
    }
    let message = "chromium is not installed (apt-get install chromium, or run scripts/test); browser test skipped"
    if ProcessInfo.processInfo.environment["SEEDNB_REQUIRE_BROWSER"] == "1" { XCTFail(message) }
    throw XCTSkip(message)
  }

  /// Runs chromium headless on a file with more arguments; returns its standard output.
  @discardableResult
  func run(_ file: URL, _ arguments: [String]) throws -> String {
    let profile = FileManager.default.temporaryDirectory.appendingPathComponent("seednb-chromium-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: profile) }
    // Root cannot use chromium's sandbox; the page is our own file, and scripts are what we test.
    let result = try ChildProcess.run(
      path,
      [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars",
        "--user-data-dir=\(profile.path)", "--virtual-time-budget=2000",
      ] + arguments + [file.absoluteString])
    guard result.status == 0 else {
      throw Failure(description: "chromium exited with \(result.status): \(result.errors)")
    }
    return result.output
  }

  /// The document after chromium loaded it (and ran whatever it would run).
  func dumpDOM(_ file: URL) throws -> String { try run(file, ["--dump-dom"]) }

  /// A PNG screenshot of the page at a window size.
  func screenshot(_ file: URL, to png: URL, width: Int, height: Int) throws {
    try run(file, ["--screenshot=\(png.path)", "--window-size=\(width),\(height)"])
  }

  struct Failure: Error, CustomStringConvertible {
    let description: String
  }
}

/// What tells a blank screenshot from a page: a PNG of one colour deflates to almost nothing,
/// while text, code and charts do not. Returns the ratio of raw pixel bytes to compressed
/// image data; a blank page gives several hundred, a page with content a few dozen at most.
func pngCompressionRatio(_ data: Data) throws -> Double {
  let bytes = [UInt8](data)
  guard bytes.count > 33, bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else {
    throw Chromium.Failure(description: "not a PNG")
  }
  func u32(_ at: Int) -> Int { Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3]) }
  let width = u32(16), height = u32(20)
  var compressed = 0
  var position = 8
  while position + 8 <= bytes.count {
    let length = u32(position)
    if String(decoding: bytes[(position + 4)..<(position + 8)], as: UTF8.self) == "IDAT" { compressed += length }
    position += 12 + length
  }
  return Double(width * height * 4) / Double(max(compressed, 1))
}
