#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The occurrences of one needle in a text, byte for byte, found one after another as
/// `split` and `replace` ask for them.
///
/// `memchr` finds each place where the needle's least common byte occurs, and the needle is
/// compared there. In a long text that byte is found from samples of the text; otherwise by
/// a fixed guess (punctuation before capitals and digits before lowercase letters before
/// spaces, among four of its bytes). Where that byte is rare, this is several times faster
/// than `memmem`, whose every call also costs some hundreds of instructions of set-up. Where
/// it is common ("m" of "mitochondria" in English), each candidate costs a call of `memchr`
/// and a comparison, some 45 instructions, while `memmem` passes over text at several bytes an
/// instruction for a long needle: so once the misses of a call have cost `memmem`'s set-up
/// more than `memmem` would have spent on the bytes passed over, the rest of that call is
/// `memmem`'s, which keeps a call within about twice the cost of the better of the two (where
/// the next match is, and so which is better, is not known in advance). On contrived text ("aaaa...b" in "aaaa...") the
/// comparisons themselves grow long; once the bytes compared in vain pass the bytes passed
/// over, every later search is `memmem`'s, which is linear (glibc uses the two-way algorithm
/// for such needles), so that the whole search stays linear in the length of the text.
struct TextSearch {
  let needle: UnsafeBufferPointer<UInt8>
  /// The position in the needle of the byte that `memchr` looks for.
  private let anchor: Int
  private let anchorByte: Int32
  /// The bytes `memmem` passes over for about the cost of one miss (some 45 instructions):
  /// its loop steps the length of the needle less one at about seven instructions a step.
  private let bytesPerMiss: Int
  /// Bytes compared at candidates that were not a match, less the bytes passed over on the
  /// way to candidates and matches.
  private var wasted = 0
  private var linearOnly = false
  /// The misses that cost about as much as `memmem`'s set-up.
  private static let missesPerMemmem = 8
  /// The length from which a text is sampled for its least common byte of the needle: the
  /// samples cost some 4,000 instructions, a few percent of a search of that length.
  static let sampledLength = 1 << 15

  /// A search for `needle`, which is not empty, with the anchor chosen by a fixed guess.
  init(_ needle: UnsafeBufferPointer<UInt8>) {
    self.init(needle, anchor: TextSearch.guessedAnchor(needle))
  }

  /// A search for `needle`, which is not empty, in `text`. In a long text the anchor is the
  /// needle's byte that is least common in samples of the text itself, so that the search
  /// meets as few candidates as the text allows: a fixed guess cannot know that a text is
  /// French, or a list of numbers.
  init(_ needle: UnsafeBufferPointer<UInt8>, in text: UnsafeBufferPointer<UInt8>) {
    let sampled = needle.count > 1 && text.count >= TextSearch.sampledLength
    self.init(needle, anchor: sampled ? TextSearch.sampledAnchor(needle, text) : TextSearch.guessedAnchor(needle))
  }

  private init(_ needle: UnsafeBufferPointer<UInt8>, anchor: Int) {
    self.needle = needle
    self.anchor = anchor
    anchorByte = Int32(needle[anchor])
    let step = needle.count > 256 ? 3 : Swift.max(needle.count - 1, 2)
    bytesPerMiss = 6 * step
  }

  /// The anchor by the kind of each byte: the rarest of the first, last and two middle bytes,
  /// which keeps a search of a short text quick to begin.
  private static func guessedAnchor(_ needle: UnsafeBufferPointer<UInt8>) -> Int {
    // Most needles of short texts are one byte (a comma, a space): there is nothing to choose.
    if needle.count == 1 { return 0 }
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
    return anchor
  }

  /// The anchor by how often each byte of the needle (of its first 64) occurs in eight
  /// samples of 128 bytes spread over `text`, which is at least `sampledLength` long; among
  /// bytes as common, the one the fixed guess thinks rarer.
  private static func sampledAnchor(_ needle: UnsafeBufferPointer<UInt8>, _ text: UnsafeBufferPointer<UInt8>) -> Int {
    withUnsafeTemporaryAllocation(of: Int.self, capacity: 256) { counts in
      counts.initialize(repeating: 0)
      let samples = 8, sampleLength = 128
      let spacing = (text.count - sampleLength) / (samples - 1)
      for sample in 0..<samples {
        let start = sample * spacing
        for offset in start..<start + sampleLength { counts[Int(text[offset])] &+= 1 }
      }
      var anchor = 0
      var best = (counts[Int(needle[0])], -rarity(needle[0]))
      for index in 1..<Swift.min(needle.count, 64) {
        let candidate = (counts[Int(needle[index])], -rarity(needle[index]))
        if candidate < best {
          anchor = index
          best = candidate
        }
      }
      return anchor
    }
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

  /// The offset of the first occurrence of the needle in `text` at or after `from`. Inlined:
  /// `replace` calls it for every match, and a call costs as much as the rest of a short search.
  @inline(__always)
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
    // The first and last bytes are compared before the rest: most candidates that
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
        && TextBytes.sameBytes(haystack + candidate, needleStart, length)
      {
        // The bytes before a match were passed over too: a text with a miss near each of
        // many matches is not contrived, and must not end on `memmem`.
        wasted &-= candidate &- at
        return candidate
      }
      // Offsets within the text, and misses fewer than its bytes: none of these overflow.
      wasted &+= length &- (candidate &+ 1 &- at)
      at = candidate &+ 1
      misses &+= 1
      if wasted > 256 { linearOnly = true }
      // The misses have cost `memmem`'s set-up more than `memmem` would have spent passing
      // over the same bytes: a common anchor, and the rest of the call is `memmem`'s. A rare
      // one keeps the search on `memchr` over a long text.
      if (misses &- TextSearch.missesPerMemmem) &* bytesPerMiss > at &- from { break }
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
