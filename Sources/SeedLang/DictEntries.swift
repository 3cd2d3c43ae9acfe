import Foundation

/// The entries of a dict, in the order they were first set, found by hash: a dense array of
/// entries and an open-addressing index into it, as CPython lays out its dicts.
///
/// Keys are hashed here rather than through `Hasher`, whose SipHash costs more than the rest
/// of a lookup: ASCII strings eight bytes at a time, other strings by the bytes of their
/// canonical composition (equal strings are canonically equivalent, so they hash alike), and
/// numbers so that `1` and `1.0`, equal keys, hash alike.
public struct DictEntries: Sequence, ExpressibleByDictionaryLiteral {
  public typealias Element = (key: DictKey, value: Value)

  fileprivate struct Entry {
    var key: DictKey
    var value: Value
    var hash: Int
  }

  /// Entries in insertion order; a removed one leaves nil until the table is rebuilt.
  private var entries: [Entry?] = []
  /// Positions in `entries` by hash, or `empty`, or `removed`; its size is a power of two, and
  /// at most half of it is taken by entries and removed marks.
  private var index: [Int32] = []
  private var removedMarks = 0
  public private(set) var count = 0

  private static let empty: Int32 = -1
  /// A removed entry's slot: lookups probe past it, insertions may reuse it.
  private static let removed: Int32 = -2

  public init() {}

  public init(dictionaryLiteral elements: (DictKey, Value)...) {
    for (key, value) in elements { self[key] = value }
  }

  public var isEmpty: Bool { count == 0 }

  /// Makes room for `capacity` entries, so that filling a new dict of known size, as a
  /// literal or a JSON object does, grows neither the entries nor the index on the way.
  public mutating func reserveCapacity(_ capacity: Int) {
    entries.reserveCapacity(capacity)
    if index.count < capacity * 2 { rebuild(capacity: capacity * 2) }
  }

  // Reads are `mutating` (they change nothing): read through a non-mutating accessor, a
  // dict's entries, a stored property of its object, would be copied first, retaining and
  // releasing both arrays on every look-up; a mutating access works on them in place.
  public subscript(key: DictKey) -> Value? {
    mutating get {
      guard let slot = find(key, hash: key.fastHash).slot else { return nil }
      return storedValue(at: Int(index[slot]))
    }
    set {
      if let newValue { set(key, newValue) } else { removeValue(forKey: key) }
    }
  }

  /// The value of a name's key, found with the hash the name keeps.
  subscript(name: NameKey) -> Value? {
    mutating get { value(named: name) }
  }

  /// The value of a name's key: `find`'s probe, written for a string key so that it is
  /// compiled into the member reads that call it (`r.tokens` in a comparator runs millions
  /// of times), where a call of the general `find` cost as much again as the probe.
  @inline(__always)
  mutating func value(named name: NameKey) -> Value? {
    guard let position = position(named: name) else { return nil }
    return storedValue(at: position)
  }

  /// `body` on the values of `name`'s key here and `otherName`'s key in `other`, read where
  /// the two dicts store them, neither copied out (a copy retains a string or an object and
  /// then releases it); nil when either key has no entry. `other` is another dict: one dict
  /// on both sides is `withValues(named:_:_:)`. `body` only reads the values.
  @inline(__always)
  mutating func withValues<R>(
    named name: NameKey, _ otherName: NameKey, in other: inout DictEntries, _ body: (Value, Value) -> R?
  ) -> R? {
    guard let mine = position(named: name), let theirs = other.position(named: otherName) else { return nil }
    return entries.withUnsafeBufferPointer { here in
      other.entries.withUnsafeBufferPointer { there in
        guard let a = DictEntries.value(in: here, at: mine), let b = DictEntries.value(in: there, at: theirs) else { return nil }
        return body(a.pointee, b.pointee)
      }
    }
  }

  /// Where the value of the entry at `position` is stored, found by the value's offset in its
  /// entry: `stored[position]?.value` (or `!.value`) copies the whole entry, key included.
  /// An optional entry is laid out as the entry with its tag after it, so the entry starts
  /// where the optional does (Swift's layout of every single-payload enum, docs/ABI/TypeLayout.rst
  /// in the compiler's repository); nil past the end. `position` must hold an entry, as the
  /// index's positions do.
  @inline(__always)
  private static func value(in stored: UnsafeBufferPointer<Entry?>, at position: Int) -> UnsafePointer<Value>? {
    guard let base = stored.baseAddress, position >= 0, position < stored.count,
      let offset = MemoryLayout<Entry>.offset(of: \Entry.value)
    else { return nil }
    return (UnsafeRawPointer(base + position) + offset).assumingMemoryBound(to: Value.self)
  }

  /// `body` on the values of two names' keys in this dict, as `withValues(named:_:in:_:)`.
  @inline(__always)
  mutating func withValues<R>(named name: NameKey, _ otherName: NameKey, _ body: (Value, Value) -> R?) -> R? {
    guard let first = position(named: name), let second = position(named: otherName) else { return nil }
    return entries.withUnsafeBufferPointer { stored in
      guard let a = DictEntries.value(in: stored, at: first), let b = DictEntries.value(in: stored, at: second) else { return nil }
      return body(a.pointee, b.pointee)
    }
  }

  /// The position in the entries of a name's key, or nil: `find`'s probe for a string key,
  /// compiled into its callers.
  @inline(__always)
  private mutating func position(named name: NameKey) -> Int? {
    let hash = name.hash
    return index.withUnsafeBufferPointer { index in
      entries.withUnsafeBufferPointer { stored -> Int? in
        guard let base = stored.baseAddress, !index.isEmpty else { return nil }
        let mask = index.count - 1
        var slot = hash & mask
        var step = 1
        while true {
          let position = index[slot]
          if position == DictEntries.empty { return nil }
          // Positions index the entries, which the index is built over; removed marks are below zero.
          if position >= 0 {
            let entry = base + Int(position)
            if entry.pointee?.hash == hash, case .string(let key)? = entry.pointee?.key.value, key == name.name {
              return Int(position)
            }
          }
          slot = (slot + step) & mask
          step += 1
        }
      }
    }
  }

  /// The value of the entry at `position`, copied out of the entry where it is stored:
  /// `entries[position]?.value` copies the whole entry first, retaining its key too.
  @inline(__always)
  private func storedValue(at position: Int) -> Value? {
    entries.withUnsafeBufferPointer { $0[position]?.value }
  }

  /// The keys, in order.
  public var keys: [DictKey] { entries.compactMap { $0?.key } }
  /// The keys as values, in order, as `d.keys()` lists them.
  public var keyValues: [Value] {
    var out: [Value] = []
    out.reserveCapacity(count)
    entries.withUnsafeBufferPointer { stored in
      for entry in stored { if let key = entry?.key { out.append(key.value) } }
    }
    return out
  }
  /// The values, in the keys' order.
  public var values: [Value] {
    var out: [Value] = []
    out.reserveCapacity(count)
    entries.withUnsafeBufferPointer { stored in
      for entry in stored { if let value = entry?.value { out.append(value) } }
    }
    return out
  }

  /// Sets every entry of `other`, in its order, with the hashes it keeps.
  public mutating func merge(_ other: DictEntries) {
    if isEmpty && removedMarks == 0 && entries.isEmpty {
      self = other
      return
    }
    for entry in other.entries {
      guard let entry else { continue }
      let found = find(entry.key, hash: entry.hash)
      if let slot = found.slot {
        entries[Int(index[slot])]?.value = entry.value
      } else {
        insert(entry.key, entry.value, hash: entry.hash, free: found.free)
      }
    }
  }

  /// Appends the values that pass `test` to `list`, looked at where they are stored.
  func appendValues(where test: (Value) -> Bool, to list: inout [Value]) {
    entries.withUnsafeBufferPointer { stored in
      for entry in stored {
        if let value = entry?.value, test(value) { list.append(value) }
      }
    }
  }

  @discardableResult
  public mutating func removeValue(forKey key: DictKey) -> Value? {
    guard let slot = find(key, hash: key.fastHash).slot else { return nil }
    let position = Int(index[slot])
    let removedValue = entries[position]?.value
    entries[position] = nil
    index[slot] = DictEntries.removed
    removedMarks += 1
    count -= 1
    return removedValue
  }

  public struct Iterator: IteratorProtocol {
    fileprivate let entries: [Entry?]
    fileprivate var position = 0

    public mutating func next() -> Element? {
      while position < entries.count {
        defer { position += 1 }
        if let entry = entries[position] { return (entry.key, entry.value) }
      }
      return nil
    }
  }

  public func makeIterator() -> Iterator { Iterator(entries: entries) }

  /// The first entry stored at `position` or after it, in order; `position` moves past it.
  /// Positions count removed entries too, so a walk by position sees each entry once.
  @inline(__always)
  func entry(from position: inout Int) -> Element? {
    entries.withUnsafeBufferPointer { stored in
      while position < stored.count {
        position += 1
        if let entry = stored[position - 1] { return (entry.key, entry.value) }
      }
      return nil
    }
  }

  /// The key of the first entry at `position` or after it, as `entry(from:)` walks them. Only
  /// the field asked for is copied out of the entry, where copying the whole entry would
  /// retain (and then release) its key and its value, as a loop over `d.keys()` or
  /// `d.values()` would on every item.
  @inline(__always)
  func key(from position: inout Int) -> Value? {
    entries.withUnsafeBufferPointer { stored in
      while position < stored.count {
        position += 1
        if let key = stored[position - 1]?.key.value { return key }
      }
      return nil
    }
  }

  /// The value of the first entry at `position` or after it, as `key(from:)` gives its key.
  @inline(__always)
  func value(from position: inout Int) -> Value? {
    entries.withUnsafeBufferPointer { stored in
      while position < stored.count {
        position += 1
        if let value = stored[position - 1]?.value { return value }
      }
      return nil
    }
  }

  public var underestimatedCount: Int { count }

  // MARK: - The table

  /// The index slot holding `key`, or nil and the slot where it would go.
  private func find(_ key: DictKey, hash: Int) -> (slot: Int?, free: Int) {
    guard !index.isEmpty else { return (nil, -1) }
    let mask = index.count - 1
    var slot = hash & mask
    var step = 1
    var free = -1
    // Entries are looked at through a pointer: their hash and key are read where they are,
    // where `entries[i]` would copy the entry, retaining its key and value.
    return entries.withUnsafeBufferPointer { stored in
      while true {
        let position = index[slot]
        if position == DictEntries.empty { return (nil, free < 0 ? slot : free) }
        if position == DictEntries.removed {
          if free < 0 { free = slot }
        } else if let entry = stored.baseAddress.map({ $0 + Int(position) }), entry.pointee?.hash == hash,
          entry.pointee?.key == key
        {
          return (slot, slot)
        }
        // Triangular probing visits every slot of a power-of-two table.
        slot = (slot + step) & mask
        step += 1
      }
    }
  }

  private mutating func set(_ key: DictKey, _ value: Value) {
    let hash = key.fastHash
    let found = find(key, hash: hash)
    if let slot = found.slot {
      entries[Int(index[slot])]?.value = value
      return
    }
    insert(key, value, hash: hash, free: found.free)
  }

  /// Sets the value of a name's key with the hash the name keeps, as a dict literal sets its
  /// string keys.
  mutating func set(_ value: Value, named name: NameKey) {
    let found = find(name.key, hash: name.hash)
    if let slot = found.slot {
      entries[Int(index[slot])]?.value = value
      return
    }
    insert(name.key, value, hash: name.hash, free: found.free)
  }

  /// Where `key`'s entry is, for reading and then setting it with one look-up: its position
  /// in the entries, or nil and the slot `insert(_:_:at:)` fills. Nothing may change the
  /// dict between the two.
  mutating func place(of key: DictKey) -> Place {
    let hash = key.fastHash
    let found = find(key, hash: hash)
    guard let slot = found.slot else { return Place(position: nil, hash: hash, free: found.free) }
    return Place(position: Int(index[slot]), hash: hash, free: -1)
  }

  struct Place {
    let position: Int?
    fileprivate let hash: Int
    fileprivate let free: Int
  }

  /// The value of the entry at a place `place(of:)` found.
  mutating func value(at position: Int) -> Value {
    storedValue(at: position) ?? .nil
  }

  /// Sets the value of the entry at `place`, or adds the key there when it has no entry.
  mutating func set(_ value: Value, of key: DictKey, at place: Place) {
    if let position = place.position {
      entries[position]?.value = value
    } else {
      insert(key, value, hash: place.hash, free: place.free)
    }
  }

  /// Adds an entry for a key that `find` did not find, at the free slot it gave.
  private mutating func insert(_ key: DictKey, _ value: Value, hash: Int, free: Int) {
    var free = free
    // Growing, or many removed entries to drop: a removed entry keeps its place in `entries`.
    if (count + removedMarks + 1) * 2 > index.count || entries.count >= index.count {
      rebuild(capacity: (count + 1) * 4)
      free = find(key, hash: hash).free
    }
    if index[free] == DictEntries.removed { removedMarks -= 1 }
    index[free] = Int32(entries.count)
    entries.append(Entry(key: key, value: value, hash: hash))
    count += 1
  }

  /// Drops removed entries and indexes the rest in a table of at least `capacity` slots.
  private mutating func rebuild(capacity: Int) {
    if entries.count != count { entries = entries.filter { $0 != nil } }
    var size = 8
    while size < capacity { size *= 2 }
    // Appended rather than `[Int32](repeating:count:)`, which allocates through the standard
    // library's unspecialised path at twice the cost; every dict literal makes one index.
    var fresh: [Int32] = []
    fresh.reserveCapacity(size)
    for _ in 0..<size { fresh.append(DictEntries.empty) }
    index = fresh
    removedMarks = 0
    let mask = size - 1
    for (position, entry) in entries.enumerated() {
      guard let entry else { continue }
      var slot = entry.hash & mask
      var step = 1
      while index[slot] != DictEntries.empty {
        slot = (slot + step) & mask
        step += 1
      }
      index[slot] = Int32(position)
    }
  }
}

/// A string key with its hash worked out once: the name of a member (`r.usage`) or a method
/// (`d.get(k)`, which a dict holding a function under that name would run instead), looked
/// up in a dict each time the code runs.
struct NameKey {
  let name: String
  let key: DictKey
  let hash: Int
  /// The collection property the name is, when it is one (`xs.count`).
  let property: CollectionProperty?

  init(_ name: String) {
    self.name = name
    key = DictKey(unchecked: .string(name))
    hash = key.fastHash
    property = CollectionProperty(rawValue: name)
  }
}

/// The members that lists, strings, dicts, vectors and ranges have without a call.
enum CollectionProperty: String {
  case count, isEmpty, first, last
}

extension DictKey {
  /// The key's hash for `DictEntries`; equal keys hash alike.
  var fastHash: Int {
    switch value {
    case .nil: return 0x5EED
    case .bool(let b): return b ? 0x7A0E : 0xFA15E
    case .int(let i): return DictKey.mix(UInt64(bitPattern: Int64(i)))
    case .float(let f):
      if let i = Int(exactly: f) { return DictKey.mix(UInt64(bitPattern: Int64(i))) }
      return DictKey.mix(f.bitPattern)
    case .string(let s): return DictKey.hash(s)
    default: return -1
    }
  }

  /// A 64-bit finalizer (from SplitMix64), so that consecutive ints spread over the table.
  private static func mix(_ x: UInt64) -> Int {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return Int(bitPattern: UInt(z ^ (z >> 31)))
  }

  private static func hash(_ s: String) -> Int {
    let hashed =
      s.utf8.withContiguousStorageIfAvailable { hash(text: $0, of: s) }
      ?? Array(s.utf8).withUnsafeBufferPointer { hash(text: $0, of: s) }
    if let hashed { return hashed }
    // Canonically equivalent strings are equal, so non-ASCII text hashes by its composed form,
    // which most text is already; only other text is composed first, a hundred times slower.
    return Array(s.precomposedStringWithCanonicalMapping.utf8).withUnsafeBufferPointer { hash(bytes: $0).hash }
  }

  /// The hash of the UTF-8 of `s` when it is its own composed form (ASCII, found in the
  /// same pass, or text `isKnownNFC` vouches for), else nil.
  private static func hash(text bytes: UnsafeBufferPointer<UInt8>, of s: String) -> Int? {
    let (hash, ascii) = hash(bytes: bytes)
    return ascii || TextBytes(bytes: bytes, string: s).isKnownNFC ? hash : nil
  }

  /// Eight bytes at a time, each word multiplied in and folded, then the SplitMix64
  /// finalizer, in one pass that also says whether every byte is ASCII. The last few bytes
  /// are read with loads that overlap the ones before; the length is mixed in, so that the
  /// same bytes at other offsets and trailing NULs change the hash.
  private static func hash(bytes: UnsafeBufferPointer<UInt8>) -> (hash: Int, ascii: Bool) {
    let count = bytes.count
    var hash = 0xCBF2_9CE4_8422_2325 ^ UInt64(count)
    guard let start = bytes.baseAddress, count > 0 else { return (mix(hash), true) }
    let raw = UnsafeRawPointer(start)
    var high: UInt64 = 0
    if count >= 8 {
      var index = 0
      while index + 8 <= count {
        let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        high |= word
        hash = (hash ^ word) &* 0x100_0000_01B3
        hash ^= hash >> 29
        index += 8
      }
      if index < count {
        let word = raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        high |= word
        hash = (hash ^ word) &* 0x100_0000_01B3
      }
    } else {
      let tail: UInt64
      if count >= 4 {
        tail = UInt64(raw.loadUnaligned(as: UInt32.self)) | UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)) << 32
      } else {
        tail = UInt64(start[0]) | UInt64(start[count >> 1]) << 8 | UInt64(start[count - 1]) << 16
      }
      high = tail
      hash = (hash ^ tail) &* 0x100_0000_01B3
    }
    return (mix(hash), high & 0x8080_8080_8080_8080 == 0)
  }
}
