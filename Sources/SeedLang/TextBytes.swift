import CByteMask

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// A string's UTF-8, read in place, and what the string methods ask of it: where a piece of
// text occurs, whether an offset falls between two characters, how many characters a run of
// bytes holds. Each answer is found on the bytes and agrees with Swift's characters (extended
// grapheme clusters); only where a scalar may join its neighbours into one character do the
// grapheme rules themselves decide.

/// The UTF-8 of a string for the length of a call, with the string itself for the rare
/// questions that bytes alone cannot answer.
struct TextBytes {
  let bytes: UnsafeBufferPointer<UInt8>
  let string: String

  var count: Int { bytes.count }

  /// The first byte; a buffer of no bytes still has an address here, so that `memmem` and
  /// `memcmp` never see nil.
  private var start: UnsafePointer<UInt8> { bytes.baseAddress ?? TextBytes.empty }
  private static let empty: UnsafePointer<UInt8> = {
    let byte = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    byte.initialize(to: 0)
    return UnsafePointer(byte)
  }()

  /// The text of bytes `from..<to`, both character boundaries. A piece of a valid string is
  /// valid, so it is never checked again: up to 15 bytes it is made inline
  /// (`InlineString`), longer through `String(validUTF8:isASCII:)`.
  func text(_ from: Int, _ to: Int) -> String { text(from, to, inline: InlineString.isAvailable, ascii: false) }

  /// `text(from, to)` for a loop that makes many pieces. It reads `InlineString.isAvailable`
  /// once (each read of a global checks that it was set, a call that costs as much as the
  /// rest), and whether the whole text is ASCII, which is quicker to learn at once than piece
  /// by piece.
  @inline(__always)
  func text(_ from: Int, _ to: Int, inline: Bool, ascii: Bool) -> String {
    if from == 0 && to == count { return string }
    // A long piece is ASCII when the whole text is: a long string answers that from its
    // flag, which costs less than reading the piece.
    return TextBytes.string(start + from, to - from, inline: inline, isASCII: ascii || (to - from > 256 && string.isAllASCII))
  }

  /// The string of the `length` bytes at `source`, valid UTF-8: inline up to 15 bytes where
  /// `inline` (`InlineString.isAvailable`), else a copy, which is marked ASCII when `isASCII`
  /// or when its bytes are read and are.
  @inline(__always)
  static func string(_ source: UnsafePointer<UInt8>, _ length: Int, inline: Bool, isASCII: @autoclosure () -> Bool) -> String {
    if length <= InlineString.capacity && inline { return InlineString.make(source, length) }
    return madeString(source, length, isASCII: isASCII())
  }

  private static func madeString(_ source: UnsafePointer<UInt8>, _ length: Int, isASCII: Bool) -> String {
    let bytes = UnsafeBufferPointer(start: source, count: length)
    return String(validUTF8: bytes, isASCII: isASCII || bytes.isASCII)
  }

  // MARK: Finding text

  /// The byte offset of the first occurrence of `needle` at or after `from` that begins and
  /// ends between characters, as a match of whole characters must. The empty text occurs at
  /// `from`. The search is linear in the length of the text (`TextSearch`).
  func find(_ needle: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Int? {
    guard needle.count > 0 else { return from }
    // A needle longer than the rest of the text is not looked for.
    guard needle.count <= count - from else { return nil }
    var search = TextSearch(needle, in: bytes)
    return find(&search, from: from)
  }

  /// The next match of `search`, begun for a needle that is not empty, at or after `from`,
  /// as `find(_:from:)` gives it; a loop over the matches keeps one search.
  func find(_ search: inout TextSearch, from: Int) -> Int? { inlinedFind(&search, from: from) }

  /// `find(_:from:)` inlined, for a loop that does little else per match (replace): a call
  /// costs some 40 instructions, and a text may hold a match every few bytes. Not for
  /// `split`, whose loop, with the search inlined, was compiled to more instructions than
  /// the call saves.
  @inline(__always)
  func inlinedFind(_ search: inout TextSearch, from: Int) -> Int? {
    var at = from
    while let offset = search.next(in: bytes, from: at) {
      if isCharacterBoundary(offset) && isCharacterBoundary(offset + search.needle.count) { return offset }
      at = offset + 1
    }
    return nil
  }

  /// Whether the text begins with `prefix`, in whole characters.
  func hasPrefix(_ prefix: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let other = prefix.baseAddress else { return true }
    return prefix.count <= count && TextBytes.sameBytes(start, other, prefix.count) && isCharacterBoundary(prefix.count)
  }

  /// Whether the text ends with `suffix`, in whole characters.
  func hasSuffix(_ suffix: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let other = suffix.baseAddress else { return true }
    let from = count - suffix.count
    return from >= 0 && TextBytes.sameBytes(start + from, other, suffix.count) && isCharacterBoundary(from)
  }

  /// Whether the `count` bytes at `x` and `y` are the same. Up to 16 bytes, two overlapping
  /// loads a side compare them in less time than a call of `memcmp` takes: most needles are
  /// that short.
  @inline(__always)
  static func sameBytes(_ x: UnsafePointer<UInt8>, _ y: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    let a = UnsafeRawPointer(x), b = UnsafeRawPointer(y)
    @inline(__always) func same<Word: FixedWidthInteger>(_: Word.Type, at offset: Int) -> Bool {
      (a + offset).loadUnaligned(as: Word.self) == (b + offset).loadUnaligned(as: Word.self)
    }
    switch count {
    case 8...16: return same(UInt64.self, at: 0) && same(UInt64.self, at: count &- 8)
    case 4..<8: return same(UInt32.self, at: 0) && same(UInt32.self, at: count &- 4)
    case 2..<4: return same(UInt16.self, at: 0) && same(UInt16.self, at: count &- 2)
    case 1: return x[0] == y[0]
    case 0: return true
    default: return memcmp(x, y, count) == 0
    }
  }

  // MARK: Characters

  /// Whether a character begins at byte `offset`, which begins a scalar (or is the end).
  ///
  /// Between two scalars that each stand alone (`StandaloneScalars`) there is always a
  /// boundary, except inside "\r\n"; otherwise the string's own grapheme rules decide.
  @inline(__always)
  func isCharacterBoundary(_ offset: Int) -> Bool {
    if offset == 0 || offset >= count { return true }
    let before = bytes[offset - 1], after = bytes[offset]
    if before < 0x80 && after < 0x80 { return before != 0x0D || after != 0x0A }
    return isCharacterBoundaryBeyondASCII(offset)
  }

  /// The first character boundary at or after `offset`, or the end.
  func characterBoundary(atOrAfter offset: Int) -> Int {
    var at = offset
    while at < count && (bytes[at] & 0xC0 == 0x80 || !isCharacterBoundary(at)) { at += 1 }
    return Swift.min(at, count)
  }

  /// Whether the bytes are the string's own storage, which lasts as long as the string, and
  /// not a copy made for the call.
  var isStringStorage: Bool {
    string.utf8.withContiguousStorageIfAvailable { $0.baseAddress == bytes.baseAddress } ?? false
  }

  private func isCharacterBoundaryBeyondASCII(_ offset: Int) -> Bool {
    if TextBytes.beginsStandalone(bytes[offset]) || StandaloneScalars.contains(scalar(at: offset)) {
      var lead = offset - 1
      while lead > 0 && bytes[lead] & 0xC0 == 0x80 { lead -= 1 }
      if TextBytes.beginsStandalone(bytes[lead]) || StandaloneScalars.contains(scalar(at: lead)) { return true }
    }
    let index = string.utf8.index(string.utf8.startIndex, offsetBy: offset)
    return index.samePosition(in: string) != nil
  }

  /// Whether the scalar that begins with `byte` is below U+0300, and so stands alone.
  @inline(__always)
  static func beginsStandalone(_ byte: UInt8) -> Bool { byte < 0xCC }

  /// The number of characters in bytes `from..<to`, which are character boundaries.
  func characterCount(_ from: Int, _ to: Int) -> Int {
    // A long string knows whether it is ASCII without reading it.
    if to - from > 256 && string.isAllASCII { return TextBytes.asciiCharacterCount(start + from, to - from) }
    if let counted = standaloneCharacterCount(from, to) { return counted }
    let utf8 = string.utf8
    return string.distance(
      from: utf8.index(utf8.startIndex, offsetBy: from), to: utf8.index(utf8.startIndex, offsetBy: to))
  }

  /// The characters in the `length` bytes of ASCII at `start`: one a byte, but "\r\n", which
  /// is one. Carriage returns are found with `memchr`, at a fraction of an instruction a byte.
  static func asciiCharacterCount(_ start: UnsafePointer<UInt8>, _ length: Int) -> Int {
    length - carriageReturnLineFeeds(start, length)
  }

  /// The characters in bytes `from..<to` when every scalar there stands alone, so that each
  /// is one character but "\r\n", which is one; nil when a scalar may join its neighbours.
  ///
  /// Such a text has a character for each byte that begins a scalar (each byte but those that
  /// continue one, 10xxxxxx), less one for each "\r\n". The bytes are read sixty-four at a
  /// time, wherever scalars begin: those that begin a scalar are summed in the lanes of a
  /// vector, and the few that need a closer look (`stops`) are looked at one by one: carriage
  /// returns, and the bytes from 0xCC up, which begin the only scalars that may join a
  /// neighbour. The last step reads the bytes that end the text, and counts, as bits, those
  /// not counted yet. Latin, Greek, Cyrillic and CJK text costs under an instruction a byte.
  func standaloneCharacterCount(_ from: Int, _ to: Int) -> Int? {
    let base = start
    guard to &- from >= 16 else { return TextBytes.standaloneCharacterCount(base + from, to &- from) }
    var scalars = 0
    var lineBreaks = 0  // "\r\n" pairs
    var offset = from
    // Sixty-four bytes a step while they last, the bytes that begin a scalar summed in the
    // lanes of a vector, at most 255 to a lane.
    var lanes = SIMD16<Int8>()
    var steps = 0
    while offset <= to &- 64 {
      let bytes = base + offset
      guard TextBytes.addLineBreaks(atStops: TextBytes.stops(bytes), bytes, base + to, &lineBreaks) else { return nil }
      for quarter in stride(from: 0, to: 64, by: 16) {
        let signed = UnsafeRawPointer(bytes + quarter).loadUnaligned(as: SIMD16<Int8>.self)
        lanes &-= unsafeBitCast(signed .> SIMD16<Int8>(repeating: -65), to: SIMD16<Int8>.self)
      }
      offset &+= 64
      steps &+= 1
      if steps == 63 || offset > to &- 64 {
        let (low, high) = unsafeBitCast(lanes, to: (UInt64, UInt64).self)
        let sums = (low & 0x00FF_00FF_00FF_00FF) &+ (low >> 8 & 0x00FF_00FF_00FF_00FF)
          &+ (high & 0x00FF_00FF_00FF_00FF) &+ (high >> 8 & 0x00FF_00FF_00FF_00FF)
        scalars &+= Int(truncatingIfNeeded: (sums &* 0x0001_0001_0001_0001) >> 48)
        lanes = SIMD16<Int8>()
        steps = 0
      }
    }
    // Then, of a text of sixty-four or more, the sixty-four that end it, as bits, those
    // counted before masked out; else sixteen at a time, the last sixteen likewise.
    if offset < to && to &- from >= 64 {
      let counted = ~(1 &<< UInt64(64 &- (to &- offset)) &- 1)
      let bytes = base + to - 64
      guard TextBytes.addLineBreaks(atStops: TextBytes.stops(bytes) & counted, bytes, base + to, &lineBreaks) else { return nil }
      scalars &+= (sixtyFourBits(bytes, seednb_scalar_starts) & counted).nonzeroBitCount
      offset = to
    }
    while offset < to {
      let at = Swift.min(offset, to &- 16)
      let counted: UInt64 = 0xFFFF &<< UInt64(offset &- at)
      let stops = UInt64(seednb_bytes_from(base + at, 0xCC) | seednb_bytes_equal(base + at, 0x0D)) & counted
      guard TextBytes.addLineBreaks(atStops: stops, base + at, base + to, &lineBreaks) else { return nil }
      scalars &+= (UInt64(seednb_scalar_starts(base + at)) & counted).nonzeroBitCount
      offset = at &+ 16
    }
    return scalars &- lineBreaks
  }

  /// Adds to `lineBreaks` the "\r\n" pairs that begin at the bytes of `bytes` flagged in
  /// `stops`; false when one of them begins a scalar that may join its neighbour. The text
  /// ends at `end`.
  @inline(__always)
  private static func addLineBreaks(
    atStops stops: UInt64, _ bytes: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, _ lineBreaks: inout Int
  ) -> Bool {
    guard stops != 0 else { return true }
    guard let found = TextBytes.lineBreaks(atStops: stops, bytes, end - bytes) else { return false }
    lineBreaks &+= found
    return true
  }

  /// The bytes of the sixty-four at `bytes` that need a closer look when characters are
  /// counted, one bit each: carriage returns, and the bytes from 0xCC up.
  @inline(__always)
  private static func stops(_ bytes: UnsafePointer<UInt8>) -> UInt64 {
    sixtyFourBits(bytes) { seednb_bytes_from($0, 0xCC) | seednb_bytes_equal($0, 0x0D) }
  }

  /// `standaloneCharacterCount` of the `length` bytes at `start`, fewer than sixteen, a byte at a time.
  private static func standaloneCharacterCount(_ start: UnsafePointer<UInt8>, _ length: Int) -> Int? {
    let standalone = StandaloneScalars.bits
    var characters = 0
    var offset = 0
    while offset < length {
      let byte = start[offset]
      if byte & 0xC0 != 0x80 {
        if byte >= 0xCC && !StandaloneScalars.contains(TextBytes.decode(start + offset).value, in: standalone) { return nil }
        if byte != 0x0D || offset &+ 1 == length || start[offset &+ 1] != 0x0A { characters &+= 1 }
      }
      offset &+= 1
    }
    return characters
  }

  /// The "\r\n" pairs that begin at the bytes flagged in `stops`, one bit each, of those
  /// at `bytes`, of which `available` may be read; nil when a flagged byte begins a scalar that
  /// does not stand alone. A stop that is not a carriage return begins a scalar from U+0300 up:
  /// its lead byte tells for most whether it stands alone, as every scalar from U+0380 to
  /// U+047F (Greek, Cyrillic) and from U+4000 to U+9FFF (CJK ideographs) does. Kept out of
  /// line: most steps have no stop.
  @inline(never)
  private static func lineBreaks(atStops stops: UInt64, _ bytes: UnsafePointer<UInt8>, _ available: Int) -> Int? {
    let standalone = StandaloneScalars.bits
    var stops = stops
    var pairs = 0
    while stops != 0 {
      let index = stops.trailingZeroBitCount
      let stop = bytes + index
      switch stop[0] {
      case 0x0D: if index &+ 1 < available && stop[1] == 0x0A { pairs &+= 1 }
      case 0xCE...0xD1, 0xE4...0xE9: break
      // U+3040 to U+307F and U+30C0 to U+3FFF (kana, bopomofo, CJK): all but the combining
      // marks U+302A to U+302F and U+3099, U+309A, whose second bytes are 0x80 and 0x82.
      case 0xE3 where index &+ 1 < available && stop[1] != 0x80 && stop[1] != 0x82: break
      default: guard StandaloneScalars.contains(TextBytes.decode(stop).value, in: standalone) else { return nil }
      }
      stops &= stops &- 1
    }
    return pairs
  }

  /// The times "\r\n" occurs in the `length` bytes at `start`.
  static func carriageReturnLineFeeds(_ start: UnsafePointer<UInt8>, _ length: Int) -> Int {
    var pairs = 0
    var from = start
    let end = start + length
    while from < end, let found = memchr(from, 0x0D, end - from) {
      let carriageReturn = UnsafePointer(found.assumingMemoryBound(to: UInt8.self))
      if carriageReturn + 1 < end && carriageReturn[1] == 0x0A { pairs += 1 }
      from = carriageReturn + 1
    }
    return pairs
  }

  /// Whether the text is certainly in Unicode's composed normal form (NFC), as when every
  /// scalar stands alone and none is one of the few that NFC replaces by another (the Kelvin
  /// sign by K); false when this cannot tell. ASCII is read eight bytes at a time.
  var isKnownNFC: Bool {
    let base = start
    let standalone = StandaloneScalars.bits
    var offset = 0
    while offset < count {
      if offset + 8 <= count && UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
        offset += 8
        continue
      }
      if base[offset] < 0x80 {
        offset += 1
        continue
      }
      let (value, length) = TextBytes.decode(base + offset)
      guard StandaloneScalars.contains(value, in: standalone), !StandaloneScalars.isReplacedByNFC(value) else { return false }
      offset += length
    }
    return true
  }

  // MARK: Scalars

  /// The scalar that begins at byte `offset`.
  func scalar(at offset: Int) -> UInt32 { TextBytes.decode(start + offset).value }

  /// The scalar that ends just before byte `offset`.
  func scalar(endingAt offset: Int) -> UInt32 {
    var from = offset - 1
    while from > 0 && bytes[from] & 0xC0 == 0x80 { from -= 1 }
    return scalar(at: from)
  }

  /// The scalar at `bytes`, valid UTF-8, and the bytes it takes.
  @inline(__always)
  static func decode(_ bytes: UnsafePointer<UInt8>) -> (value: UInt32, length: Int) {
    let lead = UInt32(bytes[0])
    if lead < 0x80 { return (lead, 1) }
    if lead < 0xE0 { return ((lead & 0x1F) << 6 | UInt32(bytes[1] & 0x3F), 2) }
    if lead < 0xF0 {
      return ((lead & 0x0F) << 12 | UInt32(bytes[1] & 0x3F) << 6 | UInt32(bytes[2] & 0x3F), 3)
    }
    return (
      (lead & 0x07) << 18 | UInt32(bytes[1] & 0x3F) << 12 | UInt32(bytes[2] & 0x3F) << 6 | UInt32(bytes[3] & 0x3F), 4
    )
  }
}

extension String {
  /// Runs `body` with the string's UTF-8 bytes read in place, for a string whose bytes are all
  /// a method needs (a needle, a replacement): a `TextBytes` holds the string too, which
  /// costs a retain and a release.
  @inline(__always)
  func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
    if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
    return try Array(utf8).withUnsafeBufferPointer(body)
  }

  /// Runs `body` with the string's UTF-8 read in place (copied only for a string that does
  /// not keep its UTF-8 in one piece). Inlined, so that the body is not a closure called
  /// through a context: each string method reaches two or three strings this way.
  @inline(__always)
  func withTextBytes<Result>(_ body: (TextBytes) throws -> Result) rethrows -> Result {
    if let result = try utf8.withContiguousStorageIfAvailable({ try body(TextBytes(bytes: $0, string: self)) }) {
      return result
    }
    return try Array(utf8).withUnsafeBufferPointer { try body(TextBytes(bytes: $0, string: self)) }
  }
}

/// The scalars that are always a character of their own, whatever comes before or after
/// them, with the exception of "\r\n": every scalar of the common alphabets, punctuation,
/// symbols, kana, CJK ideographs and Hangul syllables. Excluded are the scalars the grapheme
/// rules join to a neighbour: combining marks and other extenders, spacing marks, prepended
/// concatenation marks, the zero-width joiner, conjoining Hangul jamo, regional indicators,
/// and every scalar outside the ranges below (emoji among them), which are left to Swift.
enum StandaloneScalars {
  private static let ranges: [ClosedRange<UInt32>] = [
    0x0000...0x02FF,  // ASCII, Latin-1, Latin Extended-A and -B, IPA, spacing modifier letters
    0x0370...0x0482,  // Greek, Cyrillic (0483-0489 are combining)
    0x048A...0x052F,  // Cyrillic and its supplement
    0x1E00...0x1FFF,  // Latin Extended Additional, Greek Extended
    0x2000...0x200B,  // spaces (200C and 200D join)
    0x200E...0x20CF,  // punctuation, super- and subscripts, currency (20D0-20FF are combining)
    0x2100...0x2BFF,  // letterlike symbols, arrows, mathematics, box drawing, symbols, dingbats
    0x2E00...0x2E7F,  // supplemental punctuation
    0x3000...0x3029,  // CJK symbols and punctuation (302A-302F are combining)
    0x3030...0x3098,  // ... and hiragana (3099 and 309A are combining)
    0x309B...0x30FF,  // katakana
    0x3100...0x9FFF,  // bopomofo, compatibility jamo, CJK ideographs
    0xA000...0xA48F,  // Yi
    0xAC00...0xD7A3,  // Hangul syllables (they join only the conjoining jamo, excluded)
    0xFF01...0xFF9D,  // full- and halfwidth forms (FF9E and FF9F extend)
    0xFFE0...0xFFEE,
  ]

  /// The standalone scalars that NFC replaces by another ("singletons"): Greek marks and
  /// accented letters that have a twin, two spaces, the ohm, Kelvin and ångström signs, and
  /// two angle brackets. Every other standalone scalar is its own NFC.
  @inline(__always)
  static func isReplacedByNFC(_ scalar: UInt32) -> Bool {
    // All of them are at U+0374 or above: Latin-1 letters are not looked up.
    scalar >= 0x0374 && replacedByNFC.contains(scalar)
  }

  static let replacedByNFC: Set<UInt32> = [
    0x0374, 0x037E, 0x0387, 0x1F71, 0x1F73, 0x1F75, 0x1F77, 0x1F79, 0x1F7B, 0x1F7D, 0x1FBB, 0x1FBE, 0x1FC9, 0x1FCB,
    0x1FD3, 0x1FDB, 0x1FE3, 0x1FEB, 0x1FEE, 0x1FEF, 0x1FF9, 0x1FFB, 0x1FFD, 0x2000, 0x2001, 0x2126, 0x212A, 0x212B,
    0x2329, 0x232A, 0x2ADC,
  ]

  /// One bit per scalar of the Basic Multilingual Plane, in memory that lives as long as the
  /// process. A loop over text reads it into a local once (`contains(_:in:)`): each read of
  /// the global itself checks that it was initialised.
  static let bits: UnsafePointer<UInt64> = {
    let bits = UnsafeMutablePointer<UInt64>.allocate(capacity: 0x10000 / 64)
    bits.initialize(repeating: 0, count: 0x10000 / 64)
    for range in ranges {
      for scalar in range { bits[Int(scalar >> 6)] |= 1 << (scalar & 63) }
    }
    return UnsafePointer(bits)
  }()

  @inline(__always)
  static func contains(_ scalar: UInt32) -> Bool { contains(scalar, in: bits) }

  @inline(__always)
  static func contains(_ scalar: UInt32, in bits: UnsafePointer<UInt64>) -> Bool {
    scalar < 0x10000 && bits[Int(scalar >> 6)] & (1 << (scalar & 63)) != 0
  }
}
