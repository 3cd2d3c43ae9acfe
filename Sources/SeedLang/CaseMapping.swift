import CByteMask
import Synchronization

/// Upper- and lowercase as Swift's `uppercased()` and `lowercased()` give them: each scalar
/// mapped on its own by Unicode's full case mapping (ß becomes SS, İ becomes i̇), with no
/// context. Text is mapped as if it were ASCII, up to sixty-four bytes at a time, and each
/// scalar beyond ASCII then written over its own bytes, from tables filled from the Unicode
/// properties a block of 256 scalars at a time, as texts need them, instead of asking the
/// properties, which build a string per scalar, every time.
final class CaseMapping: @unchecked Sendable {
  static let upper = CaseMapping(ascii: 0x61...0x7A) { $0.properties.uppercaseMapping }
  static let lower = CaseMapping(ascii: 0x41...0x5A) { $0.properties.lowercaseMapping }

  /// The ASCII letters that change: a to z for uppercase, A to Z for lowercase.
  private let ascii: ASCIILetters
  private let mapping: @Sendable (Unicode.Scalar) -> String
  /// Per block of 256 scalars, the address of its `Block` once filled, else 0. A block is
  /// filled by whichever thread needs it first (`parallel` maps on threads), and never changes
  /// after it is published here, so reading one takes no lock (and the class is Sendable).
  private let blocks: UnsafeMutablePointer<Atomic<UInt>>
  /// The first two bytes of what a scalar beyond ASCII maps to, when its own first two bytes
  /// tell and the mapping is as long, indexed by them (`quickIndex`), as one store writes them:
  /// for a scalar of two bytes that maps to one of two, the mapping; for a scalar of three
  /// bytes in a chunk of 64 that all map to themselves (CJK, most punctuation and symbols), its
  /// own first two, its third being left as it is; 0 otherwise, or while its block is not
  /// filled. Written with its block, before the block is published.
  private let quickMappings: UnsafeMutablePointer<Atomic<UInt16>>
  /// `InlineString.isAvailable`, read once here: each read of the global is a call.
  private let inline = InlineString.isAvailable

  private init(ascii: ClosedRange<UInt8>, mapping: @escaping @Sendable (Unicode.Scalar) -> String) {
    self.ascii = ASCIILetters(ascii)
    self.mapping = mapping
    blocks = .allocate(capacity: 0x110000 >> 8)
    for block in 0..<0x110000 >> 8 { (blocks + block).initialize(to: Atomic(0)) }
    quickMappings = .allocate(capacity: 0x4000)
    for index in 0..<0x4000 { (quickMappings + index).initialize(to: Atomic(0)) }
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
    // Otherwise a string flagged ASCII is mapped as such as far as it is, which is the whole
    // of it unless its flag is wrong; the rest, or a string not flagged, by `write`.
    // Most text keeps its length, or nearly: one pass into a little more room than it has,
    // and only when that is not enough, a first pass to measure. The mapping writes whole
    // scalars, so the result is not checked again.
    let room = count + count / 8 + 16
    var fitted = true
    let result = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: room) { buffer -> String in
      guard let target = buffer.baseAddress else { return "" }
      var changed: UInt64 = 0
      let asciiPrefix = text.string.isAllASCII ? mapASCII(source, count, into: target, changed: &changed) : 0
      if asciiPrefix == count {
        // ASCII text the mapping leaves as it was ("ok".lower()) is that string again, with
        // no copy; up to 15 bytes the result is made inline, with no allocation.
        if changed == 0 { return text.string }
        if count <= InlineString.capacity && inline { return InlineString.make(target, count) }
        return String(validUTF8: UnsafeBufferPointer(start: target, count: count), isASCII: true)
      }
      guard let written = write(source, count, from: asciiPrefix, into: target, capacity: room) else {
        fitted = false
        return ""
      }
      if written <= InlineString.capacity && inline { return InlineString.make(target, written) }
      // Text with a scalar beyond ASCII in its first sixteen bytes keeps one but in rare
      // mappings (ſ to S): its result is not read again for the flag. One left unflagged
      // though ASCII is only slower to read, never wrong.
      let result = UnsafeBufferPointer(start: target, count: written)
      return String(validUTF8: result, isASCII: count >= 16 && seednb_bytes_from(source, 0x80) != 0 ? false : result.isASCII)
    }
    if fitted { return result }
    let length = mappedLength(source, count)
    return String.writingValidUTF8(capacity: length) { target in write(source, count, from: 0, into: target, capacity: length) ?? 0 }
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

  /// Writes the mapping of the `count` bytes at `source` at `target`, which has room for
  /// `capacity` bytes, and gives its length; nil when it does not fit. The first `start`
  /// bytes, ASCII, are mapped there already.
  ///
  /// Sixty-four bytes a step, then sixteen (`step`); the last bytes are mapped as the
  /// sixty-four or the sixteen that end the text, or, in a text shorter than sixteen, copied
  /// into sixteen bytes of their own first, so that a short text is mapped in steps too. Where
  /// fewer than sixteen bytes of room are left, a scalar at a time.
  private func write(
    _ source: UnsafePointer<UInt8>, _ count: Int, from start: Int, into target: UnsafeMutablePointer<UInt8>,
    capacity: Int
  ) -> Int? {
    let ascii = self.ascii
    let quickMappings = self.quickMappings
    var offset = start
    var written = start
    // Sixty-four bytes a step, as four of sixteen, while they are left to read and room to write.
    // The scalars whose mappings `quickMappings` holds are written here; any other scalar, and
    // those after it, by `mapScalars`, out of line, so that this loop keeps its values in
    // registers.
    while offset <= count &- 64 && written <= capacity &- 64 {
      let bytes = source + offset, mapped = target + written
      ascii.mapped(ByteVector.load(bytes)).store(mapped)
      ascii.mapped(ByteVector.load(bytes + 16)).store(mapped + 16)
      ascii.mapped(ByteVector.load(bytes + 32)).store(mapped + 32)
      ascii.mapped(ByteVector.load(bytes + 48)).store(mapped + 48)
      var leads = CaseMapping.leads(bytes)
      CaseMapping.mapQuickly(&leads, bytes, into: mapped, quickMappings)
      var read = 64, wrote = 64
      if leads != 0 {
        guard mapScalarsOutOfLine(leads, bytes, 64, into: mapped, room: capacity &- written, &read, &wrote) else { return nil }
      }
      offset &+= read
      written &+= wrote
    }
    // More than sixteen bytes left of a text of sixty-four or more: the sixty-four that end
    // the text, mapped over the bytes that end at them in `target`, keeping those before.
    let left = count &- offset
    let skipped = 64 &- left
    if left > 16 && count >= 64 && written >= skipped && written &+ left <= capacity {
      let bytes = source + count - 64, mapped = target + written - skipped
      for quarter in 0..<4 where skipped < quarter &* 16 &+ 16 {
        let at = quarter &* 16
        CaseMapping.store(ascii.mapped(ByteVector.load(bytes + at)), mapped + at, keeping: Swift.max(skipped &- at, 0))
      }
      var leads = CaseMapping.leads(bytes) & ~(1 &<< UInt64(skipped) &- 1)
      CaseMapping.mapQuickly(&leads, bytes, into: mapped, quickMappings)
      var read = 64, wrote = 64
      if leads != 0 {
        guard mapScalarsOutOfLine(leads, bytes, 64, into: mapped, room: capacity &- written &+ skipped, &read, &wrote)
        else { return nil }
      }
      offset = count &- 64 &+ read
      written = written &- skipped &+ wrote
    }
    // Then sixteen.
    while offset <= count &- 16 && written <= capacity &- 16 {
      var read = 16, wrote = 16
      guard step(source + offset, into: target + written, room: capacity &- written, ascii, &read, &wrote) else {
        return nil
      }
      offset &+= read
      written &+= wrote
    }
    while offset < count {
      guard capacity &- written >= 16 else {
        return writeScalars(source, count, from: offset, into: target, written: written, capacity: capacity)
      }
      // The last bytes: the sixteen that end the text, mapped over the sixteen that end at
      // them in `target`, keeping the bytes there before them; or, in a text shorter than
      // that, a copy of them in sixteen bytes of their own.
      let left = count &- offset
      let skipped = 16 &- left
      var read = 16, wrote = 16
      if count >= 16 && written >= skipped {
        guard step(source + count - 16, skipping: skipped, into: target + written - skipped, room: capacity &- written &+ skipped, ascii, &read, &wrote)
        else { return nil }
        offset = count &- 16 &+ read
        written = written &- skipped &+ wrote
        continue
      }
      read = left
      wrote = left
      guard stepCopying(source + offset, left, into: target + written, room: capacity &- written, &read, &wrote) else {
        return nil
      }
      offset &+= read
      written &+= wrote
    }
    return written
  }

  /// `step` on a copy of the `length` bytes at `bytes`, fewer than sixteen, in sixteen bytes
  /// of its own; out of line, so that `write` keeps no buffer on its stack.
  @inline(never)
  private func stepCopying(
    _ bytes: UnsafePointer<UInt8>, _ length: Int, into target: UnsafeMutablePointer<UInt8>, room: Int,
    _ read: inout Int, _ written: inout Int
  ) -> Bool {
    var copy = ByteVector()
    return withUnsafeMutableBytes(of: &copy) { buffer -> Bool in
      guard let copied = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return false }
      copied.update(from: bytes, count: length)
      return step(copied, length: length, into: target, room: room, ascii, &read, &written)
    }
  }

  /// Maps sixteen bytes at `bytes` to `target`, where sixteen can be written and `room` are
  /// free: all sixteen as if they were ASCII, which leaves the bytes beyond ASCII as they are,
  /// then the scalars beyond ASCII that begin in the first `length` (`mapScalars`). The first
  /// `skipped` bytes of `target` are kept: a text's last step maps the sixteen bytes that end
  /// it, over some mapped before. `read` and `written`, `length` when called, are set shorter
  /// when the step ends early; false when a mapping does not fit.
  @inline(__always)
  private func step(
    _ bytes: UnsafePointer<UInt8>, skipping skipped: Int = 0, length: Int = 16, into target: UnsafeMutablePointer<UInt8>,
    room: Int, _ ascii: ASCIILetters, _ read: inout Int, _ written: inout Int
  ) -> Bool {
    CaseMapping.store(ascii.mapped(ByteVector.load(bytes)), target, keeping: skipped)
    // The bytes that begin a scalar beyond ASCII (11xxxxxx), one bit each, of those mapped.
    let leads = UInt64(seednb_bytes_from(bytes, 0xC0)) & (1 &<< UInt64(length) &- 1) & ~(1 &<< UInt64(skipped) &- 1)
    guard leads != 0 else { return true }
    return mapScalars(leads, bytes, length, into: target, room: room, &read, &written)
  }

  /// The bytes of the sixty-four at `bytes` that begin a scalar beyond ASCII (11xxxxxx), one bit each.
  @inline(__always)
  private static func leads(_ bytes: UnsafePointer<UInt8>) -> UInt64 {
    sixtyFourBits(bytes) { seednb_bytes_from($0, 0xC0) }
  }

  /// Maps the scalars flagged in `leads`, of the sixty-four bytes at `bytes` written to `target`
  /// as they are, whose mappings `quickMappings` holds, in order, up to the first whose mapping
  /// it does not hold or that ends past the sixty-four; leaves that one and those after it
  /// flagged.
  @inline(__always)
  private static func mapQuickly(
    _ leads: inout UInt64, _ bytes: UnsafePointer<UInt8>, into target: UnsafeMutablePointer<UInt8>,
    _ quickMappings: UnsafeMutablePointer<Atomic<UInt16>>
  ) {
    // The scalars that begin in the last two bytes may end past them: left to `mapScalars`.
    let last = leads & 0xC000_0000_0000_0000
    var first = leads & 0x3FFF_FFFF_FFFF_FFFF
    while first != 0 {
      let index = first.trailingZeroBitCount
      let quick = quickMappings[quickIndex(bytes + index)].load(ordering: .relaxed)
      guard quick != 0 else { break }
      UnsafeMutableRawPointer(target + index).storeBytes(of: quick, as: UInt16.self)
      first &= first &- 1
    }
    leads = first | last
  }

  /// Stores `mapped` at `target` but for its first `kept` bytes, fewer than sixteen, which keep
  /// the bytes there.
  @inline(__always)
  private static func store(_ mapped: ByteVector, _ target: UnsafeMutablePointer<UInt8>, keeping kept: Int) {
    guard kept > 0 else { return mapped.store(target) }
    // Two words a side, read little-endian, so that the kept bytes, first in memory, are the low ones.
    let raw = UnsafeMutableRawPointer(target)
    let (low, high) = unsafeBitCast(mapped, to: (UInt64, UInt64).self)
    let keptLow = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
    let keptHigh = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    let lowMask: UInt64 = kept >= 8 ? ~0 : (1 &<< UInt64(kept &* 8)) &- 1
    let highMask: UInt64 = kept > 8 ? (1 &<< UInt64((kept &- 8) &* 8)) &- 1 : 0
    let newLow = UInt64(littleEndian: low) & ~lowMask | keptLow & lowMask
    let newHigh = UInt64(littleEndian: high) & ~highMask | keptHigh & highMask
    raw.storeBytes(of: newLow.littleEndian, as: UInt64.self)
    raw.storeBytes(of: newHigh.littleEndian, toByteOffset: 8, as: UInt64.self)
  }

  /// Maps the scalars beyond ASCII that begin at the bytes of `bytes` flagged in `leads`, of
  /// the first `length`, whose bytes were written to `target` as they are, and which has `room`
  /// bytes free; sets `read` and `written` shorter when it ends early. False when a mapping
  /// does not fit.
  ///
  /// Each scalar whose mapping has its length is written over its own bytes. Most scalars
  /// beyond ASCII do (é to É), or map to themselves (’, 東), so text beyond ASCII is read and
  /// written nearly at the pace of ASCII. It ends early before a scalar that ends past
  /// `length`, and after a scalar whose mapping is longer or shorter (ß to SS), which moves
  /// the rest of the text.
  @inline(__always)
  private func mapScalars(
    _ leads: UInt64, _ bytes: UnsafePointer<UInt8>, _ length: Int, into target: UnsafeMutablePointer<UInt8>, room: Int,
    _ read: inout Int, _ written: inout Int
  ) -> Bool {
    let quickMappings = self.quickMappings
    var leads = leads
    while leads != 0 {
      let index = leads.trailingZeroBitCount
      // A scalar whose mapping `quickMappings` holds, when it ends in the bytes given.
      if index &+ (bytes[index] < 0xE0 ? 2 : 3) <= length {
        let quick = quickMappings[CaseMapping.quickIndex(bytes + index)].load(ordering: .relaxed)
        if quick != 0 {
          UnsafeMutableRawPointer(target + index).storeBytes(of: quick, as: UInt16.self)
          leads &= leads &- 1
          continue
        }
      }
      switch mapScalar(at: bytes + index, length &- index, into: target + index, room: room &- index) {
      case .inPlace:
        leads &= leads &- 1
      case .moved(let scalarRead, let scalarWritten):
        read = index &+ scalarRead
        written = index &+ scalarWritten
        return true
      case .endsLater:
        read = index
        written = index
        return true
      case .noRoom:
        return false
      }
    }
    return true
  }

  /// `mapScalars`, kept out of the loop that calls it.
  @inline(never)
  private func mapScalarsOutOfLine(
    _ leads: UInt64, _ bytes: UnsafePointer<UInt8>, _ length: Int, into target: UnsafeMutablePointer<UInt8>, room: Int,
    _ read: inout Int, _ written: inout Int
  ) -> Bool {
    mapScalars(leads, bytes, length, into: target, room: room, &read, &written)
  }

  /// What `mapScalar` did with a scalar.
  private enum ScalarMapped {
    /// Its mapping has its length, and is written over it.
    case inPlace
    /// Its mapping, written, is `written` bytes long where the scalar was `read`.
    case moved(read: Int, written: Int)
    /// It ends past the bytes given: nothing was written.
    case endsLater
    /// Its mapping does not fit the room.
    case noRoom
  }

  /// Maps the scalar beyond ASCII at `bytes`, of which `available` bytes may be read, to
  /// `target`, which has `room` bytes: a scalar whose mapping `quickMappings` does not hold
  /// (one of four bytes, one whose mapping is longer or shorter, one whose block is not filled
  /// yet) or that ends past the bytes given.
  @inline(never)
  private func mapScalar(at bytes: UnsafePointer<UInt8>, _ available: Int, into target: UnsafeMutablePointer<UInt8>, room: Int)
    -> ScalarMapped
  {
    let length = bytes[0] < 0xE0 ? 2 : bytes[0] < 0xF0 ? 3 : 4
    guard length <= available else { return .endsLater }
    let (scalar, _) = TextBytes.decode(bytes)
    let block = self.block(scalar)
    let entry = block.entry(scalar)
    if entry == scalar { return .inPlace }  // its bytes, written with the step's, stand
    if entry & Block.long == 0 && CaseMapping.utf8Length(entry) == length {
      CaseMapping.encode(entry, at: target)
      return .inPlace
    }
    guard let written = writeMapping(entry, of: scalar, in: block, at: 0, into: target, capacity: room) else { return .noRoom }
    return .moved(read: length, written: written)
  }

  /// Writes the mapping of the `count` bytes at `source` from `start`, a scalar at a time, each
  /// checked against the room; gives the length written in all, or nil when it does not fit.
  private func writeScalars(
    _ source: UnsafePointer<UInt8>, _ count: Int, from start: Int, into target: UnsafeMutablePointer<UInt8>,
    written alreadyWritten: Int, capacity: Int
  ) -> Int? {
    var offset = start
    var written = alreadyWritten
    while offset < count {
      let (scalar, length) = TextBytes.decode(source + offset)
      if scalar < 0x80 {
        guard written < capacity else { return nil }
        target[written] = ascii.mapped(UInt8(scalar))
        written &+= 1
      } else {
        let block = self.block(scalar)
        guard let end = writeMapping(block.entry(scalar), of: scalar, in: block, at: written, into: target, capacity: capacity)
        else { return nil }
        written = end
      }
      offset &+= length
    }
    return written
  }

  /// Writes the mapping `entry` of `scalar`, from `block`, at `written`; where the bytes
  /// written end, or nil when they would pass `capacity`.
  @inline(__always)
  private func writeMapping(
    _ entry: UInt32, of scalar: UInt32, in block: Block, at written: Int, into target: UnsafeMutablePointer<UInt8>,
    capacity: Int
  ) -> Int? {
    guard entry & Block.long != 0 else {
      let length = CaseMapping.utf8Length(entry)
      guard written &+ length <= capacity else { return nil }
      CaseMapping.encode(entry, at: target + written)
      return written &+ length
    }
    let bytes = block.longMapping(scalar)
    guard written &+ bytes.count <= capacity, let from = bytes.baseAddress else { return nil }
    (target + written).update(from: from, count: bytes.count)
    return written &+ bytes.count
  }

  /// The UTF-8 length of the mapping of the `count` bytes at `source`.
  private func mappedLength(_ source: UnsafePointer<UInt8>, _ count: Int) -> Int {
    var length = 0
    var offset = 0
    while offset < count {
      if offset &+ 8 <= count && UnsafeRawPointer(source + offset).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
        offset &+= 8
        length &+= 8
        continue
      }
      let (scalar, scalarLength) = TextBytes.decode(source + offset)
      if scalar < 0x80 {
        length &+= 1
      } else {
        let block = self.block(scalar)
        let entry = block.entry(scalar)
        length &+= entry & Block.long != 0 ? block.longMapping(scalar).count : CaseMapping.utf8Length(entry)
      }
      offset &+= scalarLength
    }
    return length
  }

  /// The table of the block `scalar` is in, filled the first time.
  @inline(__always)
  private func block(_ scalar: UInt32) -> Block {
    let address = blocks[Int(scalar >> 8)].load(ordering: .acquiring)
    if let base = UnsafeMutableRawPointer(bitPattern: address) { return Block(base) }
    return filledBlock(Int(scalar >> 8))
  }

  /// The table of a block, worked out from the Unicode properties and published. Two threads
  /// may work out the same block at once; the table published first is kept.
  @inline(never)
  private func filledBlock(_ index: Int) -> Block {
    let block = Block.allocate()
    var unchanged = [true, true, true, true]
    for low in 0..<256 {
      let value = UInt32(index << 8 | low)
      guard let scalar = Unicode.Scalar(value) else { continue }  // surrogates do not occur
      let mapped = Array(mapping(scalar).unicodeScalars)
      block.set(value, to: mapped)
      if mapped != [scalar] { unchanged[low >> 6] = false }
      if (0x80..<0x800).contains(value), mapped.count == 1, let single = mapped.first?.value, (0x80..<0x800).contains(single) {
        // In the order of the text, whatever the order of a UInt16's bytes.
        let pair = UInt16(littleEndian: UInt16(0xC0 | single >> 6) | UInt16(0x80 | single & 0x3F) << 8)
        quickMappings[Int(value >> 6 | (value & 0x3F) << 8)].store(pair, ordering: .relaxed)
      }
    }
    if (0x8..<0x100).contains(index) {
      for quarter in 0..<4 where unchanged[quarter] {
        let chunk = index << 2 | quarter
        let firstTwo = UInt16(littleEndian: UInt16(0xE0 | chunk >> 6) | UInt16(0x80 | chunk & 0x3F) << 8)
        quickMappings[0x20 | chunk >> 6 | (chunk & 0x3F) << 8].store(firstTwo, ordering: .relaxed)
      }
    }
    let published = blocks[index].compareExchange(
      expected: 0, desired: UInt(bitPattern: block.base), ordering: .acquiringAndReleasing)
    guard published.exchanged else {
      block.base.deallocate()
      return Block(UnsafeMutableRawPointer(bitPattern: published.original) ?? block.base)
    }
    return block
  }

  /// The index in `quickMappings` of the scalar beyond ASCII whose first two bytes are at
  /// `bytes`: the low six bits of each, which tell scalars of two bytes (lead bytes C2 to DF)
  /// from those of three (E0 to EF) and from those of four (F0 to F4, never held).
  @inline(__always)
  private static func quickIndex(_ bytes: UnsafePointer<UInt8>) -> Int {
    Int(UInt16(littleEndian: UnsafeRawPointer(bytes).loadUnaligned(as: UInt16.self)) & 0x3F3F)
  }

  static func utf8Length(_ scalar: UInt32) -> Int {
    scalar < 0x80 ? 1 : scalar < 0x800 ? 2 : scalar < 0x10000 ? 3 : 4
  }

  /// Writes `scalar` in UTF-8.
  @inline(__always)
  private static func encode(_ scalar: UInt32, at target: UnsafeMutablePointer<UInt8>) {
    switch utf8Length(scalar) {
    case 1:
      target[0] = UInt8(scalar)
    case 2:
      target[0] = UInt8(0xC0 | scalar >> 6)
      target[1] = UInt8(0x80 | scalar & 0x3F)
    case 3:
      target[0] = UInt8(0xE0 | scalar >> 12)
      target[1] = UInt8(0x80 | scalar >> 6 & 0x3F)
      target[2] = UInt8(0x80 | scalar & 0x3F)
    default:
      target[0] = UInt8(0xF0 | scalar >> 18)
      target[1] = UInt8(0x80 | scalar >> 12 & 0x3F)
      target[2] = UInt8(0x80 | scalar >> 6 & 0x3F)
      target[3] = UInt8(0x80 | scalar & 0x3F)
    }
  }
}

/// The mappings of a block of 256 scalars, in one allocation that lives as long as the
/// process: per scalar, the scalar it maps to, or `long` when it maps to several, whose UTF-8
/// is then kept apart (at most three scalars, twelve bytes, in Unicode's full case mapping).
private struct Block {
  static let long: UInt32 = 0x8000_0000
  private static let entriesSize = 256 * 4
  private static let longSize = 16

  let base: UnsafeMutableRawPointer

  init(_ base: UnsafeMutableRawPointer) { self.base = base }

  static func allocate() -> Block {
    let size = entriesSize + 256 * longSize
    let base = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
    base.initializeMemory(as: UInt8.self, repeating: 0, count: size)
    return Block(base)
  }

  @inline(__always)
  func entry(_ scalar: UInt32) -> UInt32 {
    base.load(fromByteOffset: Int(scalar & 0xFF) &* 4, as: UInt32.self)
  }

  /// The UTF-8 of a scalar that maps to several.
  func longMapping(_ scalar: UInt32) -> UnsafeBufferPointer<UInt8> {
    let at = (base + Block.entriesSize + Int(scalar & 0xFF) * Block.longSize)
      .assumingMemoryBound(to: UInt8.self)
    return UnsafeBufferPointer(start: at + 1, count: Int(at[0]))
  }

  func set(_ scalar: UInt32, to mapped: [Unicode.Scalar]) {
    let low = Int(scalar & 0xFF)
    if mapped.count == 1, let single = mapped.first?.value {
      base.storeBytes(of: single, toByteOffset: low * 4, as: UInt32.self)
      return
    }
    let utf8 = Array(String(String.UnicodeScalarView(mapped)).utf8)
    precondition(utf8.count < Block.longSize, "a case mapping of more than 15 bytes")
    base.storeBytes(of: Block.long, toByteOffset: low * 4, as: UInt32.self)
    let at = base + Block.entriesSize + low * Block.longSize
    at.storeBytes(of: UInt8(utf8.count), as: UInt8.self)
    for (index, byte) in utf8.enumerated() { at.storeBytes(of: byte, toByteOffset: 1 + index, as: UInt8.self) }
  }
}

/// The ASCII letters a case mapping changes, a range of 26 whose bytes get 0x20 flipped.
private struct ASCIILetters {
  /// The range's first letter in every lane.
  private let first: ByteVector
  /// Added to every byte of a word, these carry into the top bit of the bytes at or above the
  /// range's first letter, and of the bytes above its last.
  private let fromFirst: UInt64
  private let pastLast: UInt64
  private let letters: ClosedRange<UInt8>

  init(_ letters: ClosedRange<UInt8>) {
    self.letters = letters
    first = ByteVector(repeating: letters.lowerBound)
    fromFirst = 0x0101_0101_0101_0101 &* UInt64(0x80 &- letters.lowerBound)
    pastLast = 0x0101_0101_0101_0101 &* UInt64(0x7F &- letters.upperBound)
  }

  /// Eight ASCII bytes mapped at once.
  @inline(__always)
  func mapped(_ word: UInt64) -> UInt64 { word ^ flips(word) }

  /// Sixteen bytes mapped at once, those beyond ASCII left as they are: only the bytes that
  /// are letters of the range are less than 26 past its first.
  @inline(__always)
  func mapped(_ bytes: ByteVector) -> ByteVector {
    bytes ^ (((bytes &- first) .< ByteVector(repeating: 26)).bytes & ByteVector(repeating: 0x20))
  }

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
