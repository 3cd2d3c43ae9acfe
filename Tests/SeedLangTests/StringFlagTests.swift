import XCTest

@testable import SeedLang

/// `InlineString.isFlaggedASCII` reads the ASCII flag from a string's bits instead of asking
/// for it; these tests hold it to the bytes on strings made every way the interpreter and
/// the standard library make them, inline and stored, ASCII and beyond.
final class StringFlagTests: XCTestCase {
  private static let pieces = ["", "a", "abcdefg", "abcdefghijklmno", "abcdefghijklmnop", "é", "東京", "👍🏽", "e\u{301}", "\0"]

  private func isASCII(_ text: String) -> Bool { text.utf8.allSatisfy { $0 < 0x80 } }

  func testStandardLibraryStringsAreReadAsTheirBytesSay() {
    var made: [String] = ["abcdefghijklmnopqrstuvwxyz literal", "littéral assez long pour être rangé", "東京は日本の首都です"]
    for first in Self.pieces {
      for second in Self.pieces {
        let joined = first + second
        made.append(joined)
        made.append(String(decoding: Array(joined.utf8), as: UTF8.self))
        made.append(String(repeating: joined, count: 3))
        made.append("\(first)-\(second)")
        made.append(joined.uppercased())
        made.append(String(joined.dropFirst()))
        var grown = first
        grown.append(second)
        grown.append(String(repeating: "x", count: 40))
        made.append(grown)
      }
    }
    made.append(String(-9_223_372_036_854_775_807 - 1))
    made.append(String(unsafeUninitializedCapacity: 20) { buffer in buffer.initialize(from: "plain ascii bytes!!!".utf8).1 })
    for text in made {
      XCTAssertEqual(InlineString.isFlaggedASCII(text), isASCII(text), "\(text.debugDescription)")
      XCTAssertEqual(text.isAllASCII, isASCII(text), "\(text.debugDescription)")
    }
  }

  func testStringsTheInterpreterMakesKeepTheirFlag() throws {
    for first in Self.pieces {
      for second in Self.pieces {
        let joined = String.concatenating(first, second)
        XCTAssertEqual(joined, first + second)
        XCTAssertEqual(InlineString.isFlaggedASCII(joined), isASCII(joined), "\(joined.debugDescription)")
        let built = try TextBuilder.build { builder in
          builder.append(first)
          builder.append(-42)
          builder.append(second)
        }
        XCTAssertEqual(built, "\(first)-42\(second)")
        XCTAssertEqual(InlineString.isFlaggedASCII(built), isASCII(built), "\(built.debugDescription)")
        let upper = joined.withTextBytes { CaseMapping.upper($0) }
        XCTAssertEqual(upper, joined.uppercased())
        XCTAssertEqual(InlineString.isFlaggedASCII(upper), isASCII(upper), "\(upper.debugDescription)")
      }
    }
  }
}
