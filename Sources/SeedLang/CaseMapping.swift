import Foundation

/// Upper- and lowercase as Swift's `uppercased()` and `lowercased()` give them: each scalar
/// mapped on its own by Unicode's full case mapping (ß becomes SS, İ becomes i̇), with no
/// context. ASCII is mapped eight bytes at a time; other scalars through a table filled from
/// the Unicode properties a block of 256 scalars at a time, as texts need them, instead of
/// asking the properties, which build a string per scalar, every time.
final class CaseMapping: @unchecked Sendable {
  static let upper = CaseMapping(ascii: 0x61...0x7A) { $0.properties.uppercaseMapping }
  static let lower = CaseMapping(ascii: 0x41...0x5A) { $0.properties.lowercaseMapping }

  /// The ASCII letters that change: a to z for uppercase, A to Z for lowercase.
  private let ascii: ClosedRange<UInt8>
  private let mapping: (Unicode.Scalar) -> String
  /// Per block of 256 scalars, each scalar's mapping: the scalar it becomes, or, with the
  /// top bit set, the index in `longMappings` of the scalars it becomes.
  private var blocks: [[UInt32]?] = Array(repeating: nil, count: 0x110000 >> 8)
  private var longMappings: [[UInt8]] = []
  /// Held while a text with scalars beyond ASCII is mapped: `parallel` may map on threads.
  private let lock = NSLock()

  private static let long: UInt32 = 0x8000_0000

  private init(ascii: ClosedRange<UInt8>, mapping: @escaping (Unicode.Scalar) -> String) {
    self.ascii = ascii
    self.mapping = mapping
  }

  func callAsFunction(_ text: TextBytes) -> String {
    guard let source = text.bytes.baseAddress else { return "" }
    if text.bytes.isASCII {
      return String(unsafeUninitializedCapacity: text.count) { out in
        guard let target = out.baseAddress else { return 0 }
        mapASCII(source, text.count, into: target)
        return text.count
      }
    }
    lock.lock()
    defer { lock.unlock() }
    let length = mappedLength(text)
    return String(unsafeUninitializedCapacity: length) { out in
      guard let target = out.baseAddress else { return 0 }
      return write(text, into: target)
    }
  }

  /// Maps `count` ASCII bytes. Each word of eight gets 0x20 flipped in the bytes that are
  /// letters of the range, found by adding to every byte at once.
  private func mapASCII(_ source: UnsafePointer<UInt8>, _ count: Int, into target: UnsafeMutablePointer<UInt8>) {
    let below = 0x0101_0101_0101_0101 &* UInt64(0x80 - ascii.lowerBound)
    let above = 0x0101_0101_0101_0101 &* UInt64(0x7F - ascii.upperBound)
    var offset = 0
    while offset + 8 <= count {
      let word = UnsafeRawPointer(source + offset).loadUnaligned(as: UInt64.self)
      let letters = (word &+ below) & ~(word &+ above) & 0x8080_8080_8080_8080
      UnsafeMutableRawPointer(target + offset).storeBytes(of: word ^ (letters >> 2), as: UInt64.self)
      offset += 8
    }
    while offset < count {
      let byte = source[offset]
      target[offset] = ascii.contains(byte) ? byte ^ 0x20 : byte
      offset += 1
    }
  }

  /// The UTF-8 length of the mapped text.
  private func mappedLength(_ text: TextBytes) -> Int {
    var length = 0
    forEachScalar(text) { asciiRun, scalar in
      if let asciiRun { length += asciiRun.count; return }
      let entry = self.entry(scalar)
      length += entry & CaseMapping.long != 0 ? longMappings[Int(entry ^ CaseMapping.long)].count : CaseMapping.utf8Length(entry)
    }
    return length
  }

  /// Writes the mapped text at `target`, which has room for it, and gives its length.
  private func write(_ text: TextBytes, into target: UnsafeMutablePointer<UInt8>) -> Int {
    var written = 0
    forEachScalar(text) { asciiRun, scalar in
      if let asciiRun, let start = asciiRun.baseAddress {
        mapASCII(start, asciiRun.count, into: target + written)
        written += asciiRun.count
        return
      }
      let entry = self.entry(scalar)
      if entry & CaseMapping.long != 0 {
        for byte in longMappings[Int(entry ^ CaseMapping.long)] {
          target[written] = byte
          written += 1
        }
      } else {
        written += CaseMapping.encode(entry, at: target + written)
      }
    }
    return written
  }

  /// Calls `body` with each run of ASCII bytes, and with each other scalar.
  private func forEachScalar(_ text: TextBytes, _ body: (UnsafeBufferPointer<UInt8>?, UInt32) -> Void) {
    guard let base = text.bytes.baseAddress else { return }
    var offset = 0
    while offset < text.count {
      var end = offset
      while end < text.count && base[end] < 0x80 { end += 1 }
      if end > offset {
        body(UnsafeBufferPointer(start: base + offset, count: end - offset), 0)
        offset = end
        continue
      }
      let (scalar, length) = TextBytes.decode(base + offset)
      body(nil, scalar)
      offset += length
    }
  }

  /// The table's entry for `scalar`, filling its block the first time.
  private func entry(_ scalar: UInt32) -> UInt32 {
    let block = Int(scalar >> 8)
    if let entries = blocks[block] { return entries[Int(scalar & 0xFF)] }
    var entries = [UInt32](repeating: 0, count: 256)
    for index in 0..<256 {
      let value = UInt32(block << 8 | index)
      guard let scalar = Unicode.Scalar(value) else { continue }  // surrogates do not occur
      let mapped = mapping(scalar).unicodeScalars
      if mapped.count == 1, let single = mapped.first {
        entries[index] = single.value
      } else {
        entries[index] = CaseMapping.long | UInt32(longMappings.count)
        longMappings.append(Array(String(mapped).utf8))
      }
    }
    blocks[block] = entries
    return entries[Int(scalar & 0xFF)]
  }

  static func utf8Length(_ scalar: UInt32) -> Int {
    scalar < 0x80 ? 1 : scalar < 0x800 ? 2 : scalar < 0x10000 ? 3 : 4
  }

  /// Writes `scalar` in UTF-8 and gives the bytes it took.
  private static func encode(_ scalar: UInt32, at target: UnsafeMutablePointer<UInt8>) -> Int {
    switch utf8Length(scalar) {
    case 1:
      target[0] = UInt8(scalar)
      return 1
    case 2:
      target[0] = UInt8(0xC0 | scalar >> 6)
      target[1] = UInt8(0x80 | scalar & 0x3F)
      return 2
    case 3:
      target[0] = UInt8(0xE0 | scalar >> 12)
      target[1] = UInt8(0x80 | scalar >> 6 & 0x3F)
      target[2] = UInt8(0x80 | scalar & 0x3F)
      return 3
    default:
      target[0] = UInt8(0xF0 | scalar >> 18)
      target[1] = UInt8(0x80 | scalar >> 12 & 0x3F)
      target[2] = UInt8(0x80 | scalar >> 6 & 0x3F)
      target[3] = UInt8(0x80 | scalar & 0x3F)
      return 4
    }
  }
}
