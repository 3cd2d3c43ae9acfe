import Foundation

extension String {
  /// The number of characters, as `count` gives it, found quickly for ASCII text.
  ///
  /// `count` walks grapheme boundaries, about six instructions a byte. In ASCII text every
  /// byte is a character except that "\r\n" is one, so the bytes are checked eight at a time
  /// and carriage returns found with `memchr`.
  var characterCount: Int {
    let counted: Int?? = utf8.withContiguousStorageIfAvailable { bytes -> Int? in
      guard let start = bytes.baseAddress else { return 0 }
      let length = bytes.count
      var index = 0
      while index + 8 <= length {
        if UnsafeRawPointer(start + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return nil }
        index += 8
      }
      while index < length {
        if start[index] >= 0x80 { return nil }
        index += 1
      }
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
