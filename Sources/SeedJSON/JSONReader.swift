/// Reads JSON text into a `JSONValue`: a recursive descent over the UTF-8 bytes, with a
/// depth limit so that no document can exhaust the stack, and errors that say where.
struct JSONReader {
  let bytes: [UInt8]
  var position = 0

  var atEnd: Bool { position >= bytes.count }
  var peek: UInt8 { position < bytes.count ? bytes[position] : 0 }

  func error(_ message: String) -> JSONSyntaxError {
    var line = 1, column = 1
    for byte in bytes[..<min(position, bytes.count)] {
      if byte == UInt8(ascii: "\n") {
        line += 1
        column = 1
      } else if byte & 0xC0 != 0x80 {
        column += 1
      }
    }
    return JSONSyntaxError(message: message, line: line, column: column)
  }

  mutating func skipSpace() {
    while position < bytes.count {
      switch bytes[position] {
      case 0x20, 0x0A, 0x0D, 0x09: position += 1
      default: return
      }
    }
  }

  mutating func expect(_ word: String, _ value: JSONValue) throws -> JSONValue {
    for byte in word.utf8 {
      guard peek == byte else { throw error("expected '\(word)'") }
      position += 1
    }
    return value
  }

  // value -> object | array | string | number | true | false | null
  mutating func value(depth: Int) throws -> JSONValue {
    guard depth < JSONValue.maxDepth else { throw error("nested more than \(JSONValue.maxDepth) levels") }
    switch peek {
    case UInt8(ascii: "{"): return try object(depth: depth)
    case UInt8(ascii: "["): return try array(depth: depth)
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"): return try expect("true", .bool(true))
    case UInt8(ascii: "f"): return try expect("false", .bool(false))
    case UInt8(ascii: "n"): return try expect("null", .null)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
    default: throw error(atEnd ? "unexpected end of input" : "expected a value")
    }
  }

  // object -> '{' (string ':' value) % ',' '}'
  mutating func object(depth: Int) throws -> JSONValue {
    position += 1
    var members: [JSONValue.Member] = []
    skipSpace()
    if peek == UInt8(ascii: "}") {
      position += 1
      return .object(members)
    }
    while true {
      skipSpace()
      guard peek == UInt8(ascii: "\"") else { throw error("expected a string key") }
      let key = try string()
      skipSpace()
      guard peek == UInt8(ascii: ":") else { throw error("expected ':' after a key") }
      position += 1
      skipSpace()
      members.append(JSONValue.Member(key: key, value: try value(depth: depth + 1)))
      skipSpace()
      if peek == UInt8(ascii: ",") {
        position += 1
        continue
      }
      guard peek == UInt8(ascii: "}") else { throw error("expected ',' or '}' in an object") }
      position += 1
      return .object(members)
    }
  }

  // array -> '[' value % ',' ']'
  mutating func array(depth: Int) throws -> JSONValue {
    position += 1
    var items: [JSONValue] = []
    skipSpace()
    if peek == UInt8(ascii: "]") {
      position += 1
      return .array(items)
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
      return .array(items)
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
    // Most strings hold no escape: they are found whole and decoded straight from the input.
    let start = position
    while position < bytes.count {
      let byte = bytes[position]
      if byte == UInt8(ascii: "\"") {
        let end = position
        position += 1
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self) }
      }
      if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
      position += 1
    }
    var out = Array(bytes[start..<position])
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

  mutating func number() throws -> JSONValue {
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
    // Double() reads 1e999 as infinity, which JSON cannot write back: it would come out as null.
    guard f.isFinite else {
      position = start
      throw error("number \(text.count > 40 ? text.prefix(40) + "..." : text) is out of range")
    }
    return .double(f)
  }
}
