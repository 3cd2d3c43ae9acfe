/// Writes a `JSONValue` as text: on one line, or indented by `indent` spaces a level; with
/// `sortedKeys`, object members in key order, so that equal documents give equal text.
///
/// The text is gathered as UTF-8 bytes and made a string once: appending to a String costs
/// tens of instructions a piece, most of a request's serialization.
extension JSONValue {
  public func serialized(indent: Int? = nil, sortedKeys: Bool = false) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(256)
    write(to: &out, indent: indent, level: 0, sortedKeys: sortedKeys)
    return String(decoding: out, as: UTF8.self)
  }

  private func write(to out: inout [UInt8], indent: Int?, level: Int, sortedKeys: Bool) {
    func breakLine(_ out: inout [UInt8], _ level: Int) { JSONValue.breakLine(&out, indent: indent, level: level) }
    switch self {
    case .null: out.append(contentsOf: "null".utf8)
    case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
    case .int(let i): out.append(contentsOf: String(i).utf8)
    // Non-finite numbers have no JSON spelling; writers upstream refuse them.
    case .double(let d): out.append(contentsOf: (d.isFinite ? d.description : "null").utf8)
    case .string(let s): JSONValue.quote(s, into: &out)
    case .array(let items):
      if items.isEmpty { out.append(contentsOf: "[]".utf8); return }
      out.append(UInt8(ascii: "["))
      for (index, item) in items.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        breakLine(&out, level + 1)
        item.write(to: &out, indent: indent, level: level + 1, sortedKeys: sortedKeys)
      }
      breakLine(&out, level)
      out.append(UInt8(ascii: "]"))
    case .object(let members):
      if members.isEmpty { out.append(contentsOf: "{}".utf8); return }
      out.append(UInt8(ascii: "{"))
      for (index, member) in (sortedKeys ? members.sorted { $0.key < $1.key } : members).enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        breakLine(&out, level + 1)
        JSONValue.quote(member.key, into: &out)
        out.append(UInt8(ascii: ":"))
        if indent != nil { out.append(UInt8(ascii: " ")) }
        member.value.write(to: &out, indent: indent, level: level + 1, sortedKeys: sortedKeys)
      }
      breakLine(&out, level)
      out.append(UInt8(ascii: "}"))
    }
  }

  /// A string as a JSON string literal.
  /// A line break and the indentation of `level` when indenting (`indent` spaces a level),
  /// else nothing: what separates members in a writer's output.
  public static func breakLine(_ out: inout [UInt8], indent: Int?, level: Int) {
    guard let indent else { return }
    out.append(UInt8(ascii: "\n"))
    out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * level))
  }

  public static func quote(_ s: String) -> String {
    var out: [UInt8] = []
    quote(s, into: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// Appends a string as a JSON string literal to UTF-8 text being written.
  public static func quote(_ s: String, into out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    var s = s
    // Runs of bytes that need no escape, usually the whole string, are copied at once.
    s.withUTF8 { bytes in
      var run = 0
      for index in bytes.indices {
        let byte = bytes[index]
        guard byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 else { continue }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<index]))
        out.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
        case UInt8(ascii: "\n"): out.append(UInt8(ascii: "n"))
        case UInt8(ascii: "\r"): out.append(UInt8(ascii: "r"))
        case UInt8(ascii: "\t"): out.append(UInt8(ascii: "t"))
        default:
          let hex = String(byte, radix: 16)
          out.append(contentsOf: ("u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
        }
        run = index + 1
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run...]))
    }
    out.append(UInt8(ascii: "\""))
  }
}
