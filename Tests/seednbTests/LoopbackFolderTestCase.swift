import Foundation
import LoopbackOpenAI
import XCTest

/// A test with a folder and a loopback OpenAI server of its own, both gone after it.
class LoopbackFolderTestCase: XCTestCase, TestFolder {
  var folder: URL!
  var server: LoopbackOpenAIServer!

  override func setUpWithError() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("seednb-\(type(of: self))-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    server = LoopbackOpenAIServer()
    try server.start()
  }

  override func tearDownWithError() throws {
    server.stop()
    try? FileManager.default.removeItem(at: folder)
  }
}
