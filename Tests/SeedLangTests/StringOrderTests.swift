import Foundation
import XCTest

@testable import SeedLang

/// `StringOrder` compares bytes where composition cannot change the order; these tests hold it
/// to the order it defines, the code points of the composed forms, on many random strings
/// built from pieces that compose, reorder and are replaced by composition: plain and
/// accented letters, combining marks of two classes, a singleton (the Ångström sign),
/// conjoining jamo, CJK, emoji and a skin tone.
final class StringOrderTests: XCTestCase {
  static let alphabet = [
    "a", "e", "1", "é", "e\u{301}", "\u{301}", "\u{327}", "c", "ç", "c\u{327}", "\u{C5}", "\u{212B}", "A\u{30A}",
    "\u{1100}", "\u{1161}", "\u{11A8}", "가", "東", "👍", "\u{1F3FD}", "ö", "o\u{308}\u{301}", "\u{2F800}",
  ]

  /// A fixed sequence of pseudo-random numbers, so that a failure can be replayed.
  struct Numbers {
    var state: UInt64 = 0x2545_F491_4F6C_DD1D
    mutating func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
  }

  static func reference(_ x: String, _ y: String) -> Int {
    let a = x.precomposedStringWithCanonicalMapping.unicodeScalars.map(\.value)
    let b = y.precomposedStringWithCanonicalMapping.unicodeScalars.map(\.value)
    if a == b { return 0 }
    return a.lexicographicallyPrecedes(b) ? -1 : 1
  }

  func testOrderIsThatOfTheComposedFormsCodePoints() {
    var numbers = Numbers()
    var strings: [String] = ["", "a", "e", "é", "e\u{301}"]
    for _ in 0..<400 {
      var text = ""
      for _ in 0..<numbers.next(5) { text += StringOrderTests.alphabet[numbers.next(StringOrderTests.alphabet.count)] }
      strings.append(text)
    }
    for x in strings {
      for y in strings {
        let expected = StringOrderTests.reference(x, y)
        XCTAssertEqual(StringOrder.compare(x, y), expected, "\(Array(x.unicodeScalars)) vs \(Array(y.unicodeScalars))")
        // Equal in the order is equal under ==, which Swift decides by canonical equivalence.
        XCTAssertEqual(expected == 0, x == y, "\(Array(x.unicodeScalars)) vs \(Array(y.unicodeScalars))")
      }
    }
  }

  func testLongSharedPrefixesAndEveryLength() {
    let base = String(repeating: "abcdefgh", count: 4)
    for length in 0...base.utf8.count {
      let prefix = String(base.prefix(length))
      for (x, y) in [(prefix + "é", prefix + "e\u{301}1"), (prefix + "a", prefix + "b"), (prefix, prefix + "\u{301}"), (prefix + "東", prefix + "👍")] {
        XCTAssertEqual(StringOrder.compare(x, y), StringOrderTests.reference(x, y), "\(x.debugDescription) vs \(y.debugDescription)")
        XCTAssertEqual(StringOrder.compare(y, x), StringOrderTests.reference(y, x), "\(y.debugDescription) vs \(x.debugDescription)")
      }
    }
  }
}

extension StringOrderTests {
  /// `StringOrder.compare` reads short ASCII strings from their two words: the bytes in order,
  /// then a last byte whose top nibble is E and whose low nibble is the length.
  func testShortASCIIStringsAreStoredAsTheOrderAssumes() {
    let text = Array("abcdefghijklmno".utf8)
    for length in 0...15 {
      let made = String(decoding: text[0..<length], as: UTF8.self)
      let words = unsafeBitCast(made, to: (UInt64, UInt64).self)
      XCTAssertEqual(words.1 >> 56, 0xE0 | UInt64(length), "length \(length)")
      var bytes = [UInt8](repeating: 0, count: 16)
      withUnsafeBytes(of: words) { for (i, byte) in $0.enumerated() { bytes[i] = byte } }
      XCTAssertEqual(Array(bytes[0..<length]), Array(text[0..<length]), "length \(length)")
    }
  }
}
