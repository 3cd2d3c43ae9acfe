/// Output, conversion and checking: `print`, `display` and the output makers, `str`, `int`,
/// `float`, `type`, `len`, `assert`, `error`.
enum CoreBuiltins {
  static let functions: [(String, NativeFunction)] = [
    ("print", .init(print)),
    ("display", .init(display)),
    ("table", .init(table)),
    ("markdown", .init { args in try args.expect(1); return .output(.markdown(try args.string(0))) }),
    ("html", .init { args in try args.expect(1); return .output(.html(try args.string(0))) }),
    ("json", .init { args in try args.expect(1); return .output(.json(try JSONBuiltins.encode(args[0], indent: 2))) }),
    ("type", .init { args in try args.expect(1); return .string(args[0].typeName) }),
    ("str", .init { args in try args.expect(1); return .string(try args[0].printed()) }),
    ("repr", .init { args in try args.expect(1); return .string(try args[0].literalPrinted()) }),
    ("int", .init(toInt)),
    ("float", .init(toFloat)),
    ("len", .init(length)),
    ("assert", .init(assert)),
    ("error", .init { args in try args.expect(1); throw RuntimeFailure(args[0].description) }),
    ("parallel", .init(parallel)),
  ]

  // parallel(items, limit: 64) { item in ... }: the closure for every item, concurrently.
  static func parallel(_ args: inout Arguments) throws -> Value {
    try args.checkLabels(["limit"])
    try args.expect(2)
    let items = try Iteration.items(of: args[0], for: "parallel")
    let body = try args.function(1)
    var limit = 64
    if let given = args.named("limit") {
      guard case .int(let n) = given, n >= 1 else { throw RuntimeFailure("parallel(): limit must be a positive int") }
      limit = min(n, 256)
    }
    return .list(ListObject(try args.interpreter.parallelMap(items, limit: limit, body: body)))
  }

  // print(items..., separator: " ", terminator: "\n")
  static func print(_ args: inout Arguments) throws -> Value {
    try args.checkLabels(["separator", "terminator"])
    let separator = try args.named("separator").map { try text($0, "separator") } ?? " "
    let terminator = try args.named("terminator").map { try text($0, "terminator") } ?? "\n"
    let line = try (0..<args.positionalCount).map { try args[$0].printed() }.joined(separator: separator)
    try args.interpreter.record(.text(line + terminator))
    return .nil
  }

  private static func text(_ value: Value, _ label: String) throws -> String {
    guard case .string(let s) = value else { throw RuntimeFailure("print(): '\(label)' must be a string") }
    return s
  }

  // display(items...): records each as an output of the current cell.
  static func display(_ args: inout Arguments) throws -> Value {
    try args.checkLabels([])
    for index in 0..<args.count {
      // Displaying is asking to see it; a secret is never shown, so that is a mistake to report.
      if case .secret(let secret) = args[index] {
        throw RuntimeFailure("display(): cannot display the secret \(secret.name); a secret is never shown")
      }
      try args.interpreter.record(try outputItem(for: args[index]))
    }
    return .nil
  }

  /// What `display` shows for a value: rich items as they are, strings as text, other values
  /// as their literal. Text ends with a line break: a notebook joins adjacent text outputs into
  /// one stream, and each displayed value is an output of its own.
  public static func outputItem(for value: Value) throws -> OutputItem {
    switch value {
    case .output(let item): return item
    case .string(let s): return .text(s + "\n")
    default: return .text(try value.literalPrinted() + "\n")
    }
  }

  // table(rows, headers: [...]): rows are lists, or dicts whose keys become the headers.
  static func table(_ args: inout Arguments) throws -> Value {
    try args.checkLabels(["headers"])
    try args.expect(1)
    let rows = try args.list(0).items
    var headers: [String] = []
    if let given = args.named("headers") {
      guard case .list(let list) = given else { throw RuntimeFailure("table(): headers must be a list of strings") }
      headers = try list.items.map { try $0.printed() }
    }
    var cells: [[String]] = []
    for (index, row) in rows.enumerated() {
      switch row {
      case .list(let list):
        cells.append(try list.items.map { try $0.printed() })
      case .dict(let dict):
        if headers.isEmpty { headers = dict.entries.keys.map { $0.value.description } }
        cells.append(try headers.map { try dict[$0]?.printed() ?? "" })
      default:
        throw RuntimeFailure("table(): row \(index) is \(row.aTypeName); each row must be a list or a dict")
      }
    }
    return .output(.table(headers: headers, rows: cells))
  }

  static func toInt(_ args: inout Arguments) throws -> Value {
    try args.expect(1)
    switch args[0] {
    case .int: return args[0]
    case .bool(let b): return .int(b ? 1 : 0)
    case .float(let f):
      guard let i = Int(exactly: f.rounded(.towardZero)) else {
        throw RuntimeFailure("int(): \(Value.formatFloat(f)) does not fit in an int")
      }
      return .int(i)
    case .string(let s):
      guard let i = Int(s.trimmingSpaces()) else { throw RuntimeFailure("int(): \(Value.quoted(s)) is not an integer") }
      return .int(i)
    default:
      throw args.failure(0, expected: "a number or a string")
    }
  }

  static func toFloat(_ args: inout Arguments) throws -> Value {
    try args.expect(1)
    switch args[0] {
    case .float: return args[0]
    case .int(let i): return .float(Double(i))
    case .string(let s):
      guard let f = Double(s.trimmingSpaces()) else { throw RuntimeFailure("float(): \(Value.quoted(s)) is not a number") }
      return .float(f)
    default:
      throw args.failure(0, expected: "a number or a string")
    }
  }

  static func length(_ args: inout Arguments) throws -> Value {
    try args.expect(1)
    switch args[0] {
    case .list(let list): return .int(list.items.count)
    case .dict(let dict): return .int(dict.entries.count)
    case .string(let string): return .int(string.characterCount)
    case .vector(let vector): return .int(vector.items.count)
    case .range(let low, let high): return .int(try Subscripts.count(low: low, high: high))
    default: throw args.failure(0, expected: "a list, dict, string, vector or range")
    }
  }

  static func assert(_ args: inout Arguments) throws -> Value {
    try args.expect(1...2)
    guard case .bool(let ok) = args[0] else { throw args.failure(0, expected: "a bool") }
    if !ok {
      throw RuntimeFailure(args.positionalCount > 1 ? "assertion failed: \(args[1].description)" : "assertion failed")
    }
    return .nil
  }
}

extension String {
  func trimmingSpaces() -> String {
    var s = Substring(self)
    while let c = s.first, c.isWhitespace { s.removeFirst() }
    while let c = s.last, c.isWhitespace { s.removeLast() }
    return String(s)
  }
}
