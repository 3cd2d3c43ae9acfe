/// A seed value. Scalars are stored inline; lists, dictionaries, vectors and functions are
/// references, so passing them around never copies their contents.
public enum Value {
  case `nil`
  case bool(Bool)
  case int(Int)
  case float(Double)
  case string(String)
  case list(ListObject)
  case dict(DictObject)
  /// A dense vector of floats, for embeddings: native dot product, norm and arithmetic.
  case vector(VectorObject)
  /// The integers `lower ..< upper`.
  case range(Int, Int)
  case closure(Closure)
  case builtin(Builtin)
  /// A rich output item made by `table`, `markdown`, `html` or `json`, ready for `display`.
  indirect case output(OutputItem)
  /// A text only host functions may read (`secret("NAME")`); it shows as `••••`.
  case secret(Secret)
  /// A variable captured by a closure. Only the compiler's slots hold these; programs never see one.
  case box(Box)

  public var typeName: String {
    switch self {
    case .nil: return "nil"
    case .bool: return "bool"
    case .int: return "int"
    case .float: return "float"
    case .string: return "string"
    case .list: return "list"
    case .dict: return "dict"
    case .vector: return "vector"
    case .range: return "range"
    case .closure, .builtin: return "function"
    case .output: return "output"
    case .secret: return "secret"
    case .box: return "box"
    }
  }

  /// Whether the value refers to an object that copying retains; scalars own nothing.
  @inline(__always)
  var holdsObject: Bool {
    switch self {
    case .nil, .bool, .int, .float, .range: return false
    default: return true
    }
  }

  @inline(__always)
  var isNil: Bool {
    if case .nil = self { return true }
    return false
  }

  /// A new array of the values in `source`. Their bytes are copied in one piece and only the
  /// values that hold an object are then copied again, retaining it: the generic copy calls
  /// the value's copy function for every item, an int as much as a list, five times the
  /// work for the lists of numbers that slices mostly copy.
  ///
  /// The array is made by `Array(_:)` from a collection, whose buffer is allocated by code
  /// specialised for `Value`. `Array(unsafeUninitializedCapacity:)` allocates through a
  /// function of the standard library that is not inlined, so it looks the storage type up
  /// at run time: some 350 instructions a slice, more than copying eight ints.
  static func copies(of source: UnsafeBufferPointer<Value>) -> [Value] {
    Array(ValueCopies(source: source))
  }

  /// The type name with its article, for messages: "an int", "a list".
  public var aTypeName: String {
    let name = typeName
    return (name.first.map { "aeiou".contains($0) } ?? false ? "an " : "a ") + name
  }
}

/// The values of a buffer as a collection whose bulk copy (`_copyContents`, what `Array(_:)`
/// calls to fill the array it allocated) copies their bytes at once and retains only the
/// objects among them.
private struct ValueCopies: RandomAccessCollection {
  let source: UnsafeBufferPointer<Value>

  var startIndex: Int { 0 }
  var endIndex: Int { source.count }
  subscript(position: Int) -> Value { source[position] }

  struct Iterator: IteratorProtocol {
    let source: UnsafeBufferPointer<Value>
    var position: Int

    mutating func next() -> Value? {
      guard position < source.count else { return nil }
      position += 1
      return source[position - 1]
    }
  }

  func makeIterator() -> Iterator { Iterator(source: source, position: 0) }

  func _copyContents(initializing target: UnsafeMutableBufferPointer<Value>) -> (Iterator, Int) {
    let count = Swift.min(source.count, target.count)
    if let from = source.baseAddress, let to = target.baseAddress {
      UnsafeMutableRawPointer(to).copyMemory(from: from, byteCount: count * MemoryLayout<Value>.stride)
      for index in 0..<count where from[index].holdsObject {
        // The bytes copied above are the same reference, not yet retained: initializing
        // over them (not assigning, which would release it) takes the retain they lack.
        (to + index).initialize(to: from[index])
      }
    }
    return (Iterator(source: source, position: count), count)
  }
}

public final class ListObject {
  @exclusivity(unchecked) public var items: [Value]
  public init(_ items: [Value]) { self.items = items }
  deinit { NestedRelease.release(&items) }
}

public final class DictObject {
  @exclusivity(unchecked) public var entries: DictEntries
  public init(_ entries: DictEntries = [:]) { self.entries = entries }

  /// An empty dict with room for `capacity` entries.
  public convenience init(capacity: Int) {
    self.init()
    entries.reserveCapacity(capacity)
  }

  deinit { NestedRelease.release(&entries) }

  public subscript(key: String) -> Value? {
    get { entries[DictKey(unchecked: .string(key))] }
    set { entries[DictKey(unchecked: .string(key))] = newValue }
  }
}

public final class VectorObject {
  @exclusivity(unchecked) public var items: [Double]
  public init(_ items: [Double]) { self.items = items }
}

public final class Box {
  @exclusivity(unchecked) public var value: Value
  init(_ value: Value) { self.value = value }
  deinit { NestedRelease.release(&value) }
}

/// A dictionary key: nil, a bool, a number or a string. Equal numbers are equal keys,
/// so `d[1]` and `d[1.0]` are the same entry.
public struct DictKey: Hashable {
  public let value: Value

  public init?(_ value: Value) {
    switch value {
    case .nil, .bool, .int, .float, .string: self.value = value
    default: return nil
    }
  }

  init(unchecked value: Value) { self.value = value }

  public static func == (a: DictKey, b: DictKey) -> Bool {
    // Keys are scalars and strings, so equality never needs the depth-checked general path.
    // Matched one side at a time: a tuple of the two would copy both.
    if case .string(let x) = a.value {
      if case .string(let y) = b.value { return x == y }
      return false
    }
    if case .int(let x) = a.value, case .int(let y) = b.value { return x == y }
    return a.value.isEqual(to: b.value)
  }

  public func hash(into hasher: inout Hasher) {
    switch value {
    case .nil: hasher.combine(0)
    case .bool(let b): hasher.combine(b)
    case .int(let i): hasher.combine(i)
    case .float(let f):
      if let i = Int(exactly: f) { hasher.combine(i) } else { hasher.combine(f) }
    case .string(let s): hasher.combine(s)
    default: hasher.combine(-1)
    }
  }
}

extension Value {
  /// Containers nested deeper than this are not compared; only a list that contains itself
  /// gets there.
  static let maxComparisonDepth = 10_000

  /// Deep equality: `1 == 1.0`, lists and dictionaries compare by contents, functions by
  /// identity. Structures nested past the limit compare unequal; `==` reports them instead.
  public func isEqual(to other: Value) -> Bool {
    (try? equals(other, depth: 0)) ?? false
  }

  /// Deep equality that fails on structures nested past the limit.
  func equals(_ other: Value, depth: Int) throws -> Bool {
    guard depth < Value.maxComparisonDepth else {
      throw RuntimeFailure("cannot compare values nested more than \(Value.maxComparisonDepth) levels deep (does a list contain itself?)")
    }
    switch (self, other) {
    case (.nil, .nil): return true
    case (.bool(let a), .bool(let b)): return a == b
    case (.int(let a), .int(let b)): return a == b
    case (.float(let a), .float(let b)): return a == b
    case (.int(let a), .float(let b)): return Double(a) == b
    case (.float(let a), .int(let b)): return a == Double(b)
    case (.string(let a), .string(let b)): return a == b
    case (.list(let a), .list(let b)):
      if a === b { return true }
      guard a.items.count == b.items.count else { return false }
      for (x, y) in zip(a.items, b.items) where !(try x.equals(y, depth: depth + 1)) { return false }
      return true
    case (.dict(let a), .dict(let b)):
      if a === b { return true }
      guard a.entries.count == b.entries.count else { return false }
      for (key, value) in a.entries {
        guard let match = b.entries[key], try value.equals(match, depth: depth + 1) else { return false }
      }
      return true
    case (.vector(let a), .vector(let b)): return a === b || a.items == b.items
    case (.range(let a, let b), .range(let c, let d)): return a == c && b == d
    case (.closure(let a), .closure(let b)): return a === b
    case (.builtin(let a), .builtin(let b)): return a === b
    case (.output(let a), .output(let b)): return a == b
    case (.secret(let a), .secret(let b)): return a.isSame(as: b)
    default: return false
    }
  }
}

// MARK: - Printing

extension Value: CustomStringConvertible {
  /// Containers nested deeper than this are shown as `[...]` by `description`, and are an
  /// error for `print`, `str` and `repr` (`printed()`): writing them would take as long as
  /// the nesting is deep, squared.
  static let maxPrintDepth = maxComparisonDepth

  /// The value as `print` shows it: strings bare, everything else as its literal.
  public var description: String {
    if case .string(let s) = self { return s }
    return literalDescription
  }

  /// The descriptions of `items`, with `separator` between them, as `join` makes them.
  /// An error when an item is nested too deep to show.
  static func joined(_ items: [Value], separator: String) throws -> String {
    // Strings, the usual items, are read where they are; only other values are printed
    // into new strings first.
    if items.allSatisfy({ if case .string = $0 { true } else { false } }) {
      return try items.withUnsafeBufferPointer { try concatenated(strings: $0, separator: separator) }
    }
    let printed = try items.map { Value.string(try $0.printed()) }
    return try printed.withUnsafeBufferPointer { try concatenated(strings: $0, separator: separator) }
  }

  /// The most bytes of a join put together outside its result at a time: small enough to stay
  /// in the nearest cache and below the size from which glibc's `memcpy` turns to `rep movsb`
  /// (which callgrind counts a byte an instruction), large enough that making each batch a
  /// string costs little per byte.
  private static let joinBatchBytes = 4000

  /// Strings with `separator` between them, read in place from the list's own buffer.
  ///
  /// The length is known first. A result of up to `joinBatchBytes` is copied together in one
  /// buffer and made a string once. A longer one is a string with room for all of it, to which
  /// the pieces are appended a buffer full at a time: writing it all into a buffer of its own
  /// size first would fill and fault in a second block as large as the result, and
  /// `String(unsafeUninitializedCapacity:)`, the one way to write a string's storage directly,
  /// checks the UTF-8 again, ten instructions a byte beyond ASCII. Each batch holds whole
  /// strings, so it is valid UTF-8 on its own; whether it is ASCII is read while it is in
  /// cache, and appending keeps the result ASCII only when every batch was.
  private static func concatenated(strings items: UnsafeBufferPointer<Value>, separator: String) throws -> String {
    var length = separator.utf8.count * max(items.count - 1, 0)
    for item in items {
      if case .string(let text) = item { length += text.utf8.count }
    }
    try TextLimit.check(length, "string join")
    guard length > 0 else { return "" }
    let batchCapacity = min(length, joinBatchBytes)
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: batchCapacity) { buffer in
      guard let batch = buffer.baseAddress else { return "" }
      var result = ""
      if length > batchCapacity { result.reserveCapacity(length) }
      var separatorText = separator
      separatorText.withUTF8 { separatorBytes in
        var index = items.startIndex
        while index < items.endIndex {
          // As many pieces as fit are copied into the batch, with nothing else called while a
          // piece is read, so it is read where it is, without a retain; then the batch is added.
          var count = 0
          while index < items.endIndex, case .string(let text) = items[index] {
            let separatorCount = index > items.startIndex ? separatorBytes.count : 0
            let copied: Bool? = text.utf8.withContiguousStorageIfAvailable { bytes in
              guard separatorCount + bytes.count <= batchCapacity - count else { return false }
              if separatorCount > 0, let source = separatorBytes.baseAddress {
                TextBuilder.copy(separatorCount, from: source, to: batch + count)
              }
              if let source = bytes.baseAddress { TextBuilder.copy(bytes.count, from: source, to: batch + count + separatorCount) }
              count += separatorCount + bytes.count
              return true
            }
            guard copied == true else { break }
            index += 1
          }
          if count > 0 {
            result.append(String(validUTF8: UnsafeBufferPointer(start: batch, count: count)))
          } else {
            // A piece that with its separator is longer than a batch, or has no contiguous
            // UTF-8, is appended as it is.
            if index > items.startIndex { result.append(separator) }
            if case .string(let text) = items[index] { result.append(text) }
            index += 1
          }
        }
      }
      return result
    }
  }

  /// The value as a literal would write it: strings quoted, as inside a list.
  public var literalDescription: String {
    var out = ""
    var visiting: Set<ObjectIdentifier> = []
    var tooDeep = false
    Value.write(self, to: &out, visiting: &visiting, tooDeep: &tooDeep)
    return out
  }

  /// `description`, or an error when the value is nested too deep to show.
  public func printed() throws -> String {
    switch self {
    case .string(let s): return s
    case .int(let i): return String(decimal: i)
    default: return try literalPrinted()
    }
  }

  /// `literalDescription`, or an error when the value is nested too deep to show.
  public func literalPrinted() throws -> String {
    var out = ""
    var visiting: Set<ObjectIdentifier> = []
    var tooDeep = false
    Value.write(self, to: &out, visiting: &visiting, tooDeep: &tooDeep)
    if tooDeep {
      throw RuntimeFailure("cannot show a value nested more than \(Value.maxPrintDepth) levels deep")
    }
    return out
  }

  static func formatFloat(_ f: Double) -> String {
    if f.isNaN { return "nan" }
    if f.isInfinite { return f < 0 ? "-inf" : "inf" }
    return f.description
  }

  static func quoted(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      case "\0": out += "\\0"
      case _ where scalar.value < 0x20 || scalar.value == 0x7F:
        out += "\\u{\(String(scalar.value, radix: 16))}"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  /// `visiting` holds the containers being written, to show a cycle as `[...]`; a set, so that
  /// a value nested n deep is written in O(n), not O(n²) (a hang that fuzzing found).
  private static func write(_ value: Value, to out: inout String, visiting: inout Set<ObjectIdentifier>, tooDeep: inout Bool) {
    switch value {
    case .nil: out += "nil"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out.appendDecimal(i)
    case .float(let f): out += formatFloat(f)
    case .string(let s): out += quoted(s)
    case .list(let list):
      let id = ObjectIdentifier(list)
      if visiting.count >= maxPrintDepth { tooDeep = true }
      if tooDeep || visiting.contains(id) { out += "[...]"; return }
      visiting.insert(id)
      out += "["
      for (index, item) in list.items.enumerated() {
        if index > 0 { out += ", " }
        write(item, to: &out, visiting: &visiting, tooDeep: &tooDeep)
      }
      out += "]"
      visiting.remove(id)
    case .dict(let dict):
      let id = ObjectIdentifier(dict)
      if visiting.count >= maxPrintDepth { tooDeep = true }
      if tooDeep || visiting.contains(id) { out += "[...]"; return }
      if dict.entries.isEmpty { out += "[:]"; return }
      visiting.insert(id)
      out += "["
      for (index, (key, item)) in dict.entries.enumerated() {
        if index > 0 { out += ", " }
        write(key.value, to: &out, visiting: &visiting, tooDeep: &tooDeep)
        out += ": "
        write(item, to: &out, visiting: &visiting, tooDeep: &tooDeep)
      }
      out += "]"
      visiting.remove(id)
    case .vector(let vector):
      // Embeddings have hundreds of dimensions: show the ends, as numpy does.
      let items = vector.items
      let shown = items.count <= 8 ? items.map(formatFloat) : items.prefix(3).map(formatFloat) + ["..."] + items.suffix(3).map(formatFloat)
      out += "vector(\(items.count))[" + shown.joined(separator: ", ") + "]"
    case .range(let lower, let upper): out += "\(lower)..<\(upper)"
    case .closure(let closure): out += "<func \(closure.proto.name)>"
    case .builtin(let builtin): out += "<builtin \(builtin.name)>"
    case .output(let item): out += "<\(item.kindName) output>"
    case .secret: out += Secret.mask
    case .box(let box): write(box.value, to: &out, visiting: &visiting, tooDeep: &tooDeep)
    }
  }
}
