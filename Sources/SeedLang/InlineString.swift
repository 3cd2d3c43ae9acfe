// Strings of at most 15 bytes made straight from UTF-8 that is known to be valid, such as a
// word that `split` cut out of a string at character boundaries.
//
// Swift keeps such a string inline, in the 16 bytes of the String value itself, with no
// allocation. Its public initialisers all validate the bytes first, and then copy them one by
// one: some 300 instructions for a short ASCII word and over 500 for one with an accent,
// where the words of a text take 30 to find. The inline form is simple (the bytes in order,
// little-endian, then a last byte holding flags and the length) and is what the standard
// library itself builds; whether this process's library builds exactly that is checked once,
// on strings it makes itself (`isAvailable`), and where it does not, callers go the public
// way. The same kind of bits say whether a string is ASCII (`isFlaggedASCII`), which the
// public way answers with a call of some hundred instructions, or by reading the bytes.

enum InlineString {
  /// The most bytes an inline string holds.
  static let capacity = 15

  /// The inline string of the `length` bytes at `source`, valid UTF-8 of at most 15 bytes
  /// that begin and end on scalar boundaries. Only where `isAvailable`.
  @inline(__always)
  static func make(_ source: UnsafePointer<UInt8>, _ length: Int) -> String {
    unsafeBitCast(bits(source, length), to: String.self)
  }

  /// The two words of the inline string of the bytes. Each byte is read exactly once, with
  /// loads that may overlap but never reach past `source + length`.
  @inline(__always)
  private static func bits(_ source: UnsafePointer<UInt8>, _ length: Int) -> (UInt64, UInt64) {
    let raw = UnsafeRawPointer(source)
    var low: UInt64 = 0
    var high: UInt64 = 0
    switch length {
    case 8...15:
      low = raw.loadUnaligned(as: UInt64.self)
      // The last eight bytes, shifted down past those already in `low`.
      if length > 8 { high = raw.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self) >> UInt64((16 - length) * 8) }
    case 4...7:
      let first = UInt64(raw.loadUnaligned(as: UInt32.self))
      let last = UInt64(raw.loadUnaligned(fromByteOffset: length - 4, as: UInt32.self))
      low = first | last << UInt64((length - 4) * 8)
    case 1...3:
      low = UInt64(source[0]) | UInt64(source[length >> 1]) << UInt64((length >> 1) * 8)
        | UInt64(source[length - 1]) << UInt64((length - 1) * 8)
    default: break
    }
    let ascii = (low | high) & 0x8080_8080_8080_8080 == 0
    // Immortal (0x80) and small (0x20), ASCII (0x40) when it is, and the length.
    let flags: UInt64 = (ascii ? 0xE0 : 0xA0) | UInt64(length)
    return (low, high | flags << 56)
  }

  /// Whether `text` is flagged ASCII, read from its bits without a call or a look at its
  /// bytes: an inline string keeps the flag in its last byte (0x40), a stored one in the top
  /// bit of its first word, beside its count. Every string the standard library makes from
  /// bytes it has validated is flagged when it is ASCII; one made by `init(validUTF8:isASCII:)`
  /// may be ASCII unflagged, so false only says the bytes were not known to be ASCII.
  ///
  /// Unlike `make`, this needs no `isAvailable`, whose every read is a call: these bits are
  /// the ones the standard library's inlinable code, compiled into this program, reads itself
  /// (String's layout is fixed on 64-bit platforms). `StringFlagTests` checks them on strings
  /// made every way the interpreter makes them.
  @inline(__always)
  static func isFlaggedASCII(_ text: String) -> Bool {
    let (first, second) = unsafeBitCast(text, to: (UInt64, UInt64).self)
    // Inline (0x20 in the last byte): ASCII is 0x40 there; stored: the top bit of the count.
    return second & 0x2000_0000_0000_0000 != 0 ? second & 0x4000_0000_0000_0000 != 0 : first >> 63 != 0
  }

  /// Whether strings the standard library makes have exactly the bits `bits` gives, for
  /// every length and with and without non-ASCII bytes.
  static let isAvailable: Bool = {
    guard MemoryLayout<String>.size == 16 else { return false }
    let samples = ["", "a", "ab", "abc", "été", "abcdefg", "東京", "abcdefgh", "réponse", "abcdefghijklmno", "über größe", "東京は日本"]
    for sample in samples {
      let bytes = Array(sample.utf8)
      // Made from bytes at run time, as the pieces of a split are: a literal may be stored otherwise.
      let made = String(decoding: bytes, as: UTF8.self)
      let expected = bytes.withUnsafeBufferPointer { buffer -> (UInt64, UInt64)? in
        guard let base = buffer.baseAddress else { return (0, 0xE0 << 56) }
        return bits(base, buffer.count)
      }
      guard let expected, unsafeBitCast(made, to: (UInt64, UInt64).self) == expected else { return false }
    }
    return true
  }()
}
