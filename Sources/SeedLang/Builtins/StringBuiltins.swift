/// Text: the string methods (`split`, `upper`, `replace`, ...) and `format` for numbers.
enum StringBuiltins {
  static let functions: [(String, NativeFunction)] = [
    ("format", format)
  ]

  static let methods: [(String, NativeFunction)] = [
    ("split", { args in
      try args.expect(1...2)
      let string = try args.string(0)
      if args.positionalCount == 1 {
        // Without a separator: split on runs of whitespace, as Python does.
        return .list(ListObject(string.split(whereSeparator: \.isWhitespace).map { .string(String($0)) }))
      }
      let separator = try args.string(1)
      guard !separator.isEmpty else { throw RuntimeFailure("split(): the separator cannot be empty") }
      return .list(ListObject(string.split(separator: separator, omittingEmptySubsequences: false).map { .string(String($0)) }))
    }),
    ("join", { args in
      try args.expect(2)
      let separator = try args.string(0)
      return .string(try Iteration.items(of: args[1], for: "join").map(\.description).joined(separator: separator))
    }),
    ("upper", { args in try args.expect(1); return .string(try args.string(0).uppercased()) }),
    ("lower", { args in try args.expect(1); return .string(try args.string(0).lowercased()) }),
    ("trim", { args in try args.expect(1); return .string(try args.string(0).trimmingSpaces()) }),
    ("replace", { args in
      try args.expect(3)
      let target = try args.string(1)
      guard !target.isEmpty else { throw RuntimeFailure("replace(): the text to replace cannot be empty") }
      return .string(try args.string(0).replacing(target, with: try args.string(2)))
    }),
    ("starts_with", { args in try args.expect(2); return .bool(try args.string(0).hasPrefix(try args.string(1))) }),
    ("ends_with", { args in try args.expect(2); return .bool(try args.string(0).hasSuffix(try args.string(1))) }),
    ("contains", { args in try args.expect(2); return .bool(try CollectionBuiltins.contains(args[0], args[1])) }),
    ("index_of", { args in
      try args.expect(2)
      let string = try args.string(0)
      guard let range = string.firstRange(of: try args.string(1)) else { return .nil }
      return .int(string.distance(from: string.startIndex, to: range.lowerBound))
    }),
    ("lines", { args in
      try args.expect(1)
      return .list(ListObject(try args.string(0).split(separator: "\n", omittingEmptySubsequences: false).map { .string(String($0)) }))
    }),
    ("chars", { args in try args.expect(1); return .list(ListObject(try args.string(0).map { .string(String($0)) })) }),
  ]

  // format(x, digits): a number with a fixed count of decimals.
  static func format(_ args: inout Arguments) throws -> Value {
    try args.expect(2)
    let x = try args.number(0)
    let digits = try args.int(1)
    guard (0...17).contains(digits) else { throw RuntimeFailure("format(): digits must be between 0 and 17") }
    guard x.isFinite else { return .string(Value.formatFloat(x)) }
    return .string(fixed(x, digits: digits))
  }

  /// `x` rounded to `digits` decimals and written out without exponent.
  static func fixed(_ x: Double, digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (Swift.abs(x) * scale).rounded()
    // Beyond 2^53 a double has no fractional digits to show.
    guard scaled < 9.0e15 else { return (x < 0 ? "-" : "") + String(Int(Swift.abs(x).rounded())) + (digits > 0 ? "." + String(repeating: "0", count: digits) : "") }
    let whole = Int(scaled) / Int(scale)
    let fraction = Int(scaled) % Int(scale)
    var text = String(whole)
    if digits > 0 {
      let fractionText = String(fraction)
      text += "." + String(repeating: "0", count: digits - fractionText.count) + fractionText
    }
    return (x < 0 && scaled != 0 ? "-" : "") + text
  }
}
