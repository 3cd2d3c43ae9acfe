import Foundation

/// Reading and writing `container[key]`, and slicing with ranges. Negative indices count
/// from the end, as in Python; slices clamp to the container instead of failing.
enum Subscripts {
  /// How many ints `low ..< high` holds; an error when that does not fit in an int.
  static func count(low: Int, high: Int) throws -> Int {
    let (count, overflow) = high.subtractingReportingOverflow(low)
    guard !overflow else { throw RuntimeFailure("the range \(low)..<\(high) holds more items than an int can count") }
    return count
  }

  static func bound(_ value: Value) throws -> Int {
    guard case .int(let i) = value else { throw RuntimeFailure("a slice bound must be an int, got \(value.typeName)") }
    return i
  }

  /// The position `index` names in a container of `count` items, or an error.
  static func position(_ index: Int, count: Int, of kind: String) throws -> Int {
    let position = index < 0 ? count + index : index
    guard position >= 0 && position < count else { throw outOfRange(index, count: count, of: kind) }
    return position
  }

  static func outOfRange(_ index: Int, count: Int, of kind: String) -> RuntimeFailure {
    RuntimeFailure("index \(index) is out of range for a \(kind) of \(count) item\(count == 1 ? "" : "s")")
  }

  static func get(_ container: Value, _ key: Value) throws -> Value {
    switch (container, key) {
    case (.list(let list), .int(let i)):
      return list.items[try position(i, count: list.items.count, of: "list")]
    case (.dict(let dict), _):
      guard let dictKey = DictKey(key) else {
        throw RuntimeFailure("a dict key must be a string, number, bool or nil, not \(key.aTypeName)")
      }
      // A missing key gives nil, as in Swift; write d[k] ?? default.
      return dict.entries[dictKey] ?? .nil
    case (.string(let string), .int(let i)):
      let byte = try withASCIICharacters(string) { bytes in
        let at = try position(i, count: bytes.count, of: "string")
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[at..<at + 1]), as: UTF8.self)
      }
      if let byte { return .string(byte) }
      return .string(String(string[try characterIndex(i, in: string)]))
    case (.vector(let vector), .int(let i)):
      return .float(vector.items[try position(i, count: vector.items.count, of: "vector")])
    case (.range(let low, let high), .int(let i)):
      return .int(low + (try position(i, count: try count(low: low, high: high), of: "range")))
    case (_, .range(let low, let high)):
      return try slice(container, low, high)
    default:
      throw RuntimeFailure("cannot subscript \(container.aTypeName) with \(key.aTypeName)")
    }
  }

  static func set(_ container: Value, _ key: Value, _ value: Value) throws {
    switch (container, key) {
    case (.list(let list), .int(let i)):
      list.items[try position(i, count: list.items.count, of: "list")] = value
    case (.dict(let dict), _):
      guard let dictKey = DictKey(key) else {
        throw RuntimeFailure("a dict key must be a string, number, bool or nil, not \(key.aTypeName)")
      }
      dict.entries[dictKey] = value
    case (.vector(let vector), .int(let i)):
      guard let number = value.asDouble else { throw RuntimeFailure("a vector holds numbers, not \(value.aTypeName)") }
      vector.items[try position(i, count: vector.items.count, of: "vector")] = number
    case (.string, _):
      throw RuntimeFailure("strings cannot be changed in place; build a new one")
    default:
      throw RuntimeFailure("cannot assign to a subscript of \(container.aTypeName) with \(key.aTypeName)")
    }
  }

  /// Where the character at `index` starts, counting from the end for a negative index: the
  /// text is walked by characters to it, from the nearer end, without an array of them.
  private static func characterIndex(_ index: Int, in string: String) throws -> String.Index {
    // No text has more characters than bytes: an index past that is out of range unwalked.
    let bytes = string.utf8.count
    let found =
      index >= bytes || index < -bytes ? nil
      : index >= 0 ? string.index(string.startIndex, offsetBy: index, limitedBy: string.endIndex)
      : string.index(string.endIndex, offsetBy: index, limitedBy: string.startIndex)
    guard let found, found != string.endIndex else { throw outOfRange(index, count: string.characterCount, of: "string") }
    return found
  }

  /// `body` on the string's bytes when each of them is a character: ASCII text without a
  /// carriage return ("\r\n" is one character). Such text is indexed and sliced by byte
  /// offsets, where other text is first split into its characters. Nil for other text.
  @inline(__always)
  private static func withASCIICharacters<Result>(
    _ string: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
  ) rethrows -> Result? {
    let result: Result?? = try string.utf8.withContiguousStorageIfAvailable { bytes in
      guard bytes.isASCII else { return nil }
      if let start = bytes.baseAddress, memchr(start, 0x0D, bytes.count) != nil { return nil }
      return try body(bytes)
    }
    return result ?? nil
  }

  /// The positions `low..<high` names in a container of `count` items, either bound left
  /// open (nil), negative bounds counted from the end, both clamped to the container.
  @inline(__always)
  static func clamped(_ low: Int?, _ high: Int?, count: Int) -> Range<Int> {
    // `count + bound` cannot overflow: the bound is negative and the count is not.
    func resolve(_ bound: Int?, _ fallback: Int) -> Int {
      guard let bound else { return fallback }
      return Swift.min(Swift.max(bound < 0 ? count + bound : bound, 0), count)
    }
    let lower = resolve(low, 0)
    return lower..<Swift.max(lower, resolve(high, count))
  }

  /// `list[low..<high]`: a new list of those items, each copied once.
  @inline(__always)
  static func slice(_ list: ListObject, _ low: Int?, _ high: Int?) -> Value {
    let items = list.items.withUnsafeBufferPointer { stored in
      Value.copies(of: UnsafeBufferPointer(rebasing: stored[clamped(low, high, count: stored.count)]))
    }
    return .list(ListObject(items))
  }

  /// `container[low..<high]` with either bound left open.
  static func slice(_ container: Value, _ low: Int?, _ high: Int?) throws -> Value {
    func clamp(_ count: Int) -> Range<Int> { clamped(low, high, count: count) }
    switch container {
    case .list(let list): return slice(list, low, high)
    case .string(let string):
      let part = withASCIICharacters(string) { bytes in
        String(decoding: UnsafeBufferPointer(rebasing: bytes[clamp(bytes.count)]), as: UTF8.self)
      }
      if let part { return .string(part) }
      // Other text is walked by characters from its start, with no array of them made.
      let range = clamp(string.characterCount)
      let lower = string.index(string.startIndex, offsetBy: range.lowerBound)
      return .string(String(string[lower..<string.index(lower, offsetBy: range.count)]))
    case .vector(let vector): return .vector(VectorObject(Array(vector.items[clamp(vector.items.count)])))
    case .range(let start, let end):
      let range = clamp(try count(low: start, high: end))
      return .range(start + range.lowerBound, start + range.upperBound)
    default:
      throw RuntimeFailure("cannot slice \(container.aTypeName)")
    }
  }
}

/// `value.name` without a call: a dict's entry, or a property every collection has.
enum Members {
  /// `value.name`, a dict's entry found by the hash the name keeps.
  @inline(__always)
  static func get(_ value: Value, _ name: NameKey) throws -> Value {
    if case .dict(let dict) = value, let entry = dict.entries[name] { return entry }
    if let property = name.property, let found = try get(value, property) { return found }
    return try get(value, name.name)
  }

  /// A property every collection has, found by the kind the name keeps rather than by
  /// comparing the name with each property's; nil where the value has no such property.
  private static func get(_ value: Value, _ property: CollectionProperty) throws -> Value? {
    switch property {
    case .count:
      switch value {
      case .list(let list): return .int(list.items.count)
      case .string(let string): return .int(string.characterCount)
      case .dict(let dict): return .int(dict.entries.count)
      case .vector(let vector): return .int(vector.items.count)
      case .range(let low, let high): return .int(try Subscripts.count(low: low, high: high))
      default: return nil
      }
    case .isEmpty:
      switch value {
      case .list(let list): return .bool(list.items.isEmpty)
      case .string(let string): return .bool(string.isEmpty)
      case .dict(let dict): return .bool(dict.entries.isEmpty)
      default: return nil
      }
    case .first:
      guard case .list(let list) = value else { return nil }
      return list.items.first ?? .nil
    case .last:
      guard case .list(let list) = value else { return nil }
      return list.items.last ?? .nil
    }
  }

  static func get(_ value: Value, _ name: String) throws -> Value {
    if case .dict(let dict) = value, let entry = dict[name] { return entry }
    if let property = CollectionProperty(rawValue: name), let found = try get(value, property) { return found }
    switch (value, name) {
    case (.range(let low, _), "lowerBound"): return .int(low)
    case (.range(_, let high), "upperBound"): return .int(high)
    case (.secret(let secret), "name"): return .string(secret.name)
    case (.dict(let dict), _):
      let keys = dict.entries.keys.prefix(8).map { $0.value.literalDescription }.joined(separator: ", ")
      throw RuntimeFailure("dict has no key \"\(name)\"" + (keys.isEmpty ? " (it is empty)" : " (its keys: \(keys)\(dict.entries.count > 8 ? ", ..." : ""))"))
    default:
      throw RuntimeFailure("\(value.aTypeName) has no member '\(name)'")
    }
  }
}
