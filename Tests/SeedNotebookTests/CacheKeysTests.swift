import Foundation
import XCTest

@testable import SeedNotebook

/// The digest of the cache's keys: SHA-256 of the text's UTF-8 bytes, as lower-case hex. Keys
/// already in stores and lockfiles stay valid only while this gives the same digits.
final class CacheKeysTests: XCTestCase {
  func testSHA256OfText() {
    XCTAssertEqual(CacheKeys.sha256(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    XCTAssertEqual(CacheKeys.sha256("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    // Text that is not ASCII: its UTF-8 bytes are hashed.
    XCTAssertEqual(CacheKeys.sha256("é"), "4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c")
    XCTAssertEqual(CacheKeys.sha256("é·x"), "5410a71636379ed39efef63c724d7103b793cb868cdf6e432a992ea2d39b609a")
  }
}
