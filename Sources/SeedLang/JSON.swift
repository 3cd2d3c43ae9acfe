/// JSON text to and from seed values: objects become dicts (keys in order), arrays lists,
/// integers ints and other numbers floats.
public enum JSON {
  /// Nesting deeper than this is refused, so no document can exhaust the stack.
  public static let maxDepth = 512

  public struct DecodingError: Error, CustomStringConvertible {
    public let message: String
    public let line: Int
    public let column: Int
    public var description: String { "invalid JSON at line \(line), column \(column): \(message)" }
  }

  public static func decode(_ text: String) throws -> Value {
    var reader = Reader(bytes: Array(text.utf8))
    reader.skipSpace()
    let value = try reader.value(depth: 0)
    reader.skipSpace()
    guard reader.atEnd else { throw reader.error("unexpected text after the JSON value") }
    return value
  }

  /// The value as JSON; `indent` spaces per level, or one line when nil.
  public static func encode(_ value: Value, indent: Int? = nil) throws -> String {
    var out = ""
    try write(value, indent: indent, level: 0, to: &out)
    return out
  }

  private static func write(_ value: Value, indent: Int?, level: Int, to out: inout String) throws {
    guard level <= maxDepth else { throw RuntimeFailure("cannot encode as JSON: nested more than \(maxDepth) levels (does a list contain itself?)") }
    let newline = indent.map { "\n" + String(repeating: " ", count: $0 * (level + 1)) } ?? ""
    let closing = indent.map { "\n" + String(repeating: " ", count: $0 * level) } ?? ""
    switch value {
    case .nil: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out += String(i)
    case .float(let f):
      guard f.isFinite else { throw RuntimeFailure("cannot encode \(Value.formatFloat(f)) as JSON") }
      out += f.description
    case .string(let s): out += quote(s)
    case .list(let list):
      try writeArray(list.items, indent: indent, level: level, newline: newline, closing: closing, to: &out)
    case .vector(let vector):
      try writeArray(vector.items.map { .float($0) }, indent: indent, level: level, newline: newline, closing: closing, to: &out)
    case .range(let low, let high):
      guard try Subscripts.count(low: low, high: high) <= 10_000_000 else {
        throw RuntimeFailure("cannot encode the range \(low)..<\(high) as JSON: it has more than 10,000,000 items")
      }
      try writeArray((low..<high).map { .int($0) }, indent: indent, level: level, newline: newline, closing: closing, to: &out)
    case .dict(let dict):
      if dict.entries.isEmpty { out += "{}"; return }
      out += "{"
      for (index, (key, item)) in dict.entries.enumerated() {
        if index > 0 { out += "," }
        out += newline
        // JSON keys are strings; other keys are written as their text, as Python's json does.
        out += quote(key.value.description)
        out += indent == nil ? ":" : ": "
        try write(item, indent: indent, level: level + 1, to: &out)
      }
      out += closing + "}"
    case .closure, .builtin, .output, .box:
      throw RuntimeFailure("cannot encode \(value.aTypeName) as JSON")
    }
  }

  private static func writeArray(
    _ items: [Value], indent: Int?, level: Int, newline: String, closing: String, to out: inout String
  ) throws {
    if items.isEmpty { out += "[]"; return }
    out += "["
    for (index, item) in items.enumerated() {
      if index > 0 { out += "," }
      out += newline
      try write(item, indent: indent, level: level + 1, to: &out)
    }
    out += closing + "]"
  }

  public static func quote(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  private struct Reader {
    let bytes: [UInt8]
    var position = 0

    var atEnd: Bool { position >= bytes.count }
    var peek: UInt8 { position < bytes.count ? bytes[position] : 0 }

    func error(_ message: String) -> DecodingError {
      var line = 1, column = 1
      for byte in bytes[..<min(position, bytes.count)] {
        if byte == UInt8(ascii: "\n") {
          line += 1
          column = 1
        } else if byte & 0xC0 != 0x80 {
          column += 1
        }
      }
      return DecodingError(message: message, line: line, column: column)
    }

    mutating func skipSpace() {
      while position < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[position]) { position += 1 }
    }

    mutating func expect(_ word: String, _ value: Value) throws -> Value {
      for byte in word.utf8 {
        guard peek == byte else { throw error("expected '\(word)'") }
        position += 1
      }
      return value
    }

    // value -> object | array | string | number | true | false | null
    mutating func value(depth: Int) throws -> Value {
      guard depth < JSON.maxDepth else { throw error("nested more than \(JSON.maxDepth) levels") }
      switch peek {
      case UInt8(ascii: "{"): return try object(depth: depth)
      case UInt8(ascii: "["): return try array(depth: depth)
      case UInt8(ascii: "\""): return .string(try string())
      case UInt8(ascii: "t"): return try expect("true", .bool(true))
      case UInt8(ascii: "f"): return try expect("false", .bool(false))
      case UInt8(ascii: "n"): return try expect("null", .nil)
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
      default: throw error(atEnd ? "unexpected end of input" : "expected a value")
      }
    }

    // object -> '{' (string ':' value) % ',' '}'
    mutating func object(depth: Int) throws -> Value {
      position += 1
      let dict = DictObject()
      skipSpace()
      if peek == UInt8(ascii: "}") {
        position += 1
        return .dict(dict)
      }
      while true {
        skipSpace()
        guard peek == UInt8(ascii: "\"") else { throw error("expected a string key") }
        let key = try string()
        skipSpace()
        guard peek == UInt8(ascii: ":") else { throw error("expected ':' after a key") }
        position += 1
        skipSpace()
        dict[key] = try value(depth: depth + 1)
        skipSpace()
        if peek == UInt8(ascii: ",") {
          position += 1
          continue
        }
        guard peek == UInt8(ascii: "}") else { throw error("expected ',' or '}' in an object") }
        position += 1
        return .dict(dict)
      }
    }

    // array -> '[' value % ',' ']'
    mutating func array(depth: Int) throws -> Value {
      position += 1
      var items: [Value] = []
      skipSpace()
      if peek == UInt8(ascii: "]") {
        position += 1
        return .list(ListObject(items))
      }
      while true {
        skipSpace()
        items.append(try value(depth: depth + 1))
        skipSpace()
        if peek == UInt8(ascii: ",") {
          position += 1
          continue
        }
        guard peek == UInt8(ascii: "]") else { throw error("expected ',' or ']' in an array") }
        position += 1
        return .list(ListObject(items))
      }
    }

    mutating func hex4() throws -> UInt32 {
      guard position + 4 <= bytes.count, let code = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16) else {
        throw error("expected 4 hex digits after \\u")
      }
      position += 4
      return code
    }

    mutating func string() throws -> String {
      position += 1
      var out: [UInt8] = []
      while true {
        guard position < bytes.count else { throw error("unterminated string") }
        let byte = bytes[position]
        position += 1
        switch byte {
        case UInt8(ascii: "\""):
          return String(decoding: out, as: UTF8.self)
        case UInt8(ascii: "\\"):
          guard position < bytes.count else { throw error("unterminated string") }
          let escaped = bytes[position]
          position += 1
          switch escaped {
          case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
          case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
          case UInt8(ascii: "/"): out.append(UInt8(ascii: "/"))
          case UInt8(ascii: "b"): out.append(0x08)
          case UInt8(ascii: "f"): out.append(0x0C)
          case UInt8(ascii: "n"): out.append(0x0A)
          case UInt8(ascii: "r"): out.append(0x0D)
          case UInt8(ascii: "t"): out.append(0x09)
          case UInt8(ascii: "u"):
            var code = try hex4()
            if (0xD800..<0xDC00).contains(code), peek == UInt8(ascii: "\\"), position + 1 < bytes.count,
              bytes[position + 1] == UInt8(ascii: "u")
            {
              position += 2
              let low = try hex4()
              if (0xDC00..<0xE000).contains(low) { code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00) }
            }
            // A lone surrogate has no character; it becomes U+FFFD as in most decoders.
            let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
          default:
            // Point at the backslash, not past the escape.
            position -= 2
            throw error("invalid escape '\\\(Character(Unicode.Scalar(escaped)))'")
          }
        case 0..<0x20:
          throw error("control character in a string")
        default:
          out.append(byte)
        }
      }
    }

    mutating func number() throws -> Value {
      let start = position
      if peek == UInt8(ascii: "-") { position += 1 }
      func digits() -> Int {
        let from = position
        while peek >= UInt8(ascii: "0") && peek <= UInt8(ascii: "9") { position += 1 }
        return position - from
      }
      guard digits() > 0 else { throw error("expected digits") }
      var isFloat = false
      if peek == UInt8(ascii: ".") {
        position += 1
        isFloat = true
        guard digits() > 0 else { throw error("expected digits after '.'") }
      }
      if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
        position += 1
        isFloat = true
        if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { position += 1 }
        guard digits() > 0 else { throw error("expected digits in the exponent") }
      }
      let text = String(decoding: bytes[start..<position], as: UTF8.self)
      if !isFloat, let i = Int(text) { return .int(i) }
      guard let f = Double(text) else { throw error("invalid number \(text)") }
      return .float(f)
    }
  }
}

/// `json_encode` and `json_decode` in the language.
enum JSONBuiltins {
  static let functions: [(String, NativeFunction)] = [
    ("json_encode", { args in
      try args.checkLabels(["indent"])
      try args.expect(1)
      var indent: Int?
      if let given = args.named("indent") {
        guard case .int(let n) = given, (0...16).contains(n) else { throw RuntimeFailure("json_encode(): indent must be an int from 0 to 16") }
        indent = n
      }
      return .string(try encode(args[0], indent: indent))
    }),
    ("json_decode", { args in
      try args.expect(1)
      do { return try JSON.decode(try args.string(0)) } catch let error as JSON.DecodingError {
        throw RuntimeFailure("json_decode(): \(error.description)")
      }
    }),
  ]

  static func encode(_ value: Value, indent: Int?) throws -> String { try JSON.encode(value, indent: indent) }
}
