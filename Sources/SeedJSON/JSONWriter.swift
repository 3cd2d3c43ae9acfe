/// Writes a `JSONValue` as text: on one line, or indented by `indent` spaces a level; with
/// `sortedKeys`, object members in key order, so that equal documents give equal text.
extension JSONValue {
  public func serialized(indent: Int? = nil, sortedKeys: Bool = false) -> String {
    var out = ""
    write(to: &out, indent: indent, level: 0, sortedKeys: sortedKeys)
    return out
  }

  private func write(to out: inout String, indent: Int?, level: Int, sortedKeys: Bool) {
    let newline = indent.map { "\n" + String(repeating: " ", count: $0 * (level + 1)) } ?? ""
    let closing = indent.map { "\n" + String(repeating: " ", count: $0 * level) } ?? ""
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out += String(i)
    // Non-finite numbers have no JSON spelling; writers upstream refuse them.
    case .double(let d): out += d.isFinite ? d.description : "null"
    case .string(let s): JSONValue.quote(s, into: &out)
    case .array(let items):
      if items.isEmpty { out += "[]"; return }
      out += "["
      for (index, item) in items.enumerated() {
        if index > 0 { out += "," }
        out += newline
        item.write(to: &out, indent: indent, level: level + 1, sortedKeys: sortedKeys)
      }
      out += closing + "]"
    case .object(let members):
      if members.isEmpty { out += "{}"; return }
      out += "{"
      for (index, member) in (sortedKeys ? members.sorted { $0.key < $1.key } : members).enumerated() {
        if index > 0 { out += "," }
        out += newline
        JSONValue.quote(member.key, into: &out)
        out += indent == nil ? ":" : ": "
        member.value.write(to: &out, indent: indent, level: level + 1, sortedKeys: sortedKeys)
      }
      out += closing + "}"
    }
  }

  /// A string as a JSON string literal.
  public static func quote(_ s: String) -> String {
    var out = ""
    quote(s, into: &out)
    return out
  }

  static func quote(_ s: String, into out: inout String) {
    out += "\""
    var s = s
    // Runs of bytes that need no escape, usually the whole string, are appended at once.
    s.withUTF8 { bytes in
      var run = 0
      for index in bytes.indices {
        let byte = bytes[index]
        guard byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 else { continue }
        if run < index { out += String(decoding: UnsafeBufferPointer(rebasing: bytes[run..<index]), as: UTF8.self) }
        switch byte {
        case UInt8(ascii: "\""): out += "\\\""
        case UInt8(ascii: "\\"): out += "\\\\"
        case UInt8(ascii: "\n"): out += "\\n"
        case UInt8(ascii: "\r"): out += "\\r"
        case UInt8(ascii: "\t"): out += "\\t"
        default:
          let hex = String(byte, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
        run = index + 1
      }
      if run < bytes.count { out += String(decoding: UnsafeBufferPointer(rebasing: bytes[run...]), as: UTF8.self) }
    }
    out += "\""
  }
}
