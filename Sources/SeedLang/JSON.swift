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
  public static func encode(_ value: Value, indent: Int? = nil) throws -> String {
    try json(of: value).serialized(indent: indent)
  }

  /// The JSON document of a value; functions, outputs and non-finite floats have none.
  public static func json(of value: Value, depth: Int = 0) throws -> JSONValue {
    guard depth <= JSONValue.maxDepth else {
      throw RuntimeFailure("cannot encode as JSON: nested more than \(JSONValue.maxDepth) levels (does a list contain itself?)")
    }
    switch value {
    case .nil: return .null
    case .bool(let b): return .bool(b)
    case .int(let i): return .int(i)
    case .float(let f):
      guard f.isFinite else { throw RuntimeFailure("cannot encode \(Value.formatFloat(f)) as JSON") }
      return .double(f)
    case .string(let s): return .string(s)
    case .list(let list): return .array(try list.items.map { try json(of: $0, depth: depth + 1) })
    case .vector(let vector):
      return .array(try vector.items.map { try json(of: .float($0), depth: depth + 1) })
    case .range(let low, let high):
      guard try Subscripts.count(low: low, high: high) <= 10_000_000 else {
        throw RuntimeFailure("cannot encode the range \(low)..<\(high) as JSON: it has more than 10,000,000 items")
      }
      return .array((low..<high).map { .int($0) })
    case .dict(let dict):
      // JSON keys are strings; other keys are written as their text, as Python's json does.
      return .object(
        try dict.entries.map { key, item in
          JSONValue.Member(key: key.value.description, value: try json(of: item, depth: depth + 1))
        })
    case .closure, .builtin, .output, .box:
      throw RuntimeFailure("cannot encode \(value.aTypeName) as JSON")
    case .secret:
      throw RuntimeFailure("cannot encode a secret as JSON: its text is only for the functions that take one")
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
