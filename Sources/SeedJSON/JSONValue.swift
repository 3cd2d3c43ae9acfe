/// SeedJSON owns JSON text: reading it into a `JSONValue` tree and writing one back. The
/// language's `json_decode`/`json_encode` and the LLM client both build on it.

/// A JSON document. Objects keep their members in order, as the text has them.
public enum JSONValue: Equatable, Sendable {
  case null
  case bool(Bool)
  /// A number written without fraction or exponent that fits in 64 bits.
  case int(Int)
  case double(Double)
  case string(String)
  case array([JSONValue])
  case object([Member])

  public struct Member: Equatable, Sendable {
    public var key: String
    public var value: JSONValue

    public init(key: String, value: JSONValue) {
      self.key = key
      self.value = value
    }
  }

  /// Nesting deeper than this is refused when reading and writing.
  public static let maxDepth = 512

  /// Parses one JSON document; whitespace may surround it, nothing else.
  public static func parse(_ text: String) throws -> JSONValue {
    try parse(bytes: Array(text.utf8))
  }

  public static func parse(bytes: [UInt8]) throws -> JSONValue {
    var reader = JSONReader(bytes: bytes)
    reader.skipSpace()
    let value = try reader.value(depth: 0)
    reader.skipSpace()
    guard reader.atEnd else { throw reader.error("unexpected text after the JSON value") }
    return value
  }

  // MARK: - Reading a document's parts

  /// The value of an object's member; the last one wins when a key repeats, as in most readers.
  public subscript(key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    return members.last(where: { $0.key == key })?.value
  }

  public var string: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  public var int: Int? {
    switch self {
    case .int(let i): return i
    case .double(let d): return Int(exactly: d)
    default: return nil
    }
  }

  public var double: Double? {
    switch self {
    case .int(let i): return Double(i)
    case .double(let d): return d
    default: return nil
    }
  }

  public var bool: Bool? {
    if case .bool(let b) = self { return b }
    return nil
  }

  public var array: [JSONValue]? {
    if case .array(let items) = self { return items }
    return nil
  }

  public var isNull: Bool { self == .null }
}

/// Where and why JSON text could not be read.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
  public let message: String
  public let line: Int
  public let column: Int
  public var description: String { "invalid JSON at line \(line), column \(column): \(message)" }
}
