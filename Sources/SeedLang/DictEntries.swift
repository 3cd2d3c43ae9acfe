import Foundation

/// The entries of a dict, in the order they were first set, found by hash: a dense array of
/// entries and an open-addressing index into it, as CPython lays out its dicts.
///
/// A small dict, at most `unindexedLimit` entries (most records), keeps no index: its lookups
/// scan the entries' stored hashes, an int compare each, cheaper than a probe and its miss in
/// an index for so few, and a record is then two heap blocks, not three. It is indexed when it
/// grows past the limit, and keeps its index when it shrinks again, so that a dict whose size
/// moves about the limit does not build and drop its index over and over.
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
  /// at most half of it is taken by entries and removed marks. Empty (not allocated) until the
  /// dict needs room for more than `unindexedLimit` entries; without it, the entries hold at
  /// most that many places, removed ones included.
  private var index: [Int32] = []
  private var removedMarks = 0
  public private(set) var count = 0

  private static let empty: Int32 = -1
  /// A removed entry's slot: lookups probe past it, insertions may reuse it.
  private static let removed: Int32 = -2
  /// The most entries, removed ones included, a dict without an index holds.
  private static let unindexedLimit = 8

  public init() {}

  public init(dictionaryLiteral elements: (DictKey, Value)...) {
    for (key, value) in elements { self[key] = value }
  }

  public var isEmpty: Bool { count == 0 }

  /// Makes room for `capacity` entries, so that filling a new dict of known size, as a
  /// literal or a JSON object does, grows neither the entries nor the index on the way.
  /// A small one needs no index: that of a record literal would be a third allocation.
  public mutating func reserveCapacity(_ capacity: Int) {
    entries.reserveCapacity(capacity)
    if capacity > DictEntries.unindexedLimit && index.count < capacity * 2 { rebuild(capacity: capacity * 2) }
  }

  // Reads are `mutating` (they change nothing): read through a non-mutating accessor, a
  // dict's entries, a stored property of its object, would be copied first, retaining and
  // releasing both arrays on every look-up; a mutating access works on them in place.
  public subscript(key: DictKey) -> Value? {
    mutating get { value(of: key.value, hash: key.fastHash) }
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
    position(ofString: name.name, hash: name.hash)
  }

  /// The position in the entries of the string key `text`, whose `DictKey` hash is `hash`,
  /// or nil: `find`'s probe for a string, which compares the keys where they are stored.
  @inline(__always)
  private mutating func position(ofString text: String, hash: Int) -> Int? {
    position(hash: hash) { DictEntries.entry($0, holds: text) }
  }

  /// Whether `entry`'s key is the string `text`, compared where the key is stored.
  @inline(__always)
  private static func entry(_ entry: UnsafePointer<Entry>, holds text: String) -> Bool {
    if case .string(let key) = entry.pointee.key.value { return key == text }
    return false
  }

  /// The position in the entries of the entry with hash `hash` that `matches`, or nil:
  /// `find`'s probe or scan, compiled into its callers with their test of a key.
  @inline(__always)
  private mutating func position(hash: Int, matching matches: (UnsafePointer<Entry>) -> Bool) -> Int? {
    guard !index.isEmpty else {
      return entries.withUnsafeBufferPointer { DictEntries.scan($0, hash: hash, matching: matches) }
    }
    return outlinedProbe(hash: hash, matching: matches)
  }

  /// `probe`, called rather than compiled in where most dicts are records, small enough to
  /// be scanned: both inlined made a comparator's two member reads too big to inline more.
  @inline(never)
  private mutating func outlinedProbe(hash: Int, matching matches: (UnsafePointer<Entry>) -> Bool) -> Int? {
    probe(hash: hash, matching: matches)
  }

  /// `position(hash:matching:)` in a dict that has an index.
  @inline(__always)
  private mutating func probe(hash: Int, matching matches: (UnsafePointer<Entry>) -> Bool) -> Int? {
    index.withUnsafeBufferPointer { index in
      entries.withUnsafeBufferPointer { stored -> Int? in
        guard !index.isEmpty else { return nil }
        let mask = index.count - 1
        var slot = hash & mask
        var step = 1
        while true {
          let position = index[slot]
          if position == DictEntries.empty { return nil }
          // Removed marks are below zero; every other position holds an entry.
          if position >= 0, let entry = DictEntries.entry(in: stored, at: Int(position)), entry.pointee.hash == hash,
            matches(entry)
          {
            return Int(position)
          }
          slot = (slot + step) & mask
          step += 1
        }
      }
    }
  }

  /// The position in the entries of `key`'s entry, or nil; `hash` is `DictKey.hash(of: key)`
  /// and `key` a value that can be a key. Strings and ints, the usual keys, are compared
  /// where the entries store them; an int finds a float key of its value the general way.
  /// A dict without an index is scanned by `find`, not here: this is compiled into the
  /// counting loops, which two more scans made too big for their own callees to be inlined.
  @inline(__always)
  mutating func position(of key: Value, hash: Int) -> Int? {
    guard !index.isEmpty else { return find(DictKey(unchecked: key), hash: hash).position }
    switch key {
    case .string(let text):
      return probe(hash: hash) { DictEntries.entry($0, holds: text) }
    case .int(let number):
      return probe(hash: hash) { entry in
        if case .int(let stored) = entry.pointee.key.value { return stored == number }
        return entry.pointee.key == DictKey(unchecked: key)
      }
    default: return find(DictKey(unchecked: key), hash: hash).position
    }
  }

  /// The value of `key`'s entry, or nil, on the terms of `position(of:hash:)`.
  @inline(__always)
  mutating func value(of key: Value, hash: Int) -> Value? {
    guard let position = position(of: key, hash: hash) else { return nil }
    return storedValue(at: position)
  }

  /// The entry stored at `position`, read in place: an optional entry is laid out as the
  /// entry with its tag after it, as `value(in:at:)` relies on. Nil past the end; `position`
  /// must hold an entry, as the index's positions do.
  @inline(__always)
  private static func entry(in stored: UnsafeBufferPointer<Entry?>, at position: Int) -> UnsafePointer<Entry>? {
    guard let base = stored.baseAddress, position >= 0, position < stored.count else { return nil }
    return UnsafeRawPointer(base + position).assumingMemoryBound(to: Entry.self)
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
      if let position = found.position {
        setValue(entry.value, at: position)
      } else {
        insert(entry.key, entry.value, hash: entry.hash, free: found.slot)
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
    let found = find(key, hash: key.fastHash)
    guard let position = found.position else { return nil }
    let removedValue = entries[position]?.value
    entries[position] = nil
    if found.slot >= 0 {
      index[found.slot] = DictEntries.removed
      removedMarks += 1
    }
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

  /// The position in the entries of `key`'s entry and the index slot that holds it, or nil
  /// and the slot where it would go; the slot is -1 when there is no index.
  private func find(_ key: DictKey, hash: Int) -> (position: Int?, slot: Int) {
    // Entries are looked at through a pointer: their hash and key are read where they are,
    // where `entries[i]` would copy the entry, retaining its key and value.
    guard !index.isEmpty else {
      return (entries.withUnsafeBufferPointer { DictEntries.scan($0, hash: hash) { $0.pointee.key == key } }, -1)
    }
    let mask = index.count - 1
    var slot = hash & mask
    var step = 1
    var free = -1
    return entries.withUnsafeBufferPointer { stored in
      while true {
        let position = index[slot]
        if position == DictEntries.empty { return (nil, free < 0 ? slot : free) }
        if position == DictEntries.removed {
          if free < 0 { free = slot }
        } else if let entry = DictEntries.entry(in: stored, at: Int(position)), entry.pointee.hash == hash,
          entry.pointee.key == key
        {
          return (Int(position), slot)
        }
        // Triangular probing visits every slot of a power-of-two table.
        slot = (slot + step) & mask
        step += 1
      }
    }
  }

  /// The position of the entry with hash `hash` that `matches`, found without an index by
  /// the hashes the entries keep: an int compare each, the key compared only where the hash
  /// is equal. The hash of a removed entry's place is whatever it last held, so a place's
  /// hash is trusted only once it is known to hold an entry. Compiled into its callers: a
  /// call and a closure for each record's member read cost an eighth of sorting records.
  @inline(__always)
  private static func scan(
    _ stored: UnsafeBufferPointer<Entry?>, hash: Int, matching matches: (UnsafePointer<Entry>) -> Bool
  ) -> Int? {
    guard let base = stored.baseAddress else { return nil }
    for position in 0..<stored.count {
      let entry = UnsafeRawPointer(base + position).assumingMemoryBound(to: Entry.self)
      if entry.pointee.hash == hash, stored[position] != nil, matches(entry) { return position }
    }
    return nil
  }

  private mutating func set(_ key: DictKey, _ value: Value) {
    let hash = key.fastHash
    let found = find(key, hash: hash)
    if let position = found.position {
      setValue(value, at: position)
      return
    }
    insert(key, value, hash: hash, free: found.slot)
  }

  /// Sets the value of a name's key with the hash the name keeps, as a dict literal sets its
  /// string keys.
  mutating func set(_ value: Value, named name: NameKey) {
    let found = find(name.key, hash: name.hash)
    if let position = found.position {
      setValue(value, at: position)
      return
    }
    insert(name.key, value, hash: name.hash, free: found.slot)
  }

  /// The value of the entry at a position `position(of:hash:)` found.
  @inline(__always)
  mutating func value(at position: Int) -> Value {
    storedValue(at: position) ?? .nil
  }

  /// The int the entry at `position` holds, read where it is stored; nil for any other value.
  @inline(__always)
  mutating func int(at position: Int) -> Int? {
    entries.withUnsafeBufferPointer { stored in
      guard let value = DictEntries.value(in: stored, at: position), case .int(let x) = value.pointee else { return nil }
      return x
    }
  }

  /// Sets the value of the entry at a position `position(of:hash:)` found, where it is
  /// stored: `entries[position]?.value = value` goes through the array's general accessor
  /// and the optional. Over a value that owns nothing, as a count is, nothing is released.
  @inline(__always)
  mutating func setValue(_ value: Value, at position: Int) {
    entries.withUnsafeMutableBufferPointer { stored in
      guard let base = stored.baseAddress, position >= 0, position < stored.count,
        let offset = MemoryLayout<Entry>.offset(of: \Entry.value)
      else { return }
      let target = (UnsafeMutableRawPointer(base + position) + offset).assumingMemoryBound(to: Value.self)
      if target.pointee.holdsObject { target.pointee = value } else { target.initialize(to: value) }
    }
  }

  /// Adds an entry for `key`, which has none, with its hash `hash`.
  mutating func add(_ key: DictKey, _ value: Value, hash: Int) {
    insert(key, value, hash: hash, free: index.isEmpty ? -1 : find(key, hash: hash).slot)
  }

  /// Adds an entry for a key that `find` did not find, at the free slot it gave (-1 without
  /// an index).
  private mutating func insert(_ key: DictKey, _ value: Value, hash: Int, free: Int) {
    var free = free
    if index.isEmpty {
      if entries.count < DictEntries.unindexedLimit {
        entries.append(Entry(key: key, value: value, hash: hash))
        count += 1
        return
      }
      // Full of places, some of them removed entries': dropping those makes room.
      if count < DictEntries.unindexedLimit {
        entries.removeAll { $0 == nil }
        entries.append(Entry(key: key, value: value, hash: hash))
        count += 1
        return
      }
      rebuild(capacity: (count + 1) * 4)
      free = find(key, hash: hash).slot
    } else if (count + removedMarks + 1) * 2 > index.count || entries.count >= index.count {
      // Growing, or many removed entries to drop: a removed entry keeps its place in `entries`.
      rebuild(capacity: (count + 1) * 4)
      free = find(key, hash: hash).slot
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
    // Appended rather than `[Int32](repeating:count:)` or `init(unsafeUninitializedCapacity:)`,
    // which allocate through the standard library's unspecialised path, looking up the
    // buffer's generic type each time, at twice the cost; every dict literal makes one index.
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
  var fastHash: Int { DictKey.hash(of: value) ?? -1 }

  /// The hash of `value` as a key, or nil when it cannot be one: hashed where it is, with
  /// no `DictKey` made first.
  @inline(__always)
  static func hash(of value: Value) -> Int? {
    switch value {
    case .string(let s): return hash(s)
    case .int(let i): return mix(UInt64(bitPattern: Int64(i)))
    case .nil: return 0x5EED
    case .bool(let b): return b ? 0x7A0E : 0xFA15E
    case .float(let f):
      if let i = Int(exactly: f) { return mix(UInt64(bitPattern: Int64(i))) }
      return mix(f.bitPattern)
    default: return nil
    }
  }

  /// A 64-bit finalizer (from SplitMix64), so that consecutive ints spread over the table.
  @inline(__always)
  private static func mix(_ x: UInt64) -> Int {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return Int(bitPattern: UInt(z ^ (z >> 31)))
  }

  /// ASCII text, most keys, is hashed where it is stored, in the pass that finds it is
  /// ASCII; the closure captures nothing, so the string is neither retained nor released.
  @inline(__always)
  private static func hash(_ s: String) -> Int {
    let ascii = s.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
      let (hash, ascii) = hash(bytes: bytes)
      return ascii ? hash : nil
    }
    if let ascii, let hash = ascii { return hash }
    return hash(text: s)
  }

  /// The hash of text that is not ASCII, or not stored contiguously. Canonically equivalent
  /// strings are equal, so it hashes by its composed form, which most text is already; only
  /// other text is composed first, a hundred times slower.
  @inline(never)
  private static func hash(text s: String) -> Int {
    let hashed =
      s.utf8.withContiguousStorageIfAvailable { hash(composed: $0, of: s) }
      ?? Array(s.utf8).withUnsafeBufferPointer { hash(composed: $0, of: s) }
    if let hashed { return hashed }
    return Array(s.precomposedStringWithCanonicalMapping.utf8).withUnsafeBufferPointer { hash(bytes: $0).hash }
  }

  /// The hash of the UTF-8 of `s` when it is its own composed form (ASCII, found in the
  /// same pass, or text `isKnownNFC` vouches for), else nil.
  private static func hash(composed bytes: UnsafeBufferPointer<UInt8>, of s: String) -> Int? {
    let (hash, ascii) = hash(bytes: bytes)
    return ascii || TextBytes(bytes: bytes, string: s).isKnownNFC ? hash : nil
  }

  /// Eight bytes at a time, each word multiplied in and folded, then the SplitMix64
  /// finalizer, in one pass that also says whether every byte is ASCII. The last few bytes
  /// are read with loads that overlap the ones before; the length is mixed in, so that the
  /// same bytes at other offsets and trailing NULs change the hash.
  @inline(__always)
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
