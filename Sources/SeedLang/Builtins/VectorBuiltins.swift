/// Dense float vectors for embeddings: `vector`, `dot`, `norm` and their methods. The loops
/// run natively over contiguous doubles.
enum VectorBuiltins {
  static let functions: [(String, NativeFunction)] = [
    ("vector", .init { args in
      try args.expect(1)
      if case .vector(let v) = args[0] { return .vector(VectorObject(v.items)) }
      return .vector(VectorObject(try doubles(of: args[0], for: "vector")))
    }),
    ("zeros", .init { args in
      try args.expect(1)
      let n = try args.int(0)
      guard (0...100_000_000).contains(n) else { throw RuntimeFailure("zeros(): length \(n) is out of range") }
      return .vector(VectorObject([Double](repeating: 0, count: n)))
    }),
    ("dot", .init { args in try args.expect(2); return .float(try dot(try vector(args, 0), try vector(args, 1))) }),
    ("norm", .init { args in try args.expect(1); return .float(norm(try vector(args, 0))) }),
  ]

  static let methods: [(String, NativeMethod)] = [
    ("dot", .init { receiver, args in
      try args.expect(1)
      return .float(try dot(try Receiver.vector(receiver), try vector(args, 0)))
    }),
    ("norm", .init { receiver, args in try args.expect(0); return .float(norm(try Receiver.vector(receiver))) }),
    ("to_list", .init { receiver, args in
      try args.expect(0)
      return .list(ListObject(try Receiver.vector(receiver).map { .float($0) }))
    }),
    ("sum", .init { receiver, args in try args.expect(0); return try MathBuiltins.total(of: receiver) }),
  ]

  static func doubles(of value: Value, for function: String) throws -> [Double] {
    guard case .list(let list) = value else { throw RuntimeFailure("\(function)() needs a list of numbers or a vector, got \(value.typeName)") }
    return try list.items.enumerated().map { index, item in
      guard let x = item.asDouble else { throw RuntimeFailure("\(function)(): item \(index) is \(item.aTypeName), not a number") }
      return x
    }
  }

  /// A vector argument; a list of numbers is accepted too.
  static func vector(_ args: Arguments, _ index: Int) throws -> [Double] {
    if case .vector(let v) = args[index] { return v.items }
    return try doubles(of: args[index], for: args.function)
  }

  static func dot(_ a: [Double], _ b: [Double]) throws -> Double {
    guard a.count == b.count else { throw RuntimeFailure("dot(): the vectors have different lengths (\(a.count) and \(b.count))") }
    var total = 0.0
    a.withUnsafeBufferPointer { x in
      b.withUnsafeBufferPointer { y in
        for i in 0..<x.count { total += x[i] * y[i] }
      }
    }
    return total
  }

  static func norm(_ a: [Double]) -> Double {
    var total = 0.0
    for x in a { total += x * x }
    return total.squareRoot()
  }
}
