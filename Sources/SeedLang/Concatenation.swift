// `a + b + c`: text put together with `+`, as `"  " + line + "\n"` or `first + " " + last`.
// Nested additions would make a new string of everything so far at each `+`; a chain makes
// one string of a run of strings, and leaves everything else to the operator.

extension ResolvedExpr {
  /// The operands of a chain of two or more `+` nested to the left, `a + b + c` as
  /// `[a, b, c]`, with the place of the `+` before each operand but the first; nil for
  /// anything else.
  var additionChain: (operands: [ResolvedExpr], operators: [Loc])? {
    var operands: [ResolvedExpr] = [], operators: [Loc] = []
    var expr = self
    while case .binary(.add, let left, let right, let loc) = expr {
      operands.append(right)
      operators.append(loc)
      expr = left
    }
    guard operands.count >= 2 else { return nil }
    operands.append(expr)
    return (operands.reversed(), operators.reversed())
  }

  /// Whether the expression is text as written: a string literal or an interpolation.
  var isWrittenText: Bool {
    switch self {
    case .literal(.string, _), .interpolated: return true
    default: return false
    }
  }
}

extension Emitter {
  /// Appends one operand of a chain to the text, with the running length, then calls the next.
  private typealias Gather = (Frame, inout TextBuilder, inout Int) throws -> Void

  /// The sum of a chain when an operand after a run of strings is no string: the general
  /// function of its `+` has added it, and the chain goes on from `next`.
  private struct LeftText: Error {
    let sum: Value
    let next: Int
  }

  /// A chain of additions, evaluated as the nested additions are: left to right, each
  /// operand after everything before it has been added, each failure at its own `+`. When the
  /// first operand is a string, the strings after it are gathered as bytes and made one
  /// string at the end; anything else is added one `+` at a time by the operator's general
  /// function (a string and anything else is an error there). `pieces` are the operands,
  /// string literals as their bytes and locals (when the caller allows) read in place.
  func concatenation(_ pieces: [Piece], _ operators: [Loc]) -> Evaluate {
    let adds = operators.map { Emitter.generalOperator(.add, at: location($0)) }
    let places = operators.map { location($0) }
    let values = pieces.map { piece -> Evaluate in
      switch piece {
      case .text(let literal):
        let value = Value.string(String(validUTF8: literal.bytes, isASCII: literal.isASCII))
        return { _ in value }
      case .slot(let slot): return { frame in frame.slots[slot] }
      case .value(let evaluate): return evaluate
      }
    }
    var gather: Gather?
    for index in pieces.indices.dropFirst().reversed() {
      gather = Emitter.gatherLink(pieces[index], index: index, at: places[index - 1], add: adds[index - 1], then: gather)
    }
    guard let gatherRest = gather else { return values[0] }
    /// The operands from `start` on, added one `+` at a time to `sum`.
    func added(_ sum: Value, from start: Int, _ frame: Frame) throws -> Value {
      var sum = sum
      for index in start..<values.count { sum = try adds[index - 1](sum, try values[index](frame)) }
      return sum
    }
    let head = values[0]
    return { frame in
      let first = try head(frame)
      guard case .string(let text) = first else { return try added(first, from: 1, frame) }
      do {
        return .string(
          try TextBuilder.build { builder in
            var length = text.utf8.count
            builder.append(text)
            try gatherRest(frame, &builder, &length)
          })
      } catch let left as LeftText {
        return try added(left.sum, from: left.next, frame)
      }
    }
  }

  private static func gatherLink(
    _ piece: Piece, index: Int, at place: SourceLocation, add: @escaping (Value, Value) throws -> Value, then next: Gather?
  ) -> Gather {
    /// Appends `value` when it is a string and the sum stays within the size limit; otherwise
    /// adds it to the text so far with the general function, which fails or gives the sum
    /// for the chain to go on with.
    @inline(__always) func append(_ value: Value, _ builder: inout TextBuilder, _ length: inout Int) throws {
      guard case .string(let piece) = value else {
        throw LeftText(sum: try add(.string(builder.string), value), next: index + 1)
      }
      length += piece.utf8.count
      if length > Operators.maxStringBytes { throw Diagnostic(.runtime, Operators.concatenationTooLarge, at: place) }
      builder.append(piece)
    }
    switch piece {
    case .text(let literal):
      // The closure holds the literal, which owns the bytes.
      return { frame, builder, length in
        length += literal.bytes.count
        if length > Operators.maxStringBytes { throw Diagnostic(.runtime, Operators.concatenationTooLarge, at: place) }
        builder.append(literal)
        try next?(frame, &builder, &length)
      }
    case .slot(let slot):
      return { frame, builder, length in
        try append(frame.slots[slot], &builder, &length)
        try next?(frame, &builder, &length)
      }
    case .value(let evaluate):
      return { frame, builder, length in
        try append(try evaluate(frame), &builder, &length)
        try next?(frame, &builder, &length)
      }
    }
  }

  /// The operands of a chain as pieces: string literals as their bytes, and unboxed locals
  /// read in place when `localsInPlace`.
  func concatenationPieces(_ operands: [ResolvedExpr], localsInPlace: Bool) -> [Piece] {
    operands.map { operand in
      if case .literal(.string(let text), _) = operand { return .text(LiteralBytes(text)) }
      if localsInPlace, case .name(_, let binding, _) = operand, let slot = binding.plainSlot { return .slot(slot) }
      return .value(expression(operand))
    }
  }
}

// `s += t`: the string in a variable grows in place, as CPython's `s += t` does when nothing
// else holds the string, instead of being copied whole at every step, which makes a loop
// that builds text quadratic.

extension Value {
  /// Appends `suffix` to the string at `target` and gives true; false, changing nothing, when
  /// `target` holds no string or the sum would pass the size limit, for the general path to
  /// decide. The variable lets go of the string for the append, so that its buffer is held
  /// once and grows in place when nothing else holds it.
  static func append(_ suffix: String, toStringAt target: UnsafeMutablePointer<Value>) -> Bool {
    guard case .string(var text) = target.pointee, text.utf8.count + suffix.utf8.count <= Operators.maxStringBytes else {
      return false
    }
    // The variable lets go of the string first, so that `text` holds its buffer alone.
    target.pointee = .nil
    text.append(suffix)
    target.pointee = .string(text)
    return true
  }
}
