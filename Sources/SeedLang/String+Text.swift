import Foundation

// Text in the interpreter's hot paths: a string's length, whether bytes are ASCII, ints in
// decimal, and strings built from pieces and literals, each without the general machinery of
// Swift's String that they do not need.

extension String {
  /// The number of characters, as `count` gives it, found quickly for ASCII text.
  ///
  /// `count` walks grapheme boundaries, about six instructions a byte. In ASCII text every
  /// byte is a character except that "\r\n" is one, so the bytes are checked eight at a time
  /// and carriage returns found with `memchr`.
  var characterCount: Int {
    let counted: Int?? = utf8.withContiguousStorageIfAvailable { bytes -> Int? in
      guard bytes.isASCII else { return nil }
      guard let start = bytes.baseAddress else { return 0 }
      let length = bytes.count
      var pairs = 0
      var from = start
      let end = start + length
      while from < end, let found = memchr(from, 0x0D, end - from) {
        let carriageReturn = UnsafePointer(found.assumingMemoryBound(to: UInt8.self))
        if carriageReturn + 1 < end && carriageReturn[1] == 0x0A { pairs += 1 }
        from = carriageReturn + 1
      }
      return length - pairs
    }
    return (counted ?? nil) ?? count
  }
}

extension UnsafeBufferPointer<UInt8> {
  /// Whether every byte is ASCII, checked eight bytes at a time.
  var isASCII: Bool {
    guard let start = baseAddress else { return true }
    var index = 0
    while index + 8 <= count {
      if UnsafeRawPointer(start + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
      index += 8
    }
    while index < count {
      if start[index] >= 0x80 { return false }
      index += 1
    }
    return true
  }
}

extension String {
  /// Appends `value` in decimal. `String(value)` formats through the generic integer code,
  /// several times the work for the ints that strings are built from.
  mutating func appendDecimal(_ value: Int) {
    String.withDecimal(value) { self += String(decoding: $0, as: UTF8.self) }
  }

  /// Calls `body` with the UTF-8 of `value` in decimal, in a buffer on the stack. Two digits
  /// at a time, with wrapping arithmetic: the digits of an int cannot overflow.
  static func withDecimal<Result>(_ value: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
    try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
      var magnitude = value.magnitude
      var start = digits.count
      while magnitude >= 100 {
        let quotient = magnitude / 100
        let pair = magnitude &- quotient &* 100
        start &-= 2
        digits[start] = UInt8(truncatingIfNeeded: 48 &+ pair / 10)
        digits[start &+ 1] = UInt8(truncatingIfNeeded: 48 &+ pair % 10)
        magnitude = quotient
      }
      if magnitude >= 10 {
        start &-= 2
        digits[start] = UInt8(truncatingIfNeeded: 48 &+ magnitude / 10)
        digits[start &+ 1] = UInt8(truncatingIfNeeded: 48 &+ magnitude % 10)
      } else {
        start &-= 1
        digits[start] = UInt8(truncatingIfNeeded: 48 &+ magnitude)
      }
      if value < 0 {
        start &-= 1
        digits[start] = 45  // "-"
      }
      return try body(UnsafeBufferPointer(rebasing: digits[start...]))
    }
  }
}

/// Text gathered as UTF-8 and made a string once: appending to a String costs a few hundred
/// instructions each time, most of it deciding where the bytes go. Short text stays in a
/// buffer on the stack; longer text moves to the heap.
struct TextBuilder {
  private let stack: UnsafeMutableBufferPointer<UInt8>
  private var count = 0
  private var heap: [UInt8]?

  static let stackCapacity = 256

  /// Runs `body` with a builder whose stack buffer lives for the call.
  static func build(_ body: (inout TextBuilder) throws -> Void) rethrows -> String {
    try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: stackCapacity) { stack in
      var builder = TextBuilder(stack: stack)
      try body(&builder)
      return builder.string
    }
  }

  private init(stack: UnsafeMutableBufferPointer<UInt8>) { self.stack = stack }

  mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    if heap == nil, count + bytes.count <= stack.count, let base = stack.baseAddress, let source = bytes.baseAddress {
      (base + count).update(from: source, count: bytes.count)
      count += bytes.count
      return
    }
    if heap == nil { heap = Array(stack[..<count]) }
    heap?.append(contentsOf: bytes)
  }

  mutating func append(_ text: String) {
    // Native strings lend their bytes; only a string without contiguous UTF-8 is copied.
    let appended: Void? = text.utf8.withContiguousStorageIfAvailable { append($0) }
    if appended == nil {
      var text = text
      text.withUTF8 { append($0) }
    }
  }

  mutating func append(_ value: Int) {
    // With room for any int, the digits are written backwards into the free end of the
    // stack buffer, then moved into place.
    guard heap == nil, count + 40 <= stack.count, let base = stack.baseAddress else {
      String.withDecimal(value) { append($0) }
      return
    }
    let end = base + count + 40
    var start = end
    var magnitude = value.magnitude
    repeat {
      let quotient = magnitude / 10
      start -= 1
      start.pointee = UInt8(truncatingIfNeeded: 48 &+ (magnitude &- quotient &* 10))
      magnitude = quotient
    } while magnitude > 0
    if value < 0 {
      start -= 1
      start.pointee = 45  // "-"
    }
    let length = end - start
    (base + count).update(from: start, count: length)
    count += length
  }

  /// A value as `print` shows it.
  mutating func append(_ value: Value) {
    switch value {
    case .string(let s): append(s)
    case .int(let i): append(i)
    default: append(value.description)
    }
  }

  var string: String {
    if let heap { return String(decoding: heap, as: UTF8.self) }
    return String(decoding: UnsafeBufferPointer(rebasing: stack[..<count]), as: UTF8.self)
  }
}

/// The UTF-8 of a literal, copied out once when the code is compiled: appending it then
/// takes no reference count and no look at how the string is stored.
final class LiteralBytes {
  let bytes: UnsafeBufferPointer<UInt8>

  init(_ text: String) {
    let storage = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: text.utf8.count)
    _ = storage.initialize(from: text.utf8)
    bytes = UnsafeBufferPointer(storage)
  }

  deinit { bytes.deallocate() }
}
