#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The occurrences of one needle in a text, byte for byte, found one after another as
/// `split` and `replace` ask for them.
///
/// `memchr` finds each place where the needle's least common byte (by a fixed guess:
/// punctuation before capitals and digits before lowercase letters before spaces, among
/// four of its bytes) occurs, and the needle is compared there. Where that byte is rare, this
/// is several times faster than `memmem`, whose every call also costs some hundreds of
/// instructions of set-up. Where it is common ("m" of "mitochondria" in English), each
/// candidate costs a call of `memchr` and a comparison, some 60 instructions, while `memmem`
/// passes over text at about a tenth of an instruction a byte: so once the misses of a call
/// have cost as much as `memmem`'s set-up, the rest of that call is `memmem`'s, which keeps a
/// call within about twice the cost of the better of the two (where the next match is, and so
/// which is better, is not known in advance). On contrived text ("aaaa...b" in "aaaa...") the
/// comparisons themselves grow long; once the bytes compared in vain pass the bytes passed
/// over, every later search is `memmem`'s, which is linear (glibc uses the two-way algorithm
/// for such needles), so that the whole search stays linear in the length of the text.
struct TextSearch {
  let needle: UnsafeBufferPointer<UInt8>
  /// The position in the needle of the byte that `memchr` looks for.
  private let anchor: Int
  private let anchorByte: Int32
  /// Bytes compared at candidates that were not a match, less the bytes passed over.
  private var wasted = 0
  private var linearOnly = false
  /// The misses that cost about as much as `memmem`'s set-up.
  private static let missesPerMemmem = 8

  /// A search for `needle`, which is not empty.
  init(_ needle: UnsafeBufferPointer<UInt8>) {
    self.needle = needle
    // Most needles of short texts are one byte (a comma, a space): there is nothing to choose.
    if needle.count == 1 {
      anchor = 0
      anchorByte = Int32(needle[0])
      return
    }
    // The first, last and two middle bytes are enough to choose from, and keep a search of
    // a short text quick to begin.
    let last = needle.count - 1
    var anchor = 0
    var rarity = TextSearch.rarity(needle[0])
    @inline(__always) func consider(_ index: Int) {
      let candidate = TextSearch.rarity(needle[index])
      if candidate > rarity {
        anchor = index
        rarity = candidate
      }
    }
    consider(last / 3)
    consider(2 * last / 3)
    consider(last)
    self.anchor = anchor
    anchorByte = Int32(needle[anchor])
  }

  /// How rare a byte is in text, by its kind, from 0 (the space) to 3 (punctuation and
  /// control characters).
  @inline(__always)
  private static func rarity(_ byte: UInt8) -> Int {
    if byte == 0x20 { return 0 }
    // Lowercase letters, and lead bytes: a few of them begin most of the scalars of an alphabet.
    if byte >= 0xC0 || (byte >= 0x61 && byte <= 0x7A) { return 1 }
    // Capitals, digits and continuation bytes.
    if byte >= 0x80 || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39) { return 2 }
    return 3
  }

  /// The offset of the first occurrence of the needle in `text` at or after `from`.
  mutating func next(in text: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
    let length = needle.count
    guard let haystack = text.baseAddress, let needleStart = needle.baseAddress, text.count - from >= length else {
      return nil
    }
    if length == 1 {
      guard let found = memchr(haystack + from, anchorByte, text.count - from) else { return nil }
      return UnsafeRawPointer(found) - UnsafeRawPointer(haystack)
    }
    var at = from
    var misses = 0
    // The first and last bytes are compared before `memcmp` is called: most candidates that
    // share the anchor differ there.
    let first = needleStart[0], last = needleStart[length - 1]
    while !linearOnly {
      // Candidates start at or after `at`, so the anchor is at or after `at + anchor`, and
      // the needle must fit before the end.
      let searched = text.count - length + 1 - at
      guard searched > 0 else { return nil }
      guard let found = memchr(haystack + at + anchor, anchorByte, searched) else { return nil }
      let candidate = UnsafeRawPointer(found) - UnsafeRawPointer(haystack) - anchor
      if haystack[candidate] == first && haystack[candidate + length - 1] == last
        && memcmp(haystack + candidate, needleStart, length) == 0
      {
        return candidate
      }
      // Offsets within the text, and misses fewer than its bytes: none of these overflow.
      wasted &+= length &- (candidate &+ 1 &- at)
      at = candidate &+ 1
      misses &+= 1
      if wasted > 256 { linearOnly = true }
      if misses == TextSearch.missesPerMemmem { break }
    }
    return linearNext(in: text, from: at)
  }

  /// `next` by `memmem`, kept out of line: most searches never need it.
  private func linearNext(in text: UnsafeBufferPointer<UInt8>, from at: Int) -> Int? {
    guard let haystack = text.baseAddress, let needleStart = needle.baseAddress, text.count - at >= needle.count,
      let found = TextSearch.memmem(haystack + at, text.count - at, needleStart, needle.count)
    else { return nil }
    return UnsafeRawPointer(found) - UnsafeRawPointer(haystack)
  }

  /// C's `memmem`. glibc declares it only for `_GNU_SOURCE`, which Swift's Glibc module does
  /// not define, so it is looked up by name, once; where it cannot be found, first bytes are
  /// found with `memchr` and compared with `memcmp`, which is linear on all but contrived text.
  private static let memmem: @convention(c) (UnsafeRawPointer?, Int, UnsafeRawPointer?, Int) -> UnsafeMutableRawPointer? = {
    #if canImport(Glibc)
      if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "memmem") {  // RTLD_DEFAULT
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeRawPointer?, Int, UnsafeRawPointer?, Int) -> UnsafeMutableRawPointer?).self)
      }
      return { haystack, haystackLength, needle, needleLength in
        guard let haystack, let needle, needleLength > 0 else { return nil }
        let first = Int32(needle.load(as: UInt8.self))
        var at = 0
        while haystackLength - at >= needleLength, let found = memchr(haystack + at, first, haystackLength - at - needleLength + 1) {
          if memcmp(found, needle, needleLength) == 0 { return found }
          at = UnsafeRawPointer(found) - haystack + 1
        }
        return nil
      }
    #else
      return { Darwin.memmem($0, $1, $2, $3) }
    #endif
  }()
}
