import OrderedCollections
import Yams

/// Reads YAML into parameter values with YAML 1.2's core schema, as Quarto and papermill's
/// users expect, rather than the YAML 1.1 rules Yams applies by default: only `true` and
/// `false` are bools (`yes`, `no`, `on` and `off` stay text), `1_000` and `2024-01-31` are
/// text, and `0o17` is octal. Quoted and block scalars are always text.
enum CoreSchema {
  /// A value that could not be read, with where it is when YAML said.
  struct Failure: Error {
    var message: String
    var mark: Mark?
  }

  /// The core schema's tag resolution for plain scalars; the first rule that matches wins.
  static let resolver: Resolver = {
    // The patterns are constants, so a failure here is a typo that every test would show.
    // swiftlint:disable force_try
    try! Resolver.basic
      .appending(.null, "^(?:~|null|Null|NULL|)$")
      .appending(.bool, "^(?:true|True|TRUE|false|False|FALSE)$")
      .appending(.int, "^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
      .appending(
        .float,
        "^(?:[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$"
      )
    // swiftlint:enable force_try
  }()

  /// At most this many YAML nodes become values; front matter is for a few settings, and a
  /// larger one is more likely a mistake than data.
  static let nodeBudget = 100_000

  /// Parses one YAML document; nil for an empty one.
  static func parse(_ yaml: String) throws -> Node? {
    try Yams.compose(yaml: yaml, resolver)
  }

  /// The value of a plain (unquoted) scalar, typed as the core schema says.
  static func value(ofPlainScalar text: String) throws -> ParameterValue {
    var budget = 1
    let node = Node.scalar(Node.Scalar(text, Tag(.implicit, resolver, .default), .plain))
    return try value(of: node, budget: &budget)
  }

  /// value -> scalar | sequence of value | mapping of scalar to value
  static func value(of node: Node, budget: inout Int) throws -> ParameterValue {
    budget -= 1
    guard budget >= 0 else {
      throw Failure(message: "more than \(nodeBudget) values; keep large data in a file beside the notebook", mark: node.mark)
    }
    switch node {
    case .scalar(let scalar):
      return try value(of: scalar, tag: node.tag.description)
    case .sequence(let sequence):
      guard node.tag.description == Tag.Name.seq.rawValue else { throw unsupported(node) }
      var items: [ParameterValue] = []
      for item in sequence {
        items.append(try value(of: item, budget: &budget))
      }
      return .list(items)
    case .mapping(let mapping):
      guard node.tag.description == Tag.Name.map.rawValue else { throw unsupported(node) }
      var entries: OrderedDictionary<String, ParameterValue> = [:]
      for (key, item) in mapping {
        guard case .scalar(let keyScalar) = key else {
          throw Failure(message: "a key is \(kind(of: key)); keys must be text", mark: key.mark)
        }
        entries[keyScalar.string] = try value(of: item, budget: &budget)
      }
      return .dict(entries)
    case .alias:
      // Yams resolves aliases while composing; this is here for completeness.
      throw Failure(message: "an alias could not be resolved", mark: node.mark)
    }
  }

  /// Reads a scalar's text as its tag says: implicit tags were resolved by `resolver`, explicit
  /// ones (`!!int 5`, `!!str 5`) are taken at their word.
  private static func value(of scalar: Node.Scalar, tag: String) throws -> ParameterValue {
    let text = scalar.string
    switch tag {
    case Tag.Name.str.rawValue:
      return .string(text)
    case Tag.Name.null.rawValue:
      guard ["", "~", "null", "Null", "NULL"].contains(text) else {
        throw Failure(message: "'\(text)' is tagged !!null but is not null", mark: scalar.mark)
      }
      return .null
    case Tag.Name.bool.rawValue:
      switch text {
      case "true", "True", "TRUE": return .bool(true)
      case "false", "False", "FALSE": return .bool(false)
      default: throw Failure(message: "'\(text)' is not a bool: use true or false", mark: scalar.mark)
      }
    case Tag.Name.int.rawValue:
      if let value = int(from: text) { return .int(value) }
      let digits = text.drop { $0 == "-" || $0 == "+" }
      if !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) {
        throw Failure(message: "\(text) does not fit in a 64-bit int", mark: scalar.mark)
      }
      throw Failure(message: "'\(text)' is not an int", mark: scalar.mark)
    case Tag.Name.float.rawValue:
      if let value = float(from: text) { return .float(value) }
      throw Failure(message: "'\(text)' is not a float", mark: scalar.mark)
    default:
      throw Failure(message: "the YAML tag \(tag) is not supported", mark: scalar.mark)
    }
  }

  /// int -> [-+]? digit+ | '0o' octal+ | '0x' hex+ ; nil if it does not fit in an Int.
  static func int(from text: String) -> Int? {
    if text.hasPrefix("0o") { return Int(text.dropFirst(2), radix: 8) }
    if text.hasPrefix("0x") { return Int(text.dropFirst(2), radix: 16) }
    return Int(text)
  }

  /// float -> decimal float | int | [-+]? '.inf' | '.nan'
  static func float(from text: String) -> Double? {
    switch text {
    case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
    case "-.inf", "-.Inf", "-.INF": return -.infinity
    case ".nan", ".NaN", ".NAN": return .nan
    default:
      // Swift would also read "inf", "nan" and hex floats, which YAML's core schema does not.
      guard text.allSatisfy({ $0.isASCIIDigit || "+-.eE".contains($0) }) else { return nil }
      return Double(text)
    }
  }

  /// "text", "a list" or "a mapping", for messages about a node of the wrong kind.
  static func kind(of node: Node) -> String {
    switch node {
    case .scalar: return "text"
    case .sequence: return "a list"
    case .mapping: return "a mapping"
    case .alias: return "an alias"
    }
  }

  private static func unsupported(_ node: Node) -> Failure {
    Failure(message: "the YAML tag \(node.tag.description) is not supported", mark: node.mark)
  }
}
