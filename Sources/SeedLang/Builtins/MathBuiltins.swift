#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Numbers: `abs`, `min`, `max`, `sum`, rounding, roots, powers, logarithms and trigonometry.
enum MathBuiltins {
  static let functions: [(String, NativeFunction)] = [
    ("abs", .init(absolute)),
    ("min", .init { args in try extreme(&args, wantsLess: true) }),
    ("max", .init { args in try extreme(&args, wantsLess: false) }),
    ("sum", .init(sum)),
    ("round", .init(roundNumber)),
    ("floor", .init { args in try args.expect(1); return .float(try args.number(0).rounded(.down)) }),
    ("ceil", .init { args in try args.expect(1); return .float(try args.number(0).rounded(.up)) }),
    ("sqrt", .init { args in
      try args.expect(1)
      let x = try args.number(0)
      if x < 0 { throw RuntimeFailure("sqrt() of a negative number (\(Value.formatFloat(x)))") }
      return .float(x.squareRoot())
    }),
    ("pow", .init(power)),
    ("exp", .init { args in try args.expect(1); return .float(Glibc.exp(try args.number(0))) }),
    ("log", .init { args in
      try args.expect(1)
      let x = try args.number(0)
      if x <= 0 { throw RuntimeFailure("log() needs a positive number, got \(Value.formatFloat(x))") }
      return .float(Glibc.log(x))
    }),
    ("sin", .init { args in try args.expect(1); return .float(Glibc.sin(try args.number(0))) }),
    ("cos", .init { args in try args.expect(1); return .float(Glibc.cos(try args.number(0))) }),
    ("tan", .init { args in try args.expect(1); return .float(Glibc.tan(try args.number(0))) }),
    ("atan2", .init { args in try args.expect(2); return .float(Glibc.atan2(try args.number(0), try args.number(1))) }),
    ("pi", .init { args in try args.expect(0); return .float(Double.pi) }),
  ]

  static func absolute(_ args: inout Arguments) throws -> Value {
    try args.expect(1)
    switch args[0] {
    case .int(let i):
      guard i != Int.min else { throw RuntimeFailure("integer overflow: abs(\(i)) does not fit in 64 bits") }
      return .int(Swift.abs(i))
    case .float(let f): return .float(Swift.abs(f))
    default: throw args.failure(0, expected: "a number")
    }
  }

  /// min/max of several arguments, or of the items of one sequence.
  static func extreme(_ args: inout Arguments, wantsLess: Bool) throws -> Value {
    try args.checkLabels([])
    let items: [Value]
    if args.count == 1 {
      items = try Iteration.items(of: args[0], for: args.function)
    } else {
      items = (0..<args.count).map { args[$0] }
    }
    return try extreme(of: items, wantsLess: wantsLess, function: args.function)
  }

  static func extreme(of items: [Value], wantsLess: Bool, function: String) throws -> Value {
    guard var best = items.first else { throw RuntimeFailure("\(function)() of an empty sequence") }
    // A run of ints, the usual items, is ordered where the items are stored, without a copy
    // of each; the rest, from the first item that is not an int, as below.
    var position = 1
    if case .int(var bestInt) = best {
      items.withUnsafeBufferPointer { stored in
        while position < stored.count, case .int(let x) = stored[position] {
          if wantsLess ? x < bestInt : x > bestInt { bestInt = x }
          position += 1
        }
      }
      best = .int(bestInt)
    }
    for item in items[position...] {
      // Ints, the usual items, are ordered here; other pairs as `<` orders them.
      if case .int(let x) = item, case .int(let y) = best {
        if wantsLess ? x < y : x > y { best = item }
        continue
      }
      let order = try Operators.compare(item, best, wantsLess ? .less : .greater)
      if wantsLess ? order < 0 : order > 0 { best = item }
    }
    return best
  }

  static func sum(_ args: inout Arguments) throws -> Value {
    try args.expect(1)
    return try total(of: args[0])
  }

  /// The sum of a sequence of numbers; 0 when it is empty.
  static func total(of sequence: Value) throws -> Value {
    if case .vector(let vector) = sequence { return .float(vector.items.reduce(0, +)) }
    let items = try Iteration.items(of: sequence, for: "sum")
    // A run of ints, the usual items, is added where the items are stored, without a copy of
    // each; the rest, from the first item that is not an int or that overflows, as below.
    var position = 0
    var intTotal = 0
    items.withUnsafeBufferPointer { stored in
      while position < stored.count, case .int(let y) = stored[position], let sum = Addition.ints(intTotal, y) {
        intTotal = sum
        position += 1
      }
    }
    var total: Value = .int(intTotal)
    for item in items[position...] {
      // Ints and floats are added here as `+` adds them; an overflow, mixed numbers and
      // anything else go through `+` itself.
      if case .int(let x) = total, case .int(let y) = item, let sum = Addition.ints(x, y) {
        total = .int(sum)
        continue
      }
      if case .float(let x) = total, case .float(let y) = item, let sum = Addition.floats(x, y) {
        total = .float(sum)
        continue
      }
      guard item.asDouble != nil else { throw RuntimeFailure("sum() needs numbers, found \(item.aTypeName)") }
      total = try Operators.add(total, item)
    }
    return total
  }

  // round(x) or round(x, digits): a float, rounded half away from zero.
  static func roundNumber(_ args: inout Arguments) throws -> Value {
    try args.expect(1...2)
    let x = try args.number(0)
    guard args.positionalCount == 2 else { return .float(x.rounded()) }
    let digits = try args.int(1)
    guard (-15...15).contains(digits) else { throw RuntimeFailure("round(): digits must be between -15 and 15") }
    let scale = Glibc.pow(10.0, Double(digits))
    return .float((x * scale).rounded() / scale)
  }

  static func power(_ args: inout Arguments) throws -> Value {
    try args.expect(2)
    if case .int(let base) = args[0], case .int(let exponent) = args[1], exponent >= 0 {
      // Squaring keeps the work logarithmic in the exponent.
      var result = 1, factor = base, remaining = exponent
      let overflow = RuntimeFailure("integer overflow: pow(\(base), \(exponent)) does not fit in 64 bits")
      while remaining > 0 {
        if remaining & 1 == 1 {
          let (product, over) = result.multipliedReportingOverflow(by: factor)
          if over { throw overflow }
          result = product
        }
        remaining >>= 1
        if remaining > 0 {
          let (square, over) = factor.multipliedReportingOverflow(by: factor)
          if over { throw overflow }
          factor = square
        }
      }
      return .int(result)
    }
    return .float(Glibc.pow(try args.number(0), try args.number(1)))
  }
}
