/// Everything the language knows about its binary operators, in one table in the style of
/// Lua's lopcodes.h: one row per operator. The parser reads the tokens and precedences, the
/// emitter the general functions, and the specialisations the int and float kernels; the
/// error texts live with the kernels, so that overflow and division by zero are decided in
/// one place whichever path meets them.

/// How tightly an infix operator binds; higher binds tighter.
enum Precedence: Int, Comparable {
  case none, conditional, nilCoalescing, or, and, comparison, range, term, factor, prefix
  static func < (a: Precedence, b: Precedence) -> Bool { a.rawValue < b.rawValue }
}

struct OperatorRow {
  let op: BinaryOperator
  let token: TokenKind
  /// The token of `x op= y`, for the operators that have one.
  let assignmentToken: TokenKind?
  let precedence: Precedence
  /// The int and float kernels and the error texts (an `ArithmeticKernel` or a
  /// `ComparisonKernel`).
  let kernel: Any.Type
  /// The operator on any two values: what the emitter calls, and what every fast path falls
  /// back to. It throws a `RuntimeFailure` with the operator's error text.
  let general: (Value, Value) throws -> Value

  init(
    _ op: BinaryOperator, _ token: TokenKind, _ assignmentToken: TokenKind?, _ precedence: Precedence, _ kernel: Any.Type,
    _ general: @escaping (Value, Value) throws -> Value
  ) {
    self.op = op
    self.token = token
    self.assignmentToken = assignmentToken
    self.precedence = precedence
    self.kernel = kernel
    self.general = general
  }
}

enum OperatorTable {
  static let rows: [OperatorRow] = [
    //    operator       token          op=            precedence   kernel               general
    .init(.add,          .plus,         .plusEqual,    .term,       Addition.self,       Operators.add),
    .init(.subtract,     .minus,        .minusEqual,   .term,       Subtraction.self,    Operators.subtract),
    .init(.multiply,     .star,         .starEqual,    .factor,     Multiplication.self, Operators.multiply),
    .init(.divide,       .slash,        .slashEqual,   .factor,     Division.self,       Operators.divide),
    .init(.remainder,    .percent,      .percentEqual, .factor,     Remainder.self,      Operators.remainder),
    .init(.equal,        .equalEqual,   nil,           .comparison, Equal.self,          Operators.comparison(Equal.self)),
    .init(.notEqual,     .bangEqual,    nil,           .comparison, NotEqual.self,       Operators.comparison(NotEqual.self)),
    .init(.less,         .less,         nil,           .comparison, LessThan.self,       Operators.comparison(LessThan.self)),
    .init(.lessEqual,    .lessEqual,    nil,           .comparison, LessOrEqual.self,    Operators.comparison(LessOrEqual.self)),
    .init(.greater,      .greater,      nil,           .comparison, GreaterThan.self,    Operators.comparison(GreaterThan.self)),
    .init(.greaterEqual, .greaterEqual, nil,           .comparison, GreaterOrEqual.self, Operators.comparison(GreaterOrEqual.self)),
  ]

  /// The row of `op`; every operator has one. Searched, not hashed: a dictionary keyed by
  /// `BinaryOperator` makes the runtime search every conformance in the executable for its
  /// `Hashable` at start-up.
  static func row(_ op: BinaryOperator) -> OperatorRow { rows.first { $0.op == op }! }

  /// Whether `op` computes a value from two numbers (`+`) rather than comparing them (`<`);
  /// read from the switch below, without a dynamic cast of the row's kernel, which costs a
  /// search of the executable's conformances the first time.
  static func isArithmetic(_ op: BinaryOperator) -> Bool {
    struct Kind: KernelSpecialiser {
      func arithmetic<Op: ArithmeticKernel>(_: Op.Type) -> Bool? { true }
      func comparison<Op: ComparisonKernel>(_: Op.Type) -> Bool? { false }
    }
    return specialise(op, Kind()) ?? false
  }

  /// Calls the specialiser with the kernel type of `op`. This switch is where an operator
  /// becomes a type the Swift compiler can see, so that each fast path is specialised per
  /// operator and its arithmetic inlined; it must agree with `rows`, which a test checks.
  static func specialise<S: KernelSpecialiser>(_ op: BinaryOperator, _ specialiser: S) -> S.Code? {
    switch op {
    case .add: return specialiser.arithmetic(Addition.self)
    case .subtract: return specialiser.arithmetic(Subtraction.self)
    case .multiply: return specialiser.arithmetic(Multiplication.self)
    case .divide: return specialiser.arithmetic(Division.self)
    case .remainder: return specialiser.arithmetic(Remainder.self)
    case .equal: return specialiser.comparison(Equal.self)
    case .notEqual: return specialiser.comparison(NotEqual.self)
    case .less: return specialiser.comparison(LessThan.self)
    case .lessEqual: return specialiser.comparison(LessOrEqual.self)
    case .greater: return specialiser.comparison(GreaterThan.self)
    case .greaterEqual: return specialiser.comparison(GreaterOrEqual.self)
    }
  }
}

/// Builds code for one operator from its kernel type; either method may decline with nil.
protocol KernelSpecialiser {
  associatedtype Code
  func arithmetic<Op: ArithmeticKernel>(_: Op.Type) -> Code?
  func comparison<Op: ComparisonKernel>(_: Op.Type) -> Code?
}

extension KernelSpecialiser {
  func arithmetic<Op: ArithmeticKernel>(_: Op.Type) -> Code? { nil }
  func comparison<Op: ComparisonKernel>(_: Op.Type) -> Code? { nil }
}

// MARK: - Kernels

protocol ArithmeticKernel {
  static var op: BinaryOperator { get }
  /// The result, or nil where the general path must report an error (`intFailure`).
  static func ints(_ x: Int, _ y: Int) -> Int?
  /// The result, or nil where the general path must report an error (`floatFailure`).
  static func floats(_ x: Double, _ y: Double) -> Double?
  /// Why `ints(x, y)` gave nil.
  static func intFailure(_ x: Int, _ y: Int) -> String
  /// Why `floats(x, y)` gave nil.
  static func floatFailure(_ x: Double, _ y: Double) -> String
}

extension ArithmeticKernel {
  static func intFailure(_ x: Int, _ y: Int) -> String {
    "integer overflow: \(x) \(op.rawValue) \(y) does not fit in 64 bits; use float(...) for larger numbers"
  }
  static func floatFailure(_ x: Double, _ y: Double) -> String { "" }
}

/// Division and remainder: nil for a zero divisor, which is reported as such.
protocol DivisionKernel: ArithmeticKernel {}

extension DivisionKernel {
  static func intFailure(_ x: Int, _ y: Int) -> String {
    if y == 0 { return "division by zero: \(x) \(op.rawValue) 0" }
    return "integer overflow: \(x) \(op.rawValue) \(y) does not fit in 64 bits; use float(...) for larger numbers"
  }
  static func floatFailure(_ x: Double, _ y: Double) -> String { "division by zero: \(Value.formatFloat(x)) \(op.rawValue) 0" }
}

enum Addition: ArithmeticKernel {
  static let op = BinaryOperator.add
  @inline(__always) static func ints(_ x: Int, _ y: Int) -> Int? {
    let (r, overflow) = x.addingReportingOverflow(y)
    return overflow ? nil : r
  }
  @inline(__always) static func floats(_ x: Double, _ y: Double) -> Double? { x + y }
}

enum Subtraction: ArithmeticKernel {
  static let op = BinaryOperator.subtract
  @inline(__always) static func ints(_ x: Int, _ y: Int) -> Int? {
    let (r, overflow) = x.subtractingReportingOverflow(y)
    return overflow ? nil : r
  }
  @inline(__always) static func floats(_ x: Double, _ y: Double) -> Double? { x - y }
}

enum Multiplication: ArithmeticKernel {
  static let op = BinaryOperator.multiply
  @inline(__always) static func ints(_ x: Int, _ y: Int) -> Int? {
    let (r, overflow) = x.multipliedReportingOverflow(by: y)
    return overflow ? nil : r
  }
  @inline(__always) static func floats(_ x: Double, _ y: Double) -> Double? { x * y }
}

enum Division: DivisionKernel {
  static let op = BinaryOperator.divide
  @inline(__always) static func ints(_ x: Int, _ y: Int) -> Int? {
    guard y != 0 else { return nil }
    let (r, overflow) = x.dividedReportingOverflow(by: y)
    return overflow ? nil : r
  }
  @inline(__always) static func floats(_ x: Double, _ y: Double) -> Double? { y == 0 ? nil : x / y }
}

enum Remainder: DivisionKernel {
  static let op = BinaryOperator.remainder
  @inline(__always) static func ints(_ x: Int, _ y: Int) -> Int? {
    guard y != 0 else { return nil }
    // Int.min % -1 is 0, though the machine division behind it overflows.
    return y == -1 ? 0 : x % y
  }
  @inline(__always) static func floats(_ x: Double, _ y: Double) -> Double? {
    y == 0 ? nil : x.truncatingRemainder(dividingBy: y)
  }
}

protocol ComparisonKernel {
  static var op: BinaryOperator { get }
  static func ints(_ x: Int, _ y: Int) -> Bool
  /// The comparison on two strings, as `values` makes it: `StringOrder` for the orderings.
  static func strings(_ x: String, _ y: String) -> Bool
  /// The comparison on any two values, through equality or `Operators.compare`.
  static func values(_ a: Value, _ b: Value) throws -> Bool
}

/// `<`, `<=`, `>`, `>=`: the order `Operators.compare` gives, read against zero.
protocol OrderingKernel: ComparisonKernel {
  static func holds(for order: Int) -> Bool
}

extension OrderingKernel {
  static func values(_ a: Value, _ b: Value) throws -> Bool { holds(for: try Operators.compare(a, b, op)) }
}

enum LessThan: OrderingKernel {
  static let op = BinaryOperator.less
  @inline(__always) static func ints(_ x: Int, _ y: Int) -> Bool { x < y }
  @inline(__always) static func strings(_ x: String, _ y: String) -> Bool { StringOrder.compare(x, y) < 0 }
  static func holds(for order: Int) -> Bool { order < 0 }
}
enum LessOrEqual: OrderingKernel {
  static let op = BinaryOperator.lessEqual
  @inline(__always) static func ints(_ x: Int, _ y: Int) -> Bool { x <= y }
  @inline(__always) static func strings(_ x: String, _ y: String) -> Bool { StringOrder.compare(x, y) <= 0 }
  static func holds(for order: Int) -> Bool { order <= 0 }
}
enum GreaterThan: OrderingKernel {
  static let op = BinaryOperator.greater
  @inline(__always) static func ints(_ x: Int, _ y: Int) -> Bool { x > y }
  @inline(__always) static func strings(_ x: String, _ y: String) -> Bool { StringOrder.compare(x, y) > 0 }
  static func holds(for order: Int) -> Bool { order > 0 }
}
enum GreaterOrEqual: OrderingKernel {
  static let op = BinaryOperator.greaterEqual
  @inline(__always) static func ints(_ x: Int, _ y: Int) -> Bool { x >= y }
  @inline(__always) static func strings(_ x: String, _ y: String) -> Bool { StringOrder.compare(x, y) >= 0 }
  static func holds(for order: Int) -> Bool { order >= 0 }
}
enum Equal: ComparisonKernel {
  static let op = BinaryOperator.equal
  @inline(__always) static func ints(_ x: Int, _ y: Int) -> Bool { x == y }
  @inline(__always) static func strings(_ x: String, _ y: String) -> Bool { x == y }
  static func values(_ a: Value, _ b: Value) throws -> Bool { try a.equals(b, depth: 0) }
}
enum NotEqual: ComparisonKernel {
  static let op = BinaryOperator.notEqual
  @inline(__always) static func ints(_ x: Int, _ y: Int) -> Bool { x != y }
  @inline(__always) static func strings(_ x: String, _ y: String) -> Bool { x != y }
  static func values(_ a: Value, _ b: Value) throws -> Bool { !(try a.equals(b, depth: 0)) }
}
