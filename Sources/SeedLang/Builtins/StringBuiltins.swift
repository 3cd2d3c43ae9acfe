#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Text: the string methods (`split`, `upper`, `replace`, ...) and `format` for numbers.
enum StringBuiltins {
  static let functions: [(String, NativeFunction)] = [
    ("format", .init(format))
  ]

  // Each method reads the UTF-8 of its strings in place and makes one pass over it
  // (TextBytes, TextMethods); see docs/language.md for what they match.
  static let methods: [(String, NativeMethod)] = [
    // s.split() splits on runs of whitespace, as Python does; s.split(sep) on each sep.
    ("split", .init({ receiver, args in
      try args.expect(0...1)
      let string = try Receiver.string(receiver)
      if args.positionalCount == 0 { return words(string) }
      return try split(string, on: try args.string(0))
    }, onStrings: StringMethod(noArguments: words, oneArgument: split))),
    // separator.join(items)
    ("join", .init { receiver, args in
      try args.expect(1)
      let separator = try Receiver.string(receiver)
      return .string(try Value.joined(try Iteration.items(of: args[0], for: "join"), separator: separator))
    }),
    ("upper", .onString { .string($0.withTextBytes { CaseMapping.upper($0) }) }),
    ("lower", .onString { .string($0.withTextBytes { CaseMapping.lower($0) }) }),
    ("trim", .onString { string in .string(string.withTextBytes { $0.trimmedOfWhitespace() } ?? string.trimmingSpaces()) }),
    ("replace", .init({ receiver, args in
      try args.expect(2)
      let target = try args.string(0)
      guard !target.isEmpty else { throw emptyTarget }
      let replacement = try args.string(1)
      return try replace(try Receiver.string(receiver), target, replacement)
    }, onStrings: StringMethod(twoArguments: replace))),
    ("starts_with", .onStrings { text, prefix in .bool(text.withTextBytes { text in prefix.withUTF8Bytes { text.hasPrefix($0) } }) }),
    ("ends_with", .onStrings { text, suffix in .bool(text.withTextBytes { text in suffix.withUTF8Bytes { text.hasSuffix($0) } }) }),
    // A string can only contain a string: the general body says so for any other argument.
    ("contains", .init({ receiver, args in try args.expect(1); return .bool(try CollectionBuiltins.contains(receiver, args[0])) },
      onStrings: StringMethod(oneArgument: { .bool(contains($0, $1)) }))),
    // The position, in characters, of the first occurrence; nil when there is none.
    ("index_of", .onStrings { text, part in
      text.withTextBytes { text in
        part.withTextBytes { part in text.find(part.bytes).map { .int(CharacterCheckpoints.characterCount(text, to: $0)) } ?? .nil }
      }
    }),
    // Lines end at "\n" and at "\r\n".
    ("lines", .onString { .list(ListObject($0.withTextBytes { $0.lines() })) }),
    ("chars", .onString { .list(ListObject($0.map { .string(String($0)) })) }),
  ]

  static func words(_ string: String) -> Value {
    if let words = string.withTextBytes({ $0.whitespaceSeparatedWords() }) { return .list(ListObject(words)) }
    return .list(ListObject(string.split(whereSeparator: \.isWhitespace).map { .string(String($0)) }))
  }

  static func split(_ string: String, on separator: String) throws -> Value {
    guard !separator.isEmpty else { throw RuntimeFailure("split(): the separator cannot be empty") }
    return .list(ListObject(string.withTextBytes { text in separator.withTextBytes { text.split($0) } }))
  }

  static var emptyTarget: RuntimeFailure { RuntimeFailure("replace(): the text to replace cannot be empty") }

  static func replace(_ string: String, _ target: String, _ replacement: String) throws -> Value {
    guard !target.isEmpty else { throw emptyTarget }
    return .string(try string.withTextBytes { text in try target.withUTF8Bytes { try text.replacing($0, with: replacement) } })
  }

  static func contains(_ string: String, _ part: String) -> Bool {
    // withTextBytes, not withUTF8Bytes, for the needle: here its closure is inlined.
    string.withTextBytes { text in part.withTextBytes { text.find($0.bytes) != nil } }
  }

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
    // Past 2^53 the scaled number no longer holds every digit (and past 2^63 it does not
    // fit in an Int); printf writes the exact value of the double instead.
    guard scaled < 9.0e15 else { return printed(x, digits: digits) }
    let whole = Int(scaled) / Int(scale)
    let fraction = Int(scaled) % Int(scale)
    var text = String(whole)
    if digits > 0 {
      let fractionText = String(fraction)
      text += "." + String(repeating: "0", count: digits - fractionText.count) + fractionText
    }
    return (x < 0 && scaled != 0 ? "-" : "") + text
  }

  /// `x` with `digits` decimals as C's printf writes it: the double's exact binary value,
  /// correctly rounded, without exponent.
  static func printed(_ x: Double, digits: Int) -> String {
    // The longest result, -1.8e308 with 17 decimals, has 327 characters.
    var buffer = [CChar](repeating: 0, count: 400)
    let length = withVaList([Int32(digits), x]) { vsnprintf(&buffer, buffer.count, "%.*f", $0) }
    guard length > 0 && Int(length) < buffer.count else { return Value.formatFloat(x) }
    return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
