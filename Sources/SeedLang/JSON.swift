import SeedJSON

/// JSON text to and from seed values: objects become dicts (keys in order), arrays lists,
/// integers ints and other numbers floats. SeedJSON reads and writes the text.
public enum JSON {
  public typealias DecodingError = JSONSyntaxError

  public static func decode(_ text: String) throws -> Value {
    value(of: try JSONValue.parse(text))
  }

  /// The seed value of a JSON document.
  public static func value(of json: JSONValue) -> Value {
    switch json {
    case .null: return .nil
    case .bool(let b): return .bool(b)
    case .int(let i): return .int(i)
    case .double(let d): return .float(d)
    case .string(let s): return .string(s)
    case .array(let items): return .list(ListObject(items.map(value(of:))))
    case .object(let members):
      let dict = DictObject(capacity: members.count)
      for member in members { dict[member.key] = value(of: member.value) }
      return .dict(dict)
    }
  }

  /// The value as JSON; `indent` spaces per level, or one line when nil.
  ///
  /// Written straight from the value to UTF-8, as `json(of:)` and `serialized` would write
  /// it, with the same errors: going through a `JSONValue` tree allocated a node for every
  /// value and copied every string once more.
  public static func encode(_ value: Value, indent: Int? = nil) throws -> String {
    var out: [UInt8] = []
    out.reserveCapacity(256)
    try write(value, to: &out, indent: indent, level: 0)
    return String(decoding: out, as: UTF8.self)
  }

  /// Writes a value nested `level` deep; as in `json(of:depth:)`, every value, scalars
  /// included, counts toward the depth limit.
  private static func write(_ value: Value, to out: inout [UInt8], indent: Int?, level: Int) throws {
    try checkDepth(level)
    func breakLine(_ out: inout [UInt8], _ level: Int) { JSONValue.breakLine(&out, indent: indent, level: level) }
    switch value {
    case .nil: out.append(contentsOf: "null".utf8)
    case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
    case .int(let i): String.withDecimal(i) { out.append(contentsOf: $0) }
    case .float(let f):
      try checkFinite(f)
      out.append(contentsOf: f.description.utf8)
    case .string(let s): JSONValue.quote(s, into: &out)
    case .list(let list):
      if list.items.isEmpty { out.append(contentsOf: "[]".utf8); return }
      out.append(UInt8(ascii: "["))
      for index in list.items.indices {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        breakLine(&out, level + 1)
        try write(list.items[index], to: &out, indent: indent, level: level + 1)
      }
      breakLine(&out, level)
      out.append(UInt8(ascii: "]"))
    case .vector(let vector):
      try write(.list(ListObject(vector.items.map { .float($0) })), to: &out, indent: indent, level: level)
    case .range(let low, let high):
      try checkListable(low, high)
      try write(.list(ListObject((low..<high).map { .int($0) })), to: &out, indent: indent, level: level)
    case .dict(let dict):
      if dict.entries.isEmpty { out.append(contentsOf: "{}".utf8); return }
      out.append(UInt8(ascii: "{"))
      let entries = dict.entries
      var position = 0, first = true
      while let (key, item) = entries.entry(from: &position) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        breakLine(&out, level + 1)
        // JSON keys are strings; other keys are written as their text, as Python's json does.
        if case .string(let name) = key.value {
          JSONValue.quote(name, into: &out)
        } else {
          JSONValue.quote(key.value.description, into: &out)
        }
        out.append(UInt8(ascii: ":"))
        if indent != nil { out.append(UInt8(ascii: " ")) }
        try write(item, to: &out, indent: indent, level: level + 1)
      }
      breakLine(&out, level)
      out.append(UInt8(ascii: "}"))
    case .closure, .builtin, .output, .box, .secret:
      throw unencodable(value)
    }
  }

  // The failures of both ways of encoding, `write` and `json(of:)`.

  private static func checkDepth(_ depth: Int) throws {
    guard depth <= JSONValue.maxDepth else {
      throw RuntimeFailure("cannot encode as JSON: nested more than \(JSONValue.maxDepth) levels (does a list contain itself?)")
    }
  }

  private static func checkFinite(_ f: Double) throws {
    guard f.isFinite else { throw RuntimeFailure("cannot encode \(Value.formatFloat(f)) as JSON") }
  }

  /// A range is written as the list of its ints, up to a length.
  private static func checkListable(_ low: Int, _ high: Int) throws {
    guard try Subscripts.count(low: low, high: high) <= 10_000_000 else {
      throw RuntimeFailure("cannot encode the range \(low)..<\(high) as JSON: it has more than 10,000,000 items")
    }
  }

  /// The failure for a value JSON has no form for: a function, an output, a secret.
  private static func unencodable(_ value: Value) -> RuntimeFailure {
    if case .secret = value {
      return RuntimeFailure("cannot encode a secret as JSON: its text is only for the functions that take one")
    }
    return RuntimeFailure("cannot encode \(value.aTypeName) as JSON")
  }

  /// The JSON document of a value; functions, outputs and non-finite floats have none.
  public static func json(of value: Value, depth: Int = 0) throws -> JSONValue {
    try checkDepth(depth)
    switch value {
    case .nil: return .null
    case .bool(let b): return .bool(b)
    case .int(let i): return .int(i)
    case .float(let f):
      try checkFinite(f)
      return .double(f)
    case .string(let s): return .string(s)
    case .list(let list): return .array(try list.items.map { try json(of: $0, depth: depth + 1) })
    case .vector(let vector):
      return .array(try vector.items.map { try json(of: .float($0), depth: depth + 1) })
    case .range(let low, let high):
      try checkListable(low, high)
      return .array((low..<high).map { .int($0) })
    case .dict(let dict):
      // JSON keys are strings; other keys are written as their text, as Python's json does.
      return .object(
        try dict.entries.map { key, item in
          JSONValue.Member(key: key.value.description, value: try json(of: item, depth: depth + 1))
        })
    case .closure, .builtin, .output, .box, .secret:
      throw unencodable(value)
    }
  }
}

/// `json_encode` and `json_decode` in the language.
enum JSONBuiltins {
  static let functions: [(String, NativeFunction)] = [
    ("json_encode", .init { args in
      try args.checkLabels(["indent"])
      try args.expect(1)
      var indent: Int?
      if let given = args.named("indent") {
        guard case .int(let n) = given, (0...16).contains(n) else { throw RuntimeFailure("json_encode(): indent must be an int from 0 to 16") }
        indent = n
      }
      return .string(try encode(args[0], indent: indent))
    }),
    ("json_decode", .init { args in
      try args.expect(1)
      do { return try JSON.decode(try args.string(0)) } catch let error as JSON.DecodingError {
        throw RuntimeFailure("json_decode(): \(error.description)")
      }
    }),
  ]

  static func encode(_ value: Value, indent: Int?) throws -> String { try JSON.encode(value, indent: indent) }
}
