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
  /// top bit set, the index in `longMappings` of the scalars it becomes. Blocks are plain
  /// memory, read without reference counting or exclusivity checks, and live as long as the
  /// process, as the two tables do.
  private let blocks: UnsafeMutablePointer<UnsafeMutablePointer<UInt32>?>
  @exclusivity(unchecked) private var longMappings: [[UInt8]] = []
  /// Held while a text with scalars beyond ASCII is mapped: `parallel` may map on threads.
  private let lock = NSLock()

  private static let long: UInt32 = 0x8000_0000

  private init(ascii: ClosedRange<UInt8>, mapping: @escaping (Unicode.Scalar) -> String) {
    self.ascii = ascii
    self.mapping = mapping
    blocks = .allocate(capacity: 0x110000 >> 8)
    blocks.initialize(repeating: nil, count: 0x110000 >> 8)
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
    // Most text keeps its length, or nearly: one pass into a little more room than it has,
    // and only when that is not enough, a first pass to measure. The mapping writes whole
    // scalars, so the result is not checked again.
    var fitted = true
    let room = text.count + text.count / 8 + 16
    let result = String.writingValidUTF8(capacity: room) { target in
      guard let written = write(text, into: target, capacity: room) else {
        fitted = false
        return 0
      }
      return written
    }
    if fitted { return result }
    let length = mappedLength(text)
    return String.writingValidUTF8(capacity: length) { target in write(text, into: target, capacity: length) ?? 0 }
  }

  /// Maps `count` ASCII bytes. Each word of eight gets 0x20 flipped in the bytes that are
  /// letters of the range, found by adding to every byte at once.
  private func mapASCII(_ source: UnsafePointer<UInt8>, _ count: Int, into target: UnsafeMutablePointer<UInt8>) {
    var offset = 0
    while offset + 8 <= count {
      let word = UnsafeRawPointer(source + offset).loadUnaligned(as: UInt64.self)
      UnsafeMutableRawPointer(target + offset).storeBytes(of: mapped(word), as: UInt64.self)
      offset += 8
    }
    while offset < count {
      target[offset] = mapped(source[offset])
      offset += 1
    }
  }

  /// Eight ASCII bytes mapped at once.
  @inline(__always)
  private func mapped(_ word: UInt64) -> UInt64 {
    let below = 0x0101_0101_0101_0101 &* UInt64(0x80 &- ascii.lowerBound)
    let above = 0x0101_0101_0101_0101 &* UInt64(0x7F &- ascii.upperBound)
    return word ^ (((word &+ below) & ~(word &+ above) & 0x8080_8080_8080_8080) >> 2)
  }

  /// One ASCII byte mapped.
  @inline(__always)
  private func mapped(_ byte: UInt8) -> UInt8 {
    ascii.contains(byte) ? byte ^ 0x20 : byte
  }

  // The two passes below are straight loops over the bytes, one scalar or eight ASCII bytes
  // a step: text beyond ASCII has a few ASCII bytes between its other scalars, and a call or
  // a closure per run of them cost more than the mapping itself.

  /// The UTF-8 length of the mapped text.
  private func mappedLength(_ text: TextBytes) -> Int {
    guard let base = text.bytes.baseAddress else { return 0 }
    let count = text.count
    var length = 0
    var offset = 0
    while offset < count {
      if offset + 8 <= count && UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
        offset += 8
        length += 8
        continue
      }
      if base[offset] < 0x80 {
        offset += 1
        length += 1
        continue
      }
      let (scalar, scalarLength) = TextBytes.decode(base + offset)
      let entry = self.entry(scalar)
      length += entry & CaseMapping.long != 0 ? longMappings[Int(entry ^ CaseMapping.long)].count : CaseMapping.utf8Length(entry)
      offset += scalarLength
    }
    return length
  }

  /// Writes the mapped text at `target`, which has room for `capacity` bytes, and gives its
  /// length; nil when it does not fit.
  private func write(_ text: TextBytes, into target: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int? {
    guard let base = text.bytes.baseAddress else { return 0 }
    let count = text.count
    var written = 0
    var offset = 0
    while offset < count {
      // Eight bytes of room, the most a step writes but for a long mapping, checked once a step.
      guard written + 8 <= capacity else { return writeTail(text, from: offset, into: target, written: written, capacity: capacity) }
      if offset + 8 <= count {
        let word = UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self)
        let high = word & 0x8080_8080_8080_8080
        // The ASCII bytes before the first other one are mapped as a word too: the sums of
        // `mapped` carry only towards later bytes, whose results are written over next.
        let asciiBytes = high == 0 ? 8 : high.trailingZeroBitCount >> 3
        if asciiBytes > 0 {
          UnsafeMutableRawPointer(target + written).storeBytes(of: mapped(word), as: UInt64.self)
          offset += asciiBytes
          written += asciiBytes
          continue
        }
      } else if base[offset] < 0x80 {
        target[written] = mapped(base[offset])
        offset += 1
        written += 1
        continue
      }
      let (scalar, scalarLength) = TextBytes.decode(base + offset)
      let entry = self.entry(scalar)
      if entry & CaseMapping.long != 0 {
        guard let end = writeLong(entry, into: target, at: written, capacity: capacity) else { return nil }
        written = end
      } else {
        written += CaseMapping.encode(entry, at: target + written)
      }
      offset += scalarLength
    }
    return written
  }

  /// Writes the mapping of a scalar that maps to several (`ß` to `SS`) at `written`; where
  /// the written bytes end, or nil when they would pass `capacity`.
  @inline(__always)
  private func writeLong(_ entry: UInt32, into target: UnsafeMutablePointer<UInt8>, at written: Int, capacity: Int) -> Int? {
    let bytes = longMappings[Int(entry ^ CaseMapping.long)]
    guard written + bytes.count <= capacity else { return nil }
    var end = written
    for byte in bytes {
      target[end] = byte
      end += 1
    }
    return end
  }

  /// The end of `write`, where fewer than eight bytes of room are left: one scalar at a time,
  /// each checked against the room.
  private func writeTail(
    _ text: TextBytes, from start: Int, into target: UnsafeMutablePointer<UInt8>, written alreadyWritten: Int, capacity: Int
  ) -> Int? {
    guard let base = text.bytes.baseAddress else { return alreadyWritten }
    var offset = start, written = alreadyWritten
    while offset < text.count {
      let (scalar, scalarLength) = TextBytes.decode(base + offset)
      if scalar < 0x80 {
        guard written < capacity else { return nil }
        target[written] = mapped(UInt8(scalar))
        written += 1
      } else {
        let entry = self.entry(scalar)
        if entry & CaseMapping.long != 0 {
          guard let end = writeLong(entry, into: target, at: written, capacity: capacity) else { return nil }
          written = end
        } else {
          guard written + CaseMapping.utf8Length(entry) <= capacity else { return nil }
          written += CaseMapping.encode(entry, at: target + written)
        }
      }
      offset += scalarLength
    }
    return written
  }

  /// The table's entry for `scalar`, filling its block the first time.
  @inline(__always)
  private func entry(_ scalar: UInt32) -> UInt32 {
    let block = Int(scalar >> 8)
    if let entries = blocks[block] { return entries[Int(scalar & 0xFF)] }
    return filledBlock(block)[Int(scalar & 0xFF)]
  }

  /// The entries of a block, worked out from the Unicode properties.
  @inline(never)
  private func filledBlock(_ block: Int) -> UnsafeMutablePointer<UInt32> {
    let entries = UnsafeMutablePointer<UInt32>.allocate(capacity: 256)
    entries.initialize(repeating: 0, count: 256)
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
    return entries
  }

  static func utf8Length(_ scalar: UInt32) -> Int {
    scalar < 0x80 ? 1 : scalar < 0x800 ? 2 : scalar < 0x10000 ? 3 : 4
  }

  /// Writes `scalar` in UTF-8 and gives the bytes it took.
  @inline(__always)
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
