import Foundation

// Text in the interpreter's hot paths: a string's length, whether bytes are ASCII, ints in
// decimal, and strings built from pieces and literals, each without the general machinery of
// Swift's String that they do not need.

extension String {
  /// The number of characters, as `count` gives it, found quickly for ASCII text and for
  /// text whose every scalar is a character of its own (`StandaloneScalars`).
  ///
  /// `count` walks grapheme boundaries, about six instructions a byte. In ASCII text every
  /// byte is a character except that "\r\n" is one, so the bytes are checked eight at a time
  /// and carriage returns found with `memchr`.
  var characterCount: Int {
    let counted: Int?? = utf8.withContiguousStorageIfAvailable { bytes -> Int? in
      // The flag answers at once; a string made ASCII without it is counted the other way, as rightly.
      guard isAllASCII else { return TextBytes(bytes: bytes, string: self).standaloneCharacterCount(0, bytes.count) }
      guard let start = bytes.baseAddress else { return 0 }
      return TextBytes.asciiCharacterCount(start, bytes.count)
    }
    return (counted ?? nil) ?? count
  }
}

extension String {
  /// Copies the UTF-8 of the string to `target`, which has room for it, and gives its length.
  @inline(__always)
  func copyUTF8(to target: UnsafeMutablePointer<UInt8>) -> Int {
    let copied = utf8.withContiguousStorageIfAvailable { bytes -> Int in
      if let source = bytes.baseAddress { TextBuilder.copy(bytes.count, from: source, to: target) }
      return bytes.count
    }
    if let copied { return copied }
    var length = 0
    for byte in utf8 {
      target[length] = byte
      length += 1
    }
    return length
  }
}

extension String {
  /// A string of `bytes`, which are valid UTF-8 because they were copied from strings or
  /// written by code that only writes whole scalars: concatenations, joins, case mappings.
  /// `String(decoding:)` and `String(unsafeUninitializedCapacity:)` check every byte again,
  /// which beyond ASCII costs several times the copy; this only asks whether the bytes are
  /// ASCII, eight at a time, for the flag that keeps the string's ASCII fast paths.
  init(validUTF8 bytes: UnsafeBufferPointer<UInt8>) {
    self.init(validUTF8: bytes, isASCII: bytes.isASCII)
  }

  /// `init(validUTF8:)` for bytes whose ASCII-ness is known: true only when every byte is
  /// ASCII; false is always safe, and only costs the string its ASCII fast paths.
  init(validUTF8 bytes: UnsafeBufferPointer<UInt8>, isASCII: Bool) {
    self = String(copying: UTF8Span(unchecked: Span(_unsafeElements: bytes), isKnownASCII: isASCII))
  }

  /// Whether every byte is known to be ASCII, from the string's flag, read from its bits
  /// (`InlineString.isFlaggedASCII`) on 64-bit platforms. Elsewhere a long string asks for
  /// the flag and a short one is read, which costs less than asking (a call of a hundred
  /// instructions). False for a string without contiguous UTF-8, and for one made ASCII
  /// without the flag, which is always safe for `init(validUTF8:isASCII:)`.
  @inline(__always)
  var isAllASCII: Bool {
    #if _pointerBitWidth(_64) && _endian(little)
      return InlineString.isFlaggedASCII(self)
    #else
      return utf8.withContiguousStorageIfAvailable { bytes in bytes.count > 256 ? utf8Span.isKnownASCII : bytes.isASCII } ?? false
    #endif
  }

  /// A string of at most `capacity` bytes that `write` puts at the address it is given, and
  /// whose count it returns; the bytes must be valid UTF-8, as for `init(validUTF8:)`. Short
  /// text is written on the stack, longer text in a temporary heap buffer, and then copied once.
  static func writingValidUTF8(capacity: Int, _ write: (UnsafeMutablePointer<UInt8>) throws -> Int) rethrows -> String {
    try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Swift.max(capacity, 1)) { buffer in
      guard let start = buffer.baseAddress else { return "" }
      let length = try write(start)
      precondition(length <= capacity, "a valid UTF-8 writer wrote more than it had room for")
      return String(validUTF8: UnsafeBufferPointer(start: start, count: length))
    }
  }
}

extension String {
  /// `x + y`. Swift's `+` appends to a copy of `x`, a few hundred instructions of deciding
  /// where the bytes go; short results are put together on the stack and made a string once.
  /// Long ones gain nothing from that and would be copied twice, so Swift joins them.
  static func concatenating(_ x: String, _ y: String) -> String {
    let length = x.utf8.count + y.utf8.count
    guard length <= TextBuilder.stackCapacity else { return x + y }
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: TextBuilder.stackCapacity) { buffer in
      guard let target = buffer.baseAddress else { return x + y }
      let first = x.copyUTF8(to: target)
      let second = y.copyUTF8(to: target + first)
      if first + second <= InlineString.capacity && InlineString.isAvailable { return InlineString.make(target, first + second) }
      return String(validUTF8: UnsafeBufferPointer(start: target, count: first + second), isASCII: x.isAllASCII && y.isAllASCII)
    }
  }
}

extension UnsafeBufferPointer<UInt8> {
  /// Whether every byte is ASCII, checked 64 or 32 bytes a step; the last bytes as one word
  /// that may overlap the step before.
  var isASCII: Bool {
    guard let start = baseAddress else { return true }
    let high: UInt64 = 0x8080_8080_8080_8080
    guard count >= 8 else {
      for index in 0..<count where start[index] >= 0x80 { return false }
      return true
    }
    let raw = UnsafeRawPointer(start)
    var index = 0
    while index + 64 <= count {
      var bits: UInt64 = 0
      for word in 0..<8 { bits |= raw.loadUnaligned(fromByteOffset: index + word * 8, as: UInt64.self) }
      if bits & high != 0 { return false }
      index += 64
    }
    while index + 32 <= count {
      let bits =
        raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) | raw.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)
        | raw.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self) | raw.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self)
      if bits & high != 0 { return false }
      index += 32
    }
    var bits = raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
    while index + 8 <= count {
      bits |= raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
      index += 8
    }
    return bits & high == 0
  }
}

extension String {
  /// Appends `value` in decimal. `String(value)` formats through the generic integer code,
  /// several times the work for the ints that strings are built from.
  mutating func appendDecimal(_ value: Int) {
    self += String(decimal: value)
  }

  /// `value` in decimal, as `String(value)` gives it.
  init(decimal value: Int) {
    self = String.withDecimal(value) { String(validUTF8: $0) }
  }

  /// Calls `body` with the UTF-8 of `value` in decimal, in a buffer on the stack.
  static func withDecimal<Result>(_ value: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
    try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
      let length = DecimalDigits.length(of: value)
      guard let start = digits.baseAddress else { preconditionFailure("a temporary allocation of 20 bytes has no address") }
      DecimalDigits.write(value, length: length, at: start)
      return try body(UnsafeBufferPointer(start: start, count: length))
    }
  }
}

/// Ints in decimal, written where the text goes.
enum DecimalDigits {
  /// "00" to "99", so that the digits are found two at a time, with half the divisions.
  private static let pairs: StaticString = """
    00010203040506070809101112131415161718192021222324252627282930313233343536373839\
    40414243444546474849505152535455565758596061626364656667686970717273747576777879\
    8081828384858687888990919293949596979899
    """

  /// The bytes `value` takes in decimal, its sign included: at most 20.
  @inline(__always)
  static func length(of value: Int) -> Int {
    let magnitude = value.magnitude
    var digits = 1
    var power: UInt = 10
    // Comparisons, not divisions; 10^19 is the last power that fits.
    while magnitude >= power {
      digits &+= 1
      if digits == 20 { break }
      power &*= 10
    }
    return value < 0 ? digits &+ 1 : digits
  }

  /// Writes `value` in decimal in the `length` bytes at `start`, as `length(of:)` gave it.
  @inline(__always)
  static func write(_ value: Int, length: Int, at start: UnsafeMutablePointer<UInt8>) {
    let pairs = DecimalDigits.pairs.utf8Start
    var magnitude = value.magnitude
    var end = start + length
    while magnitude >= 100 {
      let quotient = magnitude / 100
      let pair = Int(truncatingIfNeeded: magnitude &- quotient &* 100) &* 2
      end -= 2
      end[0] = pairs[pair]
      end[1] = pairs[pair &+ 1]
      magnitude = quotient
    }
    if magnitude >= 10 {
      let pair = Int(truncatingIfNeeded: magnitude) &* 2
      end -= 2
      end[0] = pairs[pair]
      end[1] = pairs[pair &+ 1]
    } else {
      end -= 1
      end[0] = UInt8(truncatingIfNeeded: 48 &+ magnitude)
    }
    if value < 0 { start[0] = 45 }  // "-"
  }
}

/// Text gathered as UTF-8 and made a string once: appending to a String costs a few hundred
/// instructions each time, most of it deciding where the bytes go. Short text stays in a
/// buffer on the stack; longer text moves to a heap buffer that doubles as it fills. Whether
/// the text is ASCII, which the string keeps as a flag, is learnt from the words the copies
/// load anyway, not from a pass of its own.
struct TextBuilder {
  /// Where the text is: the stack buffer of `build`, then a heap buffer the builder owns.
  private var base: UnsafeMutablePointer<UInt8>
  private var capacity: Int
  private var count = 0
  private var ownsBase = false
  /// The bytes appended or-ed together a word at a time, or 0x80 for a piece known to go
  /// beyond ASCII: the text is ASCII when no byte of it has its top bit set.
  private var highBits: UInt64 = 0
  /// Set when the text would pass `TextLimit`; what comes after is dropped, and `build` fails.
  private var tooLong = false

  static let stackCapacity = 256

  /// Runs `body` with a builder whose stack buffer lives for the call. Fails when the text
  /// would be larger than `TextLimit` allows. Inlined, so that the caller's closure is
  /// called in place instead of being captured, retained and released by another.
  @inline(__always)
  static func build(_ body: (inout TextBuilder) throws -> Void) throws -> String {
    try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: stackCapacity) { stack in
      guard let start = stack.baseAddress else { preconditionFailure("a temporary allocation of 256 bytes has no address") }
      var builder = TextBuilder(base: start, capacity: stack.count)
      defer { builder.releaseHeap() }
      try body(&builder)
      if builder.tooLong { throw TextLimit.failure("string interpolation") }
      return builder.string
    }
  }

  private init(base: UnsafeMutablePointer<UInt8>, capacity: Int) {
    self.base = base
    self.capacity = capacity
  }

  private mutating func releaseHeap() {
    if ownsBase { base.deallocate() }
    ownsBase = false
  }

  /// Appends a literal's bytes, in the caller: a call would cost as much as the copy.
  @inline(__always)
  mutating func append(_ literal: LiteralBytes) {
    guard let source = literal.bytes.baseAddress else { return }
    appendBytes(source, literal.bytes.count, isASCII: literal.isASCII)
  }

  mutating func append(_ text: String) {
    // Native strings lend their bytes; only a string without contiguous UTF-8 is copied.
    let appended: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
      guard let source = bytes.baseAddress else { return }
      // The flag answers at once when it says ASCII; otherwise a short piece is learnt from
      // while it is copied, so that ASCII made without the flag still makes ASCII text.
      let flagged = text.isAllASCII
      appendBytes(source, bytes.count, isASCII: flagged ? true : bytes.count > TextBuilder.stackCapacity ? false : nil)
    }
    if appended == nil {
      var text = text
      text.withUTF8 { bytes in
        if let source = bytes.baseAddress { appendBytes(source, bytes.count, isASCII: false) }
      }
    }
  }

  /// Appends `length` bytes of valid UTF-8. `isASCII` says whether they are all ASCII when
  /// the caller knows, and then they are only copied; when nil, a piece of up to
  /// `stackCapacity` bytes is learnt from while it is copied, a longer one read.
  @inline(__always)
  private mutating func appendBytes(_ source: UnsafePointer<UInt8>, _ length: Int, isASCII: Bool?) {
    if length > capacity &- count {
      guard makeRoom(for: length) else { return }
    }
    if let isASCII {
      TextBuilder.copy(length, from: source, to: base + count)
      if !isASCII { highBits |= 0x80 }
    } else if length <= TextBuilder.stackCapacity {
      highBits |= TextBuilder.copyNotingHighBits(length, from: source, to: base + count)
    } else {
      (base + count).update(from: source, count: length)
      if !UnsafeBufferPointer(start: source, count: length).isASCII { highBits |= 0x80 }
    }
    count &+= length
  }

  /// Moves the text to a heap buffer with room for `length` more bytes and gives true; false,
  /// setting `tooLong`, when the text would pass the limit.
  @inline(never)
  private mutating func makeRoom(for length: Int) -> Bool {
    guard !tooLong, count + length <= Operators.maxStringBytes else {
      tooLong = true
      return false
    }
    // An eighth more than the text needs: a long piece is often followed by a few short ones,
    // which then need no second move of it.
    let needed = count + length
    let grown = Swift.max(capacity * 2, needed + needed / 8)
    let heap = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
    heap.initialize(from: base, count: count)
    releaseHeap()
    base = heap
    capacity = grown
    ownsBase = true
    return true
  }

  mutating func append(_ value: Int) {
    let length = DecimalDigits.length(of: value)
    if length > capacity &- count {
      guard makeRoom(for: length) else { return }
    }
    DecimalDigits.write(value, length: length, at: base + count)
    count &+= length
  }

  /// A value as `print` shows it.
  mutating func append(_ value: Value) {
    switch value {
    case .string(let s): append(s)
    case .int(let i): append(i)
    case .float(let f): append(Value.formatFloat(f))
    default: append(value.description)
    }
  }

  /// Copies `count` bytes. The pieces of interpolations are mostly a few bytes long, which
  /// two overlapping loads and stores move in less time than a call of `memmove` takes.
  @inline(__always)
  static func copy(_ count: Int, from source: UnsafePointer<UInt8>, to target: UnsafeMutablePointer<UInt8>) {
    let from = UnsafeRawPointer(source), to = UnsafeMutableRawPointer(target)
    switch count {
    case 8...16:
      to.storeBytes(of: from.loadUnaligned(as: UInt64.self), as: UInt64.self)
      (to + count - 8).storeBytes(of: (from + count - 8).loadUnaligned(as: UInt64.self), as: UInt64.self)
    case 4..<8:
      to.storeBytes(of: from.loadUnaligned(as: UInt32.self), as: UInt32.self)
      (to + count - 4).storeBytes(of: (from + count - 4).loadUnaligned(as: UInt32.self), as: UInt32.self)
    case 2..<4:
      to.storeBytes(of: from.loadUnaligned(as: UInt16.self), as: UInt16.self)
      (to + count - 2).storeBytes(of: (from + count - 2).loadUnaligned(as: UInt16.self), as: UInt16.self)
    case 1: target[0] = source[0]
    case 0: break
    default: target.update(from: source, count: count)
    }
  }

  /// `copy` for pieces of up to `stackCapacity` bytes, moved in words, which it gives or-ed
  /// together (some bytes twice): their top bits say whether a byte is beyond ASCII.
  @inline(__always)
  static func copyNotingHighBits(_ count: Int, from source: UnsafePointer<UInt8>, to target: UnsafeMutablePointer<UInt8>) -> UInt64 {
    let from = UnsafeRawPointer(source), to = UnsafeMutableRawPointer(target)
    @inline(__always) func move<Word: FixedWidthInteger & UnsignedInteger>(_: Word.Type, at offset: Int) -> UInt64 {
      let word = (from + offset).loadUnaligned(as: Word.self)
      (to + offset).storeBytes(of: word, as: Word.self)
      return UInt64(word)
    }
    switch count {
    case 8...16: return move(UInt64.self, at: 0) | move(UInt64.self, at: count &- 8)
    case 4..<8: return move(UInt32.self, at: 0) | move(UInt32.self, at: count &- 4)
    case 2..<4: return move(UInt16.self, at: 0) | move(UInt16.self, at: count &- 2)
    case 1: return move(UInt8.self, at: 0)
    case 0: return 0
    default:
      // Sixteen bytes a step, then the last eight or sixteen, overlapping bytes already moved.
      var bits: UInt64 = 0
      var offset = 0
      while offset &+ 16 <= count {
        bits |= move(UInt64.self, at: offset) | move(UInt64.self, at: offset &+ 8)
        offset &+= 16
      }
      if offset &+ 8 < count { bits |= move(UInt64.self, at: offset) }
      return bits | move(UInt64.self, at: count &- 8)
    }
  }

  /// The text, unchecked: every piece appended was a whole string, decimal digits or a
  /// literal, so the bytes are valid UTF-8.
  /// Up to 15 bytes the string is made inline, with no allocation (`InlineString`). Inlined,
  /// as it was before it had two ways: a call costs a tenth of making a string.
  @inline(__always)
  var string: String {
    if count <= InlineString.capacity && InlineString.isAvailable { return InlineString.make(base, count) }
    return String(validUTF8: UnsafeBufferPointer(start: base, count: count), isASCII: highBits & 0x8080_8080_8080_8080 == 0)
  }
}

/// The UTF-8 of a literal, copied out once when the code is compiled: appending it then
/// takes no reference count and no look at how the string is stored.
final class LiteralBytes {
  let bytes: UnsafeBufferPointer<UInt8>
  let isASCII: Bool

  init(_ text: String) {
    let storage = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: text.utf8.count)
    _ = storage.initialize(from: text.utf8)
    bytes = UnsafeBufferPointer(storage)
    isASCII = bytes.isASCII
  }

  deinit { bytes.deallocate() }
}
