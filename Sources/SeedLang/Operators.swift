/// The general functions of the binary operators, on every pair of operand types; the rows
/// of `OperatorTable` name them. Numbers go through the kernels, which decide overflow and
/// division by zero for the fast paths too.
enum Operators {
  static func failure(_ op: BinaryOperator, _ a: Value, _ b: Value) -> RuntimeFailure {
    var message = "cannot apply '\(op.rawValue)' to \(a.typeName) and \(b.typeName)"
    if case .secret = a { return RuntimeFailure(message + Operators.secretHint) }
    if case .secret = b { return RuntimeFailure(message + Operators.secretHint) }
    if op == .add, case .string = a { message += "; to join text, write \"\\(x)\" or str(x)" }
    return RuntimeFailure(message)
  }

  static let secretHint = "; a secret cannot be computed with, only passed to a function that takes one"

  /// The numbers through the operator's kernels, an int with a float as two floats; nil when
  /// either is not a number. A kernel's nil becomes its error.
  @inline(__always)
  static func numbers<Op: ArithmeticKernel>(_: Op.Type, _ a: Value, _ b: Value) throws -> Value? {
    switch (a, b) {
    case (.int(let x), .int(let y)):
      guard let result = Op.ints(x, y) else { throw RuntimeFailure(Op.intFailure(x, y)) }
      return .int(result)
    case (.float, .float), (.int, .float), (.float, .int):
      let x = a.asDouble!, y = b.asDouble!
      guard let result = Op.floats(x, y) else { throw RuntimeFailure(Op.floatFailure(x, y)) }
      return .float(result)
    default: return nil
    }
  }

  /// The general function of a comparison operator.
  static func comparison<Op: ComparisonKernel>(_: Op.Type) -> (Value, Value) throws -> Value {
    { a, b in .bool(try Op.values(a, b)) }
  }

  /// The largest string `+` and `*` make, and the most items `+` puts in a list.
  static let maxStringBytes = 1 << 28
  static let maxListItems = 1 << 25
  static let concatenationTooLarge = "string concatenation would be larger than 256 MB"

  static func add(_ a: Value, _ b: Value) throws -> Value {
    if let number = try numbers(Addition.self, a, b) { return number }
    switch (a, b) {
    case (.string(let x), .string(let y)):
      // A loop that doubles a string would otherwise take all memory in a few dozen steps.
      guard x.utf8.count + y.utf8.count <= maxStringBytes else {
        throw RuntimeFailure(concatenationTooLarge)
      }
      return .string(String.concatenating(x, y))
    case (.list(let x), .list(let y)):
      guard x.items.count + y.items.count <= maxListItems else {
        throw RuntimeFailure("list concatenation would hold more than \(maxListItems) items")
      }
      return .list(ListObject(x.items + y.items))
    default: return try vectorArithmetic(.add, a, b, +)
    }
  }

  static func subtract(_ a: Value, _ b: Value) throws -> Value {
    if let number = try numbers(Subtraction.self, a, b) { return number }
    return try vectorArithmetic(.subtract, a, b, -)
  }

  static func multiply(_ a: Value, _ b: Value) throws -> Value {
    if let number = try numbers(Multiplication.self, a, b) { return number }
    switch (a, b) {
    case (.string(let s), .int(let n)), (.int(let n), .string(let s)):
      guard n >= 0 else { throw RuntimeFailure("cannot repeat a string a negative number of times (\(n))") }
      let (size, overflow) = s.utf8.count.multipliedReportingOverflow(by: n)
      guard !overflow, size <= maxStringBytes else {
        throw RuntimeFailure("string repetition would be larger than 256 MB")
      }
      return .string(String(repeating: s, count: n))
    default: return try vectorArithmetic(.multiply, a, b, *)
    }
  }

  static func divide(_ a: Value, _ b: Value) throws -> Value {
    if let number = try numbers(Division.self, a, b) { return number }
    if let y = b.asDouble, y == 0, case .vector = a { throw RuntimeFailure("division by zero: vector / 0") }
    return try vectorArithmetic(.divide, a, b, /)
  }

  static func remainder(_ a: Value, _ b: Value) throws -> Value {
    if let number = try numbers(Remainder.self, a, b) { return number }
    throw failure(.remainder, a, b)
  }

  /// Element-wise arithmetic of two vectors of one length, or of a vector and a number.
  static func vectorArithmetic(
    _ op: BinaryOperator, _ a: Value, _ b: Value, _ f: (Double, Double) -> Double
  ) throws -> Value {
    switch (a, b) {
    case (.vector(let x), .vector(let y)):
      if op == .divide, let zero = y.items.firstIndex(of: 0) {
        throw RuntimeFailure("division by zero: item \(zero) of the divisor vector is 0")
      }
      guard x.items.count == y.items.count else {
        throw RuntimeFailure("cannot apply '\(op.rawValue)' to vectors of lengths \(x.items.count) and \(y.items.count)")
      }
      var out = [Double](repeating: 0, count: x.items.count)
      x.items.withUnsafeBufferPointer { xs in
        y.items.withUnsafeBufferPointer { ys in
          for i in 0..<xs.count { out[i] = f(xs[i], ys[i]) }
        }
      }
      return .vector(VectorObject(out))
    case (.vector(let x), _):
      guard let y = b.asDouble else { throw failure(op, a, b) }
      return .vector(VectorObject(x.items.map { f($0, y) }))
    case (_, .vector(let y)) where op == .add || op == .multiply:
      guard let x = a.asDouble else { throw failure(op, a, b) }
      return .vector(VectorObject(y.items.map { f(x, $0) }))
    default:
      throw failure(op, a, b)
    }
  }

  /// Orders numbers, strings, bools and lists of those; -1, 0 or 1.
  static func compare(_ a: Value, _ b: Value, _ op: BinaryOperator = .less, depth: Int = 0) throws -> Int {
    guard depth < Value.maxComparisonDepth else {
      throw RuntimeFailure("cannot compare values nested more than \(Value.maxComparisonDepth) levels deep")
    }
    switch (a, b) {
    case (.int(let x), .int(let y)): return x < y ? -1 : x == y ? 0 : 1
    case (.string(let x), .string(let y)): return StringOrder.compare(x, y)
    case (.bool(let x), .bool(let y)): return x == y ? 0 : (x ? 1 : -1)
    case (.list(let x), .list(let y)):
      for (p, q) in zip(x.items, y.items) {
        let order = try compare(p, q, op, depth: depth + 1)
        if order != 0 { return order }
      }
      return x.items.count < y.items.count ? -1 : x.items.count == y.items.count ? 0 : 1
    default:
      guard let x = a.asDouble, let y = b.asDouble else {
        throw RuntimeFailure("cannot compare \(a.typeName) and \(b.typeName) with '\(op.rawValue)'")
      }
      if x.isNaN || y.isNaN { throw RuntimeFailure("cannot order nan") }
      return x < y ? -1 : x == y ? 0 : 1
    }
  }

  static func negate(_ a: Value) throws -> Value {
    switch a {
    case .int(let x):
      let (negated, overflow) = (0).subtractingReportingOverflow(x)
      if overflow { throw RuntimeFailure("integer overflow: -(\(x)) does not fit in 64 bits") }
      return .int(negated)
    case .float(let x): return .float(-x)
    case .vector(let v): return .vector(VectorObject(v.items.map { -$0 }))
    default: throw RuntimeFailure("cannot negate \(a.aTypeName)")
    }
  }
}

extension Value {
  /// An int or float as a Double; nil for anything else.
  public var asDouble: Double? {
    switch self {
    case .int(let i): return Double(i)
    case .float(let f): return f
    default: return nil
    }
  }
}
