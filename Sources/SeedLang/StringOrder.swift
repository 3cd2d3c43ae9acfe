import Foundation

/// The order of strings that `<`, `<=`, `>`, `>=` and the sorts give: by the code points of
/// their composed forms (NFC), so that canonically equivalent strings ("\u{E9}" and
/// "e\u{301}"), which `==` finds equal, are neither before the other, and a string orders as
/// its composed twin does.
///
/// Where composition cannot change the text about the first difference of two strings, as for
/// ASCII and nearly all text that is typed or generated, they order as their UTF-8 bytes do,
/// bytes ordering as code points do, and are compared as bytes. Only where a combining mark,
/// or another scalar that composition can change, meets the first difference are both strings
/// composed first.
///
/// Swift's `<` on strings promises the same order but does not keep it for text that is not
/// composed: "e\u{301}" < "\u{E9}1" is false there while "\u{E9}" < "e\u{301}1" is true, which
/// is no order for a sort to rely on.
enum StringOrder {
  /// -1, 0 or 1 as `x` goes before, with or after `y`. The same string, as keys taken from
  /// one list often are, and two short ASCII strings, most keys, are told from the strings'
  /// two words alone, in the caller: a string of at most 15 bytes is stored inline, its bytes
  /// in order and then a byte of flags and its length (see `InlineString`), so that the words
  /// read as big-endian integers order as the text does. This part calls nothing: a call the
  /// compiler cannot see into would make it copy (retain and release) both strings first,
  /// where a comparator reads them in place.
  @inline(__always)
  static func compare(_ x: String, _ y: String) -> Int {
    if MemoryLayout<String>.size == 16 {
      let a = unsafeBitCast(x, to: (UInt64, UInt64).self), b = unsafeBitCast(y, to: (UInt64, UInt64).self)
      if a == b { return 0 }
      // The top nibble of an inline ASCII string's second word is E (immortal, ASCII, inline),
      // which `StringOrderTests` checks of the strings this library makes.
      if a.1 >> 60 == 0xE && b.1 >> 60 == 0xE {
        if a.0 != b.0 { return a.0.byteSwapped < b.0.byteSwapped ? -1 : 1 }
        return a.1.byteSwapped < b.1.byteSwapped ? -1 : 1
      }
    }
    return storedOrder(x, y)
  }

  @inline(__always)
  static func less(_ x: String, _ y: String) -> Bool { compare(x, y) < 0 }

  /// The order of two strings read where they are stored. It changes nothing the caller can
  /// see, which the compiler is told, as Swift's own comparison of strings tells it, so that
  /// the strings need not be copied for the call.
  @inline(never) @_effects(readonly)
  private static func storedOrder(_ x: String, _ y: String) -> Int {
    let order = x.utf8.withContiguousStorageIfAvailable { a in
      y.utf8.withContiguousStorageIfAvailable { b in byteOrder(a, b) } ?? nil
    }
    if let order, let order { return order }
    return composedOrder(x, y)
  }

  /// The order of two strings' bytes when composing either could not change it; nil when it could.
  private static func byteOrder(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int? {
    let shorter = min(a.count, b.count)
    guard shorter > 0, let x = a.baseAddress, let y = b.baseAddress else {
      // The empty string goes before every other: no text composes to nothing.
      return a.count == b.count ? 0 : a.count < b.count ? -1 : 1
    }
    // The first byte that differs, eight at a time while they agree.
    var first = 0
    while first + 8 <= shorter
      && UnsafeRawPointer(x + first).loadUnaligned(as: UInt64.self) == UnsafeRawPointer(y + first).loadUnaligned(as: UInt64.self)
    {
      first += 8
    }
    while first < shorter && x[first] == y[first] { first += 1 }
    if first == shorter && a.count == b.count { return 0 }
    // The scalar that holds the difference starts at the same place in both, in the part they
    // share; at `shorter`, one string has ended on a scalar's end, so the other's next begins.
    var start = first
    while start > 0 && start < shorter && x[start] & 0xC0 == 0x80 { start -= 1 }
    // Composition leaves both strings' text before `start` alike, and their scalars at `start`
    // as they are, when each of those, and the one after it, neither combines with nor
    // replaces anything: the composed forms then differ first where the bytes do.
    guard isUnchangedByComposition(a, at: start), isUnchangedByComposition(b, at: start) else { return nil }
    if first == shorter { return a.count < b.count ? -1 : 1 }
    return x[first] < y[first] ? -1 : 1
  }

  /// Whether the scalar at `offset` (if any) and the one after it (if any) are each a scalar
  /// that composition keeps as it is and never joins to another.
  @inline(__always)
  private static func isUnchangedByComposition(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
    guard let base = bytes.baseAddress, offset < bytes.count else { return true }
    if base[offset] < 0x80 && (offset + 1 == bytes.count || base[offset + 1] < 0x80) { return true }
    let (scalar, length) = TextBytes.decode(base + offset)
    guard isStandalone(scalar) else { return false }
    return offset + length >= bytes.count || isStandalone(TextBytes.decode(base + offset + length).value)
  }

  /// A scalar that is its own composed form and combines with none before or after it: the
  /// standalone ones of the Basic Multilingual Plane, and emoji and the CJK ideographs beyond it.
  @inline(__always)
  private static func isStandalone(_ scalar: UInt32) -> Bool {
    if scalar < 0x80 { return true }
    if scalar < 0x10000 { return StandaloneScalars.contains(scalar) && !StandaloneScalars.isReplacedByNFC(scalar) }
    // Emoji, their modifiers included, and CJK extensions B to E (the compatibility
    // ideographs from U+2F800 are replaced by NFC).
    return (0x1F000...0x1FAFF).contains(scalar) || (0x20000...0x2F7FF).contains(scalar)
  }

  /// The order of the two strings' composed forms, byte by byte.
  @inline(never)
  private static func composedOrder(_ x: String, _ y: String) -> Int {
    let a = Array(x.precomposedStringWithCanonicalMapping.utf8), b = Array(y.precomposedStringWithCanonicalMapping.utf8)
    if a.lexicographicallyPrecedes(b) { return -1 }
    return a == b ? 0 : 1
  }
}
