import Foundation

/// Upper- and lowercase as Swift's `uppercased()` and `lowercased()` give them: each scalar
/// mapped on its own by Unicode's full case mapping (ß becomes SS, İ becomes i̇), with no
/// context. ASCII is mapped 32 bytes at a time; other scalars through a table filled from
/// the Unicode properties a block of 256 scalars at a time, as texts need them, instead of
/// asking the properties, which build a string per scalar, every time.
final class CaseMapping: @unchecked Sendable {
  static let upper = CaseMapping(ascii: 0x61...0x7A) { $0.properties.uppercaseMapping }
  static let lower = CaseMapping(ascii: 0x41...0x5A) { $0.properties.lowercaseMapping }

  /// The ASCII letters that change: a to z for uppercase, A to Z for lowercase.
  private let ascii: ASCIILetters
  private let mapping: (Unicode.Scalar) -> String
  /// Per block of 256 scalars, each scalar's mapping: the scalar it becomes, or, with the
  /// top bit set, the index in `longMappings` of the scalars it becomes. Blocks are plain
  /// memory, read without reference counting or exclusivity checks, and live as long as the
  /// process, as the two tables do.
  private let blocks: UnsafeMutablePointer<UnsafeMutablePointer<UInt32>?>
  @exclusivity(unchecked) private var longMappings: [[UInt8]] = []
  /// For each scalar of two bytes in UTF-8 (below 0x800), the two bytes of its mapping, first
  /// byte high, when that is two bytes too; 0 otherwise, or while its block is not filled.
  private let twoByteMappings: UnsafeMutablePointer<UInt16>
  /// Held while a text with scalars beyond ASCII is mapped: `parallel` may map on threads.
  private let lock = NSLock()
  /// `InlineString.isAvailable`, read once here: each read of the global is a call.
  private let inline = InlineString.isAvailable

  private static let long: UInt32 = 0x8000_0000

  private init(ascii: ClosedRange<UInt8>, mapping: @escaping (Unicode.Scalar) -> String) {
    self.ascii = ASCIILetters(ascii)
    self.mapping = mapping
    blocks = .allocate(capacity: 0x110000 >> 8)
    blocks.initialize(repeating: nil, count: 0x110000 >> 8)
    twoByteMappings = .allocate(capacity: 0x800)
    twoByteMappings.initialize(repeating: 0, count: 0x800)
  }

  func callAsFunction(_ text: TextBytes) -> String {
    guard let source = text.bytes.baseAddress, text.count > 0 else { return "" }
    let count = text.count
    // A long string knows whether it is ASCII; mapped straight into the new string's storage,
    // it is read once and written once (Swift then checks the result, at half a byte's cost).
    if count > 256 && text.string.isAllASCII {
      return String(unsafeUninitializedCapacity: count) { out in
        guard let target = out.baseAddress else { return 0 }
        var changed: UInt64 = 0
        let mapped = mapASCII(source, count, into: target, changed: &changed)
        precondition(mapped == count, "a string flagged ASCII has a byte beyond ASCII")
        return count
      }
    }
    // Otherwise the bytes are mapped as ASCII as far as they are, which for ASCII text is the
    // whole of it, learnt on the way instead of in a pass of its own; the rest is mapped
    // scalar by scalar. Most text keeps its length, or nearly: one pass into a little more
    // room than it has, and only when that is not enough, a first pass to measure. The
    // mapping writes whole scalars, so the result is not checked again.
    let room = count + count / 8 + 16
    var fitted = true
    let result = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: room) { buffer -> String in
      guard let target = buffer.baseAddress else { return "" }
      var changed: UInt64 = 0
      let asciiPrefix = mapASCII(source, count, into: target, changed: &changed)
      if asciiPrefix == count {
        // ASCII text the mapping leaves as it was ("ok".lower()) is that string again, with
        // no copy; up to 15 bytes the result is made inline, with no allocation.
        if changed == 0 { return text.string }
        if count <= InlineString.capacity && inline { return InlineString.make(target, count) }
        return String(validUTF8: UnsafeBufferPointer(start: target, count: count), isASCII: true)
      }
      lock.lock()
      defer { lock.unlock() }
      guard let written = write(text, from: asciiPrefix, into: target, capacity: room) else {
        fitted = false
        return ""
      }
      if written <= InlineString.capacity && inline { return InlineString.make(target, written) }
      return String(validUTF8: UnsafeBufferPointer(start: target, count: written))
    }
    if fitted { return result }
    lock.lock()
    defer { lock.unlock() }
    let length = mappedLength(text)
    return String.writingValidUTF8(capacity: length) { target in write(text, from: 0, into: target, capacity: length) ?? 0 }
  }

  /// Maps the ASCII bytes at the start of `count` bytes to `target`, 32 a step, and gives
  /// how many it mapped: `count` when all are ASCII, else a multiple of eight that ends at or
  /// before the first byte beyond ASCII. Each word of eight gets 0x20 flipped in the bytes
  /// that are letters of the range, found by adding to every byte at once. The bits flipped
  /// are or-ed into `changed`: 0 when the mapped bytes are the bytes.
  private func mapASCII(
    _ source: UnsafePointer<UInt8>, _ count: Int, into target: UnsafeMutablePointer<UInt8>, changed: inout UInt64
  ) -> Int {
    let high: UInt64 = 0x8080_8080_8080_8080
    let ascii = self.ascii  // a local, which the stores below cannot change, so kept in registers
    @inline(__always) func load(_ offset: Int) -> UInt64 { UnsafeRawPointer(source + offset).loadUnaligned(as: UInt64.self) }
    var flipped: UInt64 = 0  // a local, kept in a register, stored into `changed` once
    defer { changed |= flipped }
    @inline(__always) func store(_ word: UInt64, _ offset: Int) {
      let flips = ascii.flips(word)
      flipped |= flips
      UnsafeMutableRawPointer(target + offset).storeBytes(of: word ^ flips, as: UInt64.self)
    }
    guard count >= 8 else {
      for offset in 0..<count {
        guard source[offset] < 0x80 else { return 0 }
        let mapped = ascii.mapped(source[offset])
        flipped |= UInt64(mapped ^ source[offset])
        target[offset] = mapped
      }
      return count
    }
    var offset = 0
    while offset &+ 32 <= count {
      let first = load(offset), second = load(offset &+ 8), third = load(offset &+ 16), fourth = load(offset &+ 24)
      guard (first | second | third | fourth) & high == 0 else { break }
      store(first, offset)
      store(second, offset &+ 8)
      store(third, offset &+ 16)
      store(fourth, offset &+ 24)
      offset &+= 32
    }
    if offset &+ 16 <= count {
      let first = load(offset), second = load(offset &+ 8)
      if (first | second) & high == 0 {
        store(first, offset)
        store(second, offset &+ 8)
        offset &+= 16
      }
    }
    while offset &+ 8 <= count {
      let word = load(offset)
      guard word & high == 0 else { return offset }
      store(word, offset)
      offset &+= 8
    }
    guard offset < count else { return count }
    // The last bytes as the word that ends with them, over bytes already mapped the same way.
    let last = load(count &- 8)
    guard last & high == 0 else { return offset }
    store(last, count &- 8)
    return count
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
  /// length; nil when it does not fit. The first `start` bytes, ASCII, are mapped there already.
  private func write(_ text: TextBytes, from start: Int, into target: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int? {
    guard let base = text.bytes.baseAddress else { return 0 }
    let count = text.count
    let ascii = self.ascii
    var written = start
    var offset = start
    while offset < count {
      // Eight bytes of room, the most a step writes but for a long mapping, checked once a step.
      guard written &+ 8 <= capacity else { return writeTail(text, from: offset, into: target, written: written, capacity: capacity) }
      if offset &+ 8 <= count {
        let word = UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self)
        let high = word & 0x8080_8080_8080_8080
        if high == 0 {
          // A run of ASCII words, each as long mapped: as many as the text and the room hold.
          let last = Swift.min(count &- 8, offset &+ (capacity &- written) &- 8)
          UnsafeMutableRawPointer(target + written).storeBytes(of: ascii.mapped(word), as: UInt64.self)
          offset &+= 8
          written &+= 8
          while offset <= last {
            let next = UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self)
            guard next & 0x8080_8080_8080_8080 == 0 else { break }
            UnsafeMutableRawPointer(target + written).storeBytes(of: ascii.mapped(next), as: UInt64.self)
            offset &+= 8
            written &+= 8
          }
          continue
        }
        // The ASCII bytes before the first other one are mapped as a word too: the sums of
        // `mapped` carry only towards later bytes, whose results are written over next.
        // A scalar beyond ASCII follows them, mapped next without going round the loop when
        // the room holds its four bytes.
        let asciiBytes = high.trailingZeroBitCount >> 3
        if asciiBytes > 0 {
          UnsafeMutableRawPointer(target + written).storeBytes(of: ascii.mapped(word), as: UInt64.self)
          offset &+= asciiBytes
          written &+= asciiBytes
          guard written &+ 4 <= capacity else { continue }
        }
      } else if base[offset] < 0x80 {
        target[written] = ascii.mapped(base[offset])
        offset &+= 1
        written &+= 1
        continue
      }
      // A scalar of two bytes that maps to one of two bytes, the most common kind beyond ASCII
      // (accented Latin, Greek, Cyrillic), straight from its table once its block is known.
      let lead = base[offset]
      if lead & 0xE0 == 0xC0 {
        let pair = twoByteMappings[Int(lead & 0x1F) << 6 | Int(base[offset + 1] & 0x3F)]
        if pair != 0 {
          target[written] = UInt8(truncatingIfNeeded: pair >> 8)
          target[written + 1] = UInt8(truncatingIfNeeded: pair)
          offset &+= 2
          written &+= 2
          continue
        }
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
        target[written] = ascii.mapped(UInt8(scalar))
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
        if (0x80..<0x800).contains(value) && (0x80..<0x800).contains(single.value) {
          twoByteMappings[Int(value)] = UInt16(0xC0 | single.value >> 6) << 8 | UInt16(0x80 | single.value & 0x3F)
        }
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

/// The ASCII letters a case mapping changes, a range of 26 whose bytes get 0x20 flipped.
private struct ASCIILetters {
  /// Added to every byte of a word, these carry into the top bit of the bytes at or above the
  /// range's first letter, and of the bytes above its last.
  private let fromFirst: UInt64
  private let pastLast: UInt64
  private let letters: ClosedRange<UInt8>

  init(_ letters: ClosedRange<UInt8>) {
    self.letters = letters
    fromFirst = 0x0101_0101_0101_0101 &* UInt64(0x80 &- letters.lowerBound)
    pastLast = 0x0101_0101_0101_0101 &* UInt64(0x7F &- letters.upperBound)
  }

  /// Eight ASCII bytes mapped at once.
  @inline(__always)
  func mapped(_ word: UInt64) -> UInt64 { word ^ flips(word) }

  /// The bits that mapping eight ASCII bytes flips: 0x20 in each letter of the range.
  @inline(__always)
  func flips(_ word: UInt64) -> UInt64 {
    ((word &+ fromFirst) & ~(word &+ pastLast) & 0x8080_8080_8080_8080) >> 2
  }

  /// One ASCII byte mapped.
  @inline(__always)
  func mapped(_ byte: UInt8) -> UInt8 {
    letters.contains(byte) ? byte ^ 0x20 : byte
  }
}
