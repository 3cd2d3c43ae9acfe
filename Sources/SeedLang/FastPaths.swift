/// The closures the specialisations build for the operators that dominate loops and
/// recursion. An operand that is a local slot or a constant is read in place instead of
/// through a closure call, and int (or float) operands are computed inline by the kernels of
/// `OperatorTable`; anything else takes the operator's general function.
///
/// Each kernel is a type, so the generic builders below are specialised per operator at
/// compile time and the arithmetic is inlined into the closure.

/// How compiled code gets an operand.
enum Operand {
  /// An unboxed local; no expression can change it between its read and its use.
  case slot(Int)
  case constant(Value)
  /// `xs[i]` with both unboxed locals, the inner loop of vector code; `general` reads it
  /// with all of a subscript's checks and errors.
  case element(list: Int, index: Int, general: Evaluate)
  /// A global, read in its cell when it is defined; `checked` reads it with the error for
  /// an undefined name.
  case global(GlobalCell, checked: Evaluate)
  /// `local + k` or `local - k` (as `by: -k`) with an int literal k; `computed` evaluates it
  /// with the operator's checks and errors. Only call arguments are given this form.
  case offset(slot: Int, by: Int, computed: Evaluate)
  /// A variable of an enclosing function, read in its box. A call may change it, so it is
  /// read in place only where the expression reads it: never ahead of an operand before it.
  case capture(Int)
  /// `r.name` with r an unboxed local, as comparators read their records: a dict's entry is
  /// read where the dict is (`member(in:)`); `general` reads every other kind of value, with
  /// a member's errors. Only comparisons are given this form.
  case member(slot: Int, name: NameKey, general: Evaluate)
  case computed(Evaluate)

  var evaluate: Evaluate {
    switch self {
    case .slot(let slot): return { frame in frame.slots[slot] }
    case .constant(let value): return { _ in value }
    case .element(_, _, let general): return general
    case .global(_, let checked): return checked
    case .offset(_, _, let computed): return computed
    case .capture(let index): return { frame in frame.capturedValue(index) }
    case .member(let slot, let name, let general):
      return { frame in try Operand.member(in: frame, slot: slot, name: name, general: general) }
    case .computed(let evaluate): return evaluate
    }
  }

  /// Whether `value(in:)` reads the operand without calling a closure.
  var isInPlace: Bool {
    switch self {
    case .slot, .constant, .global, .capture: return true
    case .element, .offset, .member, .computed: return false
    }
  }

  /// The operand's value: locals, constants and globals are read in place, switching on the
  /// operand, where calling its compiled closure would cost several times as much. For the
  /// others, taking the closure out of the operand retains it: `evaluate` is cheaper there.
  @inline(__always)
  func value(in frame: Frame) throws -> Value {
    switch self {
    case .slot(let slot): return frame.slots[slot]
    case .constant(let value): return value
    case .global(let cell, let checked):
      if cell.isDefined { return cell.value }
      return try checked(frame)
    case .capture(let index): return frame.capturedValue(index)
    case .member(let slot, let name, let general): return try Operand.member(in: frame, slot: slot, name: name, general: general)
    case .element(_, _, let evaluate), .offset(_, _, let evaluate), .computed(let evaluate): return try evaluate(frame)
    }
  }

  /// The int the operand holds when it is a local, a constant or a defined global holding an
  /// int; nil for anything else, which the caller then reads the general way. The tag is
  /// tested where the value is, without copying the value out, as indexing reads its key.
  @inline(__always)
  func int(in frame: Frame) -> Int? {
    switch self {
    case .slot(let slot): if case .int(let i) = frame.slots[slot] { return i }
    case .constant(.int(let i)): return i
    case .global(let cell, _): if cell.isDefined, case .int(let i) = cell.value { return i }
    default: break
    }
    return nil
  }

  /// The dict a local or a defined global holds, not retained, on the terms of
  /// `Frame.dict(at:)`; nil for anything else, and for an operand that is not one of those.
  @inline(__always)
  func dict(in frame: Frame) -> Unmanaged<DictObject>? {
    switch self {
    case .slot(let slot): return frame.dict(at: slot)
    case .global(let cell, _): return cell.isDefined ? cell.dict() : nil
    default: return nil
    }
  }

  /// The list a local or a defined global holds, not retained, on the terms of `dict(in:)`.
  @inline(__always)
  func list(in frame: Frame) -> Unmanaged<ListObject>? {
    switch self {
    case .slot(let slot): return frame.list(at: slot)
    case .global(let cell, _): return cell.isDefined ? cell.list() : nil
    default: return nil
    }
  }

  /// The member `name` of the local in `slot`: a dict's entry read in place, the dict neither
  /// retained nor copied out of the slot (reading an entry runs no code that could replace
  /// it); anything else, a missing entry included, through `general`.
  @inline(__always)
  static func member(in frame: Frame, slot: Int, name: NameKey, general: Evaluate) throws -> Value {
    if let dict = frame.dict(at: slot), let entry = dict._withUnsafeGuaranteedRef({ $0.entries.value(named: name) }) {
      return entry
    }
    return try general(frame)
  }

  /// The float at `xs[i]` when `xs` is a list holding one there; nil for anything else.
  @inline(__always)
  static func float(in frame: Frame, list: Int, index: Int) -> Double? {
    guard case .list(let items) = frame.slots[list], case .int(let i) = frame.slots[index], i >= 0,
      i < items.items.count, case .float(let x) = items.items[i]
    else { return nil }
    return x
  }
}

/// An operand as a closure reads it on each run: a local or an int constant straight from
/// the fields kept here, the other in-place operands by switching on the operand, and the
/// rest through their closure, taken out of the operand once. Switching on the operand
/// copies it whole first, and reading a computed operand through `Operand.value(in:)` copies
/// it on every run, retaining and then releasing what each of its cases holds.
struct OperandReader {
  private enum Form { case slot, int, inPlace, computed }
  private let form: Form
  /// The local's slot, or the int constant.
  private let number: Int
  private let operand: Operand
  private let evaluate: Evaluate

  init(_ operand: Operand) {
    switch operand {
    case .slot(let slot): (form, number) = (.slot, slot)
    case .constant(.int(let k)): (form, number) = (.int, k)
    default: (form, number) = (operand.isInPlace ? .inPlace : .computed, 0)
    }
    self.operand = operand
    evaluate = operand.evaluate
  }

  @inline(__always)
  func value(in frame: Frame) throws -> Value {
    switch form {
    case .slot: return frame.slots[number]
    case .int: return .int(number)
    case .inPlace: return try operand.value(in: frame)
    case .computed: return try evaluate(frame)
    }
  }
}

enum FastPath {
  static func arithmetic<Op: ArithmeticKernel>(
    _: Op.Type, _ left: Operand, _ right: Operand, slow: @escaping (Value, Value) throws -> Value
  ) -> Evaluate {
    @inline(__always) func compute(_ a: Value, _ b: Value) throws -> Value {
      if case .int(let x) = a, case .int(let y) = b, let r = Op.ints(x, y) { return .int(r) }
      if case .float(let x) = a, case .float(let y) = b, let r = Op.floats(x, y) { return .float(r) }
      return try slow(a, b)
    }
    switch (left, right) {
    case (.slot(let i), .constant(.int(let k))):
      return { frame in
        if case .int(let x) = frame.slots[i], let r = Op.ints(x, k) { return .int(r) }
        return try slow(frame.slots[i], .int(k))
      }
    case (.slot(let i), .slot(let j)):
      return { frame in try compute(frame.slots[i], frame.slots[j]) }
    case (.computed(let l), .constant(.int(let k))):
      return { frame in
        let a = try l(frame)
        if case .int(let x) = a, let r = Op.ints(x, k) { return .int(r) }
        return try slow(a, .int(k))
      }
    case (.global(let cell, let checked), .constant(.int(let k))):
      return { frame in
        if cell.isDefined, case .int(let x) = cell.value, let r = Op.ints(x, k) { return .int(r) }
        return try slow(try checked(frame), .int(k))
      }
    case (.slot(let i), .computed(let r)), (.slot(let i), .global(_, let r)):
      return { frame in
        let b = try r(frame)
        return try compute(frame.slots[i], b)
      }
    case (.computed(let l), .slot(let j)), (.global(_, let l), .slot(let j)):
      return { frame in try compute(try l(frame), frame.slots[j]) }
    case (.computed(let l), .constant(let c)), (.global(_, let l), .constant(let c)):
      // `next() - 0.5`, `x / 2.0`: a constant other than an int is not called for.
      return { frame in try compute(try l(frame), c) }
    case (.constant(let c), .computed(let r)), (.constant(let c), .global(_, let r)):
      return { frame in try compute(c, try r(frame)) }
    case (.slot(let i), .constant(let c)):
      return { frame in try compute(frame.slots[i], c) }
    case (.constant(let c), .slot(let j)):
      return { frame in try compute(c, frame.slots[j]) }
    case (.element(let la, let ia, let l), .element(let lb, let ib, let r)):
      // `a[k] * b[k]`: two floats read in place, no closure called for either.
      return { frame in
        if let x = Operand.float(in: frame, list: la, index: ia), let y = Operand.float(in: frame, list: lb, index: ib),
          let result = Op.floats(x, y)
        {
          return .float(result)
        }
        return try compute(try l(frame), try r(frame))
      }
    case (.computed(let l), .capture(let j)):
      // `x * 3 + offset` in a closure: the capture is read after the left side, as written.
      return { frame in try compute(try l(frame), frame.capturedValue(j)) }
    default:
      let l = left.evaluate, r = right.evaluate
      return { frame in try compute(try l(frame), try r(frame)) }
    }
  }

  /// `d[k] = (d[k] ?? fallback) op amount` and its other spellings (`Specialisations`), how
  /// a dict counts, with one look-up of the key; without a fallback, `d[k] op= amount`. The
  /// operands are read in the order the statement is written: the key, then the entry, the
  /// fallback (only for a missing key when `lazyFallback`) and the amount, or the amount
  /// first when `amountFirst` (`amount op d[k]`), which is then the left operand. None of them
  /// can change the dict. A container that is not a dict, a key that cannot be one, or a dict
  /// holding a function under `method`'s name, which the call would run, goes the `general` way.
  static func dictUpdate<Op: ArithmeticKernel>(
    _: Op.Type, dict object: Operand, key: Operand, fallback: Operand?, lazyFallback: Bool, amount: Operand,
    amountFirst: Bool, method: NameKey?, slow: @escaping (Value, Value) throws -> Value, general: @escaping Execute
  ) -> Execute {
    // Captured as plain values, not optionals: unwrapping a captured optional on each run
    // would copy it, retaining what it holds.
    let hasFallback = fallback != nil, fallback = fallback ?? .constant(.nil)
    let checksMethod = method != nil, method = method ?? NameKey("")
    // An operand computed by a closure is read by calling the closure taken out here: taking
    // it out of the operand on each run copies the whole operand, retaining what it holds.
    let key = OperandReader(key), fallbackReader = OperandReader(fallback), amount = OperandReader(amount)
    // Nil when the statement must take the general path, which is then called outside.
    @inline(__always) func update(_ dict: DictObject, in frame: Frame) throws -> Flow? {
      let keyValue = try key.value(in: frame)
      // The key is hashed once, here, for the look-up and for adding it.
      guard let hash = DictKey.hash(of: keyValue) else { return nil }
      if checksMethod, dict.entries[method] != nil { return nil }
      // Nothing evaluated between finding the entry and setting it can change the dict.
      let position = dict.entries.position(of: keyValue, hash: hash)
      if !amountFirst, let position, let x = dict.entries.int(at: position) {
        // An entry that holds an int, as a count does: no fallback is needed (`d.get(k, x)`
        // still evaluates its), nothing is copied out of the entry, and an int result is
        // written over the int.
        if hasFallback && !lazyFallback { _ = try fallbackReader.value(in: frame) }
        let amountValue = try amount.value(in: frame)
        if case .int(let y) = amountValue, let r = Op.ints(x, y) {
          dict.entries.setValue(.int(r), at: position)
        } else {
          dict.entries.setValue(try combine(.int(x), amountValue), at: position)
        }
        return .next
      }
      let first = amountFirst ? try amount.value(in: frame) : .nil
      var base = position.map { dict.entries.value(at: $0) } ?? .nil
      if hasFallback {
        if lazyFallback {
          // `??` replaces a nil value too, not only a missing entry.
          if case .nil = base { base = try fallbackReader.value(in: frame) }
        } else {
          let given = try fallbackReader.value(in: frame)
          if position == nil { base = given }
        }
      }
      let updated = amountFirst ? try combine(first, base) : try combine(base, try amount.value(in: frame))
      if let position {
        dict.entries.setValue(updated, at: position)
      } else {
        dict.entries.add(DictKey(unchecked: keyValue), updated, hash: hash)
      }
      return .next
    }
    @inline(__always) func combine(_ a: Value, _ b: Value) throws -> Value {
      if case .int(let x) = a, case .int(let y) = b, let r = Op.ints(x, y) { return .int(r) }
      if case .float(let x) = a, case .float(let y) = b, let r = Op.floats(x, y) { return .float(r) }
      return try slow(a, b)
    }
    return { frame in
      // A dict in a local or a global is used where the variable holds it, not retained:
      // nothing the update evaluates (reads and operators, no calls) can assign a variable.
      if let held = object.dict(in: frame) {
        if let flow = try held._withUnsafeGuaranteedRef({ try update($0, in: frame) }) { return flow }
      } else if case .dict(let dict) = try object.value(in: frame), let flow = try update(dict, in: frame) {
        return flow
      }
      return try general(frame)
    }
  }

  /// `local op= operand`, computed and stored in one closure. An int or float result over an
  /// int or float is written without releasing anything. No expression can change an unboxed
  /// local, so whether it is read before or after the operand makes no difference.
  static func localUpdate<Op: ArithmeticKernel>(
    _: Op.Type, _ slot: Int, _ operand: Operand, slow: @escaping (Value, Value) throws -> Value
  ) -> Execute {
    if case .constant(.int(let k)) = operand {
      return { frame in
        let target = frame.slots + slot
        if case .int(let x) = target.pointee, let r = Op.ints(x, k) {
          target.initialize(to: .int(r))
        } else {
          frame.store(try slow(target.pointee, .int(k)), at: slot)
        }
        return .next
      }
    }
    @inline(__always) func update(_ frame: Frame, by b: Value) throws {
      let target = frame.slots + slot
      if case .int(let x) = target.pointee, case .int(let y) = b, let r = Op.ints(x, y) {
        target.initialize(to: .int(r))
      } else if case .float(let x) = target.pointee, case .float(let y) = b, let r = Op.floats(x, y) {
        target.initialize(to: .float(r))
      } else if Op.op == .add, case .string(let suffix) = b, Value.append(suffix, toStringAt: target) {
        // Appended in place.
      } else {
        frame.store(try slow(target.pointee, b), at: slot)
      }
    }
    if case .slot(let source) = operand {
      return { frame in
        try update(frame, by: frame.slots[source])
        return .next
      }
    }
    let value = operand.evaluate
    return { frame in
      try update(frame, by: try value(frame))
      return .next
    }
  }

  /// `global op= operand`: the old value is read before the operand is evaluated, as the
  /// general path reads it; ints and floats are updated in place. A string grows in place by
  /// a string when the operand only reads (`operandOnlyReads`): then it cannot change the
  /// global, and the old value may be read after it, and not held while the string grows.
  static func globalUpdate<Op: ArithmeticKernel>(
    _: Op.Type, _ cell: GlobalCell, _ operand: Operand, operandOnlyReads: Bool, _ handle: InterpreterHandle,
    unassignable: @escaping () -> Error, slow: @escaping (Value, Value) throws -> Value
  ) -> Execute {
    if case .constant(.int(let k)) = operand {
      return { _ in
        guard cell.isDefined, !cell.isConstant else { throw unassignable() }
        if case .int(let x) = cell.value, let r = Op.ints(x, k) {
          cell.assignNumber(.int(r))
        } else {
          let result = try slow(cell.value, .int(k))
          handle.with { cell.assign(result, in: $0) }
        }
        return .next
      }
    }
    @inline(__always) func update(_ old: Value, by new: Value) throws {
      if case .int(let x) = old, case .int(let y) = new, let r = Op.ints(x, y) {
        cell.assignNumber(.int(r))
      } else if case .float(let x) = old, case .float(let y) = new, let r = Op.floats(x, y) {
        cell.assignNumber(.float(r))
      } else {
        let result = try slow(old, new)
        handle.with { cell.assign(result, in: $0) }
      }
    }
    if case .slot(let source) = operand {
      return { frame in
        guard cell.isDefined, !cell.isConstant else { throw unassignable() }
        if Op.op == .add, case .string(let suffix) = frame.slots[source], cell.append(suffix) { return .next }
        try update(cell.value, by: frame.slots[source])
        return .next
      }
    }
    let value = operand.evaluate
    if Op.op == .add && operandOnlyReads {
      return { frame in
        guard cell.isDefined, !cell.isConstant else { throw unassignable() }
        let new = try value(frame)
        if case .string(let suffix) = new, cell.append(suffix) { return .next }
        try update(cell.value, by: new)
        return .next
      }
    }
    return { frame in
      guard cell.isDefined, !cell.isConstant else { throw unassignable() }
      let old = cell.value
      try update(old, by: try value(frame))
      return .next
    }
  }

  /// The other side of a comparison with the literal nil; nil when neither side is one.
  private static func nilComparand(_ left: Operand, _ right: Operand) -> Operand? {
    if case .constant(.nil) = right { return left }
    if case .constant(.nil) = left { return right }
    return nil
  }

  static func comparison<Op: ComparisonKernel>(
    _: Op.Type, _ left: Operand, _ right: Operand, slow: @escaping (Value, Value) throws -> Bool
  ) -> (Frame) throws -> Bool {
    // `x == nil` and `x != nil`: only nil equals nil, and equality with nil cannot fail, so
    // the test is the value's case, with no operator called.
    if Op.op == .equal || Op.op == .notEqual, let other = nilComparand(left, right) {
      let whenNil = Op.op == .equal
      if case .slot(let i) = other {
        return { frame in frame.slots[i].isNil == whenNil }
      }
      let value = other.evaluate
      return { frame in try value(frame).isNil == whenNil }
    }
    switch (left, right) {
    case (.slot(let i), .constant(.int(let k))):
      return { frame in
        if case .int(let x) = frame.slots[i] { return Op.ints(x, k) }
        return try slow(frame.slots[i], .int(k))
      }
    case (.slot(let i), .slot(let j)):
      return { frame in
        if case .int(let x) = frame.slots[i], case .int(let y) = frame.slots[j] { return Op.ints(x, y) }
        return try slow(frame.slots[i], frame.slots[j])
      }
    case (.computed(let l), .constant(.int(let k))):
      return { frame in
        let a = try l(frame)
        if case .int(let x) = a { return Op.ints(x, k) }
        return try slow(a, .int(k))
      }
    case (.global(let cell, let checked), .constant(.int(let k))):
      return { frame in
        if cell.isDefined, case .int(let x) = cell.value { return Op.ints(x, k) }
        return try slow(try checked(frame), .int(k))
      }
    case (.member(let i, let m, let l), .member(let j, let n, let r)):
      // `a.score < b.score`, a comparator's question: both records read in place, and two
      // ints or two strings compared where the dicts store them, not copied out. Comparing
      // them runs no code that could change either dict; any other pair of values, and a
      // missing member, is read and compared the general way, with its errors.
      return { frame in
        if let a = frame.dict(at: i), let b = frame.dict(at: j) {
          let result: Bool?
          if a.toOpaque() == b.toOpaque() {
            result = a._withUnsafeGuaranteedRef { $0.entries.withValues(named: m, n, stored) }
          } else {
            result = a._withUnsafeGuaranteedRef { a in
              b._withUnsafeGuaranteedRef { b in a.entries.withValues(named: m, n, in: &b.entries, stored) }
            }
          }
          if let result { return result }
        }
        let a = try Operand.member(in: frame, slot: i, name: m, general: l)
        let b = try Operand.member(in: frame, slot: j, name: n, general: r)
        return try values(a, b)
      }
    case (.member(let i, let m, let l), _):
      let r = right.evaluate
      return { frame in
        let a = try Operand.member(in: frame, slot: i, name: m, general: l)
        return try values(a, try r(frame))
      }
    case (_, .member(let j, let n, let r)):
      let l = left.evaluate
      return { frame in
        let a = try l(frame)
        return try values(a, try Operand.member(in: frame, slot: j, name: n, general: r))
      }
    default:
      let l = left.evaluate, r = right.evaluate
      return { frame in try values(try l(frame), try r(frame)) }
    }

    /// Two ints or two strings compared where they are stored; nil for any other pair.
    @inline(__always)
    func stored(_ a: Value, _ b: Value) -> Bool? {
      if case .int(let x) = a, case .int(let y) = b { return Op.ints(x, y) }
      if case .string(let x) = a, case .string(let y) = b { return Op.strings(x, y) }
      return nil
    }

    @inline(__always)
    func values(_ a: Value, _ b: Value) throws -> Bool {
      if case .int(let x) = a, case .int(let y) = b { return Op.ints(x, y) }
      // Two strings, as comparators and tests of words compare, without the general
      // operator's closures and the order worked out as an int.
      if case .string(let x) = a, case .string(let y) = b { return Op.strings(x, y) }
      return try slow(a, b)
    }
  }
}

/// `local op k`, a local and an int literal: what loops test (`r == 0`, `n < 2`) and compute
/// (`i % 3`). Statements and conditions evaluate it in place, switching on the operator,
/// rather than calling a compiled closure; anything but an int local, or an overflow, is
/// left to the compiled expression, which has every check and error.
struct SlotConstant {
  let op: BinaryOperator
  let slot: Int
  let constant: Int

  /// The comparison, or nil when the local is not an int.
  @inline(__always)
  func test(_ frame: Frame) -> Bool? {
    guard case .int(let x) = frame.slots[slot] else { return nil }
    switch op {
    case .less: return LessThan.ints(x, constant)
    case .lessEqual: return LessOrEqual.ints(x, constant)
    case .greater: return GreaterThan.ints(x, constant)
    case .greaterEqual: return GreaterOrEqual.ints(x, constant)
    case .equal: return Equal.ints(x, constant)
    case .notEqual: return NotEqual.ints(x, constant)
    case .add, .subtract, .multiply, .divide, .remainder: return nil
    }
  }

  /// The arithmetic, or nil when the local is not an int or the result needs the general
  /// path (an overflow, a division by zero).
  @inline(__always)
  func value(_ frame: Frame) -> Int? {
    guard case .int(let x) = frame.slots[slot] else { return nil }
    switch op {
    case .add: return Addition.ints(x, constant)
    case .subtract: return Subtraction.ints(x, constant)
    case .multiply: return Multiplication.ints(x, constant)
    case .divide: return Division.ints(x, constant)
    case .remainder: return Remainder.ints(x, constant)
    case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual: return nil
    }
  }

  var isComparison: Bool {
    switch op {
    case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual: return true
    case .add, .subtract, .multiply, .divide, .remainder: return false
    }
  }
}
