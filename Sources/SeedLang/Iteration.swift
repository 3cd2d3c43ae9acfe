/// How sequences are walked: by `for` loops, one item (or one pair of items) at a time, and
/// by the builtins that take any sequence, as an array of its items.
///
/// A loop over `d.items()`, `d.keys()`, `d.values()`, `enumerate(xs)` or `zip(xs, ys)` walks
/// the collection where it is, handing its variables each key and value, or index and item,
/// without first making the list of pairs that the call returns. What it walks is what the call
/// would have returned: the dict's entries as they were when the loop began (a loop may change
/// the dict; a dict's entries are copied only then, on its first change), a list's items as
/// they were.
struct Iteration {
  /// What a dict's method returns, walked in place.
  enum DictView: String {
    case keys, values, items
  }

  private enum Kind {
    /// A list read live, by position, so that appending while looping is safe.
    case list
    case values
    case characters
    case vector
    case range
    case dict(DictView)
    /// `values` with their positions, as `enumerate` pairs them.
    case enumerated
    /// `values` with `others`, item by item, as `zip` pairs them.
    case zipped
  }

  private let kind: Kind
  private var index = 0
  private var end = 0
  // Only the fields of the kind being walked are set. They are stored apart, not as the
  // payloads of `Kind`: matching a payload would copy it, retaining it, on every item.
  /// The list, read through a reference that is not retained while `heldList` keeps it
  /// alive: read through the strong reference, it was retained and released on every item,
  /// half the cost of a loop's step.
  private var list: Unmanaged<ListObject>?
  private var heldList: ListObject?
  private var values: [Value] = []
  private var others: [Value] = []
  private var characters = "".makeIterator()
  /// Read unretained while `heldVector` keeps it alive, as `list` is.
  private var vector: Unmanaged<VectorObject>?
  private var heldVector: VectorObject?
  private var entries = DictEntries()

  /// Walks a list, a dict's keys, a string's characters, a vector or a range.
  init(_ value: Value, at location: SourceLocation) throws {
    switch value {
    case .list(let list):
      kind = .list
      heldList = list
      self.list = .passUnretained(list)
    case .dict(let dict):
      kind = .dict(.keys)
      entries = dict.entries
    case .string(let string):
      kind = .characters
      characters = string.makeIterator()
    case .vector(let vector):
      kind = .vector
      heldVector = vector
      self.vector = .passUnretained(vector)
    case .range(let low, let high):
      kind = .range
      index = low
      end = high
    default:
      throw Diagnostic(.runtime, "cannot iterate over \(value.aTypeName)", at: location)
    }
  }

  private init(_ kind: Kind) { self.kind = kind }

  /// Walks what `d.keys()`, `d.values()` or `d.items()` returns.
  init(_ entries: DictEntries, _ view: DictView) {
    kind = .dict(view)
    self.entries = entries
  }

  /// Hands the next item to `variables`, in `frame`; false at the end.
  @inline(__always)
  mutating func next(binding variables: LoopVariables, in frame: Frame) throws -> Bool {
    try next { try variables.bind($0, in: frame) } pair: { try variables.bind($0, $1, in: frame) }
  }

  /// The items are handed over, not lent: the loop's variables take them without a copy of
  /// their own, which would retain each item once more and release it after.
  @inline(__always)
  private mutating func next(
    _ single: (consuming Value) throws -> Void, pair: (consuming Value, consuming Value) throws -> Void
  ) rethrows -> Bool {
    switch kind {
    case .list:
      let at = index
      guard let list, let item = list._withUnsafeGuaranteedRef({ at < $0.items.count ? $0.items[at] : nil }) else { return false }
      index += 1
      try single(item)
    case .values:
      guard index < values.count else { return false }
      index += 1
      try single(values[index - 1])
    case .characters:
      guard let character = characters.next() else { return false }
      try single(.string(String(character)))
    case .vector:
      let at = index
      guard let vector, let item = vector._withUnsafeGuaranteedRef({ at < $0.items.count ? $0.items[at] : nil }) else { return false }
      index += 1
      try single(.float(item))
    case .range:
      guard index < end else { return false }
      index += 1
      try single(.int(index - 1))
    case .dict(.keys):
      guard let key = entries.key(from: &index) else { return false }
      try single(key)
    case .dict(.values):
      guard let value = entries.value(from: &index) else { return false }
      try single(value)
    case .dict(.items):
      guard let (key, value) = entries.entry(from: &index) else { return false }
      try pair(key.value, value)
    case .enumerated:
      guard index < values.count else { return false }
      index += 1
      try pair(.int(index - 1), values[index - 1])
    case .zipped:
      guard index < values.count && index < others.count else { return false }
      index += 1
      try pair(values[index - 1], others[index - 1])
    }
    return true
  }

  /// Every item, for builtins that take any sequence.
  static func items(of value: Value, for function: String) throws -> [Value] {
    switch value {
    case .list(let list): return list.items
    case .dict(let dict): return dict.entries.keyValues
    case .string(let string): return string.map { .string(String($0)) }
    case .vector(let vector): return vector.items.map { .float($0) }
    case .range(let low, let high):
      guard try Subscripts.count(low: low, high: high) <= 10_000_000 else { throw RuntimeFailure("\(function)(): range \(low)..<\(high) is too large to list") }
      return (low..<high).map { .int($0) }
    default: throw RuntimeFailure("\(function)() needs a list, dict, string, vector or range, got \(value.typeName)")
    }
  }
}

// MARK: - For loops

extension Iteration {
  /// How a `for` loop over `sequence` starts its walk. `d.items()`, `d.keys()` and `d.values()`
  /// on a dict held in a variable (or a member or item of one), and calls of the builtins
  /// `enumerate` and `zip`, are walked in place; anything else is evaluated and walked.
  /// `compile` compiles an expression of the loop's function, `locate` gives a source position.
  static func loopStart(
    over sequence: ResolvedExpr, in interpreter: Interpreter, compile: (ResolvedExpr) -> Evaluate,
    locate: (Loc) -> SourceLocation
  ) -> (Frame) throws -> Iteration {
    let at = locate(sequence.loc)
    if case .methodCall(let receiver, let name, let arguments, _) = sequence, arguments.isEmpty,
      let view = DictView(rawValue: name), isPure(receiver)
    {
      // The receiver is read again by the call when it is not a dict, or is one holding a
      // function under the method's name, which is what the call runs then.
      let object = compile(receiver), general = compile(sequence), key = NameKey(name)
      return { frame in
        if case .dict(let dict) = try object(frame), dict.entries[key] == nil { return Iteration(dict.entries, view) }
        return try Iteration(try general(frame), at: at)
      }
    }
    if case .call(let calleeExpr, let arguments, let callLoc) = sequence, case .name(let name, .global, _) = calleeExpr,
      arguments.allSatisfy({ $0.label == nil }), (name == "enumerate" && arguments.count == 1) || (name == "zip" && arguments.count == 2),
      case .builtin(let builtin)? = interpreter.global(name)
    {
      let callee = compile(calleeExpr)
      let values = arguments.map { CompiledExpression(evaluate: compile($0.value)) }
      let callAt = locate(callLoc)
      let handle = InterpreterHandle(interpreter)
      return { frame in
        let function = try callee(frame)
        var items: [Value] = []
        items.reserveCapacity(values.count)
        for value in values { items.append(try value.evaluate(frame)) }
        guard case .builtin(let called) = function, called === builtin else {
          // The name was given another function: it is called as the loop's sequence.
          return try Iteration(try handle.with { try $0.call(function, items, at: callAt) }, at: at)
        }
        do {
          var iteration = Iteration(items.count == 1 ? .enumerated : .zipped)
          iteration.values = try Iteration.items(of: items[0], for: name)
          if items.count == 2 { iteration.others = try Iteration.items(of: items[1], for: name) }
          return iteration
        } catch let failure as RuntimeFailure {
          throw Diagnostic(.runtime, failure.message, at: callAt)
        }
      }
    }
    let items = compile(sequence)
    return { frame in try Iteration(try items(frame), at: at) }
  }

  /// Whether evaluating `expr` twice is the same as once: it only reads variables and items.
  private static func isPure(_ expr: ResolvedExpr) -> Bool {
    switch expr {
    case .name, .literal: return true
    case .member(let object, _, _): return isPure(object)
    case .index(let object, let key, _): return isPure(object) && isPure(key)
    default: return false
    }
  }
}

/// The variables of a `for` loop: one takes each item whole; several take the items of a
/// list of as many items, or of a pair.
struct LoopVariables {
  private let single: (Frame, consuming Value) throws -> Void
  private let pair: (Frame, consuming Value, consuming Value) throws -> Void

  init(_ slots: [(slot: Int, boxed: Bool)], at: SourceLocation) {
    func store(_ value: consuming Value, _ target: (slot: Int, boxed: Bool), _ frame: Frame) {
      if target.boxed { frame.slots[target.slot] = .box(Box(value)) } else { frame.store(value, at: target.slot) }
    }
    if slots.count == 1 {
      let target = slots[0]
      // Each closure is written with its parameters' types: inferred, they would take the
      // item lent and be wrapped in a thunk that takes it handed over, a call more per item.
      let single: (Frame, consuming Value) throws -> Void
      if target.boxed {
        single = { (frame: Frame, item: consuming Value) in frame.slots[target.slot] = .box(Box(item)) }
      } else {
        single = { (frame: Frame, item: consuming Value) in frame.store(item, at: target.slot) }
      }
      self.single = single
      pair = { frame, first, second in try single(frame, .list(ListObject([first, second]))) }
      return
    }
    let unpack: (Frame, consuming Value) throws -> Void = { frame, item in
      guard case .list(let list) = item, list.items.count == slots.count else {
        throw Diagnostic(.runtime, "cannot unpack \(item.literalDescription.prefix(60)) into \(slots.count) loop variables", at: at)
      }
      for (index, target) in slots.enumerated() { store(list.items[index], target, frame) }
    }
    single = unpack
    if slots.count == 2 && !slots[0].boxed && !slots[1].boxed {
      // `for (key, value) in d.items()`, the usual pair: no box to make for either.
      let first = slots[0].slot, second = slots[1].slot
      pair = { (frame: Frame, a: consuming Value, b: consuming Value) in
        frame.store(a, at: first)
        frame.store(b, at: second)
      }
    } else if slots.count == 2 {
      let first = slots[0], second = slots[1]
      pair = { frame, a, b in
        store(a, first, frame)
        store(b, second, frame)
      }
    } else {
      pair = { frame, a, b in try unpack(frame, .list(ListObject([a, b]))) }
    }
  }

  @inline(__always)
  func bind(_ item: consuming Value, in frame: Frame) throws { try single(frame, item) }

  @inline(__always)
  func bind(_ first: consuming Value, _ second: consuming Value, in frame: Frame) throws { try pair(frame, first, second) }
}

extension Interpreter {
  /// Calls a function value with positional arguments, as a call written at `location` would.
  func call(_ callee: Value, _ arguments: [Value], at location: SourceLocation) throws -> Value {
    try withStackSlots(arguments.count, at: location) { base in
      for (index, argument) in arguments.enumerated() { (base + index).initialize(to: argument) }
      return try callValue(callee, arguments: base, count: arguments.count, labels: nil, at: location)
    }
  }
}
