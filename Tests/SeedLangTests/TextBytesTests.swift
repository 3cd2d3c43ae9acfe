import Foundation
import XCTest

@testable import SeedLang

/// The string methods read UTF-8 bytes; these tests hold them to Swift's own characters on
/// many random texts that mix ASCII, accents, a combining accent, CJK, Hangul syllables and
/// conjoining jamo, emoji with a skin tone and a joiner, flags, a prepended mark, "\r\n" and
/// NUL, so that every shortcut on bytes is checked against the grapheme rules.
///
/// No two pieces of the alphabet are canonically equivalent (there is no plain "e" beside
/// "é" and U+0301), so Swift's character equality, which normalises, is exact matching here,
/// as the methods define it.
final class TextBytesTests: XCTestCase {
  static let alphabet = [
    "a", "b", " ", "\r", "\n", "\0", "é", "\u{301}", "ß", "東", "京", "한", "\u{1100}", "\u{1162}", "👍", "\u{1F3FD}",
    "\u{200D}", "🇫", "🇷", "\u{A0}", "\u{3000}", "«", "\u{600}", "©", "\t",
  ]

  /// A fixed sequence of pseudo-random numbers, so that a failure can be replayed.
  struct Numbers {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    mutating func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
  }

  func randomText(_ numbers: inout Numbers, length: Int) -> String {
    var text = ""
    for _ in 0..<length { text += Self.alphabet[numbers.next(Self.alphabet.count)] }
    return text
  }

  /// The index, in characters, of the first occurrence of `needle` in `text`.
  func referenceIndex(_ text: [Character], _ needle: [Character]) -> Int? {
    if needle.isEmpty { return 0 }
    guard needle.count <= text.count else { return nil }
    return (0...(text.count - needle.count)).first { Array(text[$0..<($0 + needle.count)]) == needle }
  }

  func referenceSplit(_ text: [Character], _ separator: [Character]) -> [String] {
    var pieces: [String] = []
    var from = 0
    var at = 0
    while at + separator.count <= text.count {
      if Array(text[at..<(at + separator.count)]) == separator {
        pieces.append(String(text[from..<at]))
        at += separator.count
        from = at
      } else {
        at += 1
      }
    }
    pieces.append(String(text[from...]))
    return pieces
  }

  func strings(_ values: [Value]) -> [String] {
    values.map { if case .string(let s) = $0 { s } else { "<not a string>" } }
  }

  func testSearchSplitAndReplaceAgreeWithCharacters() throws {
    var numbers = Numbers()
    for round in 0..<3000 {
      let text = randomText(&numbers, length: numbers.next(14))
      // Needles are often taken from the text itself, at any scalar, so that many byte
      // matches fall inside characters.
      let scalars = Array(text.unicodeScalars)
      var needle = randomText(&numbers, length: 1 + numbers.next(3))
      if !scalars.isEmpty && numbers.next(3) > 0 {
        let from = numbers.next(scalars.count)
        let to = min(scalars.count, from + 1 + numbers.next(3))
        needle = String(String.UnicodeScalarView(scalars[from..<to]))
      }
      let characters = Array(text), needleCharacters = Array(needle)
      let context = "round \(round): \(text.debugDescription) and \(needle.debugDescription)"
      try text.withTextBytes { (bytes: TextBytes) throws -> Void in
        try needle.withTextBytes { (part: TextBytes) throws -> Void in
          try checkSearch(bytes, part, characters, needleCharacters, context)
        }
        checkWholeText(bytes, text, context)
      }
    }
  }

  /// Longer texts, so that words and lines pass 15 bytes (made as slices, not inline), counts
  /// and scans read whole eight-byte words, and `replace` meets matches far apart (built of
  /// appended slices) as well as close together (built from bytes).
  func testLongTextsAgreeWithCharacters() throws {
    var numbers = Numbers(state: 0x5EED_0F_7E87)
    for round in 0..<300 {
      let text = randomText(&numbers, length: 20 + numbers.next(80))
      let scalars = Array(text.unicodeScalars)
      let from = numbers.next(scalars.count)
      let needle = String(String.UnicodeScalarView(scalars[from..<min(scalars.count, from + 1 + numbers.next(4))]))
      let context = "round \(round): \(text.debugDescription) and \(needle.debugDescription)"
      try text.withTextBytes { (bytes: TextBytes) throws -> Void in
        try needle.withTextBytes { (part: TextBytes) throws -> Void in
          try checkSearch(bytes, part, Array(text), Array(needle), context)
        }
        checkWholeText(bytes, text, context)
      }
    }
  }

  /// Texts past `TextSearch.sampledLength`, whose needles' anchors are chosen from samples of
  /// the text, with several needles each, so that positions come from the points
  /// `CharacterCheckpoints` keeps for the text, before and after the points already made.
  func testVeryLongTextsAgreeWithCharacters() throws {
    var numbers = Numbers(state: 0x10_F7E8_7E87)
    for round in 0..<6 {
      let text = randomText(&numbers, length: 14000 + numbers.next(4000))
      XCTAssertGreaterThanOrEqual(text.utf8.count, TextSearch.sampledLength)
      let scalars = Array(text.unicodeScalars)
      for trial in 0..<4 {
        let from = numbers.next(scalars.count)
        let needle = String(String.UnicodeScalarView(scalars[from..<min(scalars.count, from + 1 + numbers.next(6))]))
        let context = "round \(round), needle \(trial): \(needle.debugDescription)"
        try text.withTextBytes { (bytes: TextBytes) throws -> Void in
          try needle.withTextBytes { (part: TextBytes) throws -> Void in
            try checkSearch(bytes, part, Array(text), Array(needle), context)
          }
        }
      }
    }
  }

  /// Words of every length up to past the inline limit, in ASCII and beyond, are the strings
  /// Swift makes of the same bytes: equal, hashed alike, with the same characters and bytes.
  func testInlinePiecesAreTheStringsSwiftMakes() {
    for letter in ["a", "é", "東", "\0", "~"] {
      for length in 0...20 {
        let word = String(repeating: letter, count: length)
        let text = "x \(word) y"
        let words = text.withTextBytes { strings($0.whitespaceSeparatedWords() ?? []) }
        let expected = String(decoding: Array(word.utf8), as: UTF8.self)
        guard letter != "\0" else {
          XCTAssertEqual(words, ["x", word, "y"].filter { !$0.isEmpty }, "\(length) NULs")
          continue
        }
        let piece = length == 0 ? "" : words[1]
        XCTAssertEqual(piece, expected, "\(length) \(letter)")
        XCTAssertEqual(piece.count, length, "\(length) \(letter)")
        XCTAssertEqual(Array(piece.utf8), Array(word.utf8), "\(length) \(letter)")
        XCTAssertEqual(piece.hashValue, expected.hashValue, "\(length) \(letter)")
        XCTAssertEqual(Set([piece, expected]).count, 1, "\(length) \(letter)")
      }
    }
    XCTAssertTrue(InlineString.isAvailable, "this library's small strings are laid out as InlineString expects")
  }

  /// A needle that nearly matches everywhere ("aaaa...b" in "aaaa..."): every match is still
  /// found, in order, however the search goes about it.
  func testContrivedSearchFindsEveryMatch() {
    let needle = String(repeating: "a", count: 40) + "b"
    var text = String(repeating: "a", count: 3000) + "b"
    text += String(repeating: "a", count: 39) + "b" + "ab" + String(repeating: "a", count: 40) + "b"
    let pieces = text.withTextBytes { bytes in needle.withTextBytes { strings(bytes.split($0)) } }
    XCTAssertEqual(pieces, [String(repeating: "a", count: 2960), String(repeating: "a", count: 39) + "bab", ""])
    XCTAssertEqual(text.withTextBytes { bytes in needle.withTextBytes { bytes.find($0.bytes) } }, 2960)
  }

  func checkSearch(
    _ bytes: TextBytes, _ part: TextBytes, _ characters: [Character], _ needle: [Character], _ context: String
  ) throws {
    let expected = referenceIndex(characters, needle)
    XCTAssertEqual(bytes.find(part.bytes).map { bytes.characterCount(0, $0) }, expected, context)
    XCTAssertEqual(bytes.find(part.bytes).map { CharacterCheckpoints.characterCount(bytes, to: $0) }, expected, context)
    XCTAssertEqual(bytes.hasPrefix(part.bytes), characters.starts(with: needle), context)
    XCTAssertEqual(bytes.hasSuffix(part.bytes), characters.reversed().starts(with: needle.reversed()), context)
    let pieces = referenceSplit(characters, needle)
    XCTAssertEqual(strings(bytes.split(part)), pieces, context)
    let replaced = try bytes.replacing(part.bytes, with: "<>")
    XCTAssertEqual(replaced, pieces.joined(separator: "<>"), context)
  }

  func checkWholeText(_ bytes: TextBytes, _ text: String, _ context: String) {
    XCTAssertEqual(text.characterCount, text.count, context)
    XCTAssertEqual(bytes.characterCount(0, bytes.count), text.count, context)
    let characters = Array(text)
    let lines = characters.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }.map { String($0) }
    XCTAssertEqual(strings(bytes.lines()), lines, context)
    if let words = bytes.whitespaceSeparatedWords() {
      XCTAssertEqual(strings(words), text.split(whereSeparator: \.isWhitespace).map { String($0) }, context)
    }
    if let trimmed = bytes.trimmedOfWhitespace() {
      XCTAssertEqual(trimmed, text.trimmingSpaces(), context)
    }
    // Bytes, not strings, are compared: == on strings would forgive a mapping that is only
    // canonically equivalent.
    XCTAssertEqual(Array(CaseMapping.upper(bytes).utf8), Array(text.uppercased().utf8), context)
    XCTAssertEqual(Array(CaseMapping.lower(bytes).utf8), Array(text.lowercased().utf8), context)
  }

  /// Every scalar, each mapped on its own as Swift maps it.
  func testCaseMappingOfEveryScalar() {
    var all = String.UnicodeScalarView()
    for value in UInt32(0)...0x10FFFF {
      if let scalar = Unicode.Scalar(value) { all.append(scalar) }
    }
    let text = String(all)
    text.withTextBytes { bytes in
      XCTAssertEqual(Array(CaseMapping.upper(bytes).utf8), Array(text.uppercased().utf8))
      XCTAssertEqual(Array(CaseMapping.lower(bytes).utf8), Array(text.lowercased().utf8))
    }
    // Runs of ASCII of every length between other scalars, so that the scalar falls at each
    // byte of an eight-byte word, and mappings that grow in the last bytes of the room.
    for other in ["é", "п", "ß", "東", "ŉ", "👍🏽", "e\u{301}"] {
      for run in 0..<18 {
        let ascii = String("aBcDeFgHiJkLmNoPqRsT".prefix(run))
        let text = String(repeating: ascii + other, count: 5) + ascii
        text.withTextBytes { bytes in
          XCTAssertEqual(Array(CaseMapping.upper(bytes).utf8), Array(text.uppercased().utf8), text)
          XCTAssertEqual(Array(CaseMapping.lower(bytes).utf8), Array(text.lowercased().utf8), text)
        }
      }
    }
    // Text that grows by more than an eighth when mapped takes the measured way.
    let growing = String(repeating: "ΐŉ", count: 50)
    growing.withTextBytes { bytes in
      XCTAssertEqual(Array(CaseMapping.upper(bytes).utf8), Array(growing.uppercased().utf8))
      XCTAssertGreaterThan(CaseMapping.upper(bytes).utf8.count, bytes.count * 2)
    }
  }

  /// Texts whose every scalar stands alone, the kind counted and case-mapped eight bytes at a
  /// time: of every length past the 255 words a count sums in one go, with "\r\n" and lone
  /// carriage returns, and mappings that grow (ß), shrink (ı, ſ to one byte) or change their
  /// byte count (ȿ) at every position of a word.
  func testStandaloneTextsCountAndMapAsSwiftDoes() {
    let alphabet = [
      "a", "Z", " ", "\r", "\n", "\r\n", "é", "É", "п", "Ω", "ΐ", "ß", "ı", "ſ", "ȿ", "’", "«", "東", "京", "の", "한", "ｱ", "Ⅻ",
    ]
    var numbers = Numbers(state: 0x57A4_D0_A1)
    for round in 0..<400 {
      let length = round < 300 ? numbers.next(40) : 600 + numbers.next(1200)
      var text = ""
      for _ in 0..<length { text += alphabet[numbers.next(alphabet.count)] }
      let context = "round \(round): \(text.prefix(60).debugDescription)"
      text.withTextBytes { bytes in
        XCTAssertEqual(bytes.standaloneCharacterCount(0, bytes.count), text.count, context)
        XCTAssertEqual(Array(CaseMapping.upper(bytes).utf8), Array(text.uppercased().utf8), context)
        XCTAssertEqual(Array(CaseMapping.lower(bytes).utf8), Array(text.lowercased().utf8), context)
      }
    }
    // Only bytes that continue a scalar but one in three, for more than 255 words.
    let ideographs = String(repeating: "東京", count: 2000)
    ideographs.withTextBytes { XCTAssertEqual($0.standaloneCharacterCount(0, $0.count), 4000) }
    // A scalar that may join a neighbour anywhere in a long text is left to Swift.
    for at in [0, 3, 4, 1020, 1498] {
      var scalars = Array(String(repeating: "é", count: 1500).unicodeScalars)
      scalars.insert("\u{301}", at: at + 1)
      let text = String(String.UnicodeScalarView(scalars))
      text.withTextBytes { XCTAssertNil($0.standaloneCharacterCount(0, $0.count), "U+0301 after scalar \(at)") }
      XCTAssertEqual(text.characterCount, text.count)
    }
  }

  /// The scalars said to stand alone never join a neighbour: "a" finds a combining mark, a
  /// spacing mark, a joiner or a prepended mark; Hangul syllables find conjoining jamo.
  func testStandaloneScalarsAreCharactersOfTheirOwn() {
    for value in UInt32(0)...0xFFFF where StandaloneScalars.contains(value) && value != 0x0D && value != 0x0A {
      guard let scalar = Unicode.Scalar(value) else { continue }
      let standalone = String(scalar)
      for neighbour in ["a", "가", "한"] {
        XCTAssertEqual((neighbour + standalone).count, 2, "U+\(String(value, radix: 16)) after \(neighbour)")
        XCTAssertEqual((standalone + neighbour).count, 2, "U+\(String(value, radix: 16)) before \(neighbour)")
      }
    }
  }

  /// The standalone scalars are their own NFC, alone and after the letters NFC composes
  /// with, except those listed as replaced, which `isKnownNFC` turns away.
  func testStandaloneScalarsAreComposedExceptTheListedOnes() {
    func composed(_ text: String) -> Bool {
      text.precomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual(text.unicodeScalars)
    }
    for value in UInt32(0)...0xFFFF where StandaloneScalars.contains(value) {
      guard let scalar = Unicode.Scalar(value) else { continue }
      let text = String(scalar)
      let name = "U+\(String(value, radix: 16))"
      XCTAssertEqual(composed(text), !StandaloneScalars.replacedByNFC.contains(value), name)
      XCTAssertEqual(text.withTextBytes { $0.isKnownNFC }, composed(text), name)
      guard composed(text) else { continue }
      for base in ["a", "e", "A", "o", "\u{3B1}", "\u{438}", "\u{3093}", "\u{1100}", "\u{AC00}"] {
        XCTAssertTrue(composed(base + text), "\(name) after \(base)")
      }
    }
    XCTAssertFalse("cafe\u{301}".withTextBytes { $0.isKnownNFC })
    XCTAssertTrue("café 東京 한국".withTextBytes { $0.isKnownNFC })
  }
}
