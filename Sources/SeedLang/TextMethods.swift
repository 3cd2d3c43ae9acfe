#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// The string methods that cut, search and rewrite text, each one pass over the UTF-8 of
// the string. Matches are exact (the same scalars, with no Unicode normalisation) and fall
// between characters, so that no method ever cuts a character in two.

extension TextBytes {
  /// The pieces between the occurrences of `separator`, which is not empty.
  func split(_ separator: TextBytes) -> [Value] {
    var pieces = TextBytes.pieces(atMost: count / separator.count + 1)
    var search = TextSearch(separator.bytes)
    let inline = InlineString.isAvailable, ascii = bytes.isASCII
    var from = 0
    if let base = bytes.baseAddress {
      while let at = find(&search, from: from) {
        pieces.append(TextBytes.piece(base, from, at, inline: inline, ascii: ascii))
        from = at + separator.count
      }
    }
    pieces.append(.string(text(from, count, inline: inline, ascii: ascii)))
    return pieces
  }

  /// The lines of the text: the pieces between line feeds, a carriage return before a line
  /// feed included in the break. A line feed is always a character boundary (but inside
  /// "\r\n", which ends a line too), so the bytes alone say where lines end.
  func lines() -> [Value] {
    var pieces = TextBytes.pieces(atMost: count + 1)
    let inline = InlineString.isAvailable, ascii = bytes.isASCII
    var from = 0
    while let base = bytes.baseAddress, count > from, let found = memchr(base + from, 0x0A, count - from) {
      let at = UnsafeRawPointer(found) - UnsafeRawPointer(base)
      let end = at > from && base[at - 1] == 0x0D ? at - 1 : at
      pieces.append(TextBytes.piece(base, from, end, inline: inline, ascii: ascii))
      from = at + 1
    }
    pieces.append(.string(text(from, count, inline: inline, ascii: ascii)))
    return pieces
  }

  /// The text with every occurrence of `target`, which is not empty, replaced, left to right;
  /// the receiver itself when there is none. The replacement's bytes are reached only when
  /// there is a match: most calls find nothing (cleaning each word of punctuation, say).
  func replacing(_ target: UnsafeBufferPointer<UInt8>, with replacement: String) throws -> String {
    guard target.count <= count else { return string }
    var search = TextSearch(target, in: bytes)
    guard let first = inlinedFind(&search, from: 0) else { return string }
    return try replacement.withUTF8Bytes { replacementBytes in
      // A short result is written on the stack, with neither an array of matches nor a
      // heap buffer: the words and lines of a text are mostly short. Whether it is ASCII is
      // read from its bytes, which costs less than asking the text and the replacement.
      if count <= TextBuilder.stackCapacity && replacementBytes.count <= TextBuilder.stackCapacity {
        let growth = Swift.max(replacementBytes.count - target.count, 0)
        if count + (count / target.count) * growth <= TextBuilder.stackCapacity {
          return replacingShort(&search, first: first, targetLength: target.count, with: replacementBytes)
        }
      }
      // A long result is ASCII when the text and the replacement are, and, when the target is
      // ASCII, exactly when the text is (there is a match, so a replacement that is not ASCII
      // makes a result that is not). Only a target beyond ASCII replaced by ASCII leaves the
      // result's bytes to be read.
      let replacementIsASCII = replacement.isAllASCII
      let isASCII = replacementIsASCII && string.isAllASCII
      let mayBeASCII = replacementIsASCII && !isASCII && !target.isASCII
      return try replacingLong(
        &search, first: first, targetLength: target.count, with: replacementBytes, isASCII: isASCII, mayBeASCII: mayBeASCII)
    }
  }

  /// `replacing` for a result of at most `TextBuilder.stackCapacity` bytes. A function of its
  /// own: the buffer is on the stack only where its allocation is inlined into a function
  /// (inside the closure above, it was on the heap).
  private func replacingShort(
    _ search: inout TextSearch, first: Int, targetLength: Int, with replacement: UnsafeBufferPointer<UInt8>
  ) -> String {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: TextBuilder.stackCapacity) { buffer in
      guard let out = buffer.baseAddress else { return string }
      let written = writeReplacing(&search, first: first, targetLength: targetLength, with: replacement, to: out)
      return TextBytes.string(out, written, inline: InlineString.isAvailable, isASCII: false)
    }
  }

  /// `replacing` for any length: the matches are gathered first, for the length of the
  /// result, which is written into a buffer of that length and copied once into a string,
  /// its bytes not checked again (the pieces between matches are valid UTF-8).
  private func replacingLong(
    _ search: inout TextSearch, first: Int, targetLength: Int, with replacement: UnsafeBufferPointer<UInt8>, isASCII: Bool,
    mayBeASCII: Bool
  ) throws -> String {
    var matches: [Int] = [first]
    var from = first + targetLength
    while let at = inlinedFind(&search, from: from) {
      matches.append(at)
      from = at + targetLength
    }
    let (grown, overflow) = (replacement.count - targetLength).multipliedReportingOverflow(by: matches.count)
    let length = count + grown
    guard !overflow else { throw TextLimit.failure("string replacement") }
    try TextLimit.check(length, "string replacement")
    guard let source = bytes.baseAddress else { return string }
    let out = UnsafeMutablePointer<UInt8>.allocate(capacity: Swift.max(length, 1))
    defer { out.deallocate() }
    var written = 0
    var read = 0
    // Pieces between close matches are short: `TextBuilder.copy` moves those without a call.
    for at in matches {
      TextBuilder.copy(at - read, from: source + read, to: out + written)
      written += at - read
      if let piece = replacement.baseAddress { TextBuilder.copy(replacement.count, from: piece, to: out + written) }
      written += replacement.count
      read = at + targetLength
    }
    (out + written).update(from: source + read, count: count - read)
    let result = UnsafeBufferPointer(start: out, count: length)
    return String(validUTF8: result, isASCII: isASCII || (mayBeASCII && result.isASCII))
  }

  /// Writes the text with `replacement` instead of each match of `search`, the first of them
  /// at `first`, to `out`, which has room for it, and gives the bytes written. (Noting the
  /// high bits of the words copied, for whether the result is ASCII, cost more than reading
  /// the result, which stops at its first byte beyond ASCII.)
  private func writeReplacing(
    _ search: inout TextSearch, first: Int, targetLength: Int, with replacement: UnsafeBufferPointer<UInt8>,
    to out: UnsafeMutablePointer<UInt8>
  ) -> Int {
    guard let source = bytes.baseAddress else { return 0 }
    var written = 0
    var read = 0
    var match: Int? = first
    while let at = match {
      TextBuilder.copy(at - read, from: source + read, to: out + written)
      written += at - read
      if let piece = replacement.baseAddress { TextBuilder.copy(replacement.count, from: piece, to: out + written) }
      written += replacement.count
      read = at + targetLength
      match = inlinedFind(&search, from: read)
    }
    TextBuilder.copy(count - read, from: source + read, to: out + written)
    return written + count - read
  }

  /// The words of the text: the pieces between runs of whitespace, none of them empty, as
  /// Python's `str.split()` gives them. Nil when a scalar that may join its neighbours
  /// occurs, so that whitespace characters must be found by the grapheme rules. Runs of
  /// ASCII letters, digits and punctuation are passed over eight bytes at a time.
  func whitespaceSeparatedWords() -> [Value]? {
    // A word and the whitespace after it take two bytes at least.
    var words = TextBytes.pieces(atMost: (count + 1) / 2)
    guard let base = bytes.baseAddress else { return words }
    let standalone = StandaloneScalars.bits
    let inline = InlineString.isAvailable, ascii = bytes.isASCII
    var wordStart = -1
    var offset = 0
    while offset < count {
      if offset + 8 <= count {
        let word = UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self)
        // The high bit of each byte that is not ASCII or is below "!" (whitespace among
        // them); borrows make only the bits above the lowest one unreliable.
        let special = (word | ((word &- 0x2121_2121_2121_2121) & ~word)) & 0x8080_8080_8080_8080
        let plain = special == 0 ? 8 : special.trailingZeroBitCount >> 3
        if plain > 0 {
          if wordStart < 0 { wordStart = offset }
          offset += plain
          continue
        }
      }
      let byte = base[offset]
      var length = 1
      let space: Bool
      if byte < 0x80 {
        space = TextBytes.isASCIIWhitespace(byte)
      } else if byte < 0xCC {
        // U+0080 to U+02FF stand alone; of them only U+0085 and U+00A0 are whitespace.
        space = byte == 0xC2 && (base[offset + 1] == 0x85 || base[offset + 1] == 0xA0)
        length = 2
      } else {
        let (scalar, scalarLength) = TextBytes.decode(base + offset)
        guard StandaloneScalars.contains(scalar, in: standalone) else { return nil }
        // The other whitespace scalars begin with E1, E2 or E3.
        space = byte >= 0xE1 && byte <= 0xE3 && TextBytes.isWhitespace(scalar)
        length = scalarLength
      }
      if space {
        if wordStart >= 0 { words.append(TextBytes.piece(base, wordStart, offset, inline: inline, ascii: ascii)) }
        wordStart = -1
      } else if wordStart < 0 {
        wordStart = offset
      }
      offset += length
    }
    if wordStart >= 0 { words.append(.string(text(wordStart, count, inline: inline, ascii: ascii))) }
    return words
  }

  /// The text without the whitespace characters at either end, or nil when a scalar there
  /// may join its neighbours, so that the grapheme rules must say what a character is.
  func trimmedOfWhitespace() -> String? {
    // ASCII whitespace next to ASCII, or at an end, is a character of its own ("\r\n" is
    // one, all of it whitespace), so when both ends stop at an ASCII byte, bytes decide.
    var start = 0
    while start < count && TextBytes.isASCIIWhitespace(bytes[start]) { start += 1 }
    var end = count
    while end > start && TextBytes.isASCIIWhitespace(bytes[end - 1]) { end -= 1 }
    // A piece of an ASCII string is ASCII: its flag says so without a look at the bytes.
    if (start == count || bytes[start] < 0x80) && (end == start || bytes[end - 1] < 0x80) {
      return text(start, end, inline: InlineString.isAvailable, ascii: string.isAllASCII)
    }
    var from = 0
    while from < count {
      let scalar = scalar(at: from)
      guard StandaloneScalars.contains(scalar) else { return nil }
      guard TextBytes.isWhitespace(scalar) else { break }
      from += CaseMapping.utf8Length(scalar)
    }
    var to = count
    while to > from {
      let scalar = scalar(endingAt: to)
      guard StandaloneScalars.contains(scalar) else { return nil }
      guard TextBytes.isWhitespace(scalar) else { break }
      to -= CaseMapping.utf8Length(scalar)
      // A scalar that is whitespace is a character of its own if the one before it stands alone too.
      if to > from && !StandaloneScalars.contains(self.scalar(endingAt: to)) { return nil }
    }
    return text(from, to)
  }

  /// An empty list for the pieces of a cut that makes at most `most` of them, with room for
  /// the first few: most texts cut are short (a line into its words, a record into its
  /// fields), and a list grown from nothing was reallocated four or five times on the way to
  /// ten pieces, a third of what splitting a line costs. Python's `split` starts at twelve.
  @inline(__always)
  static func pieces(atMost most: Int) -> [Value] {
    var pieces: [Value] = []
    pieces.reserveCapacity(Swift.min(most, 16))
    return pieces
  }

  /// A piece `from..<to` of the text at `base` that is not all of it, as `text(from, to,
  /// inline:ascii:)` makes it, from the bytes alone: `ascii` says whether the whole text is.
  /// `text` reads the string too (it may be the piece), which retained the whole text and
  /// released it again, an atomic pair for each piece.
  @inline(__always)
  private static func piece(_ base: UnsafePointer<UInt8>, _ from: Int, _ to: Int, inline: Bool, ascii: Bool) -> Value {
    .string(string(base + from, to - from, inline: inline, isASCII: ascii))
  }

  /// Tab, line feed, vertical tab, form feed, carriage return and space.
  @inline(__always)
  static func isASCIIWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }

  /// Unicode's White_Space property, as `Character.isWhitespace` reads it.
  static func isWhitespace(_ scalar: UInt32) -> Bool {
    switch scalar {
    case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
    default: return false
    }
  }
}

/// The largest string that interpolation, `join` and `replace` build: the limit `+` and `*`
/// keep (`Operators.maxStringBytes`), so that a loop growing a string ends with an error
/// before it takes all memory.
enum TextLimit {
  /// Fails when a string of `length` bytes, made by `operation` ("string join"), would pass
  /// the limit.
  static func check(_ length: Int, _ operation: String) throws {
    if length > Operators.maxStringBytes { throw failure(operation) }
  }

  static func failure(_ operation: String) -> RuntimeFailure {
    RuntimeFailure("\(operation) would be larger than \(Operators.maxStringBytes >> 20) MB")
  }
}
