import OrderedCollections

/// A notebook parameter's value: what a front matter `params` entry or a `-p` argument holds.
public indirect enum ParameterValue: Equatable, Sendable {
  case null
  case bool(Bool)
  case int(Int)
  case float(Double)
  case string(String)
  case list([ParameterValue])
  case dict(OrderedDictionary<String, ParameterValue>)

  /// The type's name as messages use it: "null", "bool", "int", "float", "string", "list", "dict".
  public var typeName: String {
    switch self {
    case .null: return "null"
    case .bool: return "bool"
    case .int: return "int"
    case .float: return "float"
    case .string: return "string"
    case .list: return "list"
    case .dict: return "dict"
    }
  }

  /// The type's name with its article, for "expects an int".
  var typeNameWithArticle: String {
    switch self {
    case .int: return "an int"
    default: return "a \(typeName)"
    }
  }

  /// The value written so that `-p` would read it back: JSON, with YAML's spellings for the
  /// floats JSON lacks (.inf, -.inf, .nan).
  public var literal: String {
    switch self {
    case .null: return "null"
    case .bool(let value): return value ? "true" : "false"
    case .int(let value): return String(value)
    case .float(let value):
      if value.isNaN { return ".nan" }
      if value.isInfinite { return value < 0 ? "-.inf" : ".inf" }
      return String(value)
    case .string(let value): return Self.quoted(value)
    case .list(let items): return "[" + items.map(\.literal).joined(separator: ", ") + "]"
    case .dict(let entries):
      return "{" + entries.map { "\(Self.quoted($0.key)): \($0.value.literal)" }.joined(separator: ", ") + "}"
    }
  }

  /// A JSON string literal, which YAML's double-quoted style also reads. Besides JSON's escapes
  /// it escapes the characters YAML treats as line breaks or does not allow in a stream.
  static func quoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        let value = scalar.value
        let printable =
          (0x20...0x7E).contains(value) || (0xA0...0xD7FF).contains(value)
          || ((0xE000...0xFFFD).contains(value) && value != 0xFEFF) || value >= 0x10000
        if printable && value != 0x2028 && value != 0x2029 {
          out.unicodeScalars.append(scalar)
        } else {
          let hex = String(value, radix: 16, uppercase: true)
          out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
      }
    }
    return out + "\""
  }
}

extension ParameterValue: CustomStringConvertible {
  public var description: String { literal }
}
